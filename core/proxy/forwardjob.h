#pragma once

#include "http/httprequest.h"
#include "plans/plancatalog.h"
#include "proxy/forwardlog.h"
#include "proxy/sserelay.h"
#include "proxy/tokenusage.h"
#include "proxy/upstreamerror.h"
#include "session/sessionmanager.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <optional>

class HttpClientReply;
class HttpResponse;
class UpstreamContext;

// One client request on its way upstream and back. Owns its upstream reply; deletes
// itself (later) when the client has its answer or has gone away.
//
// Re-entrancy: writing to the client can end the job on the spot (the client reset the
// connection, HttpResponse reports clientGone, finish() runs inside the write), and so can
// a session callback or an abort. So every step that calls out checks m_state afterwards
// and returns once it is Done; the object itself stays valid until the event loop deletes
// it, but its reply and response are gone.
class ForwardJob : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Chat, Models };

    enum class State {
        Authorizing, // waiting for the session's credentials (at first, or after a 401)
        Waiting,     // the request is upstream, its answer's head has not come
        Collecting,  // gathering a whole body: a non-streaming answer, or an error
        Streaming,   // relaying events to the client as they arrive
        Held,        // streaming, but the client lags: upstream reads wait for drained()
        Backoff,     // waiting to send again after a server error
        Done         // answered or abandoned; nothing of the request may be touched
    };
    Q_ENUM(State)

    ForwardJob(UpstreamContext *upstream, Kind kind, const HttpRequest &request,
               HttpResponse *response, quint64 requestId);
    ~ForwardJob() override;

    void start();
    State state() const { return m_state; }

private:
    // Several credentials (AccountPool): which one takes the next attempt, and moving on
    // to another before anything of the answer reached the client.
    void pickAccount();
    bool moveOn(const UpstreamVerdict &verdict, const QDateTime &resetsAt = {});
    bool tryNextAccount(const UpstreamVerdict &verdict);
    void failAll();
    void onAuth(const UpstreamAuth &auth);
    bool prepareChatBody(const UpstreamAuth &auth);
    void send();
    void pumpReply(); // the one place that reads the upstream reply
    void takeHead();
    void relay();
    void collect();
    void conclude(bool timedOut);
    void concludeStream(bool timedOut);
    void concludeCollected(bool timedOut);
    void addPlanContext(UpstreamError::Context &context) const;
    void applyVerdict(const UpstreamVerdict &verdict);
    void onClientDrained();
    void onIdleTimeout();
    void upstreamAlive();
    void answerLocalModels();
    void answerPlanModels(const QByteArray &upstreamBody);
    Plan plan() const; // the plan of the API key in use (custom for OAuth)
    void fail(const UpstreamVerdict &verdict);
    void finish(bool ok);
    void recordUsage();
    // When the window resets; invalid when the usage meter does not follow this plan.
    QDateTime markWindowUsedUp(PlanWindows::Window window);
    void releaseReply();
    ForwardLog forwardLog() const; // for the attempt under way
    void logUpstreamResponse(bool timedOut);
    int idleTimeoutSeconds() const;

    UpstreamContext *m_upstream;
    Kind m_kind;
    State m_state = State::Authorizing;
    HttpRequest m_request;
    QPointer<HttpResponse> m_response;
    quint64 m_requestId;
    UpstreamAuth m_auth;
    QString m_account;                            // the credential of the attempt under way
    QPointer<SessionManager> m_session;           // and its session
    QSet<QString> m_tried;                        // credentials this request has been sent with
    QString m_requestedModel;                     // what the client asked for, for the choice
    std::optional<QJsonObject> m_parsedRequest;   // parsed for the choice, for every rewrite
    int m_accountAttempts = 0;                    // sends with the current credential
    std::optional<UpstreamVerdict> m_lastFailure; // of the credential left last
    QByteArray m_upstreamBody;
    QString m_upstreamModel;
    bool m_stream = false; // the client asked for a stream
    bool m_retried401 = false;
    int m_attempt = 0;
    QPointer<HttpClientReply> m_reply;
    int m_status = 0; // the upstream's status, once its head came
    SseRelay m_relay;
    QByteArray m_body;  // Collecting: the whole answer (bounded for errors)
    QTimer m_idleTimer; // no bytes from upstream for idleTimeoutMs() ends the request
    QElapsedTimer m_clock;
    qint64 m_lastUpstreamMs = 0; // m_clock's time of the last sign of life from upstream
    // For the usage meter: never content, only how the request went.
    qint64 m_arrivedAtMs = 0;  // wall clock, ms since the epoch
    qint64 m_firstByteMs = -1; // m_clock's time when the answer's first bytes left for the client
    QString m_errorKind;       // empty on success, else the error code the client got
    TokenUsage m_plainUsage;   // from a non-streaming answer's body
};
