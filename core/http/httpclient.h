#pragma once

#include "http/httprequest.h"
#include "http/httpresponseparser.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QNetworkProxy>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <limits>

class QTcpSocket;
class HttpClient;

// One request for HttpClient. Host and Content-Length are written by the client.
struct HttpClientRequest
{
    QByteArray method = QByteArrayLiteral("GET");
    QUrl url; // http or https
    HttpHeaders headers;
    QByteArray body;
};

// The answer to one HttpClientRequest, read as it arrives. Signals come in the order
// metaDataChanged (status and headers known), readyRead (more body), finished (complete,
// failed or aborted; buffered body may still be read after it). The caller owns the reply.
class HttpClientReply : public QObject
{
    Q_OBJECT
public:
    enum class Error {
        None,
        HostNotFound,      // the name did not resolve
        ConnectionRefused, // nobody listens there
        Tls,               // the TLS handshake failed (certificate, protocol)
        ConnectTimeout,    // no connection within the connect timeout (TCP, proxy, TLS)
        Proxy,             // the HTTP proxy is down, refused, or wants authentication
        RemoteClosed,      // the connection ended before the answer was complete
        Protocol,          // the server's answer is not HTTP/1.x we can read
        Canceled,          // abort()
        Network            // any other socket error
    };
    Q_ENUM(Error)

    ~HttpClientReply() override;

    int status() const { return m_status; }                  // 0 until the head has arrived
    const HttpHeaders &headers() const { return m_headers; } // names lower-cased
    QByteArray rawHeader(QByteArrayView name) const;
    bool hasRawHeader(QByteArrayView name) const;

    qint64 bytesAvailable() const { return m_body.size(); }
    QByteArray read(qint64 maxSize);
    QByteArray readAll();
    // At most this many body bytes wait in the reply (0: no limit). When the buffer is
    // full the reply stops reading the socket, so TCP pushes back on the server.
    void setReadBufferSize(qint64 bytes);

    bool isFinished() const { return m_phase == Phase::Done; }
    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    // The request went out on a connection an earlier request had used.
    bool usedPooledConnection() const { return m_reused; }

    // Ends the request at once: the connection is closed, error() is Canceled and
    // finished() is emitted (unless the reply had already finished).
    void abort();

Q_SIGNALS:
    void metaDataChanged();
    void readyRead();
    void uploadProgress(qint64 sent, qint64 total);
    void finished();

private:
    friend class HttpClient;
    enum class Phase { Connecting, Head, Body, Done };

    HttpClientReply(HttpClient *client, const HttpClientRequest &request, QObject *parent);
    void start();
    void attach(QTcpSocket *socket, bool reused);
    void openConnection();
    void writeRequest();
    void write(const QByteArray &bytes);
    void pump();
    void schedulePump();
    bool pull();
    QString parserFailure() const;
    void onEndOfInput();
    void onSocketError();
    void onConnectTimeout();
    void complete();
    void emitFinished();
    void failWith(Error error, const QString &message);
    void detachSocket(bool reusable);
    qint64 room() const;

    QPointer<HttpClient> m_client;
    HttpClientRequest m_request;
    QString m_poolKey;
    QTcpSocket *m_socket = nullptr;
    QNetworkProxy m_proxy; // of the connection this reply opened
    QTimer m_connectTimer; // from connectToHost() until the request can be written
    bool m_reused = false;
    bool m_resent = false;
    Phase m_phase = Phase::Connecting;
    HttpResponseParser m_parser;
    QByteArray m_in;   // raw bytes from the socket the parser has not taken yet
    QByteArray m_body; // decoded body bytes for the caller
    qint64 m_readBufferSize = 0;
    qint64 m_requestBytes = 0;
    qint64 m_bytesSent = 0;
    int m_status = 0;
    bool m_gotBytes = false; // any response byte on this connection
    bool m_eof = false;      // the socket has ended; what is buffered is all there is
    bool m_pumpQueued = false;
    bool m_inPump = false;
    bool m_inStart = false;
    Error m_error = Error::None;
    QString m_errorString;
    QString m_sslErrors;
    HttpHeaders m_headers;
};

// An HTTP/1.1 client for the proxy's upstream leg, on sockets in the calling thread.
//
// Written by hand because QNetworkAccessManager does not fit a proxy with many long
// streams: Qt 6.4 opens at most six connections per host and queues the rest (a stream
// lasts minutes), and each request crosses to a worker thread and back, which costs more
// CPU per request than everything else the proxy does. Here every request gets a
// connection of its own at once; finished connections wait in a keep-alive pool.
//
// Each new connection goes through the proxy NetworkProxy::forUrl() names for its URL (the
// application's proxy choice, https_proxy / no_proxy by default): an HTTP proxy is asked
// for a CONNECT tunnel. Pooled connections keep the proxy they were opened with.
class HttpClient : public QObject
{
    Q_OBJECT
public:
    explicit HttpClient(QObject *parent = nullptr);
    ~HttpClient() override;

    // Starts the request; the reply is a child of parent (or of nobody).
    HttpClientReply *send(const HttpClientRequest &request, QObject *parent = nullptr);

    // A new connection that is not ready for the request after this long fails with
    // ConnectTimeout (default 15 s). It covers the TCP connect, an HTTP proxy's CONNECT
    // and the TLS handshake; once the request is out, the caller's own timers apply.
    void setConnectTimeoutMs(int ms) { m_connectTimeoutMs = qMax(1, ms); }
    int connectTimeoutMs() const { return m_connectTimeoutMs; }
    // Idle keep-alive connections are closed after this long (default 30 s).
    void setIdleTimeoutMs(int ms);
    int idleTimeoutMs() const { return m_idleTimeoutMs; }

    int idleConnectionCount() const; // idle connections still open
    // When the pool's one timer next fires, in ms from now; -1 when it sleeps.
    qint64 nextSweepInMs() const
    {
        return m_sweepDueMs < 0 ? -1 : qMax<qint64>(0, m_sweepDueMs - m_clock.elapsed());
    }
    quint64 connectionsOpened() const { return m_opened; }
    void closeIdleConnections();

    // A warm upstream: for this long after the last request (0, the default: never),
    // the pool keeps one connection to that request's scheme, host and port open and ready,
    // past the idle timeout, and opens a new one when the server closes it (no sooner than
    // warmReopenDelayMs() after the previous one was opened). Then it times out as usual.
    // A server that closes an idle connection sooner than warmMinIdleLifeMs() (a minute)
    // cannot be kept warm without waking more than once a minute: the pool stops trying
    // until the next request (isWarmPaused()).
    void setKeepWarmMs(int ms);
    int keepWarmMs() const { return m_keepWarmMs; }
    void setWarmReopenDelayMs(int ms) { m_warmReopenDelayMs = qMax(0, ms); }
    int warmReopenDelayMs() const { return m_warmReopenDelayMs; }
    void setWarmMinIdleLifeMs(int ms) { m_warmMinIdleLifeMs = qMax(0, ms); }
    int warmMinIdleLifeMs() const { return m_warmMinIdleLifeMs; }
    bool isWarmPaused() const { return m_warmPaused; }
    // Someone is using the upstream at url (a sign-in): keep it warm from now, and open a
    // connection to it unless one is idle already.
    void warmUp(const QUrl &url);
    // The kept connection may be dead (the machine slept, the network changed): while
    // keeping warm, close the idle connections to the warm origin and open a new one.
    void rewarm();
    // Whether the pool keeps an origin warm now, and which.
    bool isKeepingWarm() const;
    QUrl warmOrigin() const { return m_warmUrl; }

    // scheme://host:port, lower-cased, with the default port filled in.
    static QString poolKey(const QUrl &url);

Q_SIGNALS:
    // A connection for the warm origin was opened by the pool itself and is ready.
    void warmConnectionReady();

private:
    friend class HttpClientReply;
    struct Idle
    {
        QTcpSocket *socket;
        qint64 since;
    };

    QTcpSocket *takeIdle(const QString &key);
    void putIdle(const QString &key, QTcpSocket *socket);
    void sweep();
    void scheduleSweep();
    void noteSend(const QString &key, const QUrl &url);
    // A reply holds a connection to key / gave it back (to the pool or closed).
    void noteBusy(const QString &key) { ++m_busy[key]; }
    void noteReleased(const QString &key);
    // Keeping warm, and no connection to the warm origin: idle, in use or being opened.
    bool needsWarmConnection() const;
    void keep(QTcpSocket *socket);
    void openWarm();
    void onKeptClosed();

    QHash<QString, QList<Idle>> m_idle;
    QTimer m_sweepTimer;        // single shot, at the next idle connection's deadline
    qint64 m_sweepDueMs = -1;   // when it fires (m_clock), -1 when stopped
    QHash<QString, int> m_busy; // connections in use by replies, per key
    QElapsedTimer m_clock;
    int m_connectTimeoutMs = 15000;
    int m_idleTimeoutMs = 30000;
    quint64 m_opened = 0;
    // The warm upstream.
    int m_keepWarmMs = 0;
    int m_warmReopenDelayMs = 10000;
    int m_warmMinIdleLifeMs = 60000;
    bool m_warmPaused = false; // the server closes idle connections too soon
    QString m_warmKey;
    QUrl m_warmUrl;
    qint64 m_lastSendMs = -1;
    qint64 m_lastWarmOpenMs = -1;
    QPointer<QTcpSocket> m_kept;    // the idle connection kept past the idle timeout
    QPointer<QTcpSocket> m_warming; // a connection the pool is opening for the warm origin
    QTimer m_reopenTimer;
};
