#include "http/httpserver.h"

#include "http/httpconnection.h"
#include "http/httpresponse_p.h"
#include "util/logcategories.h"

#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>

#include <algorithm>
#include <utility>

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
    QTimer::singleShot(HttpConnection::LingerMs, socket, [socket] { socket->abort(); });
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
