#include "proxy/upstreamerror.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace {
UpstreamVerdict failure(int status, const QString &message, const QString &type,
                        const QString &code)
{
    UpstreamVerdict v;
    v.action = UpstreamVerdict::Action::Fail;
    v.status = status;
    v.message = message;
    v.type = type;
    v.code = code;
    return v;
}

// The upstream's own sentence from an OpenAI-style body, if it has one.
QString upstreamMessage(const QByteArray &body)
{
    return QJsonDocument::fromJson(body)
        .object()
        .value(QStringLiteral("error"))
        .toObject()
        .value(QStringLiteral("message"))
        .toString();
}
} // namespace

bool UpstreamError::isQuotaError(const QByteArray &body)
{
    const QByteArray lower = body.toLower();
    return lower.contains("insufficient_quota") || lower.contains("free allocated quota") ||
           lower.contains("quota exceeded") || lower.contains("free tier");
}

UpstreamVerdict UpstreamError::forAnswer(const Answer &answer, const Context &context)
{
    const int status = answer.status;
    if (status == 401 && !context.retried401) {
        UpstreamVerdict v;
        v.action = UpstreamVerdict::Action::RefreshAndRetry;
        return v;
    }
    if ((status == 429 || status == 403) && isQuotaError(answer.body)) {
        const QString message =
            context.method == AuthMethod::OAuth
                ? tr("Your Qwen account has no OAuth quota left: Qwen ended the free OAuth tier "
                     "on 2026-04-15. Use an API key instead (Alibaba Cloud Model Studio or "
                     "Coding Plan): choose \"Use an API key instead…\" in the Qwen Bridge tray "
                     "menu, or run `qwen-bridge login --api-key`.")
                : tr("The model service says this API key has no quota left. Check the balance "
                     "and plan of the key in Alibaba Cloud Model Studio.");
        UpstreamVerdict v = failure(429, message, QStringLiteral("insufficient_quota"),
                                    QStringLiteral("insufficient_quota"));
        v.quotaExhausted = true;
        return v;
    }
    if (status >= 500 && !context.stream && context.attempt <= context.maxServerErrorRetries) {
        UpstreamVerdict v;
        v.action = UpstreamVerdict::Action::RetryLater;
        v.retryDelayMs = context.retryBaseDelayMs * context.attempt;
        return v;
    }

    HttpHeaders extra;
    if (!answer.retryAfter.isEmpty())
        extra.append(qMakePair(QByteArrayLiteral("Retry-After"), answer.retryAfter));
    QString message;
    QString code;
    if (status == 401) {
        message = context.method == AuthMethod::ApiKey
                      ? tr("The model service refused the API key. Keys only work in their own "
                           "region and plan: check the key and the base URL, then run "
                           "`qwen-bridge login --api-key` again.")
                      : tr("The Qwen API refused the token even after renewing it. Sign in "
                           "again from the Qwen Bridge tray menu or run `qwen-bridge login`.");
        code = QStringLiteral("invalid_api_key");
    } else if (status == 429) {
        message = answer.retryAfter.isEmpty()
                      ? tr("The Qwen API is limiting requests. Wait a moment and try again.")
                      : tr("The Qwen API is limiting requests. Try again in %1 seconds.")
                            .arg(QString::fromLatin1(answer.retryAfter));
        code = QStringLiteral("rate_limit_exceeded");
    } else if (status >= 500) {
        message = tr("The Qwen API had a problem (HTTP %1). Try again in a moment.").arg(status);
        code = QStringLiteral("upstream_error");
    }

    if (message.isEmpty()) {
        // Other client errors: the upstream's own words reach OpenCode unchanged.
        const QJsonDocument doc = QJsonDocument::fromJson(answer.body);
        if (doc.isObject() && doc.object().contains(QStringLiteral("error"))) {
            UpstreamVerdict v;
            v.action = UpstreamVerdict::Action::PassThrough;
            v.status = status;
            v.extraHeaders = extra;
            return v;
        }
        message = tr("The Qwen API answered HTTP %1: %2")
                      .arg(status)
                      .arg(QString::fromUtf8(answer.body.left(300)).simplified());
        code = QStringLiteral("upstream_error");
    } else if (const QString said = upstreamMessage(answer.body); !said.isEmpty()) {
        message += QLatin1Char(' ') + tr("(The service said: %1)").arg(said);
    }
    UpstreamVerdict v = failure(status, message,
                                status == 429 ? QStringLiteral("rate_limit_error")
                                              : QStringLiteral("upstream_error"),
                                code);
    v.extraHeaders = extra;
    return v;
}

UpstreamVerdict UpstreamError::forTransport(HttpClientReply::Error error, const QString &errorText,
                                            const QString &host, bool timedOut, int idleSeconds,
                                            int connectTimeoutSeconds)
{
    using Error = HttpClientReply::Error;
    const QString type = QStringLiteral("upstream_error");
    switch (timedOut ? Error::Canceled : error) {
    case Error::Canceled:
        return failure(504,
                       tr("The Qwen API at %1 did not answer within %2 seconds. Try again.")
                           .arg(host)
                           .arg(idleSeconds),
                       type, QStringLiteral("upstream_timeout"));
    case Error::HostNotFound:
        return failure(502,
                       tr("The name %1 could not be resolved. Check your network connection "
                          "and DNS.")
                           .arg(host),
                       type, QStringLiteral("upstream_dns"));
    case Error::Tls:
        return failure(502,
                       tr("A secure connection to %1 could not be made (%2). Check the API "
                          "address and the system's certificates.")
                           .arg(host, errorText),
                       type, QStringLiteral("upstream_tls"));
    case Error::ConnectionRefused:
        return failure(502, tr("%1 refused the connection. Check the API address.").arg(host), type,
                       QStringLiteral("upstream_unreachable"));
    case Error::Proxy:
        return failure(502, errorText, type, QStringLiteral("upstream_proxy"));
    case Error::ConnectTimeout:
        return failure(504,
                       tr("No connection to the Qwen API at %1 could be set up within %2 "
                          "seconds. Check your network connection, firewall and proxy settings.")
                           .arg(host)
                           .arg(connectTimeoutSeconds),
                       type, QStringLiteral("upstream_connect_timeout"));
    default:
        return failure(502, tr("Could not reach the Qwen API at %1: %2").arg(host, errorText), type,
                       QStringLiteral("upstream_unreachable"));
    }
}

UpstreamVerdict UpstreamError::forCutOffBody(const QString &errorText, bool timedOut,
                                             int idleSeconds)
{
    if (timedOut)
        return failure(504,
                       tr("The Qwen API stopped sending its answer and did not go on for %1 "
                          "seconds. Try again.")
                           .arg(idleSeconds),
                       QStringLiteral("upstream_error"), QStringLiteral("upstream_timeout"));
    return failure(502,
                   tr("The connection to the Qwen API broke before the answer was complete "
                      "(%1). Try again.")
                       .arg(errorText),
                   QStringLiteral("upstream_error"), QStringLiteral("upstream_interrupted"));
}

UpstreamVerdict UpstreamError::forUnreadableBody(qsizetype bytes)
{
    return failure(502,
                   tr("The Qwen API's answer was cut off or unreadable (%1 bytes of JSON that "
                      "does not parse). Try again.")
                       .arg(bytes),
                   QStringLiteral("upstream_error"), QStringLiteral("upstream_bad_response"));
}

QString UpstreamError::streamBroken(HttpClientReply::Error error, const QString &errorText,
                                    bool timedOut, int idleSeconds)
{
    if (timedOut)
        return tr("The Qwen API stopped sending in the middle of the answer and did not go on "
                  "for %1 seconds. Try again.")
            .arg(idleSeconds);
    if (error != HttpClientReply::Error::None)
        return tr("The connection to the Qwen API broke in the middle of the answer (%1). Try "
                  "again.")
            .arg(errorText);
    return tr("The connection to the Qwen API ended before the answer was complete. Try again.");
}

QString UpstreamError::eventTooLarge()
{
    return tr("The Qwen API sent an event larger than Qwen Bridge accepts.");
}
