#pragma once

#include "http/httprequest.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QQueue>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>

class HttpServer;
class HttpResponse;
class FakeSseStream;

// How the credential on a chat or models request was judged.
enum class FakeTokenKind {
    None,         // no usable "Authorization: Bearer …" header
    Unknown,      // a bearer that is neither an access token we issued nor a configured key
    OAuthLive,    // an access token we issued, not yet expired
    OAuthExpired, // an access token we issued, past its expiry
    ApiKey,       // one of setApiKeys()
};

// One request to POST /v1/chat/completions, exactly as it arrived.
struct FakeChatRequest
{
    HttpHeaders headers; // names lower-cased, as the server parsed them
    QByteArray body;     // raw
    QJsonObject json;    // parsed body; empty when it was not a JSON object
    QByteArray bearerToken;
    FakeTokenKind tokenKind = FakeTokenKind::None;
    bool tokenExpired = false;
    qint64 receivedAtMs = 0; // by the service's clock

    QByteArray header(QByteArrayView name) const;
    QString model() const { return json.value(QLatin1String("model")).toString(); }
    bool isStream() const { return json.value(QLatin1String("stream")).toBool(); }
};

// One device authorization, for assertions on polling behaviour.
struct FakeDeviceGrant
{
    enum class State { Pending, Approved, Denied, Expired, Consumed };

    QByteArray deviceCode;
    QString userCode;
    QByteArray codeChallenge;
    QString scope;
    State state = State::Pending;
    qint64 issuedAtMs = 0;
    qint64 expiresAtMs = 0;
    int polls = 0;             // every token request naming this device code
    QList<qint64> pollTimesMs; // by the service's clock, in arrival order
};

struct FakeQwenCounters
{
    int deviceCodeRequests = 0;
    int tokenPolls = 0;           // device-grant token requests, whatever the answer
    int tokensIssued = 0;         // successful device grants
    int refreshRequests = 0;      // every grant_type=refresh_token request
    int refreshesIssued = 0;      // successful refreshes
    int deadRefreshTokenUses = 0; // refreshes presenting a token that rotation killed
    int modelsRequests = 0;
    int chatRequests = 0;
    int expiredTokenRequests = 0; // chat/models requests carrying an expired access token
    int unknownTokenRequests = 0; // chat/models requests with no or an unknown bearer
    int injectedFaults = 0;       // answers replaced by a queued failure switch
    int streamsStarted = 0;
    int streamsCompleted = 0;  // reached data: [DONE] and the terminating chunk
    int streamsClientGone = 0; // the client left before the end
    int streamsAborted = 0;    // connections reset on purpose (ResetMidStream)
    int activeStreams = 0;
    int maxActiveStreams = 0;
    int backpressurePauses = 0; // times a stream waited for drained()
    int refusedPeers = 0;       // requests from an address other than setOnlyFrom()'s
};

// Ways to spoil the next chat requests (PROTOCOL.md §4), see failNextChats(). A negative
// param means the default. Except SlowFirstByte, faults skip the token and body checks.
enum class FakeChatFault {
    Unauthorized,       // 401 invalid access token
    RateLimited,        // 429 rate_limit_exceeded with Retry-After (param: seconds, default 7)
    QuotaExceeded,      // 429 insufficient_quota, "Free allocated quota exceeded."
    QuotaForbidden,     // 403 insufficient_quota
    ServerError,        // param: status, default 500 (use 502, 503 …)
    ResetMidStream,     // reset the TCP connection after param events (default 2; 0: no byte)
    StallMidStream,     // stop after param events (default 2) and never finish
    StallAfterHeaders,  // send 200 headers, then nothing
    StallBeforeHeaders, // read the request, answer nothing at all
    SlowFirstByte,      // param ms (default 1000) before the normal answer
    // Model Studio's own answers (PROTOCOL.md §6):
    HourQuota,        // 429 "hour allocated quota exceeded"
    WeekQuota,        // 429 "week allocated quota exceeded"
    MonthQuota,       // 429 "month allocated quota exceeded"
    ConcurrencyQuota, // 429 "concurrency allocated quota exceeded"
    Arrears, // 400 Arrearage "Access denied, please make sure your account is in good standing."
    FreeTierOnly,      // 403 AllocationQuota.FreeTierOnly
    ModelNotSupported, // 400 "model 'x' is not supported" (x: the requested model)
    ErrorInStream,     // a stream that breaks off with an SSE "event: error" after param events
                       // (default 2); a non-streamed request gets a 500
};

// Which Model Studio plan the fake stands for (PROTOCOL.md §6). Any (the default) is the
// fake as it always was: OAuth tokens and any configured key, every model, a model list.
// The plan modes refuse OAuth tokens and enforce the plan's key prefix, its models and its
// quirks:
// - CodingPlan: GET /v1/models answers 404 with an empty body; a chat request whose
//   User-Agent names no coding agent (setCodingAgents()) answers 405
//   {"error":"Coding Plan is currently only available for Coding Agents"} once the key is
//   known to be good. Keys start with "sk-sp-"; a configured "sk-" key (another plan's) gets
//   401 "invalid access token or token expired".
// - TokenPlan: keys "sk-sp-", a model list; another plan's key gets 401 as above.
// - PayAsYouGo: keys "sk-" (not "sk-sp-"), a model list; another plan's key gets 403
//   "invalid api-key".
// A model the plan does not have (case counts) gets 400 "model 'x' is not supported".
enum class FakePlan { Any, CodingPlan, TokenPlan, PayAsYouGo };

// A fake of the remote Qwen services on one 127.0.0.1 port: the OAuth device flow with
// PKCE and rotating refresh tokens (PROTOCOL.md §2), a DEMO verification page, and an
// OpenAI-compatible /v1 API that streams SSE (§4, §6). Every error path has a switch, and
// every request is recorded so tests can assert on what "upstream" received.
// Configuration survives reset(); one-shot switches, tokens and records do not.
class FakeQwenService : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *DefaultClientId = "f0304373b74a44d2b584a3fb70ca9e56";
    static constexpr const char *DefaultScope = "openid profile email model.completion";

    explicit FakeQwenService(QObject *parent = nullptr);
    ~FakeQwenService() override;

    bool start(quint16 port = 0);
    void stop();
    bool isRunning() const;
    quint16 port() const;
    QUrl baseUrl() const; // http://127.0.0.1:PORT
    QUrl apiBaseUrl() const { return QUrl(baseUrl().toString() + QLatin1String("/v1")); }

    // --- configuration -----------------------------------------------------------------
    void setClock(std::function<qint64()> nowMs); // ms since epoch; null restores real time
    qint64 now() const;
    void setExpectedClientId(const QString &clientId);
    void setAllowedScope(const QString &scope); // requested scopes must be a subset
    void setDeviceCodeLifetime(int seconds);    // expires_in, default 600
    void setPollInterval(int seconds);          // interval, default 5
    void setSendInterval(bool send);            // default true
    // client=qwen-code in verification_uri_complete; default true.
    void setAppendClientParameter(bool append);
    void setTokenLifetime(int seconds);      // access token expires_in, default 3600
    void setResourceUrl(const QString &url); // null (default): the field is omitted
    // Default true: each refresh issues a new refresh token; the old one stays valid until
    // the new access or refresh token is first used, then is dead.
    void setRefreshRotation(bool rotate);
    void setApiKeys(const QStringList &keys);
    void setReplyText(const QString &text); // default "Hello from the fake Qwen service."
    QString replyText() const { return m_replyText; }
    void setStreamEventCount(int count); // content events per stream, default 5
    void setStreamEventDelayMs(int ms);  // default 0
    // Each stream (with no fault) sends all its events and [DONE] in one write after the
    // headers. Default off: one event per write.
    void setStreamBurst(bool burst);
    void setAutoApproveAfterPolls(int polls); // approve once a grant was polled N times; -1 off
    // Serve only requests whose connection comes from this address (a test's forward proxy
    // binds its outgoing connections to it), answering the rest 403: a request that went
    // around the proxy fails. A null address (the default) serves everyone.
    void setOnlyFrom(const QHostAddress &peer) { m_onlyFrom = peer; }
    // Benchmarks: each streamed JSON chunk gets "x_sent_us", CLOCK_MONOTONIC microseconds
    // taken as it is written, so a client on this machine can time each event. Default off.
    void setStampEvents(bool stamp);
    // Keep only the last `limit` chat requests (-1, the default: all). Long benchmarks
    // would otherwise grow the fake by every request body they send.
    void setChatRecordLimit(int limit);
    // GET /__fake/counters (the counters as JSON) and POST /__fake/counters/reset-peak
    // (maxActiveStreams restarts from activeStreams), for a benchmark in another process.
    // Default off: those paths are 404 like any other.
    void setCountersEndpoint(bool enabled);
    // The plan the fake behaves as (see FakePlan); also sets that plan's default models.
    void setPlan(FakePlan plan);
    FakePlan plan() const { return m_plan; }
    // The models the plan serves, exact case; the model list answers with them.
    void setPlanModels(const QStringList &models);
    QStringList planModels() const { return m_planModels; }
    static QStringList defaultPlanModels(FakePlan plan);
    // Whether GET /v1/models answers; without, it is 404 with an empty body. setPlan() sets
    // it (false for the Coding Plan only); default true.
    void setModelListAvailable(bool available);
    // The Coding Plan's agent check lets a chat through when the User-Agent contains one of
    // these (case-insensitive). How the real service decides is not documented; the
    // default, "opencode/" and "QwenBridge/", takes OpenCode and this bridge for agents.
    void setCodingAgents(const QStringList &userAgentMarks);
    // Text streamed as delta.reasoning_content before the answer when a request asks for
    // thinking (enable_thinking true, or any reasoning_effort); default "Thinking it over."
    void setReasoningText(const QString &text);
    // Closes keep-alive connections idle this long (default: HttpServer's 60 s). Takes effect
    // for connections accepted after the call.
    void setIdleTimeoutMs(int ms);

    // --- device grant controls -----------------------------------------------------------
    // An empty userCode means every pending grant. Return false when nothing matched.
    bool approve(const QString &userCode = {});
    bool deny(const QString &userCode = {});
    bool expire(const QString &userCode = {});
    void slowDownNextPolls(int count);               // 429 {"error":"slow_down"}
    void failNextPolls(int count, int status = 503); // transient 5xx

    // --- refresh controls ------------------------------------------------------------------
    void failNextRefreshes(int count, int status = 503);
    void stallNextRefreshes(int count);  // never answered
    void rejectNextRefreshes(int count); // 400 invalid_grant
    void revokeRefreshTokens();          // every refresh token issued so far goes dead
    void expireAccessTokens();           // every access token issued so far expires now

    // --- chat controls ---------------------------------------------------------------------
    void failNextChats(FakeChatFault fault, int count = 1, int param = -1);
    // While paused, streams send their headers and hold their events (concurrency tests).
    void setStreamsPaused(bool paused);

    // --- records -----------------------------------------------------------------------------
    FakeQwenCounters counters() const { return m_counters; }
    // Client connections still open. Once a client process is gone and this is 0, every
    // byte it sent was read: no request of its can still arrive.
    int openConnections() const;
    QJsonObject countersJson() const;
    void resetStreamPeak() { m_counters.maxActiveStreams = m_counters.activeStreams; }
    QList<FakeChatRequest> chatRequests() const { return m_chatRequests; }
    FakeChatRequest lastChatRequest() const;
    QList<FakeDeviceGrant> deviceGrants() const;
    FakeDeviceGrant deviceGrant(const QString &userCode) const;
    QList<qint64> pollTimesMs() const { return m_pollTimesMs; } // every poll, all grants
    QString lastUserCode() const { return m_lastUserCode; }
    QByteArray lastAccessToken() const { return m_lastAccessToken; }
    QByteArray lastRefreshToken() const { return m_lastRefreshToken; }
    FakeTokenKind classifyToken(const QByteArray &bearer) const;
    bool isRefreshTokenLive(const QByteArray &refreshToken) const;

    // Forgets tokens, grants, records and counters, and clears every one-shot switch.
    void reset();

    static QStringList oauthModels();
    static QStringList apiKeyModels();

Q_SIGNALS:
    void deviceCodeIssued(const QString &userCode);
    void deviceApproved(const QString &userCode);
    void tokenPolled(const QString &outcome); // "success" or the error code / "server_error"
    void tokensIssued(const QByteArray &accessToken, const QByteArray &refreshToken);
    // refreshToken is empty when rotation is off (the answer carries none).
    void refreshed(const QByteArray &accessToken, const QByteArray &refreshToken);
    void chatRequestReceived(const FakeChatRequest &request);
    void streamFinished(); // completed, aborted or client gone

private:
    friend class FakeSseStream;

    struct AccessToken
    {
        qint64 expiresAtMs = 0;
    };
    struct RefreshToken
    {
        bool live = true;
    };
    struct FaultSpec
    {
        FakeChatFault fault;
        int param;
    };

    void route(const HttpRequest &request, HttpResponse *response);
    void retirePredecessor(const QByteArray &oldRefresh);
    void noteAccessTokenUse(const QByteArray &access);
    void handleDeviceCode(const HttpRequest &request, HttpResponse *response);
    void handleToken(const HttpRequest &request, HttpResponse *response);
    void handleDevicePoll(const QHash<QString, QString> &form, HttpResponse *response);
    void handleRefresh(const QHash<QString, QString> &form, HttpResponse *response);
    void handleAuthorizePage(const HttpRequest &request, HttpResponse *response);
    void handleAuthorizeAction(const HttpRequest &request, HttpResponse *response);
    void handleModels(const HttpRequest &request, HttpResponse *response);
    void handleCounters(const HttpRequest &request, HttpResponse *response);
    void handleChat(const HttpRequest &request, HttpResponse *response);
    void answerChat(const FakeChatRequest &record, HttpResponse *response);
    void applyChatFault(const FaultSpec &spec, const FakeChatRequest &record,
                        HttpResponse *response);
    void startStream(const FakeChatRequest &record, HttpResponse *response, int abortAfter,
                     int stallAfter, int errorAfter = -1);
    bool answerAsPlan(const FakeChatRequest &record, HttpResponse *response);
    bool isWrongPlanKey(const QByteArray &bearer) const;
    void sendWrongPlanKey(HttpResponse *response);
    void issueTokens(const QString &scope, HttpResponse *response, bool fromRefresh);
    void refreshExpiry(FakeDeviceGrant &grant) const;
    FakeDeviceGrant *grantByUserCode(const QString &userCode);
    bool setGrantState(const QString &userCode, FakeDeviceGrant::State state);
    void streamStarted(FakeSseStream *stream);
    void streamEnded(FakeSseStream *stream, int how);

    HttpServer *m_server = nullptr;
    std::function<qint64()> m_clock;

    // configuration
    QString m_clientId = QString::fromLatin1(DefaultClientId);
    QString m_allowedScope = QString::fromLatin1(DefaultScope);
    int m_deviceCodeLifetime = 600;
    int m_pollInterval = 5;
    bool m_sendInterval = true;
    bool m_appendClientParameter = true;
    int m_tokenLifetime = 3600;
    QString m_resourceUrl;
    bool m_rotateRefresh = true;
    QStringList m_apiKeys;
    QString m_replyText = QStringLiteral("Hello from the fake Qwen service.");
    int m_streamEvents = 5;
    int m_streamDelayMs = 0;
    int m_autoApproveAfter = -1;
    QHostAddress m_onlyFrom;
    bool m_stampEvents = false;
    bool m_streamBurst = false;
    int m_chatRecordLimit = -1;
    bool m_countersEndpoint = false;
    int m_idleTimeoutMs = -1; // -1: HttpServer's default
    FakePlan m_plan = FakePlan::Any;
    QStringList m_planModels;
    bool m_modelListAvailable = true;
    QStringList m_codingAgents = {QStringLiteral("opencode/"), QStringLiteral("QwenBridge/")};
    QString m_reasoningText = QStringLiteral("Thinking it over.");

    // one-shot switches
    int m_slowDownPolls = 0;
    int m_failPolls = 0;
    int m_failPollStatus = 503;
    int m_failRefreshes = 0;
    int m_failRefreshStatus = 503;
    int m_stallRefreshes = 0;
    int m_rejectRefreshes = 0;
    QQueue<FaultSpec> m_chatFaults;
    bool m_streamsPaused = false;

    // state and records
    QList<FakeDeviceGrant> m_grants;
    QHash<QByteArray, AccessToken> m_accessTokens;
    QHash<QByteArray, RefreshToken> m_refreshTokens;
    // Rotation bookkeeping: an old refresh token dies once its successor pair is used.
    QHash<QByteArray, QByteArray> m_successorOfRefresh;   // old refresh → new refresh
    QHash<QByteArray, QByteArray> m_predecessorOfRefresh; // new refresh → old refresh
    QHash<QByteArray, QByteArray> m_predecessorOfAccess;  // new access → old refresh
    QList<FakeChatRequest> m_chatRequests;
    QList<qint64> m_pollTimesMs;
    QString m_lastUserCode;
    QByteArray m_lastAccessToken;
    QByteArray m_lastRefreshToken;
    FakeQwenCounters m_counters;
    QList<QPointer<FakeSseStream>> m_streams;
};

Q_DECLARE_METATYPE(FakeChatRequest)
Q_DECLARE_METATYPE(FakeChatFault)
Q_DECLARE_METATYPE(FakePlan)
