// The fake Qwen service itself: its server and routing, its settings, and the records and
// counters tests assert on. The endpoints live in the files named in fakeqwenservice_p.h.

#include "fakeqwenservice_p.h"

#include <QDateTime>
#include <QHostAddress>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <algorithm>
#include <utility>

namespace {
const char InvalidTokenMessage[] = "invalid access token or token expired";
} // namespace

namespace FakeQwen {

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray randomToken(const char *prefix, int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (char &c : raw)
        c = char(QRandomGenerator::system()->bounded(256));
    return QByteArray(prefix) + base64Url(raw);
}

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

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

void sendJson(HttpResponse *response, int status, const QJsonObject &object,
              const HttpHeaders &extraHeaders)
{
    response->send(status, compact(object), QByteArrayLiteral("application/json"), extraHeaders);
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

void sendInvalidRequest(HttpResponse *response, const QString &message, const QString &code)
{
    sendJson(response, 400, apiError(message, QStringLiteral("invalid_request_error"), code));
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

} // namespace FakeQwen

using namespace FakeQwen;

QByteArray FakeChatRequest::header(QByteArrayView name) const
{
    for (const auto &h : headers) {
        if (name.compare(h.first, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

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

void FakeQwenService::setReasoningText(const QString &text)
{
    m_reasoningText = text;
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

int FakeQwenService::openConnections() const
{
    return m_server ? m_server->connectionCount() : 0;
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
    } else if (request.path.startsWith("/__fake/counters/burst-") && request.method == "POST") {
        // The benchmark switches between paced and bursting streams without a restart.
        setStreamBurst(request.path.endsWith("-on"));
        sendJson(response, 200, countersJson());
    } else {
        sendJson(response, 404,
                 apiError(QStringLiteral("not found"), QStringLiteral("invalid_request_error"),
                          QStringLiteral("not_found")));
    }
}
