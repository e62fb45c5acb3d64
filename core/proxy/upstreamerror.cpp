#include "proxy/upstreamerror.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <optional>

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
    // {"error": {"message": …}}, or {"error": "…"} as the Coding Plan's agent check sends.
    const QJsonValue error = QJsonDocument::fromJson(body).object().value(QStringLiteral("error"));
    if (error.isString())
        return error.toString();
    return error.toObject().value(QStringLiteral("message")).toString();
}

// Model Studio's own answers to an API key (PROTOCOL.md §6), each with its sentence; nullopt
// for anything else. A rule per answer, so that each stays readable and testable.
std::optional<UpstreamVerdict> planAnswer(const UpstreamError::Answer &answer,
                                          const UpstreamError::Context &context)
{
    const QByteArray lower = answer.body.toLower();
    const QString said = upstreamMessage(answer.body);
    const QString plan = context.planName;
    const int status = answer.status;
    auto quota = [&](const QString &code, const QString &message) {
        UpstreamVerdict v = failure(status, message, QStringLiteral("insufficient_quota"), code);
        v.quotaExhausted = true;
        return v;
    };
    auto windowUsedUp = [&](PlanWindows::Window window, const QString &code,
                            const QString &message) {
        UpstreamVerdict v = quota(code, message);
        v.exhaustedWindow = window;
        return v;
    };

    if (status == 405 && lower.contains("only available for coding agents")) {
        return failure(
            403,
            UpstreamError::tr("%1 serves only coding agents and did not take this client for one "
                              "(HTTP 405: \"%2\"). Qwen Bridge passes the client's own "
                              "User-Agent on, and OpenCode is taken for a coding agent; other "
                              "tools need a pay-as-you-go key.")
                .arg(plan, said),
            QStringLiteral("permission_error"), QStringLiteral("coding_agents_only"));
    }
    if (status == 429 && lower.contains("hour allocated quota exceeded")) {
        return windowUsedUp(
            PlanWindows::Window::FiveHours, QStringLiteral("hour_quota_exceeded"),
            UpstreamError::tr("%1's short-term request quota (the Coding Plan counts "
                              "5 hours) is used up (\"%2\"). Requests free up as the "
                              "window moves on: try again later.")
                .arg(plan, said));
    }
    if (status == 429 && lower.contains("week allocated quota exceeded")) {
        const QDateTime now = context.now.isValid() ? context.now : QDateTime::currentDateTimeUtc();
        const QDateTime reset = UpstreamError::weeklyQuotaReset(now);
        return windowUsedUp(
            PlanWindows::Window::Week, QStringLiteral("week_quota_exceeded"),
            UpstreamError::tr("%1's weekly request quota is used up (\"%2\"). It resets "
                              "on Monday at 00:00 UTC+8, that is %3 your time.")
                .arg(plan, said, reset.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
    }
    if (status == 429 && lower.contains("month allocated quota exceeded")) {
        return windowUsedUp(
            PlanWindows::Window::Month, QStringLiteral("month_quota_exceeded"),
            UpstreamError::tr("%1's monthly request quota is used up (\"%2\"). It "
                              "resets on the day of the month the subscription began.")
                .arg(plan, said));
    }
    if (status == 429 && lower.contains("concurrency allocated quota exceeded")) {
        // Too many requests at once: a moment later there is room again.
        if (context.attempt <= context.maxServerErrorRetries) {
            UpstreamVerdict v;
            v.action = UpstreamVerdict::Action::RetryLater;
            v.retryDelayMs = context.retryBaseDelayMs * context.attempt;
            return v;
        }
        return failure(429,
                       UpstreamError::tr("%1 is already answering as many requests at once as "
                                         "the plan allows (\"%2\"). Try again in a moment.")
                           .arg(plan, said),
                       QStringLiteral("rate_limit_error"),
                       QStringLiteral("concurrency_quota_exceeded"));
    }
    if (lower.contains("good standing") || lower.contains("arrearage")) {
        return failure(402,
                       UpstreamError::tr("Alibaba Cloud refused the request because the account "
                                         "behind this key has an overdue bill (\"%1\"). Settle "
                                         "it in the Alibaba Cloud console; the key works again "
                                         "after that.")
                           .arg(said),
                       QStringLiteral("insufficient_quota"), QStringLiteral("account_in_arrears"));
    }
    if (lower.contains("allocationquota.freetieronly")) {
        return quota(QStringLiteral("free_tier_only"),
                     UpstreamError::tr("The free quota of %1 is used up, and the key is set to "
                                       "use the free tier only. Turn off \"free tier only\" for "
                                       "the model in the Model Studio console to go on with paid "
                                       "use, or choose another model.")
                         .arg(context.model));
    }
    if (status == 400 && lower.contains("model") && lower.contains("is not supported")) {
        const QString message =
            context.planModels.isEmpty()
                ? UpstreamError::tr("%1 does not serve the model \"%2\" (\"%3\").")
                      .arg(plan, context.model, said)
                : UpstreamError::tr("%1 does not serve the model \"%2\". Its models are: %3. "
                                    "Model names are exact, capitals included.")
                      .arg(plan, context.model, context.planModels.join(QStringLiteral(", ")));
        return failure(400, message, QStringLiteral("invalid_request_error"),
                       QStringLiteral("model_not_found"));
    }
    if (status == 401 && context.retried401 && context.keyHasWorked) {
        return failure(401,
                       UpstreamError::tr("%1 no longer accepts this key, which worked before: "
                                         "the plan may have expired or the key was disabled "
                                         "(\"%2\"). Check the subscription in the Model Studio "
                                         "console; then sign in with a new key if needed "
                                         "(`qwen-bridge login --api-key`).")
                           .arg(plan, said),
                       QStringLiteral("authentication_error"), QStringLiteral("plan_expired"));
    }
    return std::nullopt;
}
} // namespace

QDateTime UpstreamError::weeklyQuotaReset(const QDateTime &now)
{
    return PlanWindows::weekSpan(now).resetsAt.toUTC();
}

bool UpstreamError::isQuotaError(const QByteArray &body)
{
    const QByteArray lower = body.toLower();
    return lower.contains("insufficient_quota") || lower.contains("free allocated quota") ||
           lower.contains("quota exceeded") || lower.contains("free tier");
}

UpstreamVerdict UpstreamError::forAnswer(const Answer &answer, const Context &context)
{
    const int status = answer.status;
    if (context.method == AuthMethod::ApiKey) {
        if (const std::optional<UpstreamVerdict> v = planAnswer(answer, context))
            return *v;
    }
    if (status == 401 && !context.retried401) {
        UpstreamVerdict v;
        v.action = UpstreamVerdict::Action::RefreshAndRetry;
        return v;
    }
    if ((status == 429 || status == 403) && isQuotaError(answer.body)) {
        const QString message =
            context.method == AuthMethod::OAuth
                ? tr("Your Qwen account has no OAuth quota left: Qwen ended the free OAuth tier "
                     "on 2026-04-15. Sign in with an API key instead (Alibaba Cloud Model Studio "
                     "or Coding Plan) in Qwen Bridge, or run `qwen-bridge login --api-key`.")
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
                           "again in Qwen Bridge or run `qwen-bridge login`.");
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

UpstreamVerdict UpstreamError::forSession(SessionError error, const QString &message)
{
    switch (error) {
    case SessionError::Offline:
        return failure(503, message, QStringLiteral("upstream_unavailable"),
                       QStringLiteral("session_offline"));
    case SessionError::Keychain:
        return failure(503, message, QStringLiteral("server_error"),
                       QStringLiteral("keychain_unavailable"));
    default:
        return failure(401, message, QStringLiteral("authentication_error"),
                       QStringLiteral("sign_in_required"));
    }
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
