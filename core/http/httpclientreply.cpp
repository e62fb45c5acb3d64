#include "http/httpclient.h"

#include "http/directsend.h"
#include "http/networkproxy.h"
#include "util/logcategories.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <limits>

namespace {
constexpr qsizetype kMaxHeadBytes = 64 * 1024;
constexpr qint64 kPullBytes = 256 * 1024;

bool isHttps(const QUrl &url)
{
    return url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
}

bool isTlsError(QAbstractSocket::SocketError e)
{
    return e == QAbstractSocket::SslHandshakeFailedError ||
           e == QAbstractSocket::SslInternalError || e == QAbstractSocket::SslInvalidUserDataError;
}

} // namespace

HttpClientReply::HttpClientReply(HttpClient *client, const HttpClientRequest &request,
                                 QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_request(request)
    , m_parser(kMaxHeadBytes)
{
    m_parser.reset(request.method == "HEAD");
    m_connectTimer.setSingleShot(true);
    m_connectTimer.setInterval(client->connectTimeoutMs());
    connect(&m_connectTimer, &QTimer::timeout, this, &HttpClientReply::onConnectTimeout);
}

HttpClientReply::~HttpClientReply()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort(); // a child: deleted with us
        if (m_client)
            m_client->noteReleased(m_poolKey);
    }
}

QByteArray HttpClientReply::rawHeader(QByteArrayView name) const
{
    for (const auto &h : m_headers) {
        if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

bool HttpClientReply::hasRawHeader(QByteArrayView name) const
{
    for (const auto &h : m_headers) {
        if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

qint64 HttpClientReply::room() const
{
    if (m_readBufferSize <= 0)
        return std::numeric_limits<qint64>::max();
    return m_readBufferSize - m_body.size();
}

QByteArray HttpClientReply::read(qint64 maxSize)
{
    const bool wasFull = room() <= 0;
    QByteArray out;
    if (maxSize >= m_body.size()) {
        out = std::exchange(m_body, QByteArray());
    } else if (maxSize > 0) {
        out = m_body.left(maxSize);
        m_body.remove(0, maxSize);
    }
    if (wasFull && room() > 0)
        schedulePump();
    return out;
}

QByteArray HttpClientReply::readAll()
{
    return read(std::numeric_limits<qint64>::max());
}

void HttpClientReply::setReadBufferSize(qint64 bytes)
{
    m_readBufferSize = qMax<qint64>(0, bytes);
    if (m_socket)
        m_socket->setReadBufferSize(m_readBufferSize);
    // Bytes a smaller buffer held back are read now; for anything else the socket says
    // when it comes (no posted event per request for nothing: each is a system call).
    if (room() > 0 && m_socket && m_socket->bytesAvailable() > 0)
        schedulePump();
}

void HttpClientReply::abort()
{
    if (m_phase == Phase::Done)
        return;
    failWith(Error::Canceled, tr("The request was canceled."));
}

void HttpClientReply::start()
{
    const QUrl &url = m_request.url;
    const bool https = isHttps(url);
    if (!url.isValid() || url.host().isEmpty() ||
        (!https && url.scheme().compare(QLatin1String("http"), Qt::CaseInsensitive) != 0)) {
        // Reported from the event loop, so the caller has connected its slots by then.
        QMetaObject::invokeMethod(
            this,
            [this] {
                failWith(
                    Error::Protocol,
                    tr("%1 is not an http or https address.").arg(m_request.url.toDisplayString()));
            },
            Qt::QueuedConnection);
        return;
    }
    m_poolKey = HttpClient::poolKey(url);
    if (m_client)
        m_client->noteSend(m_poolKey, url);
    m_inStart = true;
    if (QTcpSocket *socket = m_client ? m_client->takeIdle(m_poolKey) : nullptr) {
        attach(socket, true);
        writeRequest();
    } else {
        openConnection();
    }
    m_inStart = false;
}

void HttpClientReply::attach(QTcpSocket *socket, bool reused)
{
    m_socket = socket;
    if (m_client)
        m_client->noteBusy(m_poolKey);
    m_reused = reused;
    m_gotBytes = false;
    m_eof = false;
    socket->setParent(this);
    socket->setReadBufferSize(m_readBufferSize);
    connect(socket, &QTcpSocket::readyRead, this, &HttpClientReply::pump);
    connect(socket, &QTcpSocket::disconnected, this, [this] {
        m_eof = true;
        if (m_phase == Phase::Connecting) {
            // Closed during set-up. The error that says why (a TLS failure, say) may come
            // right after this signal, so the verdict waits for the event loop.
            QMetaObject::invokeMethod(
                this,
                [this] {
                    failWith(m_sslErrors.isEmpty() ? Error::RemoteClosed : Error::Tls,
                             m_sslErrors.isEmpty()
                                 ? tr("The server closed the connection before it was set up.")
                                 : m_sslErrors);
                },
                Qt::QueuedConnection);
            return;
        }
        pump();
    });
    connect(socket, &QTcpSocket::errorOccurred, this, &HttpClientReply::onSocketError);
    connect(socket, &QTcpSocket::bytesWritten, this, [this](qint64 n) {
        m_bytesSent += n;
        Q_EMIT uploadProgress(m_bytesSent, m_requestBytes);
    });
}

void HttpClientReply::openConnection()
{
    const QUrl &url = m_request.url;
    const bool https = isHttps(url);
    const quint16 port = quint16(url.port(https ? 443 : 80));
    if (https && !QSslSocket::supportsSsl()) {
        QMetaObject::invokeMethod(
            this,
            [this] {
                failWith(Error::Tls, tr("TLS is not available on this system (no OpenSSL)."));
            },
            Qt::QueuedConnection);
        return;
    }
    QTcpSocket *socket = nullptr;
    if (https) {
        auto *ssl = new QSslSocket(this);
        connect(ssl, &QSslSocket::encrypted, this, &HttpClientReply::writeRequest);
        connect(ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            QStringList texts;
            for (const QSslError &e : errors)
                texts << e.errorString();
            m_sslErrors = texts.join(QLatin1String("; "));
        });
        socket = ssl;
    } else {
        socket = new QTcpSocket(this);
        connect(socket, &QTcpSocket::connected, this, &HttpClientReply::writeRequest);
    }
    // Asked for every new connection, so a change of the proxy choice or of no_proxy
    // applies to the next one.
    m_proxy = NetworkProxy::forUrl(url);
    socket->setProxy(m_proxy);
    attach(socket, false);
    if (m_client)
        ++m_client->m_opened;
    m_connectTimer.start();
    if (https)
        static_cast<QSslSocket *>(socket)->connectToHostEncrypted(url.host(), port);
    else
        socket->connectToHost(url.host(), port);
}

void HttpClientReply::writeRequest()
{
    if (!m_socket || m_phase == Phase::Done)
        return;
    m_connectTimer.stop();
    if (!m_reused) // a pooled connection has it already
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    const QUrl &url = m_request.url;
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']';
    const int port = url.port(-1);
    if (port != -1 && port != (isHttps(url) ? 443 : 80))
        host += ':' + QByteArray::number(port);

    QByteArray head;
    constexpr qsizetype kOneWriteBody = 64 * 1024;
    head.reserve(256 + m_request.headers.size() * 64 +
                 (m_request.body.size() <= kOneWriteBody ? m_request.body.size() : 0));
    head += m_request.method + ' ' + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
    for (const auto &h : std::as_const(m_request.headers))
        head += h.first + ": " + h.second + "\r\n";
    const QByteArray &method = m_request.method;
    if (!m_request.body.isEmpty() || method == "POST" || method == "PUT" || method == "PATCH")
        head += "Content-Length: " + QByteArray::number(m_request.body.size()) + "\r\n";
    head += "\r\n";

    m_phase = Phase::Head;
    m_requestBytes = head.size() + m_request.body.size();
    m_bytesSent = 0;
    if (m_request.body.size() <= kOneWriteBody) {
        head += m_request.body; // one write for the usual small request
        write(head);
    } else {
        write(head);
        write(m_request.body);
    }
    // Out now rather than on the next turn of the event loop.
    m_socket->flush();
    // Anything already waiting (a stale pooled connection's close) is looked at now.
    if (m_socket->bytesAvailable() > 0 || m_socket->state() != QAbstractSocket::ConnectedState)
        schedulePump();
}

void HttpClientReply::write(const QByteArray &bytes)
{
    QByteArrayView rest(bytes);
    // On a plain connection, straight to the kernel when nothing is queued.
    if (!qobject_cast<QSslSocket *>(m_socket)) {
        if (const qsizetype sent = sendDirect(m_socket, rest); sent > 0) {
            m_bytesSent += sent;
            Q_EMIT uploadProgress(m_bytesSent, m_requestBytes);
            rest = rest.sliced(sent);
            if (rest.isEmpty())
                return;
        }
    }
    m_socket->write(rest.data(), rest.size());
}

void HttpClientReply::schedulePump()
{
    if (m_pumpQueued || m_phase == Phase::Done)
        return;
    m_pumpQueued = true;
    QMetaObject::invokeMethod(this, &HttpClientReply::pump, Qt::QueuedConnection);
}

bool HttpClientReply::pull()
{
    if (!m_socket)
        return false;
    const qint64 n = m_socket->bytesAvailable();
    if (n <= 0)
        return false;
    // In the body, no more than the caller has room for: the rest stays in the socket.
    const qint64 limit = m_phase == Phase::Body ? qMin(kPullBytes, room()) : kPullBytes;
    m_in += m_socket->read(qMin(n, limit));
    m_gotBytes = true;
    return true;
}

void HttpClientReply::pump()
{
    m_pumpQueued = false;
    if (m_inPump || m_phase == Phase::Connecting || m_phase == Phase::Done)
        return;
    m_inPump = true;
    bool meta = false;
    bool grew = false;
    bool atEnd = false;
    using State = HttpResponseParser::State;
    for (;;) {
        const State state = m_parser.state();
        if (state == State::Done || state == State::Failed)
            break;
        // The body: read only while the caller keeps up.
        if (state == State::Body && room() <= 0)
            break;
        if (m_in.isEmpty() && !pull()) {
            atEnd = m_eof;
            break;
        }
        const qsizetype bodyBefore = m_body.size();
        const qsizetype used = m_parser.feed(m_in, &m_body, room());
        if (used == m_in.size())
            m_in.clear();
        else
            m_in.remove(0, used);
        grew = grew || m_body.size() > bodyBefore;
        if (state == State::Head && m_parser.headComplete()) {
            meta = true;
            m_phase = Phase::Body;
            m_status = m_parser.status();
            m_headers = m_parser.headers();
        }
    }
    m_inPump = false;

    QPointer<HttpClientReply> self(this);
    if (meta) {
        Q_EMIT metaDataChanged();
        if (!self || m_phase == Phase::Done)
            return;
    }
    if (grew) {
        Q_EMIT readyRead();
        if (!self || m_phase == Phase::Done)
            return;
    }
    if (m_parser.state() == State::Failed)
        failWith(Error::Protocol, parserFailure());
    else if (m_parser.state() == State::Done)
        complete();
    else if (atEnd)
        onEndOfInput();
}

QString HttpClientReply::parserFailure() const
{
    using E = HttpResponseParser::Error;
    switch (m_parser.error()) {
    case E::HeadTooLarge:
        return tr("The server's answer has a header larger than %1 KiB.").arg(kMaxHeadBytes / 1024);
    case E::NotHttp:
        return tr("The server did not answer with HTTP/1.x.");
    case E::BadStatus:
        return tr("The server's answer has no valid status code.");
    case E::MalformedHeader:
        return tr("The server's answer has a malformed header.");
    case E::SwitchedProtocols:
        return tr("The server switched protocols, which this request did not ask for.");
    case E::BadContentLength:
        return tr("The server's answer has an invalid Content-Length.");
    case E::MalformedChunkedBody:
        return tr("The server sent a malformed chunked body.");
    case E::None:
        break;
    }
    return tr("The server did not answer with HTTP/1.x.");
}

void HttpClientReply::onEndOfInput()
{
    if (m_phase == Phase::Done)
        return;
    if (m_phase == Phase::Body && m_error == Error::None && m_parser.finishInput()) {
        complete();
        return;
    }
    if (m_phase == Phase::Head && !m_gotBytes && m_reused && !m_resent) {
        // The server closed a keep-alive connection as we reused it: one fresh attempt.
        qCDebug(lcHttp) << "pooled connection to" << m_poolKey << "was closed; reconnecting";
        detachSocket(false);
        m_resent = true;
        m_reused = false;
        m_in.clear();
        m_parser.reset(m_request.method == "HEAD");
        m_error = Error::None;
        m_errorString.clear();
        m_phase = Phase::Connecting;
        openConnection();
        return;
    }
    if (m_error != Error::None) {
        failWith(m_error, m_errorString);
        return;
    }
    failWith(Error::RemoteClosed,
             m_phase == Phase::Head
                 ? tr("The server closed the connection without answering.")
                 : tr("The server closed the connection before the answer was complete."));
}

void HttpClientReply::onSocketError()
{
    if (!m_socket || m_phase == Phase::Done)
        return;
    const QAbstractSocket::SocketError e = m_socket->error();
    Error mapped = Error::Network;
    QString text = m_socket->errorString();
    if (const auto proxyFailure = NetworkProxy::failureOf(e, m_proxy)) {
        mapped = Error::Proxy;
        text = NetworkProxy::failureMessage(*proxyFailure, m_proxy);
    } else if (e == QAbstractSocket::HostNotFoundError) {
        mapped = Error::HostNotFound;
    } else if (e == QAbstractSocket::ConnectionRefusedError) {
        mapped = Error::ConnectionRefused;
    } else if (isTlsError(e)) {
        mapped = Error::Tls;
        if (!m_sslErrors.isEmpty())
            text = m_sslErrors;
    } else if (e == QAbstractSocket::RemoteHostClosedError) {
        mapped = Error::None; // the end of input; what it means depends on the framing
    }
    if (m_phase == Phase::Connecting) {
        failWith(mapped == Error::None ? Error::RemoteClosed : mapped, text);
        return;
    }
    if (mapped != Error::None && m_error == Error::None) {
        // Kept until what arrived before the error has been read.
        m_error = mapped;
        m_errorString = text;
    }
    m_eof = true;
    pump();
}

void HttpClientReply::onConnectTimeout()
{
    if (m_phase != Phase::Connecting)
        return;
    const QUrl &url = m_request.url;
    const QString where =
        url.host() + QLatin1Char(':') + QString::number(url.port(isHttps(url) ? 443 : 80));
    const int seconds = qMax(1, (m_connectTimer.interval() + 999) / 1000);
    failWith(
        Error::ConnectTimeout,
        m_proxy.type() == QNetworkProxy::NoProxy
            ? tr("No connection to %1 could be set up within %2 seconds.").arg(where).arg(seconds)
            : tr("No connection to %1 through the HTTP proxy %2 could be set up within %3 "
                 "seconds.")
                  .arg(where, NetworkProxy::describe(m_proxy))
                  .arg(seconds));
}

void HttpClientReply::complete()
{
    if (m_phase == Phase::Done)
        return;
    const bool reusable = m_parser.keepAlive() && m_in.isEmpty() && !m_eof && m_socket &&
                          m_socket->bytesAvailable() == 0 &&
                          m_socket->state() == QAbstractSocket::ConnectedState;
    m_phase = Phase::Done;
    m_error = Error::None;
    m_errorString.clear();
    detachSocket(reusable);
    emitFinished();
}

void HttpClientReply::failWith(Error error, const QString &message)
{
    if (m_phase == Phase::Done)
        return;
    m_phase = Phase::Done;
    m_error = error;
    m_errorString = message;
    detachSocket(false);
    emitFinished();
}

void HttpClientReply::emitFinished()
{
    if (m_inStart) {
        // Ended inside HttpClient::send() (a write that failed at once): the caller has
        // not connected to finished() yet.
        QMetaObject::invokeMethod(
            this, [this] { Q_EMIT finished(); }, Qt::QueuedConnection);
        return;
    }
    Q_EMIT finished();
}

void HttpClientReply::detachSocket(bool reusable)
{
    m_connectTimer.stop();
    if (!m_socket)
        return;
    QTcpSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    if (reusable && m_client) {
        m_client->putIdle(m_poolKey, socket);
    } else {
        socket->abort();
        socket->deleteLater();
    }
    if (m_client)
        m_client->noteReleased(m_poolKey);
}
