#include "proxy/tokenusage.h"

#include "proxy/jsonspans.h"

#include <QJsonDocument>

namespace {
qint64 count(const QJsonObject &o, QLatin1String key)
{
    const double v = o.value(key).toDouble(0);
    return v > 0 && v < 9e15 ? qint64(v) : 0;
}
} // namespace

TokenUsage TokenUsage::fromUsageObject(const QJsonObject &usage)
{
    TokenUsage u;
    if (usage.isEmpty())
        return u;
    u.reported = true;
    u.promptTokens = count(usage, QLatin1String("prompt_tokens"));
    u.completionTokens = count(usage, QLatin1String("completion_tokens"));
    u.cachedTokens = count(usage.value(QLatin1String("prompt_tokens_details")).toObject(),
                           QLatin1String("cached_tokens"));
    u.reasoningTokens = count(usage.value(QLatin1String("completion_tokens_details")).toObject(),
                              QLatin1String("reasoning_tokens"));
    return u;
}

TokenUsage TokenUsage::fromAnswer(const QJsonObject &answer)
{
    const QJsonValue usage = answer.value(QLatin1String("usage"));
    return usage.isObject() ? fromUsageObject(usage.toObject()) : TokenUsage();
}

TokenUsage TokenUsage::fromAnswerBody(const QByteArray &body, bool *readable)
{
    // Parsing the whole answer cost a plain request a tenth of its time in the proxy.
    QList<JsonSpans::Member> members;
    if (JsonSpans::members(body, &members)) {
        *readable = true;
        for (auto it = members.crbegin(); it != members.crend(); ++it) {
            if (it->key == "usage") // the last one, as QJsonDocument reads a key written twice
                return fromUsageObject(
                    QJsonDocument::fromJson(it->value.in(body).toByteArray()).object());
        }
        return {};
    }
    // Not an object, or cut short: only a parse tells which.
    const QJsonDocument document = QJsonDocument::fromJson(body);
    *readable = !document.isNull();
    return fromAnswer(document.object());
}
