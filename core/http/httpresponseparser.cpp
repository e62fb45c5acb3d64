#include "http/httpresponseparser.h"

#include <QList>

namespace {

bool parseLength(QByteArrayView text, qint64 *out)
{
    const QByteArrayView t = text.trimmed();
    if (t.isEmpty() || t.size() > 18)
        return false;
    qint64 n = 0;
    for (char c : t) {
        if (c < '0' || c > '9')
            return false;
        n = n * 10 + (c - '0');
    }
    *out = n;
    return true;
}

// A comma-separated header value contains token (case-insensitive).
bool listContains(QByteArrayView value, QByteArrayView token)
{
    for (QByteArrayView part : QByteArray(value.toByteArray()).split(',')) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QByteArrayView chopCR(QByteArrayView line)
{
    return line.endsWith('\r') ? line.chopped(1) : line;
}

} // namespace

HttpResponseParser::HttpResponseParser(qsizetype maxHeadBytes)
    : m_maxHead(qMax<qsizetype>(1, maxHeadBytes))
    , m_chunked(std::numeric_limits<qint64>::max())
{}

void HttpResponseParser::reset(bool toHeadRequest)
{
    m_toHeadRequest = toHeadRequest;
    m_state = State::Head;
    m_error = Error::None;
    m_head.clear();
    m_headScan = 0;
    m_status = 0;
    m_minorVersion = 1;
    m_headers.clear();
    m_framing = Framing::None;
    m_contentLength = -1;
    m_remaining = 0;
    m_keepAlive = true;
    m_interim = 0;
    m_chunked.reset();
}

QByteArray HttpResponseParser::header(QByteArrayView name) const
{
    for (const auto &h : m_headers) {
        if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

bool HttpResponseParser::hasHeader(QByteArrayView name) const
{
    for (const auto &h : m_headers) {
        if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

qsizetype HttpResponseParser::feed(QByteArrayView data, QByteArray *body, qint64 maxBody)
{
    const qsizetype bodyBefore = body->size();
    qsizetype used = 0;
    while (used < data.size()) {
        if (m_state == State::Head) {
            used += feedHead(data.sliced(used));
            continue;
        }
        const qint64 budget = maxBody - (body->size() - bodyBefore);
        if (m_state != State::Body || budget <= 0)
            break;
        used += feedBody(data.sliced(used), body, budget);
    }
    return used;
}

bool HttpResponseParser::finishInput()
{
    if (m_state != State::Body || m_framing != Framing::UntilClose)
        return false;
    m_state = State::Done;
    return true;
}

void HttpResponseParser::fail(Error e)
{
    m_state = State::Failed;
    m_error = e;
    m_head.clear();
}

qsizetype HttpResponseParser::feedHead(QByteArrayView data)
{
    const qsizetype before = m_head.size();
    // One byte over the limit is enough to tell that the head is too large.
    const qsizetype take = qMin(data.size(), m_maxHead + 1 - before);
    m_head.append(data.first(take));

    // Lines already seen are not scanned again when the head arrives in pieces.
    qsizetype end = -1;
    qsizetype pos = m_headScan;
    for (;;) {
        const qsizetype nl = m_head.indexOf('\n', pos);
        if (nl < 0)
            break;
        if (pos > 0 && (nl == pos || (nl == pos + 1 && m_head.at(pos) == '\r'))) {
            end = nl + 1;
            break;
        }
        pos = nl + 1;
    }
    m_headScan = pos;
    if (end < 0) {
        if (m_head.size() > m_maxHead)
            fail(Error::HeadTooLarge);
        return take;
    }
    if (end > m_maxHead) {
        fail(Error::HeadTooLarge);
        return take;
    }
    m_head.truncate(end);
    const QByteArray head = std::exchange(m_head, QByteArray());
    m_headScan = 0;
    parseHead(head);
    return end - before;
}

void HttpResponseParser::parseHead(QByteArrayView head)
{
    const QList<QByteArrayView> lines = [&] {
        QList<QByteArrayView> out;
        qsizetype start = 0;
        while (start < head.size()) {
            qsizetype nl = head.indexOf('\n', start);
            if (nl < 0)
                nl = head.size();
            out.append(chopCR(head.sliced(start, nl - start)));
            start = nl + 1;
        }
        return out;
    }();

    const QByteArrayView statusLine = lines.first();
    // HTTP/1.x SP 3DIGIT [SP reason]
    if (statusLine.size() < 12 || !statusLine.startsWith("HTTP/1.") || statusLine.at(8) != ' ' ||
        (statusLine.at(7) != '0' && statusLine.at(7) != '1') ||
        (statusLine.size() > 12 && statusLine.at(12) != ' ')) {
        fail(Error::NotHttp);
        return;
    }
    int status = 0;
    for (int i = 9; i < 12; ++i) {
        const char c = statusLine.at(i);
        if (c < '0' || c > '9') {
            fail(Error::BadStatus);
            return;
        }
        status = status * 10 + (c - '0');
    }
    if (status < 100) {
        fail(Error::BadStatus);
        return;
    }

    HttpHeaders headers;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArrayView line = lines.at(i);
        if (line.isEmpty())
            break;
        if (line.front() == ' ' || line.front() == '\t') {
            // Obsolete line folding: part of the previous value.
            if (headers.isEmpty()) {
                fail(Error::MalformedHeader);
                return;
            }
            headers.last().second += ' ' + line.trimmed().toByteArray();
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        const QByteArrayView name = colon > 0 ? line.first(colon) : QByteArrayView();
        if (name.isEmpty() || name.contains(' ') || name.contains('\t')) {
            fail(Error::MalformedHeader);
            return;
        }
        headers.append(
            {name.toByteArray().toLower(), line.sliced(colon + 1).trimmed().toByteArray()});
    }

    if (status < 200) {
        if (status == 101) {
            fail(Error::SwitchedProtocols);
            return;
        }
        ++m_interim; // 100 Continue, 103 Early Hints…: the final answer follows
        return;
    }

    m_status = status;
    m_minorVersion = statusLine.at(7) - '0';
    m_headers = std::move(headers);

    const QByteArray connection = header("connection");
    m_keepAlive = m_minorVersion >= 1 ? !listContains(connection, "close")
                                      : listContains(connection, "keep-alive");

    if (m_toHeadRequest || status == 204 || status == 304) {
        m_framing = Framing::None;
        m_state = State::Done;
        return;
    }
    if (hasHeader("transfer-encoding")) {
        const QList<QByteArray> codings = header("transfer-encoding").split(',');
        if (codings.last().trimmed().compare("chunked", Qt::CaseInsensitive) == 0) {
            m_framing = Framing::Chunked;
            m_chunked.reset();
        } else {
            m_framing = Framing::UntilClose;
            m_keepAlive = false;
        }
        m_state = State::Body;
        return;
    }
    if (hasHeader("content-length")) {
        qint64 length = -1;
        for (const auto &h : std::as_const(m_headers)) {
            if (h.first != "content-length")
                continue;
            qint64 n = 0;
            if (!parseLength(h.second, &n) || (length >= 0 && n != length)) {
                fail(Error::BadContentLength);
                return;
            }
            length = n;
        }
        m_contentLength = length;
        m_remaining = length;
        m_framing = length == 0 ? Framing::None : Framing::Length;
        m_state = length == 0 ? State::Done : State::Body;
        return;
    }
    m_framing = Framing::UntilClose;
    m_keepAlive = false;
    m_state = State::Body;
}

qsizetype HttpResponseParser::feedBody(QByteArrayView data, QByteArray *body, qint64 budget)
{
    switch (m_framing) {
    case Framing::Length: {
        const qsizetype take =
            qsizetype(qMin<qint64>(qMin<qint64>(data.size(), m_remaining), budget));
        body->append(data.first(take));
        m_remaining -= take;
        if (m_remaining == 0)
            m_state = State::Done;
        return take;
    }
    case Framing::Chunked: {
        // The payload is never longer than its coding, so the budget bounds the input.
        qsizetype consumed = 0;
        const ChunkedDecoder::Result r = m_chunked.feed(
            data.first(qsizetype(qMin<qint64>(data.size(), budget))), body, &consumed);
        if (r == ChunkedDecoder::Result::Error)
            fail(Error::MalformedChunkedBody);
        else if (r == ChunkedDecoder::Result::Done)
            m_state = State::Done;
        return consumed;
    }
    case Framing::UntilClose: {
        const qsizetype take = qsizetype(qMin<qint64>(data.size(), budget));
        body->append(data.first(take));
        return take;
    }
    case Framing::None:
        break;
    }
    m_state = State::Done;
    return 0;
}
