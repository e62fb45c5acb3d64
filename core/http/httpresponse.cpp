#include "http/httpresponse_p.h"

#include "util/logcategories.h"

#include <algorithm>
#include <cstring>

namespace {

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
