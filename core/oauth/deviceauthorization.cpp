#include "oauth/deviceauthorization.h"

#include "oauth/oauthrequest.h"
#include "settings/urlpolicy.h"
#include "util/logcategories.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QUrlQuery>

static const char kDeviceGrant[] = "urn:ietf:params:oauth:grant-type:device_code";

DeviceAuthorization::DeviceAuthorization(QNetworkAccessManager *nam, const OAuthConfig &config,
                                         QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_config(config)
{
    // Precise timers: a coarse one may fire up to 5 % early, which would poll before the
    // interval the server asked for (RFC 8628 §3.5) and repeat a countdown second.
    m_pollTimer.setSingleShot(true);
    m_pollTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_pollTimer, &QTimer::timeout, this, &DeviceAuthorization::poll);
    m_tickTimer.setTimerType(Qt::PreciseTimer);
    m_tickTimer.setInterval(1000);
    connect(&m_tickTimer, &QTimer::timeout, this, &DeviceAuthorization::onTick);
}

DeviceAuthorization::~DeviceAuthorization()
{
    // Silently: aborting a reply in flight must not report a transient error from here.
    stop();
}

void DeviceAuthorization::setTiming(int defaultIntervalMs, int slowDownStepMs)
{
    m_defaultIntervalMs = defaultIntervalMs;
    m_slowDownStepMs = slowDownStepMs;
}

int DeviceAuthorization::secondsLeft() const
{
    if (!m_running || m_deadline.isForever())
        return 0;
    return int((m_deadline.remainingTime() + 999) / 1000);
}

void DeviceAuthorization::start()
{
    if (m_running)
        return;
    m_running = true;
    m_deviceCode.clear();
    m_lastTransientError.clear();
    m_deadline = QDeadlineTimer(QDeadlineTimer::Forever);
    m_pkce = Pkce::generate();

    QUrlQuery form;
    form.addQueryItem(QStringLiteral("client_id"), m_config.clientId);
    form.addQueryItem(QStringLiteral("scope"), m_config.scope);
    form.addQueryItem(QStringLiteral("code_challenge"), QString::fromLatin1(m_pkce.challenge));
    form.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    qCDebug(lcOAuth) << "requesting a device code from" << m_config.deviceCodeUrl().toString();
    m_reply = postOAuthForm(m_nam, m_config.deviceCodeUrl(), form, m_requestTimeoutMs);
    QNetworkReply *reply = m_reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onDeviceCodeReply(reply); });
}

QString DeviceAuthorization::formatCountdown(int seconds)
{
    seconds = qMax(0, seconds);
    return QStringLiteral("%1:%2")
        .arg(seconds / 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

void DeviceAuthorization::cancel()
{
    if (!m_running)
        return;
    finishWith({AuthError::Cancelled, tr("Sign-in was cancelled.")});
}

static bool acceptableVerificationUrl(const QUrl &url, const QUrl &oauthBase)
{
    if (!UrlPolicy::allowsTransport(url))
        return false;
    // A server reached over HTTPS must not send the person to a plain-HTTP page, not even
    // one on this computer.
    if (oauthBase.scheme().toLower() == QLatin1String("https"))
        return url.scheme().toLower() == QLatin1String("https");
    return true;
}

void DeviceAuthorization::onDeviceCodeReply(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply != m_reply || !m_running)
        return;
    m_reply.clear();
    const OAuthReply r = OAuthReply::read(reply);
    if (r.transportFailed) {
        finishWith({AuthError::Network, r.describeTransportFailure()});
        return;
    }
    if (r.isServerError()) {
        finishWith({AuthError::Server,
                    tr("The Qwen sign-in server had a problem (HTTP %1). Try again in a minute.")
                        .arg(r.httpStatus)});
        return;
    }
    const QString userCode = r.body.value(QStringLiteral("user_code")).toString();
    m_deviceCode = r.body.value(QStringLiteral("device_code")).toString().toUtf8();
    if (r.httpStatus != 200 || userCode.isEmpty() || m_deviceCode.isEmpty()) {
        const QString detail = r.errorDescription.isEmpty() ? r.error : r.errorDescription;
        finishWith({AuthError::Rejected,
                    detail.isEmpty()
                        ? tr("The Qwen sign-in server refused to start a sign-in (HTTP %1). "
                             "Check the OAuth base URL and client id in the settings.")
                              .arg(r.httpStatus)
                        : tr("The Qwen sign-in server refused to start a sign-in: %1. "
                             "Check the OAuth base URL and client id in the settings.")
                              .arg(detail)});
        return;
    }

    DeviceCode code;
    code.userCode = userCode;
    code.verificationUri = QUrl(r.body.value(QStringLiteral("verification_uri")).toString());
    code.verificationUriComplete =
        QUrl(r.body.value(QStringLiteral("verification_uri_complete")).toString());
    if (code.verificationUriComplete.isEmpty() && code.verificationUri.isValid()) {
        code.verificationUriComplete = code.verificationUri;
        QUrlQuery q(code.verificationUriComplete);
        q.addQueryItem(QStringLiteral("user_code"), userCode);
        code.verificationUriComplete.setQuery(q);
    }
    // The Qwen page expects to know which client sent the person; the original plugin
    // added this when the server left it out.
    QUrlQuery complete(code.verificationUriComplete);
    if (!complete.hasQueryItem(QStringLiteral("client"))) {
        complete.addQueryItem(QStringLiteral("client"), QStringLiteral("qwen-code"));
        code.verificationUriComplete.setQuery(complete);
    }
    if (code.verificationUri.isEmpty())
        code.verificationUri = code.verificationUriComplete;
    if (!acceptableVerificationUrl(code.verificationUriComplete, m_config.baseUrl) ||
        !acceptableVerificationUrl(code.verificationUri, m_config.baseUrl)) {
        finishWith({AuthError::Rejected,
                    tr("The Qwen sign-in server sent an unusable verification address.")});
        return;
    }
    code.expiresInSeconds = r.body.value(QStringLiteral("expires_in")).toInt(0);
    if (code.expiresInSeconds <= 0)
        code.expiresInSeconds = 600; // RFC 8628 requires it; a missing value must not hang us
    code.intervalSeconds = r.body.value(QStringLiteral("interval")).toInt(0);
    m_intervalMs = code.intervalSeconds > 0 ? code.intervalSeconds * 1000 : m_defaultIntervalMs;
    m_deadline = QDeadlineTimer(qint64(code.expiresInSeconds) * 1000);
    qCInfo(lcOAuth) << "device code issued; expires in" << code.expiresInSeconds
                    << "s, polling every" << m_intervalMs << "ms";

    Q_EMIT codeReady(code);
    if (!m_running)
        return; // a slot cancelled us
    m_tickTimer.start();
    Q_EMIT countdown(secondsLeft());
    scheduleNextPoll();
}

void DeviceAuthorization::scheduleNextPoll()
{
    if (m_running)
        m_pollTimer.start(m_intervalMs);
}

void DeviceAuthorization::onTick()
{
    if (!m_running)
        return;
    if (m_deadline.hasExpired()) {
        QString message = tr("The sign-in code expired before it was approved. "
                             "Start the sign-in again and approve it in the browser in time.");
        if (!m_lastTransientError.isEmpty())
            message += QLatin1Char(' ') +
                       tr("The last attempt to check failed: %1").arg(m_lastTransientError);
        finishWith({AuthError::Expired, message});
        return;
    }
    Q_EMIT countdown(secondsLeft());
}

void DeviceAuthorization::poll()
{
    if (!m_running || m_reply)
        return;
    if (m_deadline.hasExpired()) {
        onTick();
        return;
    }
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QLatin1String(kDeviceGrant));
    form.addQueryItem(QStringLiteral("client_id"), m_config.clientId);
    form.addQueryItem(QStringLiteral("device_code"), QString::fromUtf8(m_deviceCode));
    form.addQueryItem(QStringLiteral("code_verifier"), QString::fromLatin1(m_pkce.verifier));
    m_reply = postOAuthForm(m_nam, m_config.tokenUrl(), form, m_requestTimeoutMs);
    QNetworkReply *reply = m_reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onTokenReply(reply); });
}

void DeviceAuthorization::onTokenReply(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply != m_reply || !m_running)
        return;
    m_reply.clear();
    const OAuthReply r = OAuthReply::read(reply);

    // PROTOCOL.md §2: a 5xx or a network error while polling is transient, whatever the
    // body says (servers put "server_error" and the like in it); polling goes on until the
    // code expires.
    if (r.transportFailed || r.isServerError()) {
        m_lastTransientError = r.transportFailed
                                   ? r.describeTransportFailure()
                                   : tr("the server answered HTTP %1").arg(r.httpStatus);
        qCWarning(lcOAuth) << "poll failed, will retry:" << m_lastTransientError;
        Q_EMIT transientError(m_lastTransientError);
        scheduleNextPoll();
        return;
    }
    if (r.httpStatus == 200 && r.body.contains(QStringLiteral("access_token"))) {
        TokenSet tokens;
        tokens.accessToken = r.body.value(QStringLiteral("access_token")).toString();
        tokens.refreshToken = r.body.value(QStringLiteral("refresh_token")).toString();
        tokens.tokenType = r.body.value(QStringLiteral("token_type")).toString();
        tokens.resourceUrl = r.body.value(QStringLiteral("resource_url")).toString();
        tokens.scope = r.body.value(QStringLiteral("scope")).toString();
        const int expiresIn = r.body.value(QStringLiteral("expires_in")).toInt(3600);
        tokens.expiresAt = QDateTime::currentDateTimeUtc().addSecs(expiresIn);
        if (tokens.accessToken.isEmpty()) {
            finishWith({AuthError::Server, tr("The Qwen sign-in server sent an empty token.")});
            return;
        }
        qCInfo(lcOAuth) << "device authorization approved";
        stop();
        Q_EMIT succeeded(tokens);
        return;
    }
    if (r.error == QLatin1String("authorization_pending")) {
        m_lastTransientError.clear();
        scheduleNextPoll();
        return;
    }
    if (r.error == QLatin1String("slow_down") || (r.httpStatus == 429 && r.error.isEmpty())) {
        // RFC 8628 §3.5: the longer interval holds for this and every later poll.
        m_intervalMs += m_slowDownStepMs;
        qCInfo(lcOAuth) << "server asked to slow down; polling every" << m_intervalMs << "ms";
        scheduleNextPoll();
        return;
    }
    if (r.error == QLatin1String("expired_token")) {
        finishWith({AuthError::Expired,
                    tr("The sign-in code expired before it was approved. "
                       "Start the sign-in again and approve it in the browser in time.")});
        return;
    }
    if (r.error == QLatin1String("access_denied")) {
        finishWith({AuthError::Denied,
                    tr("The sign-in was refused in the browser. Start it again and choose "
                       "to allow access if you want to use your Qwen account here.")});
        return;
    }
    const QString detail = r.errorDescription.isEmpty() ? r.error : r.errorDescription;
    finishWith({AuthError::Rejected,
                tr("The Qwen sign-in server refused the sign-in: %1")
                    .arg(detail.isEmpty() ? tr("HTTP %1").arg(r.httpStatus) : detail)});
}

void DeviceAuthorization::stop()
{
    m_running = false;
    m_pollTimer.stop();
    m_tickTimer.stop();
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply.clear();
        reply->abort();
    }
    m_deviceCode.clear();
    m_pkce = {};
}

void DeviceAuthorization::finishWith(const AuthFailure &failure)
{
    qCInfo(lcOAuth) << "device authorization ended:" << failure.message;
    stop();
    Q_EMIT failed(failure);
}
