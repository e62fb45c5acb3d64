#include "fakeqwenservice.h"

#include "http/httpserver.h"

#include <QAbstractSocket>
#include <QCryptographicHash>
#include <QDateTime>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <utility>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

Q_LOGGING_CATEGORY(lcFakeQwen, "qwenbridge.fake")

namespace {

const char DeviceGrantType[] = "urn:ietf:params:oauth:grant-type:device_code";
const char InvalidTokenMessage[] = "invalid access token or token expired";
const char InvalidRefreshMessage[] = "Invalid refresh token or client_id";
const char CodingAgentsOnly[] = "Coding Plan is currently only available for Coding Agents";
const char PlanKeyPrefix[] = "sk-sp-";

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray randomToken(const char *prefix, int bytes = 32)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (char &c : raw)
        c = char(QRandomGenerator::system()->bounded(256));
    return QByteArray(prefix) + base64Url(raw);
}

// Form bodies from HTML forms encode spaces as '+', which QUrlQuery would keep literally.
QHash<QString, QString> parseForm(const QByteArray &data)
{
    QHash<QString, QString> form;
    const QList<QByteArray> pairs = data.split('&');
    for (const QByteArray &pair : pairs) {
        if (pair.isEmpty())
            continue;
        const int eq = pair.indexOf('=');
        QByteArray key = eq < 0 ? pair : pair.left(eq);
        QByteArray value = eq < 0 ? QByteArray() : pair.mid(eq + 1);
        key.replace('+', ' ');
        value.replace('+', ' ');
        form.insert(QString::fromUtf8(QByteArray::fromPercentEncoding(key)),
                    QString::fromUtf8(QByteArray::fromPercentEncoding(value)));
    }
    return form;
}

bool isFormBody(const HttpRequest &request)
{
    return request.header("content-type")
        .trimmed()
        .toLower()
        .startsWith("application/x-www-form-urlencoded");
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

void sendJson(HttpResponse *response, int status, const QJsonObject &object,
              const HttpHeaders &extraHeaders = {})
{
    response->send(status, compact(object), QByteArrayLiteral("application/json"), extraHeaders);
}

void sendOAuthError(HttpResponse *response, int status, const QString &error,
                    const QString &description = {})
{
    QJsonObject body{{QStringLiteral("error"), error}};
    if (!description.isEmpty())
        body.insert(QStringLiteral("error_description"), description);
    sendJson(response, status, body);
}

QJsonObject apiError(const QString &message, const QString &type, const QString &code)
{
    return QJsonObject{{QStringLiteral("error"), QJsonObject{{QStringLiteral("message"), message},
                                                             {QStringLiteral("type"), type},
                                                             {QStringLiteral("code"), code}}}};
}

void sendUnauthorized(HttpResponse *response)
{
    sendJson(response, 401,
             apiError(QString::fromLatin1(InvalidTokenMessage),
                      QStringLiteral("invalid_request_error"), QStringLiteral("invalid_api_key")));
}

void sendInvalidRequest(HttpResponse *response, const QString &message,
                        const QString &code = QStringLiteral("invalid_request"))
{
    sendJson(response, 400, apiError(message, QStringLiteral("invalid_request_error"), code));
}

QByteArray bearerOf(const HttpRequest &request)
{
    const QByteArray value = request.header("authorization").trimmed();
    const int space = value.indexOf(' ');
    if (space <= 0 || value.left(space).compare("bearer", Qt::CaseInsensitive) != 0)
        return {};
    return value.mid(space + 1).trimmed();
}

// Splits text into `parts` pieces of about equal length, never inside a surrogate pair.
QStringList splitReply(const QString &text, int parts)
{
    parts = std::max(1, parts);
    QStringList pieces;
    const qsizetype length = text.size();
    qsizetype start = 0;
    for (int i = 1; i <= parts; ++i) {
        qsizetype end = length * i / parts;
        if (end > 0 && end < length && text.at(end - 1).isHighSurrogate())
            ++end;
        end = std::max(end, start);
        pieces.append(text.mid(start, end - start));
        start = end;
    }
    return pieces;
}

QJsonObject usageFor(const FakeChatRequest &record, const QString &reply)
{
    // Rough numbers, in the proportions a tokenizer would give; clients only display them.
    const int prompt = std::max(1, int(record.body.size() / 4));
    const int completion = std::max(1, int(reply.size() / 4));
    return QJsonObject{{QStringLiteral("prompt_tokens"), prompt},
                       {QStringLiteral("completion_tokens"), completion},
                       {QStringLiteral("total_tokens"), prompt + completion}};
}

// Whether a request asks for thinking text, the way Model Studio's models take it.
bool asksForThinking(const QJsonObject &json)
{
    return json.value(QLatin1String("enable_thinking")).toBool() ||
           json.value(QLatin1String("reasoning_effort")).isString();
}

bool includesUsage(const QJsonObject &json)
{
    return json.value(QLatin1String("stream_options"))
        .toObject()
        .value(QLatin1String("include_usage"))
        .toBool();
}

// True for a PKCE code_verifier or code_challenge: 43 to 128 unreserved characters.
bool isPkceString(const QString &value)
{
    if (value.size() < 43 || value.size() > 128)
        return false;
    return std::all_of(value.cbegin(), value.cend(), [](QChar c) {
        return (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
               (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
               (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('-') ||
               c == QLatin1Char('.') || c == QLatin1Char('_') || c == QLatin1Char('~');
    });
}

// HttpResponse has no way to drop its connection, so find the socket behind it. Lingering
// with a zero timeout turns the close into a TCP RST: the client sees a reset, not an
// orderly end of a truncated stream.
bool abortConnection(HttpResponse *response)
{
    QAbstractSocket *socket = nullptr;
    for (QObject *object = response; object && !socket; object = object->parent()) {
        socket = qobject_cast<QAbstractSocket *>(object);
        if (!socket)
            socket = object->findChild<QAbstractSocket *>(QString(), Qt::FindDirectChildrenOnly);
    }
    if (!socket) {
        qCWarning(lcFakeQwen) << "cannot find the connection to reset; leaving it stalled";
        return false;
    }
#ifdef Q_OS_UNIX
    const qintptr fd = socket->socketDescriptor();
    if (fd >= 0) {
        const struct linger hard
        {
            1, 0
        };
        ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    }
#endif
    socket->abort();
    return true;
}

// `data: {…}` becomes `data: {"x_sent_us":N,…}`; other events ([DONE]) pass unchanged.
// steady_clock is CLOCK_MONOTONIC on Linux, the same clock in every process.
QByteArray stampEvent(const QByteArray &event)
{
    static const QByteArray prefix = QByteArrayLiteral("data: {");
    if (!event.startsWith(prefix))
        return event;
    const qint64 us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
    QByteArray out;
    out.reserve(event.size() + 32);
    out += prefix;
    out += "\"x_sent_us\":";
    out += QByteArray::number(us);
    out += ',';
    out += QByteArrayView(event).sliced(prefix.size());
    return out;
}

QString stateName(FakeDeviceGrant::State state)
{
    switch (state) {
    case FakeDeviceGrant::State::Pending:
        return QStringLiteral("waiting for approval");
    case FakeDeviceGrant::State::Approved:
        return QStringLiteral("approved");
    case FakeDeviceGrant::State::Denied:
        return QStringLiteral("denied");
    case FakeDeviceGrant::State::Expired:
        return QStringLiteral("expired");
    case FakeDeviceGrant::State::Consumed:
        return QStringLiteral("approved, tokens delivered");
    }
    return {};
}

} // namespace

QByteArray FakeChatRequest::header(QByteArrayView name) const
{
    for (const auto &h : headers) {
        if (name.compare(h.first, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

// One SSE answer in flight. Each stream runs on its own timer so that hundreds of them
// interleave on the event loop; it waits for drained() when the client reads slowly.
class FakeSseStream : public QObject
{
public:
    enum End { Completed, ClientGone, Aborted };

    FakeSseStream(FakeQwenService *service, HttpResponse *response, QList<QByteArray> events,
                  int delayMs, int abortAfter, int stallAfter)
        : QObject(service)
        , m_service(service)
        , m_response(response)
        , m_events(std::move(events))
        , m_abortAfter(abortAfter)
        , m_stallAfter(stallAfter)
    {
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer); // so tests may rely on the delay as a minimum
        m_timer.setInterval(delayMs);
        connect(&m_timer, &QTimer::timeout, this, &FakeSseStream::writeNext);
        connect(response, &HttpResponse::drained, this, [this] {
            if (m_waitingDrain) {
                m_waitingDrain = false;
                writeNext();
            }
        });
        connect(response, &HttpResponse::clientGone, this, [this] { finish(ClientGone); });
        connect(response, &QObject::destroyed, this, [this] { finish(ClientGone); });
    }

    void start()
    {
        m_response->beginStream(
            200, QByteArrayLiteral("text/event-stream"),
            {{QByteArrayLiteral("cache-control"), QByteArrayLiteral("no-cache")}});
        schedule();
    }

    void resume()
    {
        if (m_waitingResume) {
            m_waitingResume = false;
            schedule();
        }
    }

private:
    void schedule()
    {
        if (!m_done)
            m_timer.start();
    }

    void writeNext()
    {
        if (m_done)
            return;
        if (!m_response || !m_response->isConnected()) {
            finish(ClientGone);
            return;
        }
        if (m_service->m_streamsPaused) {
            m_waitingResume = true;
            return;
        }
        if (m_written == m_abortAfter) {
            // Finish first: the reset makes the response report clientGone at once.
            const QPointer<HttpResponse> response = m_response;
            finish(Aborted);
            abortConnection(response);
            return;
        }
        if (m_written == m_stallAfter)
            return; // stays open, silent, until the client gives up
        if (m_response->isBackpressured()) {
            m_waitingDrain = true;
            ++m_service->m_counters.backpressurePauses;
            return;
        }
        if (m_service->m_streamBurst && m_abortAfter < 0 && m_stallAfter < 0) {
            // The whole rest of the stream in one write, as a fast upstream (or one that
            // catches up after a stall) delivers it.
            QByteArray burst;
            for (; m_written < m_events.size(); ++m_written)
                burst += m_events.at(m_written);
            const QPointer<FakeSseStream> self(this);
            m_response->write(burst);
            if (!self || m_done)
                return;
            if (!m_response || !m_response->isConnected()) {
                finish(ClientGone);
                return;
            }
            m_response->end();
            finish(Completed);
            return;
        }
        const QByteArray &next = m_events.at(m_written++);
        m_response->write(m_service->m_stampEvents ? stampEvent(next) : next);
        if (m_written == m_events.size() && m_abortAfter < 0 && m_stallAfter < 0) {
            m_response->end();
            finish(Completed);
            return;
        }
        schedule();
    }

    void finish(End how)
    {
        if (m_done)
            return;
        m_done = true;
        m_timer.stop();
        m_service->streamEnded(this, how);
        deleteLater();
    }

    FakeQwenService *m_service;
    QPointer<HttpResponse> m_response;
    QList<QByteArray> m_events;
    QTimer m_timer;
    int m_written = 0;
    int m_abortAfter;
    int m_stallAfter;
    bool m_waitingDrain = false;
    bool m_waitingResume = false;
    bool m_done = false;
};

FakeQwenService::FakeQwenService(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<FakeChatRequest>();
}

FakeQwenService::~FakeQwenService()
{
    // Streams first: the server's responses die with it and would call back into a
    // service whose members are already gone.
    const auto streams = std::exchange(m_streams, {});
    for (const QPointer<FakeSseStream> &stream : streams)
        delete stream.data();
    delete m_server;
}

bool FakeQwenService::start(quint16 port)
{
    if (!m_server) {
        m_server = new HttpServer(this);
        connect(m_server, &HttpServer::requestReceived, this, &FakeQwenService::route);
        setIdleTimeoutMs(m_idleTimeoutMs);
    }
    if (m_server->isListening())
        return true;
    // Loopback only: this service hands out tokens to whoever asks.
    if (!m_server->listen(QHostAddress::LocalHost, port)) {
        qCWarning(lcFakeQwen) << "cannot listen on 127.0.0.1 port" << port << ":"
                              << m_server->errorString();
        return false;
    }
    qCInfo(lcFakeQwen) << "fake Qwen service listening on" << baseUrl().toString();
    return true;
}

void FakeQwenService::stop()
{
    if (m_server)
        m_server->close();
}

bool FakeQwenService::isRunning() const
{
    return m_server && m_server->isListening();
}

quint16 FakeQwenService::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QUrl FakeQwenService::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port()));
}

void FakeQwenService::setClock(std::function<qint64()> nowMs)
{
    m_clock = std::move(nowMs);
}

qint64 FakeQwenService::now() const
{
    return m_clock ? m_clock() : QDateTime::currentMSecsSinceEpoch();
}

void FakeQwenService::setExpectedClientId(const QString &clientId)
{
    m_clientId = clientId;
}

void FakeQwenService::setAllowedScope(const QString &scope)
{
    m_allowedScope = scope;
}

void FakeQwenService::setDeviceCodeLifetime(int seconds)
{
    m_deviceCodeLifetime = seconds;
}

void FakeQwenService::setPollInterval(int seconds)
{
    m_pollInterval = seconds;
}

void FakeQwenService::setSendInterval(bool send)
{
    m_sendInterval = send;
}

void FakeQwenService::setAppendClientParameter(bool append)
{
    m_appendClientParameter = append;
}

void FakeQwenService::setTokenLifetime(int seconds)
{
    m_tokenLifetime = seconds;
}

void FakeQwenService::setResourceUrl(const QString &url)
{
    m_resourceUrl = url;
}

void FakeQwenService::setRefreshRotation(bool rotate)
{
    m_rotateRefresh = rotate;
}

void FakeQwenService::setApiKeys(const QStringList &keys)
{
    m_apiKeys = keys;
}

void FakeQwenService::setReplyText(const QString &text)
{
    m_replyText = text;
}

void FakeQwenService::setStreamEventCount(int count)
{
    m_streamEvents = std::max(1, count);
}

void FakeQwenService::setStreamBurst(bool burst)
{
    m_streamBurst = burst;
}

void FakeQwenService::setStreamEventDelayMs(int ms)
{
    m_streamDelayMs = std::max(0, ms);
}

void FakeQwenService::setAutoApproveAfterPolls(int polls)
{
    m_autoApproveAfter = polls;
}

void FakeQwenService::setStampEvents(bool stamp)
{
    m_stampEvents = stamp;
}

void FakeQwenService::setChatRecordLimit(int limit)
{
    m_chatRecordLimit = limit;
}

void FakeQwenService::setCountersEndpoint(bool enabled)
{
    m_countersEndpoint = enabled;
}

void FakeQwenService::setPlan(FakePlan plan)
{
    m_plan = plan;
    m_planModels = defaultPlanModels(plan);
    m_modelListAvailable = plan != FakePlan::CodingPlan;
}

void FakeQwenService::setModelListAvailable(bool available)
{
    m_modelListAvailable = available;
}

void FakeQwenService::setPlanModels(const QStringList &models)
{
    m_planModels = models;
}

QStringList FakeQwenService::defaultPlanModels(FakePlan plan)
{
    // The fake's own lists from PROTOCOL.md §6, kept apart from the catalog under test.
    switch (plan) {
    case FakePlan::CodingPlan:
        return {QStringLiteral("qwen3.5-plus"),
                QStringLiteral("qwen3.6-plus"),
                QStringLiteral("qwen3.7-plus"),
                QStringLiteral("qwen3-coder-plus"),
                QStringLiteral("qwen3-coder-next"),
                QStringLiteral("qwen3-max-2026-01-23"),
                QStringLiteral("glm-5"),
                QStringLiteral("glm-4.7"),
                QStringLiteral("kimi-k2.5"),
                QStringLiteral("MiniMax-M2.5")};
    case FakePlan::TokenPlan:
        return {QStringLiteral("qwen3.8-max-preview"), QStringLiteral("qwen3.7-max"),
                QStringLiteral("deepseek-v4-pro"), QStringLiteral("kimi-k2.7-code"),
                QStringLiteral("glm-5.2")};
    case FakePlan::PayAsYouGo:
        return {QStringLiteral("qwen3-coder-plus"), QStringLiteral("qwen3-coder-flash"),
                QStringLiteral("qwen3-max"),        QStringLiteral("qwen3-vl-plus"),
                QStringLiteral("qwen3.5-plus"),     QStringLiteral("qwen3.8-max"),
                QStringLiteral("qwen3.8-flash")};
    case FakePlan::Any:
        break;
    }
    return apiKeyModels();
}

void FakeQwenService::setCodingAgents(const QStringList &userAgentMarks)
{
    m_codingAgents = userAgentMarks;
}

void FakeQwenService::setReasoningText(const QString &text)
{
    m_reasoningText = text;
}

bool FakeQwenService::isWrongPlanKey(const QByteArray &bearer) const
{
    const bool planKey = bearer.startsWith(PlanKeyPrefix);
    switch (m_plan) {
    case FakePlan::CodingPlan:
    case FakePlan::TokenPlan:
        return !planKey;
    case FakePlan::PayAsYouGo:
        return planKey || !bearer.startsWith("sk-");
    case FakePlan::Any:
        break;
    }
    return false;
}

void FakeQwenService::sendWrongPlanKey(HttpResponse *response)
{
    // The two answers reported for a key sent to another plan's URL (PROTOCOL.md §6).
    if (m_plan == FakePlan::PayAsYouGo) {
        sendJson(response, 403,
                 apiError(QStringLiteral("invalid api-key"),
                          QStringLiteral("invalid_request_error"),
                          QStringLiteral("InvalidApiKey")));
    } else {
        sendUnauthorized(response);
    }
}

void FakeQwenService::setIdleTimeoutMs(int ms)
{
    m_idleTimeoutMs = ms;
    if (m_server && ms > 0) {
        HttpServerLimits limits = m_server->limits();
        limits.idleTimeoutMs = ms;
        m_server->setLimits(limits);
    }
}

QJsonObject FakeQwenService::countersJson() const
{
    const FakeQwenCounters &c = m_counters;
    return QJsonObject{{QStringLiteral("chatRequests"), c.chatRequests},
                       {QStringLiteral("streamsStarted"), c.streamsStarted},
                       {QStringLiteral("streamsCompleted"), c.streamsCompleted},
                       {QStringLiteral("streamsClientGone"), c.streamsClientGone},
                       {QStringLiteral("streamsAborted"), c.streamsAborted},
                       {QStringLiteral("activeStreams"), c.activeStreams},
                       {QStringLiteral("maxActiveStreams"), c.maxActiveStreams},
                       {QStringLiteral("backpressurePauses"), c.backpressurePauses},
                       {QStringLiteral("refreshRequests"), c.refreshRequests}};
}

bool FakeQwenService::approve(const QString &userCode)
{
    return setGrantState(userCode, FakeDeviceGrant::State::Approved);
}

bool FakeQwenService::deny(const QString &userCode)
{
    return setGrantState(userCode, FakeDeviceGrant::State::Denied);
}

bool FakeQwenService::expire(const QString &userCode)
{
    return setGrantState(userCode, FakeDeviceGrant::State::Expired);
}

void FakeQwenService::slowDownNextPolls(int count)
{
    m_slowDownPolls = std::max(0, count);
}

void FakeQwenService::failNextPolls(int count, int status)
{
    m_failPolls = std::max(0, count);
    m_failPollStatus = status;
}

void FakeQwenService::failNextRefreshes(int count, int status)
{
    m_failRefreshes = std::max(0, count);
    m_failRefreshStatus = status;
}

void FakeQwenService::stallNextRefreshes(int count)
{
    m_stallRefreshes = std::max(0, count);
}

void FakeQwenService::rejectNextRefreshes(int count)
{
    m_rejectRefreshes = std::max(0, count);
}

void FakeQwenService::revokeRefreshTokens()
{
    for (RefreshToken &token : m_refreshTokens)
        token.live = false;
}

void FakeQwenService::expireAccessTokens()
{
    const qint64 t = now();
    for (AccessToken &token : m_accessTokens)
        token.expiresAtMs = std::min(token.expiresAtMs, t);
}

void FakeQwenService::failNextChats(FakeChatFault fault, int count, int param)
{
    for (int i = 0; i < count; ++i)
        m_chatFaults.enqueue({fault, param});
}

void FakeQwenService::setStreamsPaused(bool paused)
{
    m_streamsPaused = paused;
    if (paused)
        return;
    const auto streams = m_streams;
    for (const QPointer<FakeSseStream> &stream : streams) {
        if (stream)
            stream->resume();
    }
}

FakeChatRequest FakeQwenService::lastChatRequest() const
{
    return m_chatRequests.isEmpty() ? FakeChatRequest() : m_chatRequests.constLast();
}

QList<FakeDeviceGrant> FakeQwenService::deviceGrants() const
{
    QList<FakeDeviceGrant> grants = m_grants;
    for (FakeDeviceGrant &grant : grants)
        refreshExpiry(grant);
    return grants;
}

FakeDeviceGrant FakeQwenService::deviceGrant(const QString &userCode) const
{
    for (FakeDeviceGrant grant : m_grants) {
        if (grant.userCode == userCode) {
            refreshExpiry(grant);
            return grant;
        }
    }
    return {};
}

FakeTokenKind FakeQwenService::classifyToken(const QByteArray &bearer) const
{
    if (bearer.isEmpty())
        return FakeTokenKind::None;
    if (m_apiKeys.contains(QString::fromUtf8(bearer)))
        return FakeTokenKind::ApiKey;
    const auto it = m_accessTokens.constFind(bearer);
    if (it == m_accessTokens.cend())
        return FakeTokenKind::Unknown;
    return now() < it->expiresAtMs ? FakeTokenKind::OAuthLive : FakeTokenKind::OAuthExpired;
}

bool FakeQwenService::isRefreshTokenLive(const QByteArray &refreshToken) const
{
    const auto it = m_refreshTokens.constFind(refreshToken);
    return it != m_refreshTokens.cend() && it->live;
}

void FakeQwenService::reset()
{
    m_slowDownPolls = 0;
    m_failPolls = 0;
    m_failRefreshes = 0;
    m_stallRefreshes = 0;
    m_rejectRefreshes = 0;
    m_chatFaults.clear();
    m_grants.clear();
    m_accessTokens.clear();
    m_refreshTokens.clear();
    m_successorOfRefresh.clear();
    m_predecessorOfRefresh.clear();
    m_predecessorOfAccess.clear();
    m_chatRequests.clear();
    m_pollTimesMs.clear();
    m_lastUserCode.clear();
    m_lastAccessToken.clear();
    m_lastRefreshToken.clear();
    // Streams still running will end later and count themselves down.
    m_counters = FakeQwenCounters();
    m_counters.activeStreams = m_counters.maxActiveStreams = int(m_streams.size());
    setStreamsPaused(false);
}

QStringList FakeQwenService::oauthModels()
{
    return {QStringLiteral("coder-model"), QStringLiteral("vision-model")};
}

QStringList FakeQwenService::apiKeyModels()
{
    return {QStringLiteral("qwen3-coder-plus"), QStringLiteral("qwen3-vl-plus"),
            QStringLiteral("qwen3-max"), QStringLiteral("qwen3.5-plus")};
}

void FakeQwenService::route(const HttpRequest &request, HttpResponse *response)
{
    const QByteArray &path = request.path;
    const bool post = request.method == "POST";
    const bool get = request.method == "GET";

    if (!m_onlyFrom.isNull() && !request.peerAddress.isEqual(m_onlyFrom)) {
        ++m_counters.refusedPeers;
        sendJson(response, 403,
                 apiError(QStringLiteral("this fake serves only connections through the proxy"),
                          QStringLiteral("invalid_request_error"),
                          QStringLiteral("not_through_proxy")));
        return;
    }
    if (path == "/api/v1/oauth2/device/code" && post)
        handleDeviceCode(request, response);
    else if (path == "/api/v1/oauth2/token" && post)
        handleToken(request, response);
    else if (path == "/authorize" && get)
        handleAuthorizePage(request, response);
    else if (path == "/authorize" && post)
        handleAuthorizeAction(request, response);
    else if (path == "/v1/models" && get)
        handleModels(request, response);
    else if (path == "/v1/chat/completions" && post)
        handleChat(request, response);
    else if (m_countersEndpoint && path.startsWith("/__fake/counters"))
        handleCounters(request, response);
    else if (path == "/api/v1/oauth2/device/code" || path == "/api/v1/oauth2/token" ||
             path == "/authorize" || path == "/v1/models" || path == "/v1/chat/completions")
        sendJson(response, 405,
                 apiError(QStringLiteral("method not allowed"),
                          QStringLiteral("invalid_request_error"),
                          QStringLiteral("method_not_allowed")));
    else
        sendJson(response, 404,
                 apiError(QStringLiteral("not found"), QStringLiteral("invalid_request_error"),
                          QStringLiteral("not_found")));
}

void FakeQwenService::handleCounters(const HttpRequest &request, HttpResponse *response)
{
    if (request.path == "/__fake/counters" && request.method == "GET") {
        sendJson(response, 200, countersJson());
    } else if (request.path == "/__fake/counters/reset-peak" && request.method == "POST") {
        resetStreamPeak();
        sendJson(response, 200, countersJson());
    } else {
        sendJson(response, 404,
                 apiError(QStringLiteral("not found"), QStringLiteral("invalid_request_error"),
                          QStringLiteral("not_found")));
    }
}

// --- OAuth ------------------------------------------------------------------------------

void FakeQwenService::handleDeviceCode(const HttpRequest &request, HttpResponse *response)
{
    ++m_counters.deviceCodeRequests;
    if (!isFormBody(request)) {
        sendOAuthError(response, 400, QStringLiteral("invalid_request"),
                       QStringLiteral("expected an application/x-www-form-urlencoded body"));
        return;
    }
    const QHash<QString, QString> form = parseForm(request.body);
    if (form.value(QStringLiteral("client_id")) != m_clientId) {
        sendOAuthError(response, 400, QStringLiteral("invalid_client"),
                       QStringLiteral("unknown client_id"));
        return;
    }
    const QString scope = form.value(QStringLiteral("scope")).simplified();
    const QStringList allowed = m_allowedScope.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const QStringList requested = scope.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (requested.isEmpty() ||
        std::any_of(requested.cbegin(), requested.cend(),
                    [&](const QString &s) { return !allowed.contains(s); })) {
        sendOAuthError(response, 400, QStringLiteral("invalid_scope"),
                       QStringLiteral("scope must be a subset of: ") + m_allowedScope);
        return;
    }
    if (form.value(QStringLiteral("code_challenge_method")) != QLatin1String("S256")) {
        sendOAuthError(response, 400, QStringLiteral("invalid_request"),
                       QStringLiteral("code_challenge_method must be S256"));
        return;
    }
    const QString challenge = form.value(QStringLiteral("code_challenge"));
    if (!isPkceString(challenge)) {
        sendOAuthError(response, 400, QStringLiteral("invalid_request"),
                       QStringLiteral("missing or malformed code_challenge"));
        return;
    }

    FakeDeviceGrant grant;
    grant.deviceCode = randomToken("fake-dc-");
    static const char letters[] = "BCDFGHJKLMNPQRSTVWXZ"; // no vowels: no accidental words
    do {
        QString code;
        for (int i = 0; i < 4; ++i)
            code += QLatin1Char(letters[QRandomGenerator::global()->bounded(20)]);
        code += QLatin1Char('-');
        for (int i = 0; i < 4; ++i)
            code += QLatin1Char(char('0' + QRandomGenerator::global()->bounded(10)));
        grant.userCode = code;
    } while (grantByUserCode(grant.userCode));
    grant.codeChallenge = challenge.toLatin1();
    grant.scope = requested.join(QLatin1Char(' '));
    grant.issuedAtMs = now();
    grant.expiresAtMs = grant.issuedAtMs + qint64(m_deviceCodeLifetime) * 1000;
    m_grants.append(grant);
    m_lastUserCode = grant.userCode;

    const QString verification = baseUrl().toString() + QLatin1String("/authorize");
    QString complete = verification + QLatin1String("?user_code=") + grant.userCode;
    if (m_appendClientParameter)
        complete += QLatin1String("&client=qwen-code");
    QJsonObject body{{QStringLiteral("device_code"), QString::fromLatin1(grant.deviceCode)},
                     {QStringLiteral("user_code"), grant.userCode},
                     {QStringLiteral("verification_uri"), verification},
                     {QStringLiteral("verification_uri_complete"), complete},
                     {QStringLiteral("expires_in"), m_deviceCodeLifetime}};
    if (m_sendInterval)
        body.insert(QStringLiteral("interval"), m_pollInterval);
    sendJson(response, 200, body);
    qCInfo(lcFakeQwen) << "device code issued, user code" << grant.userCode;
    Q_EMIT deviceCodeIssued(grant.userCode);
}

void FakeQwenService::handleToken(const HttpRequest &request, HttpResponse *response)
{
    if (!isFormBody(request)) {
        sendOAuthError(response, 400, QStringLiteral("invalid_request"),
                       QStringLiteral("expected an application/x-www-form-urlencoded body"));
        return;
    }
    const QHash<QString, QString> form = parseForm(request.body);
    const QString grantType = form.value(QStringLiteral("grant_type"));
    if (grantType == QLatin1String(DeviceGrantType))
        handleDevicePoll(form, response);
    else if (grantType == QLatin1String("refresh_token"))
        handleRefresh(form, response);
    else
        sendOAuthError(response, 400, QStringLiteral("unsupported_grant_type"));
}

int FakeQwenService::openConnections() const
{
    return m_server ? m_server->connectionCount() : 0;
}

void FakeQwenService::handleDevicePoll(const QHash<QString, QString> &form, HttpResponse *response)
{
    const qint64 t = now();
    ++m_counters.tokenPolls;
    m_pollTimesMs.append(t);
    FakeDeviceGrant *grant = nullptr;
    const QByteArray deviceCode = form.value(QStringLiteral("device_code")).toLatin1();
    for (FakeDeviceGrant &g : m_grants) {
        if (g.deviceCode == deviceCode)
            grant = &g;
    }
    if (grant) {
        ++grant->polls;
        grant->pollTimesMs.append(t);
    }

    auto answer = [&](int status, const QString &error, const QString &description = {}) {
        sendOAuthError(response, status, error, description);
        Q_EMIT tokenPolled(error);
    };

    // Injected answers come first: a real server rate-limits or fails before it looks
    // at the request.
    if (m_slowDownPolls > 0) {
        --m_slowDownPolls;
        answer(429, QStringLiteral("slow_down"));
        return;
    }
    if (m_failPolls > 0) {
        --m_failPolls;
        answer(m_failPollStatus, QStringLiteral("server_error"),
               QStringLiteral("injected transient failure"));
        return;
    }
    if (form.value(QStringLiteral("client_id")) != m_clientId) {
        answer(400, QStringLiteral("invalid_client"), QStringLiteral("unknown client_id"));
        return;
    }
    if (!grant) {
        answer(400, QStringLiteral("invalid_grant"), QStringLiteral("unknown device_code"));
        return;
    }
    const QString verifier = form.value(QStringLiteral("code_verifier"));
    const QByteArray computed =
        base64Url(QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256));
    if (!isPkceString(verifier) || computed != grant->codeChallenge) {
        answer(400, QStringLiteral("invalid_grant"),
               QStringLiteral("code_verifier does not match the code_challenge"));
        return;
    }
    refreshExpiry(*grant);
    if (grant->state == FakeDeviceGrant::State::Pending && m_autoApproveAfter >= 0 &&
        grant->polls > m_autoApproveAfter) {
        grant->state = FakeDeviceGrant::State::Approved;
        Q_EMIT deviceApproved(grant->userCode);
    }
    switch (grant->state) {
    case FakeDeviceGrant::State::Pending:
        answer(400, QStringLiteral("authorization_pending"));
        return;
    case FakeDeviceGrant::State::Denied:
        answer(400, QStringLiteral("access_denied"), QStringLiteral("the user denied access"));
        return;
    case FakeDeviceGrant::State::Expired:
        answer(400, QStringLiteral("expired_token"), QStringLiteral("the device code expired"));
        return;
    case FakeDeviceGrant::State::Consumed:
        answer(400, QStringLiteral("invalid_grant"),
               QStringLiteral("the device code was already used"));
        return;
    case FakeDeviceGrant::State::Approved:
        break;
    }
    grant->state = FakeDeviceGrant::State::Consumed;
    ++m_counters.tokensIssued;
    issueTokens(grant->scope, response, false);
    Q_EMIT tokenPolled(QStringLiteral("success"));
}

void FakeQwenService::handleRefresh(const QHash<QString, QString> &form, HttpResponse *response)
{
    ++m_counters.refreshRequests;
    if (m_stallRefreshes > 0) {
        --m_stallRefreshes;
        return; // never answered: the client's own timeout must fire
    }
    if (m_failRefreshes > 0) {
        --m_failRefreshes;
        sendOAuthError(response, m_failRefreshStatus, QStringLiteral("server_error"),
                       QStringLiteral("injected transient failure"));
        return;
    }
    const QString invalidRefresh = QString::fromLatin1(InvalidRefreshMessage);
    if (m_rejectRefreshes > 0) {
        --m_rejectRefreshes;
        sendOAuthError(response, 400, QStringLiteral("invalid_grant"), invalidRefresh);
        return;
    }
    const QByteArray presented = form.value(QStringLiteral("refresh_token")).toLatin1();
    const auto it = m_refreshTokens.find(presented);
    if (form.value(QStringLiteral("client_id")) != m_clientId || it == m_refreshTokens.end()) {
        sendOAuthError(response, 400, QStringLiteral("invalid_grant"), invalidRefresh);
        return;
    }
    if (!it->live) {
        ++m_counters.deadRefreshTokenUses;
        qCInfo(lcFakeQwen) << "a rotated refresh token was presented again";
        sendOAuthError(response, 400, QStringLiteral("invalid_grant"), invalidRefresh);
        return;
    }
    // Presenting a successor retires its predecessor for good.
    retirePredecessor(m_predecessorOfRefresh.take(presented));
    ++m_counters.refreshesIssued;
    issueTokens(m_allowedScope, response, true);
    if (m_rotateRefresh) {
        // Rotation as careful servers do it: the old refresh token keeps working until the
        // new pair is used, so a client that dies before storing the new pair loses
        // nothing. A second answer to the same old token replaces the unused first one.
        const QByteArray previousSuccessor = m_successorOfRefresh.value(presented);
        if (!previousSuccessor.isEmpty()) {
            auto prev = m_refreshTokens.find(previousSuccessor);
            if (prev != m_refreshTokens.end())
                prev->live = false;
            m_predecessorOfRefresh.remove(previousSuccessor);
        }
        m_successorOfRefresh.insert(presented, m_lastRefreshToken);
        m_predecessorOfRefresh.insert(m_lastRefreshToken, presented);
        m_predecessorOfAccess.insert(m_lastAccessToken, presented);
    }
}

void FakeQwenService::retirePredecessor(const QByteArray &oldRefresh)
{
    if (oldRefresh.isEmpty())
        return;
    auto it = m_refreshTokens.find(oldRefresh);
    if (it != m_refreshTokens.end())
        it->live = false;
    m_successorOfRefresh.remove(oldRefresh);
}

void FakeQwenService::noteAccessTokenUse(const QByteArray &access)
{
    retirePredecessor(m_predecessorOfAccess.take(access));
}

void FakeQwenService::issueTokens(const QString &scope, HttpResponse *response, bool fromRefresh)
{
    const QByteArray access = randomToken("fake-at-");
    m_accessTokens.insert(access, {now() + qint64(m_tokenLifetime) * 1000});
    QJsonObject body{{QStringLiteral("access_token"), QString::fromLatin1(access)},
                     {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                     {QStringLiteral("expires_in"), m_tokenLifetime},
                     {QStringLiteral("scope"), scope}};
    // Without rotation a refresh answer carries no refresh_token: the old one stays valid.
    QByteArray refresh;
    if (!fromRefresh || m_rotateRefresh) {
        refresh = randomToken("fake-rt-");
        m_refreshTokens.insert(refresh, {});
        body.insert(QStringLiteral("refresh_token"), QString::fromLatin1(refresh));
        m_lastRefreshToken = refresh;
    }
    if (!m_resourceUrl.isNull())
        body.insert(QStringLiteral("resource_url"), m_resourceUrl);
    m_lastAccessToken = access;
    sendJson(response, 200, body);
    if (fromRefresh)
        Q_EMIT refreshed(access, refresh);
    else
        Q_EMIT tokensIssued(access, refresh);
}

void FakeQwenService::refreshExpiry(FakeDeviceGrant &grant) const
{
    const bool open = grant.state == FakeDeviceGrant::State::Pending ||
                      grant.state == FakeDeviceGrant::State::Approved;
    if (open && now() >= grant.expiresAtMs)
        grant.state = FakeDeviceGrant::State::Expired;
}

FakeDeviceGrant *FakeQwenService::grantByUserCode(const QString &userCode)
{
    for (FakeDeviceGrant &grant : m_grants) {
        if (grant.userCode.compare(userCode, Qt::CaseInsensitive) == 0)
            return &grant;
    }
    return nullptr;
}

bool FakeQwenService::setGrantState(const QString &userCode, FakeDeviceGrant::State state)
{
    bool matched = false;
    for (FakeDeviceGrant &grant : m_grants) {
        if (!userCode.isEmpty() && grant.userCode.compare(userCode, Qt::CaseInsensitive) != 0)
            continue;
        refreshExpiry(grant);
        if (grant.state != FakeDeviceGrant::State::Pending)
            continue;
        grant.state = state;
        matched = true;
        qCInfo(lcFakeQwen) << "user code" << grant.userCode << stateName(state);
        if (state == FakeDeviceGrant::State::Approved)
            Q_EMIT deviceApproved(grant.userCode);
    }
    return matched;
}

// --- the DEMO verification page ----------------------------------------------------------

namespace {

QByteArray demoPage(const QString &content)
{
    const QString page =
        QStringLiteral(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<title>Qwen Bridge DEMO \u2014 fake Qwen sign-in</title><style>"
            "body{font-family:sans-serif;max-width:32em;margin:3em auto;padding:0 1em;color:#222}"
            ".demo{background:#b00020;color:#fff;font-weight:bold;padding:.5em 1em;"
            "border-radius:4px;text-align:center}"
            ".code{font-family:monospace;font-size:2em;letter-spacing:.1em;margin:.5em 0}"
            "button{font-size:1.1em;padding:.5em 1.5em;margin-right:1em}"
            "</style></head><body>"
            "<p class=\"demo\">DEMO \u2014 this is a fake Qwen service on your own computer. "
            "No real account is involved.</p>"
            "<h1>Qwen Bridge DEMO \u2014 fake Qwen sign-in</h1>%1</body></html>")
            .arg(content);
    return page.toUtf8();
}

QString codeForm()
{
    return QStringLiteral("<form method=\"get\" action=\"/authorize\">"
                          "<p><label>User code: <input name=\"user_code\" autofocus></label> "
                          "<button type=\"submit\">Continue</button></p></form>");
}

} // namespace

void FakeQwenService::handleAuthorizePage(const HttpRequest &request, HttpResponse *response)
{
    const QHash<QString, QString> query = parseForm(request.query);
    const QString userCode = query.value(QStringLiteral("user_code")).trimmed();
    const QByteArray html = QByteArrayLiteral("text/html; charset=utf-8");
    if (userCode.isEmpty()) {
        response->send(200, demoPage(codeForm()), html);
        return;
    }
    FakeDeviceGrant *grant = grantByUserCode(userCode);
    if (!grant) {
        response->send(
            404,
            demoPage(
                QStringLiteral("<p>Unknown code <b>%1</b>.</p>").arg(userCode.toHtmlEscaped()) +
                codeForm()),
            html);
        return;
    }
    refreshExpiry(*grant);
    const QString escaped = grant->userCode.toHtmlEscaped();
    QString content = QStringLiteral("<p>Qwen Bridge asks to sign in with this code:</p>"
                                     "<p class=\"code\">%1</p>")
                          .arg(escaped);
    if (grant->state == FakeDeviceGrant::State::Pending) {
        content += QStringLiteral(
                       "<form method=\"post\" action=\"/authorize\">"
                       "<input type=\"hidden\" name=\"user_code\" value=\"%1\">"
                       "<button type=\"submit\" name=\"action\" value=\"approve\">Approve</button>"
                       "<button type=\"submit\" name=\"action\" value=\"deny\">Deny</button>"
                       "</form>")
                       .arg(escaped);
    } else {
        content += QStringLiteral("<p>This code is %1.</p>").arg(stateName(grant->state));
    }
    response->send(200, demoPage(content), html);
}

void FakeQwenService::handleAuthorizeAction(const HttpRequest &request, HttpResponse *response)
{
    const QHash<QString, QString> form = parseForm(request.body);
    const QString userCode = form.value(QStringLiteral("user_code")).trimmed();
    const QString action = form.value(QStringLiteral("action"));
    const QByteArray html = QByteArrayLiteral("text/html; charset=utf-8");
    if (userCode.isEmpty() || !grantByUserCode(userCode) ||
        (action != QLatin1String("approve") && action != QLatin1String("deny"))) {
        response->send(400, demoPage(QStringLiteral("<p>Unknown code or action.</p>") + codeForm()),
                       html);
        return;
    }
    const bool approving = action == QLatin1String("approve");
    const bool changed = approving ? approve(userCode) : deny(userCode);
    const FakeDeviceGrant *grant = grantByUserCode(userCode);
    QString content;
    if (changed) {
        content = approving ? QStringLiteral("<p>Approved. You can close this page and go back "
                                             "to Qwen Bridge.</p>")
                            : QStringLiteral("<p>Denied. Qwen Bridge will not be signed in.</p>");
    } else {
        content =
            QStringLiteral("<p>Nothing changed: this code is %1.</p>").arg(stateName(grant->state));
    }
    response->send(200, demoPage(content), html);
}

// --- the OpenAI-compatible API -------------------------------------------------------------

void FakeQwenService::handleModels(const HttpRequest &request, HttpResponse *response)
{
    ++m_counters.modelsRequests;
    if (!m_modelListAvailable) {
        response->send(404, QByteArray(), QByteArray());
        return;
    }
    const FakeTokenKind kind = classifyToken(bearerOf(request));
    if (kind == FakeTokenKind::OAuthLive)
        noteAccessTokenUse(bearerOf(request));
    if (kind == FakeTokenKind::OAuthExpired)
        ++m_counters.expiredTokenRequests;
    if (kind == FakeTokenKind::None || kind == FakeTokenKind::Unknown)
        ++m_counters.unknownTokenRequests;
    if (kind != FakeTokenKind::OAuthLive && kind != FakeTokenKind::ApiKey) {
        sendUnauthorized(response);
        return;
    }
    if (m_plan != FakePlan::Any && kind != FakeTokenKind::ApiKey) {
        sendUnauthorized(response);
        return;
    }
    if (isWrongPlanKey(bearerOf(request))) {
        sendWrongPlanKey(response);
        return;
    }
    QJsonArray data;
    const QStringList models = m_plan != FakePlan::Any         ? m_planModels
                               : kind == FakeTokenKind::ApiKey ? apiKeyModels()
                                                               : oauthModels();
    for (const QString &id : models) {
        data.append(QJsonObject{{QStringLiteral("id"), id},
                                {QStringLiteral("object"), QStringLiteral("model")},
                                {QStringLiteral("created"), 1735689600},
                                {QStringLiteral("owned_by"), QStringLiteral("qwen")}});
    }
    sendJson(response, 200,
             QJsonObject{{QStringLiteral("object"), QStringLiteral("list")},
                         {QStringLiteral("data"), data}});
}

void FakeQwenService::handleChat(const HttpRequest &request, HttpResponse *response)
{
    ++m_counters.chatRequests;
    FakeChatRequest record;
    record.headers = request.headers;
    record.body = request.body;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body);
    if (doc.isObject())
        record.json = doc.object();
    record.bearerToken = bearerOf(request);
    record.tokenKind = classifyToken(record.bearerToken);
    if (record.tokenKind == FakeTokenKind::OAuthLive)
        noteAccessTokenUse(record.bearerToken);
    record.tokenExpired = record.tokenKind == FakeTokenKind::OAuthExpired;
    record.receivedAtMs = now();
    if (record.tokenExpired)
        ++m_counters.expiredTokenRequests;
    if (record.tokenKind == FakeTokenKind::None || record.tokenKind == FakeTokenKind::Unknown)
        ++m_counters.unknownTokenRequests;
    m_chatRequests.append(record);
    if (m_chatRecordLimit >= 0 && m_chatRequests.size() > m_chatRecordLimit)
        m_chatRequests.remove(0, m_chatRequests.size() - m_chatRecordLimit);
    Q_EMIT chatRequestReceived(record);

    if (!m_chatFaults.isEmpty()) {
        ++m_counters.injectedFaults;
        applyChatFault(m_chatFaults.dequeue(), record, response);
        return;
    }
    answerChat(record, response);
}

bool FakeQwenService::answerAsPlan(const FakeChatRequest &record, HttpResponse *response)
{
    if (m_plan == FakePlan::Any)
        return false;
    if (record.tokenKind != FakeTokenKind::ApiKey) {
        sendUnauthorized(response);
        return true;
    }
    if (isWrongPlanKey(record.bearerToken)) {
        sendWrongPlanKey(response);
        return true;
    }
    if (m_plan == FakePlan::CodingPlan) {
        const QString agent = QString::fromUtf8(record.header("user-agent"));
        const bool codingAgent =
            std::any_of(m_codingAgents.cbegin(), m_codingAgents.cend(), [&agent](const QString &m) {
                return agent.contains(m, Qt::CaseInsensitive);
            });
        if (!codingAgent) {
            sendJson(response, 405,
                     QJsonObject{{QStringLiteral("error"), QString::fromLatin1(CodingAgentsOnly)}});
            return true;
        }
    }
    if (record.json.isEmpty())
        return false;
    const QString model = record.model();
    if (!model.isEmpty() && !m_planModels.contains(model)) {
        sendInvalidRequest(response, QStringLiteral("model '%1' is not supported").arg(model),
                           QStringLiteral("model_not_supported"));
        return true;
    }
    const QJsonValue thinking = record.json.value(QLatin1String("enable_thinking"));
    if (model.startsWith(QLatin1String("qwen3.8-max")) && thinking.isBool() && !thinking.toBool()) {
        sendInvalidRequest(
            response,
            QStringLiteral("The value of the enable_thinking parameter is restricted to True"),
            QStringLiteral("InvalidParameter"));
        return true;
    }
    return false;
}

void FakeQwenService::answerChat(const FakeChatRequest &record, HttpResponse *response)
{
    if (answerAsPlan(record, response))
        return;
    const FakeTokenKind kind = record.tokenKind;
    if (kind != FakeTokenKind::OAuthLive && kind != FakeTokenKind::ApiKey) {
        sendUnauthorized(response);
        return;
    }
    if (record.json.isEmpty()) {
        sendInvalidRequest(response, QStringLiteral("the body is not a JSON object"));
        return;
    }
    const QJsonArray messages = record.json.value(QLatin1String("messages")).toArray();
    if (messages.isEmpty()) {
        sendInvalidRequest(response, QStringLiteral("messages must be a non-empty array"));
        return;
    }
    const QString model = record.model();
    if (model.isEmpty()) {
        sendInvalidRequest(response, QStringLiteral("model is required"));
        return;
    }
    if (kind == FakeTokenKind::OAuthLive) {
        // The portal only knows its two aliases and wants a system message first.
        if (!oauthModels().contains(model)) {
            sendInvalidRequest(response, QStringLiteral("model `%1` is not supported.").arg(model),
                               QStringLiteral("model_not_supported"));
            return;
        }
        const QString firstRole =
            messages.first().toObject().value(QLatin1String("role")).toString();
        if (firstRole != QLatin1String("system")) {
            sendInvalidRequest(response,
                               QStringLiteral("the first message must have the role system"));
            return;
        }
    }
    if (record.isStream()) {
        startStream(record, response, -1, -1);
        return;
    }
    QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")},
                        {QStringLiteral("content"), m_replyText}};
    if (asksForThinking(record.json))
        message.insert(QStringLiteral("reasoning_content"), m_reasoningText);
    const QJsonObject choice{{QStringLiteral("index"), 0},
                             {QStringLiteral("message"), message},
                             {QStringLiteral("finish_reason"), QStringLiteral("stop")}};
    sendJson(response, 200,
             QJsonObject{{QStringLiteral("id"), QString::fromLatin1(randomToken("chatcmpl-", 12))},
                         {QStringLiteral("object"), QStringLiteral("chat.completion")},
                         {QStringLiteral("created"), now() / 1000},
                         {QStringLiteral("model"), model},
                         {QStringLiteral("choices"), QJsonArray{choice}},
                         {QStringLiteral("usage"), usageFor(record, m_replyText)}});
}

void FakeQwenService::applyChatFault(const FaultSpec &spec, const FakeChatRequest &record,
                                     HttpResponse *response)
{
    const int param = spec.param;
    const bool stream = record.isStream();
    const QString quotaMessage = QStringLiteral("Free allocated quota exceeded.");
    switch (spec.fault) {
    case FakeChatFault::Unauthorized:
        sendUnauthorized(response);
        return;
    case FakeChatFault::RateLimited:
        sendJson(response, 429,
                 apiError(QStringLiteral("Requests rate limit exceeded, please try again later."),
                          QStringLiteral("rate_limit_error"),
                          QStringLiteral("rate_limit_exceeded")),
                 {{QByteArrayLiteral("retry-after"), QByteArray::number(param >= 0 ? param : 7)}});
        return;
    case FakeChatFault::QuotaExceeded:
    case FakeChatFault::QuotaForbidden:
        sendJson(response, spec.fault == FakeChatFault::QuotaExceeded ? 429 : 403,
                 apiError(quotaMessage, QStringLiteral("insufficient_quota"),
                          QStringLiteral("insufficient_quota")));
        return;
    case FakeChatFault::ServerError:
        sendJson(response, param >= 500 ? param : 500,
                 apiError(QStringLiteral("injected upstream failure"),
                          QStringLiteral("server_error"), QStringLiteral("internal_error")));
        return;
    case FakeChatFault::ResetMidStream: {
        const int after = param >= 0 ? param : 2;
        if (stream && after > 0) {
            startStream(record, response, after, -1);
        } else {
            abortConnection(response);
            ++m_counters.streamsAborted;
        }
        return;
    }
    case FakeChatFault::StallMidStream: {
        const int after = param >= 0 ? param : 2;
        if (stream) {
            startStream(record, response, -1, after);
        } else {
            // Half a JSON body, then silence.
            response->beginStream(200, QByteArrayLiteral("application/json"));
            response->write(QByteArrayLiteral("{\"id\":\"chatcmpl-stalled\",\"object\":"));
        }
        return;
    }
    case FakeChatFault::StallAfterHeaders:
        response->beginStream(200, stream ? QByteArrayLiteral("text/event-stream")
                                          : QByteArrayLiteral("application/json"));
        return;
    case FakeChatFault::StallBeforeHeaders:
        return;
    case FakeChatFault::HourQuota:
    case FakeChatFault::WeekQuota:
    case FakeChatFault::MonthQuota: {
        const QString window = spec.fault == FakeChatFault::HourQuota   ? QStringLiteral("hour")
                               : spec.fault == FakeChatFault::WeekQuota ? QStringLiteral("week")
                                                                        : QStringLiteral("month");
        sendJson(response, 429,
                 apiError(QStringLiteral("%1 allocated quota exceeded").arg(window),
                          QStringLiteral("insufficient_quota"),
                          QStringLiteral("Throttling.AllocationQuota")));
        return;
    }
    case FakeChatFault::ConcurrencyQuota:
        sendJson(response, 429,
                 apiError(QStringLiteral("concurrency allocated quota exceeded"),
                          QStringLiteral("requests"),
                          QStringLiteral("Throttling.AllocationQuota")));
        return;
    case FakeChatFault::Arrears:
        sendJson(response, 400,
                 apiError(QStringLiteral("Access denied, please make sure your account is in "
                                         "good standing."),
                          QStringLiteral("Arrearage"), QStringLiteral("Arrearage")));
        return;
    case FakeChatFault::FreeTierOnly:
        sendJson(response, 403,
                 apiError(QStringLiteral("The free tier of the model has been exhausted. If you "
                                         "wish to continue access the model on a paid basis, "
                                         "please disable the \"use free tier only\" mode in the "
                                         "management console."),
                          QStringLiteral("AllocationQuota.FreeTierOnly"),
                          QStringLiteral("AllocationQuota.FreeTierOnly")));
        return;
    case FakeChatFault::ModelNotSupported:
        sendInvalidRequest(response,
                           QStringLiteral("model '%1' is not supported").arg(record.model()),
                           QStringLiteral("model_not_supported"));
        return;
    case FakeChatFault::ErrorInStream:
        if (stream) {
            startStream(record, response, -1, -1, param >= 0 ? param : 2);
        } else {
            sendJson(response, 500,
                     apiError(QStringLiteral("injected upstream failure"),
                              QStringLiteral("server_error"), QStringLiteral("internal_error")));
        }
        return;
    case FakeChatFault::SlowFirstByte: {
        QPointer<HttpResponse> guard(response);
        QTimer::singleShot(param >= 0 ? param : 1000, Qt::PreciseTimer, this,
                           [this, guard, record] {
                               if (guard && guard->isConnected())
                                   answerChat(record, guard);
                           });
        return;
    }
    }
}

void FakeQwenService::startStream(const FakeChatRequest &record, HttpResponse *response,
                                  int abortAfter, int stallAfter, int errorAfter)
{
    const QString id = QString::fromLatin1(randomToken("chatcmpl-", 12));
    const qint64 created = now() / 1000;
    const QString model = record.model().isEmpty() ? oauthModels().first() : record.model();
    auto chunk = [&](const QJsonObject &delta, const QJsonValue &finishReason) {
        return QJsonObject{
            {QStringLiteral("id"), id},
            {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
            {QStringLiteral("created"), created},
            {QStringLiteral("model"), model},
            {QStringLiteral("choices"),
             QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                    {QStringLiteral("delta"), delta},
                                    {QStringLiteral("finish_reason"), finishReason}}}}};
    };
    auto event = [](const QJsonObject &object) {
        return QByteArrayLiteral("data: ") + compact(object) + QByteArrayLiteral("\n\n");
    };

    QList<QJsonObject> deltas;
    if (asksForThinking(record.json)) {
        const QStringList thoughts = splitReply(m_reasoningText, 2);
        for (const QString &piece : thoughts)
            deltas.append(QJsonObject{{QStringLiteral("reasoning_content"), piece}});
    }
    const QStringList pieces = splitReply(m_replyText, m_streamEvents);
    for (const QString &piece : pieces)
        deltas.append(QJsonObject{{QStringLiteral("content"), piece}});
    // The role comes with the first delta, whatever it carries.
    deltas.first().insert(QStringLiteral("role"), QStringLiteral("assistant"));
    QList<QByteArray> events;
    for (const QJsonObject &delta : std::as_const(deltas))
        events.append(event(chunk(delta, QJsonValue::Null)));
    if (errorAfter >= 0) {
        // Model Studio reports a failure after the stream began as an SSE error event.
        events.resize(std::min<qsizetype>(errorAfter, events.size()));
        events.append(QByteArrayLiteral("event: error\ndata: ") +
                      compact(apiError(QStringLiteral("An internal error has occured during "
                                                      "generation, please try again later."),
                                       QStringLiteral("server_error"),
                                       QStringLiteral("InternalError.Algo"))) +
                      QByteArrayLiteral("\n\n"));
    } else {
        QJsonObject last = chunk(QJsonObject(), QStringLiteral("stop"));
        if (includesUsage(record.json)) {
            // As the OpenAI API: a chunk of its own, with no choices, after the finish reason.
            events.append(event(last));
            last = chunk(QJsonObject(), QJsonValue::Null);
            last.insert(QStringLiteral("choices"), QJsonArray());
        }
        // Without include_usage the finish chunk carries it, as the fake always did.
        last.insert(QStringLiteral("usage"), usageFor(record, m_replyText));
        events.append(event(last));
        events.append(QByteArrayLiteral("data: [DONE]\n\n"));
    }

    auto *stream = new FakeSseStream(this, response, std::move(events), m_streamDelayMs, abortAfter,
                                     stallAfter);
    streamStarted(stream);
    stream->start();
}

void FakeQwenService::streamStarted(FakeSseStream *stream)
{
    m_streams.append(stream);
    ++m_counters.streamsStarted;
    ++m_counters.activeStreams;
    m_counters.maxActiveStreams = std::max(m_counters.maxActiveStreams, m_counters.activeStreams);
}

void FakeQwenService::streamEnded(FakeSseStream *stream, int how)
{
    m_streams.removeAll(stream);
    --m_counters.activeStreams;
    switch (how) {
    case FakeSseStream::Completed:
        ++m_counters.streamsCompleted;
        break;
    case FakeSseStream::Aborted:
        ++m_counters.streamsAborted;
        break;
    default:
        ++m_counters.streamsClientGone;
        break;
    }
    Q_EMIT streamFinished();
}
