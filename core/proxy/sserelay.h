#pragma once

#include "http/sseparser.h"
#include "proxy/tokenusage.h"

#include <QByteArray>
#include <QByteArrayView>

// The streaming leg of a proxied answer: upstream bytes in, whole events out. Everything
// read at once comes back as one block holding every event it completed, so the proxy
// writes a burst of events to its client in one write (one system call, one chunk)
// instead of one per event, with the same latency for the first of them.
//
// On the way it reads the token counts from the chunk that carries `usage` (with
// stream_options.include_usage, the last one). When the proxy asked for usage on a
// client's behalf, setStripUsageOnlyChunks(true) keeps that extra chunk (no choices, only
// usage) from the client, which did not ask for it.
class SseRelay
{
public:
    void setStripUsageOnlyChunks(bool strip) { m_strip = strip; }

    // The bytes of the events that data completed, byte for byte as they arrived (less a
    // stripped usage-only chunk); empty when none was completed. After hasError() nothing
    // more comes out.
    QByteArray feed(QByteArrayView data);

    bool sawDone() const { return m_sawDone; }            // data: [DONE], a complete stream's end
    bool hasError() const { return m_parser.hasError(); } // one event too large to buffer
    qint64 eventCount() const { return m_events; }
    const TokenUsage &usage() const { return m_usage; }
    // An incomplete event left when the upstream ended.
    QByteArray takeRemainder() { return m_parser.takeRemainder(); }
    void reset();

private:
    bool inspect(const SseEvent &event); // false: leave the event out

    SseParser m_parser;
    TokenUsage m_usage;
    qint64 m_events = 0;
    bool m_sawDone = false;
    bool m_strip = false;
};
