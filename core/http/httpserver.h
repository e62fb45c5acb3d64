#pragma once

#include "http/httprequest.h"

#include <QAbstractSocket>
#include <QHostAddress>
#include <QObject>

class HttpResponse;
class QTcpServer;

struct HttpServerLimits
{
    int maxHeaderBytes = 64 * 1024;           // request line + headers; larger gets 431
    qint64 maxBodyBytes = 64 * 1024 * 1024;   // larger gets 413
    int headerTimeoutMs = 10000;              // from first byte to end of headers
    int bodyTimeoutMs = 60000;                // from end of headers to end of body
    int idleTimeoutMs = 60000;                // keep-alive connection with no request
    int maxConnections = 1024;                // further connections are closed at once
    qint64 writeHighWaterBytes = 1024 * 1024; // HttpResponse::isBackpressured() above this
    qint64 writeLowWaterBytes = 256 * 1024;   // drained() once below this again
};

// A small HTTP/1.1 server on QTcpServer: keep-alive, pipelining (one request at a time
// per connection, in order), Content-Length and chunked request bodies, bounded sizes and
// times, and chunked streaming responses with backpressure.
// Written here rather than taken from QtHttpServer: Qt 6.4's is a technical preview with
// no chunked responses and no flow control, which an SSE proxy needs.
class HttpServer : public QObject
{
    Q_OBJECT
public:
    explicit HttpServer(QObject *parent = nullptr);
    ~HttpServer() override;

    void setLimits(const HttpServerLimits &limits);
    HttpServerLimits limits() const;

    // Port 0 picks a free port. Returns false with errorString() set when it cannot bind.
    bool listen(const QHostAddress &address, quint16 port);
    void close();
    bool isListening() const;
    quint16 serverPort() const;
    QHostAddress serverAddress() const;
    QAbstractSocket::SocketError serverError() const;
    QString errorString() const;
    int connectionCount() const;

Q_SIGNALS:
    // Emitted once per complete request. The response belongs to the connection: it is
    // deleted some time after end()/send() or once the client goes away, so keep it in
    // a QPointer if you answer later.
    void requestReceived(const HttpRequest &request, HttpResponse *response);

private:
    class Private;
    Private *d;
};

// The answer to one request. Either send() once, or beginStream(), write()… and end().
class HttpResponse : public QObject
{
    Q_OBJECT
public:
    ~HttpResponse() override;

    void send(int status, const QByteArray &body,
              const QByteArray &contentType = QByteArrayLiteral("application/json"),
              const HttpHeaders &extraHeaders = {});
    // Starts a Transfer-Encoding: chunked response.
    void beginStream(int status, const QByteArray &contentType,
                     const HttpHeaders &extraHeaders = {});
    void write(const QByteArray &data); // one chunk; empty data is ignored
    void end();                         // terminating chunk; the connection may be reused

    bool headersSent() const;
    bool isFinished() const;
    bool isConnected() const;     // false once the client has gone away
    qint64 bytesPending() const;  // bytes written but not yet taken by the kernel
    bool isBackpressured() const; // bytesPending() went above the high-water mark; stays
                                  // true until drained()

    static QByteArray reasonPhrase(int status);

Q_SIGNALS:
    void drained();    // after backpressure, pending bytes fell below the low-water mark
    void clientGone(); // the client closed or reset the connection before end()

private:
    friend class HttpConnection;
    explicit HttpResponse(QObject *parent = nullptr);
    class Private;
    Private *d;
};
