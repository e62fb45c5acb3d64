#include "proxy/tokenusage.h"

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
