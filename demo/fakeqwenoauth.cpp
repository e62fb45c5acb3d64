// The fake's OAuth side (PROTOCOL.md §2): the device code, polling for tokens with PKCE, and
// refresh with rotation, each with its failure switches.

#include "fakeqwenservice_p.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <algorithm>

using namespace FakeQwen;

namespace {

const char DeviceGrantType[] = "urn:ietf:params:oauth:grant-type:device_code";
const char InvalidRefreshMessage[] = "Invalid refresh token or client_id";

bool isFormBody(const HttpRequest &request)
{
    return request.header("content-type")
        .trimmed()
        .toLower()
        .startsWith("application/x-www-form-urlencoded");
}

void sendOAuthError(HttpResponse *response, int status, const QString &error,
                    const QString &description = {})
{
    QJsonObject body{{QStringLiteral("error"), error}};
    if (!description.isEmpty())
        body.insert(QStringLiteral("error_description"), description);
    sendJson(response, status, body);
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

} // namespace

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
