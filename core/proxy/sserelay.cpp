#include "proxy/sserelay.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

bool SseRelay::inspect(const SseEvent &e)
{
    ++m_events;
    if (!e.hasData)
        return true;
    if (e.isDone()) {
        m_sawDone = true;
        return true;
    }
    // Only a chunk that mentions usage is parsed: the others pass untouched, and most
    // carry no usage or "usage":null.
    if (!e.data.contains("\"usage\"") || !e.event.isEmpty())
        return true;
    const QJsonObject chunk = QJsonDocument::fromJson(e.data).object();
    const TokenUsage usage = TokenUsage::fromAnswer(chunk);
    if (!usage.reported)
        return true;
    m_usage = usage;
    return !(m_strip && chunk.value(QLatin1String("choices")).toArray().isEmpty());
}

QByteArray SseRelay::feed(QByteArrayView data)
{
    const QList<SseEvent> events = m_parser.feed(data);
    if (events.size() == 1)
        return inspect(events.first()) ? events.first().raw : QByteArray();
    qsizetype size = 0;
    for (const SseEvent &e : events)
        size += e.raw.size();
    QByteArray out;
    out.reserve(size);
    for (const SseEvent &e : events) {
        if (inspect(e))
            out += e.raw;
    }
    return out;
}

void SseRelay::reset()
{
    m_parser.reset();
    m_usage = TokenUsage();
    m_events = 0;
    m_sawDone = false;
}
