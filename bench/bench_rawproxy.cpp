// bench_rawproxy: a measuring stick, not a product. The bridge's own request path from core
// (HttpServer, RequestRewriter, SseParser, HttpResponse with its backpressure) with the
// upstream leg on a plain QTcpSocket in the same thread instead of QNetworkAccessManager
// (which runs every request through a worker thread per manager and hops threads for
// every chunk). bench/run drives it as the target "qt-raw" next to qwen-bridge so that the
// cost of that upstream leg shows as a number. Plain HTTP/1.1 to a loopback upstream only;
// no sign-in, no retries, no TLS.
//
//   BENCH_UPSTREAM_KEY=KEY bench_rawproxy --upstream http://127.0.0.1:PORT [--port N]
//
// Prints its base URL as the first line of standard output; stops on SIGTERM/SIGINT.

#include "benchsupport.h"
#include "http/httpserver.h"
#include "http/sseparser.h"
#include "proxy/requestrewriter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QPointer>
#include <QSocketNotifier>
#include <QTcpSocket>
#include <QUuid>

#include <csignal>
#include <cstdio>

#include <fcntl.h>
#include <unistd.h>

namespace {

int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(signalPipe[1], &byte, 1);
}

// Idle keep-alive connections to the upstream; no per-host cap. One the upstream closes
// while idle leaves the pool at once.
class Pool : public QObject
{
public:
    Pool(const QUrl &upstream)
        : m_upstream(upstream)
    {}

    QTcpSocket *acquire(QObject *owner)
    {
        while (!m_idle.isEmpty()) {
            QTcpSocket *s = m_idle.takeLast();
            s->disconnect(this);
            if (s->state() == QAbstractSocket::ConnectedState && s->bytesAvailable() == 0) {
                s->setParent(owner);
                return s;
            }
            s->deleteLater();
        }
        auto *s = new QTcpSocket(owner);
        s->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        s->setReadBufferSize(256 * 1024); // bounded like the bridge's reply buffer
        s->connectToHost(QHostAddress(m_upstream.host()), quint16(m_upstream.port()));
        return s;
    }

    void release(QTcpSocket *s, QObject *owner)
    {
        s->disconnect(owner);
        s->setParent(this);
        m_idle.append(s);
        connect(s, &QTcpSocket::disconnected, this, [this, s] {
            m_idle.removeOne(s);
            s->deleteLater();
        });
    }

    QByteArray hostHeader() const
    {
        return m_upstream.host().toUtf8() + ':' + QByteArray::number(m_upstream.port());
    }

private:
    QUrl m_upstream;
    QList<QTcpSocket *> m_idle;
};

class Job : public QObject
{
public:
    Job(Pool *pool, const QByteArray &key, const HttpRequest &request, HttpResponse *response)
        : m_pool(pool)
        , m_response(response)
    {
        connect(response, &HttpResponse::clientGone, this, [this] { finish(false); });
        connect(response, &HttpResponse::drained, this, [this] {
            m_paused = false;
            onReadyRead();
        });
        RequestRewriter::Options options;
        options.sessionId = QStringLiteral("bench");
        options.promptId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const RequestRewriter::Result r = RequestRewriter::rewrite(request.body, options);
        if (!r.ok()) {
            response->send(400, r.errorBody());
            deleteLater();
            m_done = true;
            return;
        }
        m_stream = r.stream;
        m_out = "POST /v1/chat/completions HTTP/1.1\r\nHost: " + pool->hostHeader() +
                "\r\nAuthorization: Bearer " + key +
                "\r\nContent-Type: application/json\r\nAccept: " +
                (m_stream ? QByteArray("text/event-stream") : QByteArray("application/json")) +
                "\r\nContent-Length: " + QByteArray::number(r.body.size()) + "\r\n\r\n" + r.body;
    }

    void start()
    {
        if (m_done)
            return;
        m_socket = m_pool->acquire(this);
        connect(m_socket, &QTcpSocket::readyRead, this, &Job::onReadyRead);
        connect(m_socket, &QTcpSocket::disconnected, this, &Job::onClosed);
        connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
            if (e != QAbstractSocket::RemoteHostClosedError)
                onClosed();
        });
        if (m_socket->state() == QAbstractSocket::ConnectedState)
            m_socket->write(m_out);
        else
            connect(m_socket, &QTcpSocket::connected, this, [this] { m_socket->write(m_out); });
    }

private:
    void onReadyRead()
    {
        if (m_done || !m_socket || m_paused)
            return;
        while (m_socket->bytesAvailable() > 0) {
            if (m_streaming && m_response && m_response->isBackpressured()) {
                m_paused = true; // the socket's bounded buffer pushes back on the upstream
                return;
            }
            m_in += m_socket->read(64 * 1024);
            const bench::ResponseParser::Result r = m_parser.feed(m_in);
            if (r == bench::ResponseParser::Result::Error) {
                if (m_response && !m_streaming)
                    m_response->send(502, "{\"error\":{\"message\":\"bad upstream answer\"}}");
                finish(false);
                return;
            }
            if (m_parser.headersDone() && m_stream && m_parser.status() == 200 && !m_streaming &&
                m_response) {
                m_response->beginStream(200, "text/event-stream", {{"Cache-Control", "no-cache"}});
                m_streaming = true;
            }
            if (m_streaming && m_response) {
                for (const SseEvent &e : m_sse.feed(m_parser.body()))
                    m_response->write(e.raw);
                m_parser.body().clear();
            }
            if (r == bench::ResponseParser::Result::Done) {
                if (m_response) {
                    if (m_streaming)
                        m_response->end();
                    else
                        m_response->send(m_parser.status(), m_parser.body());
                }
                finish(m_parser.keepAlive());
                return;
            }
        }
    }

    void onClosed()
    {
        if (m_done)
            return;
        if (m_response) {
            if (m_streaming)
                m_response->end();
            else
                m_response->send(502, "{\"error\":{\"message\":\"upstream closed\"}}");
        }
        finish(false);
    }

    void finish(bool reuse)
    {
        if (m_done)
            return;
        m_done = true;
        if (m_socket) {
            if (reuse) {
                m_pool->release(m_socket, this);
            } else {
                m_socket->disconnect(this);
                m_socket->abort();
                m_socket->deleteLater();
            }
            m_socket = nullptr;
        }
        deleteLater();
    }

    Pool *m_pool;
    QPointer<HttpResponse> m_response;
    QTcpSocket *m_socket = nullptr;
    QByteArray m_out;
    QByteArray m_in;
    bench::ResponseParser m_parser;
    SseParser m_sse;
    bool m_stream = false;
    bool m_streaming = false;
    bool m_paused = false;
    bool m_done = false;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    // Like qwen-bridge serve and fake-qwen: no debug line per request (QT_LOGGING_RULES wins).
    if (!qEnvironmentVariableIsSet("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false"));
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("upstream"), QStringLiteral("Upstream base URL (loopback)."),
         QStringLiteral("URL")},
        {QStringLiteral("port"), QStringLiteral("Port on 127.0.0.1."), QStringLiteral("N"),
         QStringLiteral("0")},
    });
    parser.process(app);
    const QUrl upstream(parser.value(QStringLiteral("upstream")));
    if (!upstream.isValid() || !QHostAddress(upstream.host()).isLoopback()) {
        std::fprintf(stderr, "bench_rawproxy: --upstream must be http://127.0.0.1:PORT\n");
        return 2;
    }
    if (::pipe2(signalPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return 1;
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    QSocketNotifier notifier(signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app,
                     [] { QCoreApplication::quit(); });

    const QByteArray key = qgetenv("BENCH_UPSTREAM_KEY");
    Pool pool(upstream);
    HttpServer server;
    QObject::connect(&server, &HttpServer::requestReceived, &app,
                     [&](const HttpRequest &request, HttpResponse *response) {
                         (new Job(&pool, key, request, response))->start();
                     });
    if (!server.listen(QHostAddress::LocalHost,
                       quint16(parser.value(QStringLiteral("port")).toUInt()))) {
        std::fprintf(stderr, "bench_rawproxy: cannot listen: %s\n",
                     qPrintable(server.errorString()));
        return 1;
    }
    std::printf("http://127.0.0.1:%u\n", server.serverPort());
    std::fflush(stdout);
    return app.exec();
}
