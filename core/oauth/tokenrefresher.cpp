#include "oauth/tokenrefresher.h"

#include "oauth/oauthrequest.h"
#include "util/logcategories.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QUrlQuery>

TokenRefresher::TokenRefresher(QNetworkAccessManager *nam, const OAuthConfig &config,
                               QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_config(config)
{}

TokenRefresher::~TokenRefresher()
{
    abort();
}

void TokenRefresher::refresh(const TokenSet &current)
{
    if (m_reply)
        return;
    m_current = current;
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("refresh_token"));
    form.addQueryItem(QStringLiteral("refresh_token"), current.refreshToken);
    form.addQueryItem(QStringLiteral("client_id"), m_config.clientId);
    qCDebug(lcOAuth) << "refreshing the access token";
    m_reply = postOAuthForm(m_nam, m_config.tokenUrl(), form, m_timeoutMs);
    QNetworkReply *reply = m_reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onReply(reply); });
}

void TokenRefresher::abort()
{
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply.clear();
        reply->abort();
    }
}

TokenRefresher::Result TokenRefresher::classify(int httpStatus, bool transportFailed,
                                                const QString &error, const QString &description)
{
    Result r;
    r.httpStatus = httpStatus;
    if (transportFailed || httpStatus >= 500 || httpStatus == 429) {
        r.outcome = Outcome::Transient;
        r.message = transportFailed
                        ? QCoreApplication::translate("TokenRefresher",
                                                      "The Qwen sign-in server could not be "
                                                      "reached to renew the session.")
                        : QCoreApplication::translate("TokenRefresher",
                                                      "The Qwen sign-in server had a problem "
                                                      "renewing the session (HTTP %1).")
                              .arg(httpStatus);
        return r;
    }
    if (httpStatus == 400 || httpStatus == 401 || httpStatus == 403 ||
        error == QLatin1String("invalid_grant")) {
        r.outcome = Outcome::SignInRequired;
        r.message =
            QCoreApplication::translate(
                "TokenRefresher",
                "Your Qwen session has ended (%1). Sign in again in Qwen Bridge or run "
                "`qwen-bridge login`.")
                .arg(description.isEmpty() ? (error.isEmpty() ? QString::number(httpStatus) : error)
                                           : description);
        return r;
    }
    r.outcome = Outcome::Transient;
    r.message = QCoreApplication::translate("TokenRefresher",
                                            "The Qwen sign-in server gave an unexpected answer "
                                            "(HTTP %1) while renewing the session.")
                    .arg(httpStatus);
    return r;
}

void TokenRefresher::onReply(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply != m_reply)
        return;
    m_reply.clear();
    const OAuthReply r = OAuthReply::read(reply);
    Result result;
    const QString access = r.body.value(QStringLiteral("access_token")).toString();
    if (r.httpStatus == 200 && !access.isEmpty()) {
        result.outcome = Outcome::Success;
        result.httpStatus = 200;
        TokenSet t = m_current;
        t.accessToken = access;
        const QString newRefresh = r.body.value(QStringLiteral("refresh_token")).toString();
        result.rotated = !newRefresh.isEmpty() && newRefresh != m_current.refreshToken;
        if (!newRefresh.isEmpty())
            t.refreshToken = newRefresh;
        if (r.body.contains(QStringLiteral("token_type")))
            t.tokenType = r.body.value(QStringLiteral("token_type")).toString();
        if (r.body.contains(QStringLiteral("resource_url")))
            t.resourceUrl = r.body.value(QStringLiteral("resource_url")).toString();
        t.expiresAt = QDateTime::currentDateTimeUtc().addSecs(
            r.body.value(QStringLiteral("expires_in")).toInt(3600));
        result.tokens = t;
        qCInfo(lcOAuth) << "access token refreshed; rotated refresh token:" << result.rotated;
    } else {
        result = classify(r.httpStatus, r.transportFailed, r.error, r.errorDescription);
        if (r.httpStatus == 200)
            result.outcome = Outcome::Transient; // 200 without a token: try again later
        qCWarning(lcOAuth) << "refresh failed:" << result.outcome << "HTTP" << r.httpStatus
                           << r.error;
    }
    m_current = {};
    Q_EMIT finished(result);
}
