#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

// One complete Server-Sent Event: the exact bytes it arrived as, and a parsed view.
struct SseEvent
{
    // Everything from the end of the previous event up to and including this event's
    // terminating blank line. Concatenating the raw bytes of all events and the final
    // remainder gives back the input stream exactly, so the proxy can forward verbatim.
    QByteArray raw;
    QByteArray event;    // the "event" field; empty means the default "message"
    QByteArray data;     // the "data" fields joined with '\n'
    QByteArray id;       // the "id" field, when hasId
    qint64 retryMs = -1; // the "retry" field when it was a valid number
    bool hasData = false;
    bool hasId = false;

    // Only comments (": keep-alive") or fields without data: nothing to dispatch.
    bool isCommentOnly() const { return !hasData && event.isEmpty() && !hasId && retryMs < 0; }
    // OpenAI-style end of stream marker.
    bool isDone() const { return hasData && data == "[DONE]"; }
};

// Incremental splitter of an SSE stream (the WHATWG event-stream format) for the
// upstream side of the proxy. Bytes may be split anywhere; lines end in LF, CRLF or CR.
// An event is returned as soon as its blank line is seen, even when the blank line is a
// lone CR at the end of the input whose LF may follow: that LF then starts the raw bytes
// of the next event (the stream stays byte-identical) and is not read as another line.
// Blank lines that end no event (nothing before them) are kept at the front of the next
// event's raw bytes rather than emitted on their own.
class SseParser
{
public:
    static constexpr qsizetype DefaultMaxBufferedBytes = 16 * 1024 * 1024;

    explicit SseParser(qsizetype maxBufferedBytes = DefaultMaxBufferedBytes);

    // Returns the events completed by data. Once the incomplete part buffered exceeds the
    // limit, hasError() turns true, the buffer is dropped and later input is ignored.
    QList<SseEvent> feed(QByteArrayView data);

    // Bytes of an incomplete event (and stray blank lines) left at end of stream; the
    // parser is reset afterwards.
    QByteArray takeRemainder();
    qsizetype bufferedBytes() const { return m_buffer.size(); }

    bool hasError() const { return m_error; }
    QByteArray errorString() const;
    void reset();

private:
    void processLine(QByteArrayView line);
    void dispatch(qsizetype end, QList<SseEvent> *out);
    void clearFields();

    qsizetype m_max;
    QByteArray m_buffer;       // bytes not yet returned: the current event so far
    qsizetype m_scan = 0;      // next byte of m_buffer to look at
    qsizetype m_lineStart = 0; // start of the current line in m_buffer
    bool m_afterCR = false;    // last line ended in CR: a following LF belongs to it
    bool m_firstLine = true;   // a UTF-8 BOM may start the stream
    bool m_error = false;

    // Fields of the event being read.
    bool m_hasLines = false;
    SseEvent m_current;
};
