#include "http/httpserver.h"

#include "http/directsend.h"
#include "http/httpconnection.h"
#include "http/httplog.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>

#include <algorithm>
#include <cstring>
#include <utility>

#if defined(Q_OS_WIN)
#include <winsock2.h>
#if defined(Q_CC_MSVC)
#pragma comment(lib, "ws2_32.lib") // for shutdown(); Qt links it only privately
#endif
#else
#include <sys/socket.h>
#endif

Q_LOGGING_CATEGORY(lcHttp, "qwenbridge.http")

namespace {

// How long a closing connection may take to flush its last answer and see the client
// close; bytes it still sends meanwhile are read and dropped (so the kernel does not turn
// our close into a reset that would destroy the answer), up to LingerMaxBytes.
constexpr int LingerMs = 3000;
constexpr qint64 LingerMaxBytes = 8 * 1024 * 1024;

// Qt keeps at most this much unread input per socket; beyond it the kernel buffers and
// TCP flow control slows the client down.
constexpr qint64 SocketReadBufferBytes = 256 * 1024;

// Bodies up to this size are copied behind the head so that one write makes one segment;
// larger ones are queued as they are, without a copy.
constexpr qsizetype CoalesceBytes = 16 * 1024;

bool isTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c));
}

bool isValidHeaderName(const QByteArray &name)
{
    return !name.isEmpty() && std::all_of(name.begin(), name.end(), isTokenChar);
}

bool isValidHeaderValue(const QByteArray &value)
{
    return std::none_of(value.begin(), value.end(),
                        [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

// Framing and connection management belong to the server; CORS headers are never sent
// (see the security model), whatever a handler passes on.
bool isManagedHeader(const QByteArray &lowerName)
{
    return lowerName == "content-length" || lowerName == "transfer-encoding" ||
           lowerName == "connection" || lowerName == "keep-alive" || lowerName == "upgrade" ||
           lowerName == "trailer" || lowerName == "content-type" ||
           lowerName.startsWith("access-control-");
}

bool statusHasNoBody(int status)
{
    return status == 204 || status == 304;
}

} // namespace

// ---------------------------------------------------------------------------------------
// HttpResponse

class HttpResponse::Private
{
public:
    QPointer<HttpConnection> conn; // null once the client is gone or the response ended
    bool headersSent = false;
    bool finished = false;
    bool chunked = false;     // streaming with chunked framing (HTTP/1.1)
    bool closeAfter = false;  // Connection: close, or an HTTP/1.0 stream ended by close
    bool headRequest = false; // answer HEAD without a body
    bool backpressured = false;
    bool keepAlive = true;
    int minorVersion = 1;

    QByteArray head(int status, const QByteArray &contentType, const HttpHeaders &extra,
                    const QByteArray &framing) const;
};

QByteArray HttpResponse::Private::head(int status, const QByteArray &contentType,
                                       const HttpHeaders &extra, const QByteArray &framing) const
{
    QByteArray h;
    h.reserve(256);
    h += "HTTP/1.1 ";
    h += QByteArray::number(status);
    h += ' ';
    h += HttpResponse::reasonPhrase(status);
    h += "\r\n";
    if (!contentType.isEmpty() && isValidHeaderValue(contentType) && !statusHasNoBody(status)) {
        h += "Content-Type: ";
        h += contentType;
        h += "\r\n";
    }
    h += framing;
    if (closeAfter)
        h += "Connection: close\r\n";
    else if (minorVersion == 0)
        h += "Connection: keep-alive\r\n";
    for (const auto &field : extra) {
        const QByteArray lower = field.first.toLower();
        if (!isValidHeaderName(field.first) || !isValidHeaderValue(field.second) ||
            isManagedHeader(lower)) {
            qCDebug(lcHttp) << "dropping response header" << field.first.left(64);
            continue;
        }
        h += field.first;
        h += ": ";
        h += field.second;
        h += "\r\n";
    }
    h += "\r\n";
    return h;
}

HttpResponse::HttpResponse(QObject *parent)
    : QObject(parent)
    , d(new Private)
{}

HttpResponse::~HttpResponse()
{
    if (d->conn && !d->finished) {
        HttpConnection *conn = d->conn;
        d->conn = nullptr;
        conn->responseDestroyed(this);
    }
    delete d;
}

void HttpResponse::send(int status, const QByteArray &body, const QByteArray &contentType,
                        const HttpHeaders &extraHeaders)
{
    if (d->headersSent || d->finished) {
        qCWarning(lcHttp) << "HttpResponse::send() after the response was started";
        return;
    }
    if (status < 200 || status > 999)
        status = 500;
    d->headersSent = true;
    d->finished = true;
    d->closeAfter = !d->keepAlive;
    HttpConnection *conn = d->conn;
    if (!conn || !conn->canWrite())
        return;

    const bool noBody = statusHasNoBody(status);
    const QByteArray framing =
        noBody ? QByteArray()
               : QByteArrayLiteral("Content-Length: ") + QByteArray::number(body.size()) + "\r\n";
    QByteArray out = d->head(status, contentType, extraHeaders, framing);
    const bool withBody = !noBody && !d->headRequest && !body.isEmpty();
    if (withBody && body.size() <= CoalesceBytes) {
        out += body;
        conn->writeRaw(out);
    } else {
        conn->writeRaw(out);
        // A write can end the connection (the client reset it): d->conn is then cleared.
        if (withBody && d->conn)
            conn->writeRaw(body);
    }
    if (!d->conn)
        return;
    d->conn = nullptr;
    conn->responseFinished(this, d->closeAfter);
}

void HttpResponse::beginStream(int status, const QByteArray &contentType,
                               const HttpHeaders &extraHeaders)
{
    if (d->headersSent || d->finished) {
        qCWarning(lcHttp) << "HttpResponse::beginStream() after the response was started";
        return;
    }
    if (status < 200 || status > 999 || statusHasNoBody(status))
        status = 500;
    d->headersSent = true;
    // HTTP/1.0 has no chunked coding: the body is delimited by closing the connection.
    d->chunked = d->minorVersion >= 1;
    d->closeAfter = !d->keepAlive || !d->chunked;
    HttpConnection *conn = d->conn;
    if (!conn || !conn->canWrite())
        return;
    const QByteArray framing =
        d->chunked ? QByteArrayLiteral("Transfer-Encoding: chunked\r\n") : QByteArray();
    conn->writeRaw(d->head(status, contentType, extraHeaders, framing));
    if (d->conn && conn->bytesToWrite() > conn->limits().writeHighWaterBytes)
        d->backpressured = true;
}

void HttpResponse::write(const QByteArray &data)
{
    if (!d->headersSent || d->finished) {
        if (!d->headersSent)
            qCWarning(lcHttp) << "HttpResponse::write() before beginStream()";
        return;
    }
    HttpConnection *conn = d->conn;
    if (data.isEmpty() || d->headRequest || !conn || !conn->canWrite())
        return;
    if (!d->chunked) {
        conn->writeRaw(data);
    } else {
        QByteArray sizeLine = QByteArray::number(data.size(), 16);
        sizeLine += "\r\n";
        if (data.size() <= CoalesceBytes) {
            // One write per chunk: with TCP_NODELAY that is one segment per event.
            sizeLine.reserve(sizeLine.size() + data.size() + 2);
            sizeLine += data;
            sizeLine += "\r\n";
            conn->writeRaw(sizeLine);
        } else {
            // Each write can end the connection (the client reset it), which clears
            // d->conn and emits clientGone() before the call returns.
            conn->writeRaw(sizeLine);
            if (d->conn)
                conn->writeRaw(data);
            if (d->conn)
                conn->writeRaw(QByteArrayLiteral("\r\n"));
        }
    }
    if (d->conn && conn->bytesToWrite() > conn->limits().writeHighWaterBytes)
        d->backpressured = true;
}

void HttpResponse::end()
{
    if (!d->headersSent || d->finished) {
        if (!d->headersSent)
            qCWarning(lcHttp) << "HttpResponse::end() before beginStream()";
        return;
    }
    d->finished = true;
    HttpConnection *conn = d->conn;
    if (!conn)
        return;
    if (d->chunked && !d->headRequest && conn->canWrite())
        conn->writeRaw(QByteArrayLiteral("0\r\n\r\n"));
    d->conn = nullptr;
    conn->responseFinished(this, d->closeAfter);
}

bool HttpResponse::headersSent() const
{
    return d->headersSent;
}

bool HttpResponse::isFinished() const
{
    return d->finished;
}

bool HttpResponse::isConnected() const
{
    return d->conn && d->conn->canWrite();
}

qint64 HttpResponse::bytesPending() const
{
    return d->conn ? d->conn->bytesToWrite() : 0;
}

bool HttpResponse::isBackpressured() const
{
    if (!d->conn)
        return false;
    if (d->conn->bytesToWrite() > d->conn->limits().writeHighWaterBytes)
        d->backpressured = true; // so that drained() follows
    return d->backpressured;
}

QByteArray HttpResponse::reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 402:
        return "Payment Required";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 417:
        return "Expectation Failed";
    case 421:
        return "Misdirected Request";
    case 422:
        return "Unprocessable Content";
    case 426:
        return "Upgrade Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    default:
        break;
    }
    if (status >= 200 && status < 300)
        return "OK";
    if (status >= 300 && status < 400)
        return "Redirection";
    if (status >= 400 && status < 500)
        return "Client Error";
    return "Server Error";
}

// ---------------------------------------------------------------------------------------
// HttpConnection

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
    response->deleteLater();
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

// ---------------------------------------------------------------------------------------
// HttpServer

class HttpServer::Private
{
public:
    explicit Private(HttpServer *q)
        : q(q)
    {}
    void acceptPending();
    void reject(QTcpSocket *socket);

    HttpServer *q;
    QTcpServer *tcp = nullptr;
    HttpServerLimits limits;
    QSet<HttpConnection *> connections;
    QString errorString;
    QAbstractSocket::SocketError serverError = QAbstractSocket::UnknownSocketError;
};

void HttpServer::Private::acceptPending()
{
    while (tcp && tcp->hasPendingConnections()) {
        QTcpSocket *socket = tcp->nextPendingConnection();
        if (!socket)
            break;
        if (connections.size() >= limits.maxConnections) {
            reject(socket);
            continue;
        }
        auto *conn = new HttpConnection(q, socket, limits);
        connections.insert(conn);
        QObject::connect(conn, &HttpConnection::closed, q,
                         [this, conn] { connections.remove(conn); });
        QObject::connect(conn, &QObject::destroyed, q, [this, conn] { connections.remove(conn); });
    }
}

void HttpServer::Private::reject(QTcpSocket *socket)
{
    qCDebug(lcHttp) << "too many connections; refusing one";
    socket->setParent(q);
    const QByteArray body = HttpConnection::errorBody(503, "too_many_connections",
                                                      "The server has too many open connections.");
    socket->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                  "Content-Length: " +
                  QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromHost();
    // A client that never reads must not keep the refused socket alive.
    QTimer::singleShot(LingerMs, socket, [socket] { socket->abort(); });
}

HttpServer::HttpServer(QObject *parent)
    : QObject(parent)
    , d(new Private(this))
{}

HttpServer::~HttpServer()
{
    if (d->tcp)
        d->tcp->close();
    const QSet<HttpConnection *> connections = std::exchange(d->connections, {});
    for (HttpConnection *conn : connections)
        conn->disconnect(this);
    for (HttpConnection *conn : connections)
        conn->teardown();
    for (HttpConnection *conn : connections)
        delete conn;
    delete d;
    d = nullptr;
}

void HttpServer::setLimits(const HttpServerLimits &limits)
{
    d->limits = limits;
}

HttpServerLimits HttpServer::limits() const
{
    return d->limits;
}

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    if (!d->tcp) {
        d->tcp = new QTcpServer(this);
        connect(d->tcp, &QTcpServer::newConnection, this, [this] { d->acceptPending(); });
    }
    if (d->tcp->isListening())
        d->tcp->close();
    // Many clients may connect at once (benchmarks, parallel tool calls).
    d->tcp->setListenBacklogSize(std::clamp(d->limits.maxConnections, 50, 4096));
    if (!d->tcp->listen(address, port)) {
        d->serverError = d->tcp->serverError();
        d->errorString = d->tcp->errorString();
        qCWarning(lcHttp) << "cannot listen on" << address.toString() << port << d->errorString;
        return false;
    }
    d->serverError = QAbstractSocket::UnknownSocketError;
    d->errorString.clear();
    qCDebug(lcHttp) << "listening on" << d->tcp->serverAddress().toString() << d->tcp->serverPort();
    return true;
}

void HttpServer::close()
{
    if (d->tcp)
        d->tcp->close();
}

bool HttpServer::isListening() const
{
    return d->tcp && d->tcp->isListening();
}

quint16 HttpServer::serverPort() const
{
    return d->tcp ? d->tcp->serverPort() : 0;
}

QHostAddress HttpServer::serverAddress() const
{
    return d->tcp ? d->tcp->serverAddress() : QHostAddress();
}

QAbstractSocket::SocketError HttpServer::serverError() const
{
    return d->serverError;
}

QString HttpServer::errorString() const
{
    return d->errorString;
}

int HttpServer::connectionCount() const
{
    return int(d->connections.size());
}
