#include "http/sseparser.h"

#include <algorithm>

SseParser::SseParser(qsizetype maxBufferedBytes)
    : m_max(std::max<qsizetype>(1, maxBufferedBytes))
{}

void SseParser::reset()
{
    m_buffer.clear();
    m_scan = 0;
    m_lineStart = 0;
    m_afterCR = false;
    m_firstLine = true;
    m_error = false;
    clearFields();
}

void SseParser::clearFields()
{
    m_hasLines = false;
    m_current = SseEvent();
}

QByteArray SseParser::errorString() const
{
    if (!m_error)
        return {};
    return QByteArrayLiteral("An upstream event is larger than ") + QByteArray::number(m_max) +
           QByteArrayLiteral(" bytes.");
}

QByteArray SseParser::takeRemainder()
{
    QByteArray rest = std::move(m_buffer);
    reset();
    return rest;
}

QList<SseEvent> SseParser::feed(QByteArrayView data)
{
    QList<SseEvent> events;
    if (m_error || data.isEmpty())
        return events;
    m_buffer.append(data);

    // Every byte is looked at once: positions survive between calls, and consumed
    // events are cut from the buffer once per feed rather than once per event.
    qsizetype eventStart = 0;
    const qsizetype size = m_buffer.size();
    const char *buf = m_buffer.constData();
    for (qsizetype i = m_scan; i < size; ++i) {
        const char c = buf[i];
        if (c != '\r' && c != '\n') {
            m_afterCR = false;
            continue;
        }
        if (c == '\n' && m_afterCR) {
            // Second half of a CRLF whose CR already ended the line.
            m_afterCR = false;
            m_lineStart = i + 1;
            continue;
        }
        QByteArrayView line(buf + m_lineStart, i - m_lineStart);
        if (m_firstLine) {
            // A byte order mark may open the stream; it is not part of the first field.
            m_firstLine = false;
            if (line.startsWith("\xEF\xBB\xBF"))
                line = line.sliced(3);
        }
        qsizetype end = i + 1;
        m_afterCR = c == '\r';
        if (m_afterCR && end < size && buf[end] == '\n') {
            ++end; // keep a CRLF whole inside one event
            ++i;
            m_afterCR = false;
        }
        m_lineStart = end;
        if (!line.isEmpty()) {
            processLine(line);
        } else if (m_hasLines) {
            // The blank line ends the event; raw runs to the end of that line ending.
            SseEvent e = std::move(m_current);
            e.raw = m_buffer.sliced(eventStart, end - eventStart);
            if (e.hasData && e.data.endsWith('\n'))
                e.data.chop(1);
            events.append(std::move(e));
            eventStart = end;
            clearFields();
        }
        // A blank line with nothing before it stays in front of the next event.
    }

    if (eventStart > 0) {
        m_buffer.remove(0, eventStart);
        m_lineStart -= eventStart;
    }
    m_scan = m_buffer.size();
    if (m_buffer.size() > m_max) {
        m_buffer.clear();
        m_scan = 0;
        m_lineStart = 0;
        clearFields();
        m_error = true;
    }
    return events;
}

void SseParser::processLine(QByteArrayView line)
{
    m_hasLines = true;
    if (line.front() == ':')
        return; // comment
    const qsizetype colon = line.indexOf(':');
    QByteArrayView name = line;
    QByteArrayView value;
    if (colon >= 0) {
        name = line.first(colon);
        value = line.sliced(colon + 1);
        if (value.startsWith(' '))
            value = value.sliced(1);
    }
    if (name == "data") {
        m_current.data.append(value);
        m_current.data.append('\n');
        m_current.hasData = true;
    } else if (name == "event") {
        m_current.event = value.toByteArray();
    } else if (name == "id") {
        if (!value.contains('\0')) {
            m_current.id = value.toByteArray();
            m_current.hasId = true;
        }
    } else if (name == "retry") {
        bool digits = !value.isEmpty() && value.size() <= 15;
        for (char c : value)
            digits = digits && c >= '0' && c <= '9';
        if (digits)
            m_current.retryMs = value.toLongLong();
    }
}
