#pragma once

#include "http/sseparser.h"

#include <QByteArray>
#include <QByteArrayView>

// The streaming leg of a proxied answer: upstream bytes in, whole events out. Everything
// read at once comes back as one block holding every event it completed, so the proxy
// writes a burst of events to its client in one write (one system call, one chunk)
// instead of one per event, with the same latency for the first of them.
class SseRelay
{
public:
    // The bytes of the events that data completed, byte for byte as they arrived; empty
    // when none was completed. After hasError() nothing more comes out.
    QByteArray feed(QByteArrayView data);

    bool sawDone() const { return m_sawDone; }            // data: [DONE], a complete stream's end
    bool hasError() const { return m_parser.hasError(); } // one event too large to buffer
    qint64 eventCount() const { return m_events; }
    // An incomplete event left when the upstream ended.
    QByteArray takeRemainder() { return m_parser.takeRemainder(); }
    void reset();

private:
    SseParser m_parser;
    qint64 m_events = 0;
    bool m_sawDone = false;
};
