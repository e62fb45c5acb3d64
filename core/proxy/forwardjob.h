#pragma once

#include "http/httprequest.h"
#include "http/sseparser.h"
#include "session/sessionmanager.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

class HttpClientReply;
class HttpResponse;
class UpstreamForwarder;

// One client request on its way upstream and back. Owns its upstream reply; deletes
// itself when the client has its answer or has gone away.
class ForwardJob : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Chat, Models };

    ForwardJob(UpstreamForwarder *forwarder, Kind kind, const HttpRequest &request,
               HttpResponse *response, quint64 requestId);
    ~ForwardJob() override;

    void start();

private:
    void onAuth(const UpstreamAuth &auth);
    void send();
    void onMetaData();
    void onReadyRead();
    void onFinished();
    void onIdleTimeout();
    void upstreamAlive();
    void handleUpstreamError(int status, const QByteArray &body);
    void answerLocalModels();
    void fail(int status, const QString &message, const QString &type, const QString &code,
              const HttpHeaders &extra = {});
    void finish(bool ok);
    void releaseReply(bool jobEnding = false);
    bool logging() const;
    void log(const QString &stage, const QJsonObject &data);
    int idleTimeoutSeconds() const;
    QString attemptStage(const QString &stage) const;

    UpstreamForwarder *m_forwarder;
    Kind m_kind;
    HttpRequest m_request;
    QPointer<HttpResponse> m_response;
    quint64 m_requestId;
    UpstreamAuth m_auth;
    QByteArray m_upstreamBody;
    QString m_upstreamModel;
    bool m_stream = false;
    QPointer<HttpClientReply> m_reply;
    SseParser m_sse;
    QByteArray m_errorBody; // a non-2xx answer, gathered whole
    QByteArray m_plainBody; // a non-streaming 2xx answer
    int m_status = 0;
    bool m_streaming = false; // our stream to the client has begun
    bool m_sawDone = false;   // upstream sent data: [DONE], the end of a complete stream
    bool m_retried401 = false;
    int m_attempt = 0;
    bool m_done = false;
    bool m_paused = false; // the client reads slower than upstream sends
    bool m_timedOut = false;
    QTimer m_idleTimer; // no bytes from upstream for idleTimeoutMs() ends the request
    QElapsedTimer m_clock;
    qint64 m_lastUpstreamMs = 0; // m_clock's time of the last sign of life from upstream
};
