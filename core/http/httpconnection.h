#pragma once

#include "http/httprequestparser.h"
#include "http/httpserver.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QTcpSocket;

// Internal to the HTTP server: one accepted socket. It reads and parses one request at a
// time, hands it out with an HttpResponse, and reads the next only once that response has
// ended, so pipelined requests are answered in order and a client that does not read its
// answers is not read from either (its bytes stay in the kernel: TCP flow control).
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    // How long a closing connection may take to flush its last answer and see the client
    // close; bytes it still sends meanwhile are read and dropped (so the kernel does not
    // turn our close into a reset that would destroy the answer). A refused connection
    // gets as long.
    static constexpr int LingerMs = 3000;

    HttpConnection(HttpServer *server, QTcpSocket *socket, const HttpServerLimits &limits);
    ~HttpConnection() override;

    // Used by ~HttpServer: tells an unfinished response its client is gone, then drops the
    // socket at once. No signal of the connection fires afterwards.
    void teardown();

    // Used by HttpResponse.
    bool canWrite() const;
    void writeRaw(const QByteArray &bytes);
    qint64 bytesToWrite() const;
    const HttpServerLimits &limits() const { return m_limits; }
    void responseFinished(HttpResponse *response, bool closeAfter);
    void responseDestroyed(HttpResponse *response);

    // Answers with a small OpenAI-style JSON error and closes the connection.
    void sendError(int status, const QByteArray &code, const QByteArray &message);
    static QByteArray errorBody(int status, const QByteArray &code, const QByteArray &message);

Q_SIGNALS:
    void closed(); // the socket is gone; the connection deletes itself later

private:
    enum class Phase {
        Reading,    // waiting for or parsing a request
        Responding, // a request is out; its response has not ended
        Closing,    // last bytes going out, then write side shut, input discarded
        Closed
    };
    enum class Timer { None, Idle, Header, Body, Linger };

    void onReadyRead();
    void processInput();
    void scheduleProcessInput();
    void onBytesWritten();
    void onDisconnected();
    void onTimeout();
    void armTimer(Timer kind, int ms);
    void dispatchRequest();
    void beginClose();
    void shutdownWrite();

    HttpServer *m_server;
    QTcpSocket *m_socket;
    HttpServerLimits m_limits;
    HttpRequestParser m_parser;
    QByteArray m_in;       // read from the socket but not yet parsed (pipelined bytes)
    qsizetype m_inPos = 0; // parse position in m_in: avoids shifting the buffer
    QTimer m_timer;
    Timer m_timerKind = Timer::None;
    Phase m_phase = Phase::Reading;
    QPointer<HttpResponse> m_response;
    bool m_continueSent = false;
    bool m_processQueued = false;
    bool m_writeShut = false;
    qint64 m_discarded = 0;
    bool m_wroteSinceArm = false; // lets the idle timer spare a slow but moving reader
};
