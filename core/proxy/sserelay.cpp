#include "proxy/sserelay.h"

QByteArray SseRelay::feed(QByteArrayView data)
{
    const QList<SseEvent> events = m_parser.feed(data);
    if (events.isEmpty())
        return {};
    if (events.size() == 1) {
        m_events += 1;
        if (events.first().isDone())
            m_sawDone = true;
        return events.first().raw;
    }
    qsizetype size = 0;
    for (const SseEvent &e : events)
        size += e.raw.size();
    QByteArray out;
    out.reserve(size);
    for (const SseEvent &e : events) {
        if (e.isDone())
            m_sawDone = true;
        out += e.raw;
    }
    m_events += events.size();
    return out;
}

void SseRelay::reset()
{
    m_parser.reset();
    m_events = 0;
    m_sawDone = false;
}
