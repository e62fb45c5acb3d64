#include "proxy/tokenusage.h"

#include "proxy/jsonspans.h"

#include <QJsonDocument>

namespace {
// What a count may be: positive and below 9e15 (where a double still holds every whole
// number); anything else counts as nothing.
qint64 countFrom(double v)
{
    return v > 0 && v < 9e15 ? qint64(v) : 0;
}

qint64 count(const QJsonObject &o, QLatin1String key)
{
    return countFrom(o.value(key).toDouble(0));
}

// The same rule for a count written as JSON text: a number (a string, null or an object
// counts as nothing, as QJsonValue::toDouble(0) has it).
qint64 countText(QByteArrayView text)
{
    if (text.isEmpty() || (text.front() != '-' && (text.front() < '0' || text.front() > '9')))
        return 0;
    bool ok = false;
    const double v = text.toDouble(&ok);
    return ok ? countFrom(v) : 0;
}

// The count under key in the object whose text is object (the last one, for a key written
// twice); 0 when object is not an object or has no such member.
qint64 memberCount(QByteArrayView object, QByteArrayView key)
{
    QList<JsonSpans::Member> members;
    if (!JsonSpans::members(object, &members))
        return 0;
    for (auto it = members.crbegin(); it != members.crend(); ++it) {
        if (it->key == key)
            return countText(it->value.in(object));
    }
    return 0;
}
} // namespace

TokenUsage TokenUsage::fromUsageText(QByteArrayView usage)
{
    TokenUsage u;
    QList<JsonSpans::Member> members;
    members.reserve(8);
    if (!JsonSpans::members(usage, &members) || members.isEmpty())
        return u;
    u.reported = true;
    // In the order written, so that a key written twice counts with its last value.
    for (const JsonSpans::Member &m : std::as_const(members)) {
        const QByteArrayView value = m.value.in(usage);
        if (m.key == "prompt_tokens")
            u.promptTokens = countText(value);
        else if (m.key == "completion_tokens")
            u.completionTokens = countText(value);
        else if (m.key == "prompt_tokens_details")
            u.cachedTokens = memberCount(value, "cached_tokens");
        else if (m.key == "completion_tokens_details")
            u.reasoningTokens = memberCount(value, "reasoning_tokens");
    }
    return u;
}

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
    members.reserve(8);
    if (JsonSpans::members(body, &members)) {
        *readable = true;
        for (auto it = members.crbegin(); it != members.crend(); ++it) {
            if (it->key == "usage") // the last one, as QJsonDocument reads a key written twice
                return fromUsageText(it->value.in(body));
        }
        return {};
    }
    // Not an object, or cut short: only a parse tells which.
    const QJsonDocument document = QJsonDocument::fromJson(body);
    *readable = !document.isNull();
    return fromAnswer(document.object());
}
