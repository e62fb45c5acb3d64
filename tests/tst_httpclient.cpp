// HttpClient and HttpClientReply against scripted servers on real loopback sockets: the
// request on the wire, every body framing, keep-alive reuse and its stale-connection
// retry, backpressure, and each error the proxy turns into its own message.
#include "http/httpclient.h"
#include "testtls.h"
#include "testtokens.h"

#include <QSignalSpy>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <memory>
#include <vector>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

constexpr int WaitMs = 20000; // generous for a busy machine; never reached when passing

// What a scripted server sees of one request.
struct SeenRequest
{
    QByteArray head; // request line and header fields, up to the blank line
    QByteArray body;
    int connection = 0; // which accepted connection (1, 2, …) it came on
};

// A server that reads whole requests (Content-Length bodies) and answers each through a
// script: the bytes to send, and whether to close afterwards.
class ScriptedServer : public QObject
{
public:
    struct Answer
    {
        QByteArray bytes;
        bool close = false;
    };
    using Script = std::function<Answer(const SeenRequest &, QTcpSocket *)>;

    explicit ScriptedServer(Script script, QTcpServer *server = nullptr)
        : m_server(server ? server : new QTcpServer(this))
        , m_script(std::move(script))
    {
        m_server->setParent(this);
        connect(m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *s = m_server->nextPendingConnection())
                adopt(s);
        });
        m_server->listen(QHostAddress::LocalHost, 0);
    }

    quint16 port() const { return m_server->serverPort(); }
    QUrl url(const QString &path = QStringLiteral("/")) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path));
    }
    int connections() const { return m_connections; }
    const QList<SeenRequest> &requests() const { return m_requests; }
    QList<QTcpSocket *> sockets() const { return m_sockets; }

private:
    void adopt(QTcpSocket *s)
    {
        const int number = ++m_connections;
        m_sockets << s;
        auto buffer = std::make_shared<QByteArray>();
        connect(s, &QTcpSocket::readyRead, this, [this, s, buffer, number] {
            *buffer += s->readAll();
            for (;;) {
                const qsizetype end = buffer->indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                SeenRequest r;
                r.head = buffer->left(end);
                r.connection = number;
                qint64 length = 0;
                for (const QByteArray &line : r.head.split('\n')) {
                    if (line.toLower().startsWith("content-length:"))
                        length = line.mid(15).trimmed().toLongLong();
                }
                if (buffer->size() < end + 4 + length)
                    return;
                r.body = buffer->mid(end + 4, length);
                buffer->remove(0, end + 4 + length);
                m_requests << r;
                const Answer a = m_script(r, s);
                if (!a.bytes.isEmpty())
                    s->write(a.bytes);
                if (a.close) {
                    s->disconnectFromHost();
                    return;
                }
            }
        });
    }

    QTcpServer *m_server;
    Script m_script;
    int m_connections = 0;
    QList<SeenRequest> m_requests;
    QList<QTcpSocket *> m_sockets;
};

ScriptedServer::Answer ok(const QByteArray &body, const QByteArray &extra = {})
{
    return {"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                QByteArray::number(body.size()) + "\r\n" + extra + "\r\n" + body,
            false};
}

// Sends a request and waits for finished(); the reply is owned by the caller.
std::unique_ptr<HttpClientReply> fetch(HttpClient &client, const HttpClientRequest &request)
{
    std::unique_ptr<HttpClientReply> reply(client.send(request));
    QSignalSpy finished(reply.get(), &HttpClientReply::finished);
    if (!finished.wait(WaitMs) && !reply->isFinished())
        qWarning("the reply did not finish");
    return reply;
}

HttpClientRequest get(const QUrl &url)
{
    HttpClientRequest r;
    r.url = url;
    return r;
}

QByteArray headerOf(const QByteArray &head, const QByteArray &name)
{
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == name.toLower())
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

// A loopback listener whose accept queue is full: it never accepts, so a further connection
// attempt is never answered (the kernel drops its SYN) and stays pending.
class FullBacklog
{
public:
    FullBacklog()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr *>(&addr), len) != 0 ||
            ::listen(m_fd, 0) != 0 ||
            ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
            return;
        m_port = ntohs(addr.sin_port);
        // A backlog of 0 holds one connection; fill it, and one more for good measure.
        for (int i = 0; i < 2; ++i) {
            auto *filler = new QTcpSocket;
            filler->connectToHost(QHostAddress::LocalHost, m_port);
            m_fillers.emplace_back(filler);
        }
        m_fillers.front()->waitForConnected(WaitMs);
    }
    ~FullBacklog()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    quint16 port() const { return m_port; }
    bool filled() const { return m_fillers.front()->state() == QAbstractSocket::ConnectedState; }

private:
    int m_fd = -1;
    quint16 m_port = 0;
    std::vector<std::unique_ptr<QTcpSocket>> m_fillers;
};

} // namespace

class TestHttpClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestOnTheWire();
    void contentLengthAndKeepAlive();
    void chunkedBodyInPieces();
    void bodyUntilClose();
    void connectionCloseIsNotPooled();
    void interimAnswersAreSkipped();
    void noContentHasNoBody();
    void staleConnectionIsRetriedOnce();
    void freshConnectionClosedWithoutAnswer();
    void cutOffBody();
    void malformedAnswers_data();
    void malformedAnswers();
    void connectionRefused();
    void hostNotFound();
    void tlsToPlainServer();
    void tlsSelfSigned();
    void backpressure();
    void abortEndsAtOnce();
    void connectTimeoutWhenNobodyAccepts();
    void connectTimeoutWhenTlsHandshakeHangs();
    void slowAnswerIsNotAConnectTimeout();
    void idleConnectionsExpire();
    void serverClosingIdleConnectionDropsIt();
    void notHttp();
    void manyAtOnceToOneHost();
    void keepWarmKeepsOnePastTheIdleTimeout();
    void keepWarmReopensWhenTheServerCloses();
    void keepWarmPausesForAServerThatClosesWithinAMinute();
    void keepWarmWakesOnlyRightAfterTheRequests();
    void keepWarmOpensNoSecondWhileOneIsInUse();
    void keepWarmReplacesOneClosedAfterItsRequest();
    void keepWarmEndsAfterItsTime();
    void warmUpOpensAConnection();
    void rewarmReplacesTheConnection();
};

void TestHttpClient::requestOnTheWire()
{
    ScriptedServer server([](const SeenRequest &, QTcpSocket *) { return ok("fine"); });
    HttpClient client;
    HttpClientRequest req;
    req.method = "POST";
    req.url = server.url(QStringLiteral("/v1/chat/completions?x=1%202"));
    req.headers = {{"Authorization", "Bearer abc"}, {"Content-Type", "application/json"}};
    req.body = R"({"model":"coder-model"})";
    QSignalSpy progress(client.send(req, this), &HttpClientReply::uploadProgress);
    QTRY_COMPARE_WITH_TIMEOUT(server.requests().size(), 1, WaitMs);
    const SeenRequest &seen = server.requests().first();
    QVERIFY(seen.head.startsWith("POST /v1/chat/completions?x=1%202 HTTP/1.1\r\n"));
    QCOMPARE(headerOf(seen.head, "host"), "127.0.0.1:" + QByteArray::number(server.port()));
    QCOMPARE(headerOf(seen.head, "authorization"), QByteArray("Bearer abc"));
    QCOMPARE(headerOf(seen.head, "content-type"), QByteArray("application/json"));
    QCOMPARE(headerOf(seen.head, "content-length"), QByteArray::number(req.body.size()));
    QCOMPARE(seen.body, req.body);
    QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty(), WaitMs);
    QCOMPARE(progress.last().at(0).toLongLong(), progress.last().at(1).toLongLong());

    // A GET without a body carries no Content-Length; an empty path is "/".
    HttpClientRequest plain = get(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.port())));
    auto reply = fetch(client, plain);
    QCOMPARE(reply->error(), HttpClientReply::Error::None);
    QVERIFY(server.requests().last().head.startsWith("GET / HTTP/1.1\r\n"));
    QVERIFY(headerOf(server.requests().last().head, "content-length").isEmpty());
}

void TestHttpClient::contentLengthAndKeepAlive()
{
    ScriptedServer server([](const SeenRequest &r, QTcpSocket *) {
        return ok("answer " + QByteArray::number(r.connection), "X-Test: yes\r\n");
    });
    HttpClient client;
    auto first = fetch(client, get(server.url()));
    QCOMPARE(first->error(), HttpClientReply::Error::None);
    QCOMPARE(first->status(), 200);
    QCOMPARE(first->rawHeader("x-test"), QByteArray("yes"));
    QCOMPARE(first->rawHeader("X-TEST"), QByteArray("yes"));
    QVERIFY(first->hasRawHeader("content-type"));
    QVERIFY(!first->hasRawHeader("x-missing"));
    QCOMPARE(first->readAll(), QByteArray("answer 1"));
    QVERIFY(!first->usedPooledConnection());
    QCOMPARE(client.idleConnectionCount(), 1);

    for (int i = 0; i < 3; ++i) {
        auto next = fetch(client, get(server.url()));
        QCOMPARE(next->error(), HttpClientReply::Error::None);
        QCOMPARE(next->readAll(), QByteArray("answer 1")); // the same connection
        QVERIFY(next->usedPooledConnection());
    }
    QCOMPARE(server.connections(), 1);
    QCOMPARE(client.connectionsOpened(), quint64(1));
}

void TestHttpClient::chunkedBodyInPieces()
{
    // The answer arrives a few bytes at a time, split inside sizes, data and CRLFs.
    const QByteArray wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";
    ScriptedServer server([&](const SeenRequest &, QTcpSocket *s) {
        for (qsizetype i = 0; i < wire.size(); i += 3) {
            const QByteArray piece = wire.mid(i, 3);
            QTimer::singleShot(int(i), s, [s, piece] {
                s->write(piece);
                s->flush();
            });
        }
        return ScriptedServer::Answer{};
    });
    HttpClient client;
    std::unique_ptr<HttpClientReply> reply(client.send(get(server.url())));
    QByteArray body;
    int readyReads = 0;
    connect(reply.get(), &HttpClientReply::readyRead, this, [&] {
        ++readyReads;
        body += reply->readAll();
    });
    QSignalSpy meta(reply.get(), &HttpClientReply::metaDataChanged);
    QSignalSpy finished(reply.get(), &HttpClientReply::finished);
    QVERIFY(finished.wait(WaitMs));
    body += reply->readAll();
    QCOMPARE(reply->error(), HttpClientReply::Error::None);
    QCOMPARE(meta.size(), 1);
    QCOMPARE(body, QByteArray("hello, world"));
    QVERIFY(readyReads > 1); // handed on as it came, not at the end
    QCOMPARE(client.idleConnectionCount(), 1);
}

void TestHttpClient::bodyUntilClose()
{
    ScriptedServer server([](const SeenRequest &, QTcpSocket *) {
        return ScriptedServer::Answer{"HTTP/1.1 200 OK\r\n\r\nall of it", true};
    });
    HttpClient client;
    auto reply = fetch(client, get(server.url()));
    QCOMPARE(reply->error(), HttpClientReply::Error::None);
    QCOMPARE(reply->readAll(), QByteArray("all of it"));
    QCOMPARE(client.idleConnectionCount(), 0);
}

void TestHttpClient::connectionCloseIsNotPooled()
{
    ScriptedServer server(
        [](const SeenRequest &, QTcpSocket *) { return ok("x", "Connection: close\r\n"); });
    HttpClient client;
    auto reply = fetch(client, get(server.url()));
    QCOMPARE(reply->error(), HttpClientReply::Error::None);
    QCOMPARE(client.idleConnectionCount(), 0);
    // HTTP/1.0 without keep-alive neither.
    ScriptedServer old([](const SeenRequest &, QTcpSocket *) {
        return ScriptedServer::Answer{"HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", false};
    });
    reply = fetch(client, get(old.url()));
    QCOMPARE(reply->error(), HttpClientReply::Error::None);
    QCOMPARE(reply->readAll(), QByteArray("x"));
    QCOMPARE(client.idleConnectionCount(), 0);
}

void TestHttpClient::interimAnswersAreSkipped()
{
    ScriptedServer server([](const SeenRequest &, QTcpSocket *) {
        ScriptedServer::Answer a = ok("final");
        a.bytes.prepend(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n");
        return a;
    });
    HttpClient client;
    std::unique_ptr<HttpClientReply> reply(client.send(get(server.url())));
    QSignalSpy meta(reply.get(), &HttpClientReply::metaDataChanged);
    QSignalSpy finished(reply.get(), &HttpClientReply::finished);
    QVERIFY(finished.wait(WaitMs));
    QCOMPARE(meta.size(), 1);
    QCOMPARE(reply->status(), 200);
    QVERIFY(!reply->hasRawHeader("link"));
    QCOMPARE(reply->readAll(), QByteArray("final"));
}

void TestHttpClient::noContentHasNoBody()
{
    ScriptedServer server([](const SeenRequest &, QTcpSocket *) {
        return ScriptedServer::Answer{"HTTP/1.1 204 No Content\r\n\r\n", false};
    });
    HttpClient client;
    auto reply = fetch(client, get(server.url()));
    QCOMPARE(reply->error(), HttpClientReply::Error::None);
    QCOMPARE(reply->status(), 204);
    QCOMPARE(reply->bytesAvailable(), 0);
    QCOMPARE(client.idleConnectionCount(), 1);
}

void TestHttpClient::staleConnectionIsRetriedOnce()
{
    // The server answers the first request on a connection, then drops that connection
    // when the next request arrives on it: a keep-alive connection closed as it was reused.
    ScriptedServer server([](const SeenRequest &r, QTcpSocket *s) {
        if (s->property("answered").toBool()) {
            s->abort();
            return ScriptedServer::Answer{};
        }
        s->setProperty("answered", true);
        return ok("from connection " + QByteArray::number(r.connection));
    });
    HttpClient client;
    auto first = fetch(client, get(server.url()));
    QCOMPARE(first->readAll(), QByteArray("from connection 1"));
    QCOMPARE(client.idleConnectionCount(), 1);

    HttpClientRequest post = get(server.url());
    post.method = "POST";
    post.body = "payload";
    auto second = fetch(client, post);
    QCOMPARE(second->error(), HttpClientReply::Error::None);
    QCOMPARE(second->readAll(), QByteArray("from connection 2"));
    QCOMPARE(server.connections(), 2);
    QCOMPARE(server.requests().size(), 3); // the lost one and its retry
    QCOMPARE(server.requests().last().body, QByteArray("payload"));
    QVERIFY(!second->usedPooledConnection());
}

void TestHttpClient::freshConnectionClosedWithoutAnswer()
{
    // On a new connection there is nothing to retry: the request may have been acted on.
    ScriptedServer server([](const SeenRequest &, QTcpSocket *) {
        return ScriptedServer::Answer{{}, true};
    });
    HttpClient client;
    auto reply = fetch(client, get(server.url()));
    QCOMPARE(reply->error(), HttpClientReply::Error::RemoteClosed);
    QVERIFY(!reply->errorString().isEmpty());
    QCOMPARE(reply->status(), 0);
    QCOMPARE(server.requests().size(), 1);
}

void TestHttpClient::cutOffBody()
{
    ScriptedServer server([](const SeenRequest &, QTcpSocket *) {
        return ScriptedServer::Answer{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this",
                                      true};
    });
    HttpClient client;
    auto reply = fetch(client, get(server.url()));
    QCOMPARE(reply->error(), HttpClientReply::Error::RemoteClosed);
    QCOMPARE(reply->status(), 200);
    QCOMPARE(reply->readAll(), QByteArray("only this")); // what came is still readable

    // The same for a chunked body without its last chunk.
    ScriptedServer chunked([](const SeenRequest &, QTcpSocket *) {
        return ScriptedServer::Answer{
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\ndata\r\n", true};
    });
    reply = fetch(client, get(chunked.url()));
    QCOMPARE(reply->error(), HttpClientReply::Error::RemoteClosed);
    QCOMPARE(reply->readAll(), QByteArray("data"));
}

void TestHttpClient::malformedAnswers_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::newRow("not http") << QByteArray("SSH-2.0-OpenSSH\r\n\r\n");
    QTest::newRow("http/2 preface") << QByteArray("HTTP/2 200\r\n\r\n");
    QTest::newRow("bad status") << QByteArray("HTTP/1.1 2x0 OK\r\n\r\n");
    QTest::newRow("status below 100") << QByteArray("HTTP/1.1 099 Odd\r\n\r\n");
    QTest::newRow("header without colon") << QByteArray("HTTP/1.1 200 OK\r\nBroken\r\n\r\n");
    QTest::newRow("space in name") << QByteArray("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n");
    QTest::newRow("negative length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n");
    QTest::newRow("two lengths") << QByteArray(
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab");
    QTest::newRow("bad chunk size")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    QTest::newRow("switching protocols")
        << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n");
    QTest::newRow("huge head") << QByteArray(
        "HTTP/1.1 200 OK\r\nX-Big: " + QByteArray(70 * 1024, 'a') + "\r\n\r\n");
    QTest::newRow("endless head line")
        << QByteArray("HTTP/1.1 200 OK\r\nX: " + QByteArray(70 * 1024, 'a'));
}

void TestHttpClient::malformedAnswers()
{
    QFETCH(QByteArray, wire);
    ScriptedServer server([&](const SeenRequest &, QTcpSocket *) {
        return ScriptedServer::Answer{wire, false};
    });
    HttpClient client;
    auto reply = fetch(client, get(server.url()));
    QVERIFY(reply->isFinished());
    QCOMPARE(reply->error(), HttpClientReply::Error::Protocol);
    QVERIFY(!reply->errorString().isEmpty());
    QCOMPARE(client.idleConnectionCount(), 0);
}

void TestHttpClient::connectionRefused()
{
    const quint16 port = freeLoopbackPort();
    QVERIFY(port != 0);
    HttpClient client;
    auto reply = fetch(client, get(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(port))));
    QCOMPARE(reply->error(), HttpClientReply::Error::ConnectionRefused);
    QVERIFY(!reply->errorString().isEmpty());
}

void TestHttpClient::hostNotFound()
{
    HttpClient client;
    auto reply = fetch(client, get(QUrl(QStringLiteral("http://nonexistent.invalid/"))));
    QCOMPARE(reply->error(), HttpClientReply::Error::HostNotFound);
}

void TestHttpClient::tlsToPlainServer()
{
    // A plain HTTP server answers the TLS hello with an HTTP error and closes.
    QTcpServer plain;
    QVERIFY(plain.listen(QHostAddress::LocalHost, 0));
    connect(&plain, &QTcpServer::pendingConnectionAvailable, this, [&plain] {
        while (QTcpSocket *s = plain.nextPendingConnection()) {
            connect(s, &QTcpSocket::readyRead, s, [s] {
                s->readAll();
                s->write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
                s->disconnectFromHost();
            });
        }
    });
    HttpClient client;
    auto reply =
        fetch(client, get(QUrl(QStringLiteral("https://127.0.0.1:%1/").arg(plain.serverPort()))));
    QCOMPARE(reply->error(), HttpClientReply::Error::Tls);
    QVERIFY(!reply->errorString().isEmpty());
}

void TestHttpClient::tlsSelfSigned()
{
    auto *tls = new QSslServer;
    tls->setSslConfiguration(selfSignedServerConfiguration());
    ScriptedServer server([](const SeenRequest &, QTcpSocket *) { return ok("secret"); }, tls);
    QVERIFY(server.port() != 0);

    HttpClient client;
    auto reply =
        fetch(client, get(QUrl(QStringLiteral("https://127.0.0.1:%1/").arg(server.port()))));
    QCOMPARE(reply->error(), HttpClientReply::Error::Tls);
    QVERIFY2(mentionsSelfSigned(reply->errorString()), qPrintable(reply->errorString()));
    QVERIFY(server.requests().isEmpty()); // nothing was sent over an untrusted connection
}

void TestHttpClient::backpressure()
{
    constexpr qint64 Total = 32 * 1024 * 1024; // far more than the kernel buffers hold
    constexpr qint64 Limit = 64 * 1024;
    QByteArray payload(Total, Qt::Uninitialized);
    for (qint64 i = 0; i < Total; ++i)
        payload[i] = char('a' + i % 26);
    QTcpSocket *serverSide = nullptr;
    ScriptedServer server([&](const SeenRequest &, QTcpSocket *s) {
        serverSide = s;
        return ok(payload);
    });
    HttpClient client;
    std::unique_ptr<HttpClientReply> reply(client.send(get(server.url())));
    reply->setReadBufferSize(Limit);
    QSignalSpy meta(reply.get(), &HttpClientReply::metaDataChanged);
    QVERIFY(meta.wait(WaitMs));
    // Nobody reads: the reply holds at most its limit, and the rest stays with the server,
    // which cannot write it out.
    QTest::qWait(500);
    QVERIFY2(reply->bytesAvailable() <= Limit,
             qPrintable(QString::number(reply->bytesAvailable())));
    QVERIFY(serverSide);
    QVERIFY2(serverSide->bytesToWrite() > Total / 2,
             qPrintable(QString::number(serverSide->bytesToWrite())));
    QVERIFY(!reply->isFinished());

    // Reading drains it all, in order.
    QByteArray got = reply->readAll();
    QSignalSpy finished(reply.get(), &HttpClientReply::finished);
    connect(reply.get(), &HttpClientReply::readyRead, this, [&] { got += reply->readAll(); });
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), WaitMs);
    got += reply->readAll();
    QCOMPARE(reply->error(), HttpClientReply::Error::None);
    QCOMPARE(got.size(), payload.size());
    QVERIFY(got == payload);
}

void TestHttpClient::abortEndsAtOnce()
{
    // The server never answers.
    ScriptedServer server(
        [](const SeenRequest &, QTcpSocket *) { return ScriptedServer::Answer{}; });
    HttpClient client;
    std::unique_ptr<HttpClientReply> reply(client.send(get(server.url())));
    QTRY_COMPARE_WITH_TIMEOUT(server.requests().size(), 1, WaitMs);
    QSignalSpy finished(reply.get(), &HttpClientReply::finished);
    reply->abort();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(reply->error(), HttpClientReply::Error::Canceled);
    reply->abort(); // once is enough
    QCOMPARE(finished.size(), 1);
    QCOMPARE(client.idleConnectionCount(), 0);
    // The server sees the connection go.
    QTRY_COMPARE_WITH_TIMEOUT(server.sockets().first()->state(), QAbstractSocket::UnconnectedState,
                              WaitMs);
}

void TestHttpClient::connectTimeoutWhenNobodyAccepts()
{
    FullBacklog listener;
    QVERIFY(listener.port() != 0);
    QVERIFY(listener.filled());
    HttpClient client;
    QCOMPARE(client.connectTimeoutMs(), 15000);
    client.setConnectTimeoutMs(300);
    auto reply =
        fetch(client, get(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(listener.port()))));
    QVERIFY(reply->isFinished());
    QCOMPARE(reply->error(), HttpClientReply::Error::ConnectTimeout);
    QVERIFY2(reply->errorString().contains(QStringLiteral("127.0.0.1:%1").arg(listener.port())),
             qPrintable(reply->errorString()));
}

void TestHttpClient::connectTimeoutWhenTlsHandshakeHangs()
{
    // TCP connects, but the server never answers the TLS ClientHello.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    QList<QTcpSocket *> accepted;
    connect(&silent, &QTcpServer::pendingConnectionAvailable, this, [&] {
        while (QTcpSocket *s = silent.nextPendingConnection()) {
            accepted << s;
            connect(s, &QTcpSocket::readyRead, s, [s] { s->readAll(); });
        }
    });
    HttpClient client;
    client.setConnectTimeoutMs(300);
    auto reply =
        fetch(client, get(QUrl(QStringLiteral("https://127.0.0.1:%1/").arg(silent.serverPort()))));
    QVERIFY(reply->isFinished());
    QCOMPARE(reply->error(), HttpClientReply::Error::ConnectTimeout);
    QCOMPARE(accepted.size(), 1);
    // The half-open connection is closed, not left behind.
    QTRY_COMPARE_WITH_TIMEOUT(accepted.first()->state(), QAbstractSocket::UnconnectedState, WaitMs);
}

void TestHttpClient::slowAnswerIsNotAConnectTimeout()
{
    // Once the request is out, a server that thinks for longer than the connect timeout
    // is still waited for: that is the caller's idle timeout, not this one.
    QTcpSocket *pending = nullptr;
    ScriptedServer server([&](const SeenRequest &, QTcpSocket *s) {
        pending = s;
        return ScriptedServer::Answer{};
    });
    HttpClient client;
    client.setConnectTimeoutMs(100);
    std::unique_ptr<HttpClientReply> reply(client.send(get(server.url())));
    QSignalSpy finished(reply.get(), &HttpClientReply::finished);
    QTRY_VERIFY_WITH_TIMEOUT(pending, WaitMs);
    // Three connect timeouts pass with the request unanswered.
    QTimer answerLater;
    answerLater.setSingleShot(true);
    connect(&answerLater, &QTimer::timeout, this, [&] { pending->write(ok("late").bytes); });
    answerLater.start(300);
    QVERIFY(finished.wait(WaitMs));
    QCOMPARE(reply->error(), HttpClientReply::Error::None);
    QCOMPARE(reply->readAll(), QByteArray("late"));
}

void TestHttpClient::idleConnectionsExpire()
{
    ScriptedServer server([](const SeenRequest &, QTcpSocket *) { return ok("x"); });
    HttpClient client;
    client.setIdleTimeoutMs(100);
    auto reply = fetch(client, get(server.url()));
    QCOMPARE(client.idleConnectionCount(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(client.idleConnectionCount(), 0, WaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(server.sockets().first()->state(), QAbstractSocket::UnconnectedState,
                              WaitMs);
    // The next request simply opens a new one.
    reply = fetch(client, get(server.url()));
    QCOMPARE(reply->error(), HttpClientReply::Error::None);
    QCOMPARE(server.connections(), 2);
}

void TestHttpClient::serverClosingIdleConnectionDropsIt()
{
    ScriptedServer server([](const SeenRequest &, QTcpSocket *) { return ok("x"); });
    HttpClient client;
    auto reply = fetch(client, get(server.url()));
    QCOMPARE(client.idleConnectionCount(), 1);
    server.sockets().first()->disconnectFromHost();
    QTRY_COMPARE_WITH_TIMEOUT(client.idleConnectionCount(), 0, WaitMs);
    reply = fetch(client, get(server.url()));
    QCOMPARE(reply->error(), HttpClientReply::Error::None);
    QVERIFY(!reply->usedPooledConnection());
}

void TestHttpClient::keepWarmKeepsOnePastTheIdleTimeout()
{
    ScriptedServer server([](const SeenRequest &, QTcpSocket *) { return ok("x"); });
    HttpClient client;
    client.setIdleTimeoutMs(50);
    client.setKeepWarmMs(10 * 60 * 1000);
    // Two at once: two connections go idle; one times out, the other is kept.
    std::unique_ptr<HttpClientReply> a(client.send(get(server.url())));
    std::unique_ptr<HttpClientReply> b(client.send(get(server.url())));
    QTRY_VERIFY_WITH_TIMEOUT(a->isFinished() && b->isFinished(), WaitMs);
    QCOMPARE(server.connections(), 2);
    QVERIFY(client.isKeepingWarm());
    QCOMPARE(client.warmOrigin(), server.url().adjusted(QUrl::RemovePath));
    QTRY_VERIFY_WITH_TIMEOUT(
        server.sockets().first()->state() == QAbstractSocket::UnconnectedState ||
            server.sockets().last()->state() == QAbstractSocket::UnconnectedState,
        WaitMs);
    QCOMPARE(client.idleConnectionCount(), 1);
    auto reply = fetch(client, get(server.url()));
    QCOMPARE(reply->error(), HttpClientReply::Error::None);
    QVERIFY(reply->usedPooledConnection());
    QCOMPARE(server.connections(), 2);
}

void TestHttpClient::keepWarmReopensWhenTheServerCloses()
{
    ScriptedServer server([](const SeenRequest &, QTcpSocket *) { return ok("x"); });
    HttpClient client;
    client.setIdleTimeoutMs(50);
    client.setKeepWarmMs(10 * 60 * 1000);
    client.setWarmReopenDelayMs(0);
    client.setWarmMinIdleLifeMs(0); // a server that keeps idle connections long enough
    QSignalSpy ready(&client, &HttpClient::warmConnectionReady);
    auto reply = fetch(client, get(server.url()));
    // The server closes it, whether the pool keeps it yet or not: a new one comes.
    QTRY_COMPARE_WITH_TIMEOUT(server.sockets().size(), 1, WaitMs);
    server.sockets().first()->disconnectFromHost();
    QTRY_COMPARE_WITH_TIMEOUT(server.connections(), 2, WaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, WaitMs);
    QCOMPARE(client.idleConnectionCount(), 1);
    reply = fetch(client, get(server.url()));
    QVERIFY(reply->usedPooledConnection());
    QCOMPARE(server.connections(), 2);
}

// A server that closes idle connections within a minute (a load balancer's short idle
// timeout) would have the pool reconnect over and over: it stops until the next request.
void TestHttpClient::keepWarmPausesForAServerThatClosesWithinAMinute()
{
    ScriptedServer server([](const SeenRequest &, QTcpSocket *) { return ok("x"); });
    HttpClient client;
    client.setKeepWarmMs(10 * 60 * 1000);
    client.setWarmReopenDelayMs(0);
    auto reply = fetch(client, get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(server.sockets().size(), 1, WaitMs);
    server.sockets().first()->disconnectFromHost(); // closed after a moment's idling
    QTRY_VERIFY_WITH_TIMEOUT(client.isWarmPaused(), WaitMs);
    QCOMPARE(client.idleConnectionCount(), 0);
    // Nothing left to wake for until the end of keeping warm.
    QVERIFY(client.nextSweepInMs() == -1 || client.nextSweepInMs() > 5 * 60 * 1000);
    QCOMPARE(server.connections(), 1);
    // A request uses the upstream again: warm from there, as before.
    reply = fetch(client, get(server.url()));
    QCOMPARE(reply->error(), HttpClientReply::Error::None);
    QVERIFY(!client.isWarmPaused());
    QCOMPARE(server.connections(), 2);
}

// The kept connection is chosen in the quiet moment right after the requests, not at its
// idle timeout half a minute later: keeping an upstream warm adds no wake-up to idle time.
void TestHttpClient::keepWarmWakesOnlyRightAfterTheRequests()
{
    ScriptedServer server([](const SeenRequest &, QTcpSocket *) { return ok("x"); });
    HttpClient client; // the default idle timeout, 30 s
    client.setKeepWarmMs(10 * 60 * 1000);
    client.setWarmReopenDelayMs(0);
    client.setWarmMinIdleLifeMs(0); // replaced at once when closed, below
    QCOMPARE(client.nextSweepInMs(), -1);
    for (int i = 0; i < 3; ++i) {
        auto reply = fetch(client, get(server.url()));
        QCOMPARE(reply->error(), HttpClientReply::Error::None);
        QVERIFY2(client.nextSweepInMs() >= 0 && client.nextSweepInMs() <= 2000,
                 qPrintable(QString::number(client.nextSweepInMs())));
    }
    QCOMPARE(server.connections(), 1);
    // Kept: the next wake-up is the end of keeping warm, minutes away.
    QTRY_VERIFY_WITH_TIMEOUT(client.nextSweepInMs() > 5 * 60 * 1000, WaitMs);
    QCOMPARE(client.idleConnectionCount(), 1);
    // And watched: the server closing it is noticed at once and a new one opened.
    QSignalSpy ready(&client, &HttpClient::warmConnectionReady);
    server.sockets().first()->disconnectFromHost();
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, WaitMs);
    QCOMPARE(server.connections(), 2);
    QVERIFY(client.nextSweepInMs() > 5 * 60 * 1000);
}

// The pool looks at the warm origin while a request holds its only connection: that one
// comes back, so no second is opened (it would only time out later, a wake-up when idle).
void TestHttpClient::keepWarmOpensNoSecondWhileOneIsInUse()
{
    QTcpSocket *pending = nullptr;
    int seen = 0;
    ScriptedServer server([&](const SeenRequest &, QTcpSocket *s) {
        if (++seen == 1)
            return ok("x");
        pending = s; // the second request is answered later
        return ScriptedServer::Answer{};
    });
    HttpClient client;
    client.setKeepWarmMs(10 * 60 * 1000);
    client.setWarmReopenDelayMs(0);
    auto first = fetch(client, get(server.url()));
    QCOMPARE(first->error(), HttpClientReply::Error::None);
    std::unique_ptr<HttpClientReply> second(client.send(get(server.url())));
    QSignalSpy finished(second.get(), &HttpClientReply::finished);
    QTRY_VERIFY_WITH_TIMEOUT(pending, WaitMs);
    // The pool's look at its warm origin, due 2 s after the first went idle, passes.
    QTRY_VERIFY_WITH_TIMEOUT(client.nextSweepInMs() == -1 || client.nextSweepInMs() > 60000,
                             WaitMs);
    QCOMPARE(client.idleConnectionCount(), 0);
    pending->write(ok("late").bytes);
    QVERIFY(finished.wait(WaitMs));
    QCOMPARE(second->error(), HttpClientReply::Error::None);
    QCOMPARE(server.connections(), 1);
    QCOMPARE(client.idleConnectionCount(), 1);
}

// A request's connection that the server closes after the answer is not given back; the
// pool opens the warm connection then, not half an hour later.
void TestHttpClient::keepWarmReplacesOneClosedAfterItsRequest()
{
    ScriptedServer server([](const SeenRequest &, QTcpSocket *) {
        ScriptedServer::Answer a = ok("x");
        a.bytes.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n");
        a.close = true;
        return a;
    });
    HttpClient client;
    client.setKeepWarmMs(10 * 60 * 1000);
    client.setWarmReopenDelayMs(0);
    QSignalSpy ready(&client, &HttpClient::warmConnectionReady);
    auto reply = fetch(client, get(server.url()));
    QCOMPARE(reply->error(), HttpClientReply::Error::None);
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, WaitMs);
    QCOMPARE(server.connections(), 2);
    QCOMPARE(client.idleConnectionCount(), 1);
}

void TestHttpClient::keepWarmEndsAfterItsTime()
{
    ScriptedServer server([](const SeenRequest &, QTcpSocket *) { return ok("x"); });
    HttpClient client;
    client.setIdleTimeoutMs(20);
    client.setKeepWarmMs(200);
    auto reply = fetch(client, get(server.url()));
    QTRY_VERIFY_WITH_TIMEOUT(!client.isKeepingWarm(), WaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(client.idleConnectionCount(), 0, WaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(server.sockets().first()->state(), QAbstractSocket::UnconnectedState,
                              WaitMs);
    QCOMPARE(server.connections(), 1);
}

void TestHttpClient::warmUpOpensAConnection()
{
    ScriptedServer server([](const SeenRequest &, QTcpSocket *) { return ok("x"); });
    HttpClient client;
    QSignalSpy ready(&client, &HttpClient::warmConnectionReady);
    client.warmUp(server.url()); // off by default
    client.setKeepWarmMs(10 * 60 * 1000);
    client.warmUp(server.url());
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, WaitMs);
    // A connection from the first call would have reached the server before the second's
    // (its accept queue is in order): one connection means the first opened none.
    QCOMPARE(server.connections(), 1);
    QCOMPARE(client.idleConnectionCount(), 1);
    QCOMPARE(server.requests().size(), 0); // only a connection, no request
    auto reply = fetch(client, get(server.url()));
    QCOMPARE(reply->error(), HttpClientReply::Error::None);
    QVERIFY(reply->usedPooledConnection());
    QCOMPARE(server.connections(), 1);
}

void TestHttpClient::rewarmReplacesTheConnection()
{
    ScriptedServer server([](const SeenRequest &, QTcpSocket *) { return ok("x"); });
    HttpClient client;
    client.setKeepWarmMs(10 * 60 * 1000);
    QSignalSpy ready(&client, &HttpClient::warmConnectionReady);
    client.rewarm(); // nobody used anything: nothing to renew
    auto reply = fetch(client, get(server.url()));
    // Had the first rewarm() opened a connection, it would have come first and the request
    // would have found it in the pool.
    QVERIFY(!reply->usedPooledConnection());
    QCOMPARE(server.connections(), 1);
    client.rewarm();
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, WaitMs);
    QCOMPARE(server.connections(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(server.sockets().first()->state(), QAbstractSocket::UnconnectedState,
                              WaitMs);
    QCOMPARE(client.idleConnectionCount(), 1);
}

void TestHttpClient::notHttp()
{
    HttpClient client;
    std::unique_ptr<HttpClientReply> reply(client.send(get(QUrl(QStringLiteral("ftp://x/")))));
    QSignalSpy finished(reply.get(), &HttpClientReply::finished);
    QVERIFY(!reply->isFinished()); // reported from the event loop, after connect() calls
    QVERIFY(finished.wait(WaitMs));
    QCOMPARE(reply->error(), HttpClientReply::Error::Protocol);
}

void TestHttpClient::manyAtOnceToOneHost()
{
    // No per-host queue: 100 requests the server holds are all open at the same time.
    QList<QTcpSocket *> held;
    ScriptedServer server([&](const SeenRequest &, QTcpSocket *s) {
        held << s;
        return ScriptedServer::Answer{};
    });
    HttpClient client;
    std::vector<std::unique_ptr<HttpClientReply>> replies;
    for (int i = 0; i < 100; ++i)
        replies.emplace_back(client.send(get(server.url())));
    QTRY_COMPARE_WITH_TIMEOUT(server.requests().size(), 100, WaitMs);
    QCOMPARE(server.connections(), 100);
    for (QTcpSocket *s : std::as_const(held))
        s->write(ok("done").bytes);
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(replies.cbegin(), replies.cend(),
                                         [](const auto &r) { return r->isFinished(); }),
                             WaitMs);
    for (const auto &r : replies)
        QCOMPARE(r->readAll(), QByteArray("done"));
    QCOMPARE(client.idleConnectionCount(), 100);
}

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_httpclient.moc"
