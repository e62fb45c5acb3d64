#include "http/httpconnection.h"

#include "http/directsend.h"
#include "http/httpresponse_p.h"
#include "util/deferreddelete.h"
#include "util/logcategories.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

#if defined(Q_OS_WIN)
#include <winsock2.h>
#if defined(Q_CC_MSVC)
#pragma comment(lib, "ws2_32.lib") // for shutdown(); Qt links it only privately
#endif
#else
#include <sys/socket.h>
#endif

namespace {

// Bytes a closing connection reads and drops while it lingers (see LingerMs).
constexpr qint64 LingerMaxBytes = 8 * 1024 * 1024;

// Qt keeps at most this much unread input per socket; beyond it the kernel buffers and
// TCP flow control slows the client down.
constexpr qint64 SocketReadBufferBytes = 256 * 1024;

} // namespace

HttpConnection::HttpConnection(HttpServer *server, QTcpSocket *socket,
                               const HttpServerLimits &limits)
    : QObject(server)
    , m_server(server)
    , m_socket(socket)
    , m_limits(limits)
{
    HttpRequestParser::Limits parserLimits;
    parserLimits.maxHeaderBytes = limits.maxHeaderBytes;
    parserLimits.maxBodyBytes = limits.maxBodyBytes;
    m_parser.setLimits(parserLimits);
    m_parser.reset();

    m_socket->setParent(this);
    // Events must leave as soon as they are written, not wait for Nagle.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->setReadBufferSize(SocketReadBufferBytes);

    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    connect(m_socket, &QIODevice::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QIODevice::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(m_socket, &QAbstractSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(m_socket, &QAbstractSocket::errorOccurred, this,
            [this](QAbstractSocket::SocketError error) {
                // A reset or a failed write: the client is gone even if Qt has not yet
                // reported the state change. An orderly close from the client is left to
                // disconnected(), since Qt may still be flushing our last bytes then.
                if (error != QAbstractSocket::RemoteHostClosedError &&
                    error != QAbstractSocket::SocketTimeoutError &&
                    error != QAbstractSocket::TemporaryError)
                    onDisconnected();
            });

    armTimer(Timer::Idle, m_limits.idleTimeoutMs);
    if (m_socket->bytesAvailable() > 0)
        scheduleProcessInput();
}

HttpConnection::~HttpConnection()
{
    if (m_response)
        m_response->d->conn = nullptr;
}

void HttpConnection::teardown()
{
    if (m_phase == Phase::Closed)
        return;
    m_phase = Phase::Closed;
    m_timer.stop();
    m_socket->disconnect(this);
    QPointer<HttpResponse> response = m_response;
    m_response = nullptr;
    if (response && !response->d->finished) {
        response->d->conn = nullptr;
        Q_EMIT response->clientGone();
    }
    m_socket->abort();
}

bool HttpConnection::canWrite() const
{
    return m_phase != Phase::Closed && !m_writeShut &&
           m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpConnection::writeRaw(const QByteArray &bytes)
{
    if (!canWrite())
        return;
    // Straight to the kernel when Qt has nothing queued for this socket, which is nearly
    // always. What the kernel does not take now goes through Qt's buffer as before, and
    // the backpressure counts it.
    QByteArrayView rest(bytes);
    if (const qsizetype sent = sendDirect(m_socket, rest); sent > 0) {
        m_wroteSinceArm = true;
        rest = rest.sliced(sent);
        if (rest.isEmpty())
            return;
    }
    m_socket->write(rest.data(), rest.size());
    // Out now, not on the next turn of the event loop: that turn would poll every socket
    // once more just to learn this one is writable, which under load adds latency to every
    // answer. Once the kernel buffer is full, the rest waits for the write notifier.
    m_socket->flush();
}

qint64 HttpConnection::bytesToWrite() const
{
    return m_phase == Phase::Closed ? 0 : m_socket->bytesToWrite();
}

void HttpConnection::armTimer(Timer kind, int ms)
{
    m_timerKind = kind;
    m_wroteSinceArm = false;
    if (kind == Timer::None || ms <= 0) { // a zero or negative limit means no limit
        m_timer.stop();
        return;
    }
    m_timer.start(ms);
}

void HttpConnection::onReadyRead()
{
    switch (m_phase) {
    case Phase::Reading:
        processInput();
        break;
    case Phase::Closing:
        // Drop what the client still sends while our last answer goes out.
        m_discarded += m_socket->skip(m_socket->bytesAvailable());
        if (m_discarded > LingerMaxBytes)
            m_socket->abort();
        break;
    case Phase::Responding:
    case Phase::Closed:
        break; // read later, in order: the bytes wait in the socket buffers
    }
}

void HttpConnection::scheduleProcessInput()
{
    if (m_processQueued)
        return;
    m_processQueued = true;
    // Queued, not direct: a handler calling send() inside requestReceived must not get
    // the next pipelined request emitted before it returns.
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_processQueued = false;
            processInput();
        },
        Qt::QueuedConnection);
}

void HttpConnection::processInput()
{
    while (m_phase == Phase::Reading) {
        if (m_inPos >= m_in.size()) {
            m_in.clear();
            m_inPos = 0;
            if (m_socket->bytesAvailable() <= 0)
                break;
            m_in = m_socket->readAll();
            if (m_in.isEmpty())
                break;
        }
        const bool wasStarted = m_parser.hasStarted();
        const bool hadHeaders = m_parser.headersComplete();
        qsizetype used = 0;
        const HttpRequestParser::Result r =
            m_parser.feed(QByteArrayView(m_in).sliced(m_inPos), &used);
        m_inPos += used;

        if (r == HttpRequestParser::Result::Error) {
            qCDebug(lcHttp) << "bad request from" << m_socket->peerAddress().toString()
                            << m_parser.errorStatus() << m_parser.errorCode();
            sendError(m_parser.errorStatus(), m_parser.errorCode(), m_parser.errorMessage());
            return;
        }
        if (r == HttpRequestParser::Result::Complete) {
            dispatchRequest();
            return;
        }
        if (!wasStarted && m_parser.hasStarted())
            armTimer(Timer::Header, m_limits.headerTimeoutMs);
        if (!hadHeaders && m_parser.headersComplete()) {
            armTimer(Timer::Body, m_limits.bodyTimeoutMs);
            if (m_parser.expectsContinue() && !m_continueSent) {
                // The declared body is acceptable (the parser refused it otherwise).
                m_continueSent = true;
                writeRaw(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
            }
        }
    }
}

void HttpConnection::dispatchRequest()
{
    m_phase = Phase::Responding;
    armTimer(Timer::None, 0); // a long stream must not be cut by any timer
    m_continueSent = false;

    const bool keepAlive = m_parser.keepAlive();
    HttpRequest request = m_parser.takeRequest();
    request.peerAddress = m_socket->peerAddress();
    request.localPort = m_socket->localPort();

    auto *response = new HttpResponse(this);
    response->d->conn = this;
    response->d->keepAlive = keepAlive;
    response->d->minorVersion = request.minorVersion;
    response->d->headRequest = request.method == "HEAD";
    m_response = response;

    // The path only: a query string may carry something private.
    qCDebug(lcHttp) << "request" << request.method << request.path;
    Q_EMIT m_server->requestReceived(request, response);
}

void HttpConnection::responseFinished(HttpResponse *response, bool closeAfter)
{
    if (response != m_response)
        return;
    m_response = nullptr;
    DeferredDelete::later(response);
    if (m_phase != Phase::Responding)
        return;
    if (closeAfter) {
        beginClose();
        return;
    }
    m_phase = Phase::Reading;
    armTimer(Timer::Idle, m_limits.idleTimeoutMs);
    if (m_inPos < m_in.size() || m_socket->bytesAvailable() > 0)
        scheduleProcessInput();
}

void HttpConnection::responseDestroyed(HttpResponse *response)
{
    if (response != m_response)
        return;
    const bool started = response->d->headersSent;
    m_response = nullptr;
    if (m_phase != Phase::Responding)
        return;
    qCWarning(lcHttp) << "HttpResponse deleted before it was finished";
    if (!started)
        sendError(500, "internal_error", "The request was dropped without an answer.");
    else
        m_socket->abort(); // the answer is incomplete: do not let it look complete
}

QByteArray HttpConnection::errorBody(int status, const QByteArray &code, const QByteArray &message)
{
    const QString type = status >= 500 && status != 501 && status != 505
                             ? QStringLiteral("server_error")
                             : QStringLiteral("invalid_request_error");
    QJsonObject error{{QStringLiteral("message"), QString::fromUtf8(message)},
                      {QStringLiteral("type"), type},
                      {QStringLiteral("code"), QString::fromUtf8(code)}};
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), error}})
        .toJson(QJsonDocument::Compact);
}

void HttpConnection::sendError(int status, const QByteArray &code, const QByteArray &message)
{
    if (canWrite() && m_phase != Phase::Closing) {
        const QByteArray body = errorBody(status, code, message);
        QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' +
                         HttpResponse::reasonPhrase(status) +
                         "\r\nContent-Type: application/json\r\nContent-Length: " +
                         QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n";
        out += body;
        m_socket->write(out);
    }
    beginClose();
}

void HttpConnection::beginClose()
{
    if (m_phase == Phase::Closing || m_phase == Phase::Closed)
        return;
    m_phase = Phase::Closing;
    m_in.clear();
    m_inPos = 0;
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        m_timer.stop();
        return;
    }
    armTimer(Timer::Linger, LingerMs);
    if (m_socket->bytesToWrite() == 0)
        shutdownWrite();
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

void HttpConnection::shutdownWrite()
{
    if (m_writeShut)
        return;
    m_writeShut = true;
    // Half-close: the client reads our last answer up to end of stream, and its own
    // close then ends the connection. Qt has no call for this, so the native one.
    const qintptr fd = m_socket->socketDescriptor();
    int rc = -1;
    if (fd != -1) {
#if defined(Q_OS_WIN)
        rc = ::shutdown(SOCKET(fd), SD_SEND);
#else
        rc = ::shutdown(int(fd), SHUT_WR);
#endif
    }
    if (rc != 0)
        m_socket->disconnectFromHost();
}

void HttpConnection::onBytesWritten()
{
    m_wroteSinceArm = true;
    const qint64 pending = m_socket->bytesToWrite();
    if (m_phase == Phase::Closing) {
        if (pending == 0)
            shutdownWrite();
        return;
    }
    if (m_response && m_response->d->backpressured && pending < m_limits.writeLowWaterBytes) {
        m_response->d->backpressured = false;
        Q_EMIT m_response->drained();
    }
}

void HttpConnection::onDisconnected()
{
    if (m_phase == Phase::Closed)
        return;
    m_phase = Phase::Closed;
    m_timer.stop();
    m_in.clear();
    m_inPos = 0;
    QPointer<HttpResponse> response = m_response;
    m_response = nullptr;
    const QPointer<HttpConnection> self(this);
    if (response) {
        response->d->conn = nullptr;
        if (!response->d->finished) {
            qCDebug(lcHttp) << "client went away before the response ended";
            Q_EMIT response->clientGone();
        }
        if (response)
            response->deleteLater();
    }
    if (!self)
        return; // a clientGone() handler destroyed the server
    Q_EMIT closed();
    deleteLater();
}

void HttpConnection::onTimeout()
{
    switch (m_timerKind) {
    case Timer::Idle:
        // A slow reader still taking our last answer is not idle.
        if (m_wroteSinceArm && m_socket->bytesToWrite() > 0) {
            armTimer(Timer::Idle, m_limits.idleTimeoutMs);
            return;
        }
        qCDebug(lcHttp) << "closing idle connection";
        beginClose();
        break;
    case Timer::Header:
        qCDebug(lcHttp) << "header timeout from" << m_socket->peerAddress().toString();
        sendError(408, "request_timeout", "Timed out waiting for the request headers.");
        break;
    case Timer::Body:
        qCDebug(lcHttp) << "body timeout from" << m_socket->peerAddress().toString();
        sendError(408, "request_timeout", "Timed out waiting for the request body.");
        break;
    case Timer::Linger:
        m_socket->abort();
        break;
    case Timer::None:
        break;
    }
}
