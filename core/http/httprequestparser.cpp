#include "http/httprequestparser.h"

#include <algorithm>
#include <cstring>

namespace {

// RFC 9110 token characters.
bool isTchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        if (!isTchar(static_cast<unsigned char>(c)))
            return false;
    }
    return true;
}

bool isOws(char c)
{
    return c == ' ' || c == '\t';
}

QByteArrayView trimOws(QByteArrayView s)
{
    while (!s.isEmpty() && isOws(s.front()))
        s = s.sliced(1);
    while (!s.isEmpty() && isOws(s.back()))
        s.chop(1);
    return s;
}

// Calls f on each element of a comma-separated header list, trimmed; empty elements are
// skipped as RFC 9110 section 5.6.1 asks.
template<typename F> void forEachListElement(QByteArrayView value, F f)
{
    while (true) {
        const qsizetype comma = value.indexOf(',');
        const QByteArrayView element = trimOws(comma < 0 ? value : value.first(comma));
        if (!element.isEmpty())
            f(element);
        if (comma < 0)
            break;
        value = value.sliced(comma + 1);
    }
}

constexpr int MaxContentLengthDigits = 18; // below 2^63 whatever the digits
} // namespace

HttpRequestParser::HttpRequestParser()
    : HttpRequestParser(Limits())
{}

HttpRequestParser::HttpRequestParser(const Limits &limits)
    : m_nextLimits(limits)
{
    reset();
}

void HttpRequestParser::reset()
{
    m_limits = m_nextLimits;
    m_limits.maxHeaderBytes = std::max(0, m_limits.maxHeaderBytes);
    m_limits.maxBodyBytes = std::max<qint64>(0, m_limits.maxBodyBytes);
    m_limits.maxHeaderCount = std::max(0, m_limits.maxHeaderCount);
    m_state = State::Idle;
    m_request = HttpRequest();
    m_line.resize(0); // keeps the capacity for the next request's lines
    m_headBytes = 0;
    m_requestLineDone = false;
    m_rlSpaces = 0;
    m_rlPartLen = 0;
    m_rlCR = false;
    m_expectContinue = false;
    m_keepAlive = true;
    m_chunked = false;
    m_contentLength = -1;
    m_bodyRemaining = 0;
    m_errorStatus = 0;
    m_errorCode.clear();
    m_errorMessage.clear();
}

HttpRequest HttpRequestParser::takeRequest()
{
    HttpRequest r = std::move(m_request);
    reset();
    return r;
}

HttpRequestParser::Result HttpRequestParser::fail(int status, const char *code, const char *message)
{
    m_state = State::Failed;
    m_errorStatus = status;
    m_errorCode = code;
    m_errorMessage = message;
    m_line.clear();
    return Result::Error;
}

HttpRequestParser::Result HttpRequestParser::feed(QByteArrayView data, qsizetype *consumed)
{
    qsizetype used = 0;
    Result r = Result::NeedMore;
    if (m_state == State::Complete) {
        r = Result::Complete;
    } else if (m_state == State::Failed) {
        r = Result::Error;
    } else {
        if (m_state == State::Idle || m_state == State::Head)
            r = feedHead(data, &used);
        if (r == Result::NeedMore && m_state == State::Body) {
            qsizetype bodyUsed = 0;
            r = feedBody(data.sliced(used), &bodyUsed);
            used += bodyUsed;
        }
    }
    if (consumed)
        *consumed = used;
    return r;
}

bool HttpRequestParser::checkRequestLinePrefix(QByteArrayView bytes)
{
    for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (m_rlCR)
            return false; // a CR not followed by LF
        if (c == '\r') {
            m_rlCR = true;
            continue;
        }
        if (c == ' ') {
            if (m_rlPartLen == 0 || m_rlSpaces == 2)
                return false;
            ++m_rlSpaces;
            m_rlPartLen = 0;
            continue;
        }
        ++m_rlPartLen;
        switch (m_rlSpaces) {
        case 0: // method
            if (!isTchar(c))
                return false;
            break;
        case 1: // request-target: visible ASCII only
            if (c < 0x21 || c > 0x7e)
                return false;
            break;
        default: // "HTTP/x.y"
            if (m_rlPartLen > 8 || !std::strchr("HTTP/0123456789.", ch) || ch == '\0')
                return false;
            break;
        }
    }
    return true;
}

HttpRequestParser::Result HttpRequestParser::feedHead(QByteArrayView data, qsizetype *used)
{
    qsizetype i = 0;
    const qsizetype n = data.size();
    Result r = Result::NeedMore;
    while (i < n && (m_state == State::Idle || m_state == State::Head)) {
        const char *start = data.data() + i;
        const void *lf = std::memchr(start, '\n', size_t(n - i));
        const qsizetype len = lf ? static_cast<const char *>(lf) - start + 1 : n - i;
        const QByteArrayView piece(start, len);

        // Garbage is refused before size (binary noise gets 400, not 414), but only bytes
        // within the limit are looked at, so the answer does not depend on how the input
        // was split.
        const qsizetype allowed = m_limits.maxHeaderBytes - m_headBytes;
        const qsizetype content = lf ? len - 1 : len;
        if (!m_requestLineDone &&
            !checkRequestLinePrefix(piece.first(std::min(content, allowed)))) {
            *used = i;
            return fail(400, "bad_request", "Malformed request line.");
        }
        if (m_headBytes + len > m_limits.maxHeaderBytes) {
            *used = i;
            if (!m_requestLineDone && (m_rlPartLen > 0 || m_rlSpaces > 0))
                return fail(414, "uri_too_long", "The request line is too long.");
            return fail(431, "request_header_fields_too_large",
                        "The request header fields are too large.");
        }
        m_headBytes += len;
        i += len;
        if (m_state == State::Idle && (m_rlPartLen > 0 || m_rlSpaces > 0 || m_requestLineDone))
            m_state = State::Head;

        if (!lf) {
            m_line.append(piece);
            break;
        }
        QByteArrayView line = piece.first(len - 1);
        if (!m_line.isEmpty()) {
            m_line.append(line);
            line = m_line;
        }
        if (line.endsWith('\r'))
            line.chop(1);
        r = processLine(line);
        m_line.resize(0);
        if (r != Result::NeedMore)
            break;
    }
    *used = i;
    return r;
}

HttpRequestParser::Result HttpRequestParser::processLine(QByteArrayView line)
{
    if (!m_requestLineDone) {
        if (line.isEmpty()) {
            // An empty line before the request line (some clients send CRLF after a body).
            m_rlSpaces = 0;
            m_rlPartLen = 0;
            m_rlCR = false;
            return Result::NeedMore;
        }
        return parseRequestLine(line);
    }
    if (line.isEmpty())
        return finishHead();
    return parseHeaderLine(line);
}

HttpRequestParser::Result HttpRequestParser::parseRequestLine(QByteArrayView line)
{
    // The prefix check has already refused stray characters; this checks the shape.
    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 <= sp1 + 1 || line.indexOf(' ', sp2 + 1) >= 0 || line.contains('\r'))
        return fail(400, "bad_request", "Malformed request line.");
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);
    if (!isToken(method))
        return fail(400, "bad_request", "Malformed request method.");
    for (char c : target) {
        if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e)
            return fail(400, "bad_request", "Malformed request target.");
    }
    if (version.size() != 8 || !version.startsWith("HTTP/") || version[6] != '.' ||
        version[5] < '0' || version[5] > '9' || version[7] < '0' || version[7] > '9') {
        return fail(400, "bad_request", "Malformed HTTP version.");
    }
    if (version[5] != '1')
        return fail(505, "http_version_not_supported", "Only HTTP/1.0 and HTTP/1.1 are supported.");

    m_request.method = method.toByteArray();
    m_request.target = target.toByteArray();
    const qsizetype q = target.indexOf('?');
    m_request.path = (q < 0 ? target : target.first(q)).toByteArray();
    if (q >= 0)
        m_request.query = target.sliced(q + 1).toByteArray();
    m_request.minorVersion = version[7] - '0';
    m_requestLineDone = true;
    return Result::NeedMore;
}

HttpRequestParser::Result HttpRequestParser::parseHeaderLine(QByteArrayView line)
{
    if (isOws(line.front()))
        return fail(400, "bad_request", "Folded header lines are not accepted.");
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon)))
        return fail(400, "bad_request", "Malformed header field.");
    const QByteArrayView value = trimOws(line.sliced(colon + 1));
    for (char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return fail(400, "bad_request", "Malformed header field value.");
    }
    if (m_request.headers.size() >= m_limits.maxHeaderCount)
        return fail(431, "request_header_fields_too_large", "Too many header fields.");
    m_request.headers.append({line.first(colon).toByteArray().toLower(), value.toByteArray()});
    return Result::NeedMore;
}

HttpRequestParser::Result HttpRequestParser::finishHead()
{
    const bool http10 = m_request.minorVersion == 0;
    int hostCount = 0;
    bool hasTransferEncoding = false;
    bool onlyChunked = false;
    int codings = 0;
    bool codingsAreTokens = true;
    bool hasExpect = false;
    QByteArray expect;
    bool connectionClose = false;
    bool connectionKeepAlive = false;

    for (const auto &h : std::as_const(m_request.headers)) {
        const QByteArray &name = h.first;
        if (name == "host") {
            ++hostCount;
        } else if (name == "content-length") {
            // Digits only: no sign, no list; repeated fields must agree.
            const QByteArray &v = h.second;
            if (v.isEmpty())
                return fail(400, "bad_request", "Invalid Content-Length.");
            for (char c : v) {
                if (c < '0' || c > '9')
                    return fail(400, "bad_request", "Invalid Content-Length.");
            }
            qsizetype firstNonZero = 0;
            while (firstNonZero < v.size() - 1 && v[firstNonZero] == '0')
                ++firstNonZero;
            if (v.size() - firstNonZero > MaxContentLengthDigits)
                return fail(413, "request_too_large", "The request body is too large.");
            const qint64 length = v.sliced(firstNonZero).toLongLong();
            if (m_contentLength >= 0 && m_contentLength != length)
                return fail(400, "bad_request", "Conflicting Content-Length fields.");
            m_contentLength = length;
        } else if (name == "transfer-encoding") {
            hasTransferEncoding = true;
            forEachListElement(h.second, [&](QByteArrayView coding) {
                ++codings;
                if (!isToken(coding))
                    codingsAreTokens = false;
                onlyChunked = coding.compare("chunked", Qt::CaseInsensitive) == 0;
            });
        } else if (name == "expect") {
            hasExpect = true;
            expect = h.second;
        } else if (name == "connection") {
            forEachListElement(h.second, [&](QByteArrayView token) {
                if (token.compare("close", Qt::CaseInsensitive) == 0)
                    connectionClose = true;
                else if (token.compare("keep-alive", Qt::CaseInsensitive) == 0)
                    connectionKeepAlive = true;
            });
        }
    }

    m_keepAlive = !connectionClose && (!http10 || connectionKeepAlive);

    if (hostCount > 1)
        return fail(400, "bad_request", "More than one Host header field.");
    if (hasTransferEncoding) {
        // Both framings at once is the classic request-smuggling shape: refuse it.
        if (m_contentLength >= 0)
            return fail(400, "bad_request",
                        "Content-Length and Transfer-Encoding must not both be sent.");
        if (http10)
            return fail(400, "bad_request", "Transfer-Encoding is not allowed in HTTP/1.0.");
        if (codings == 0 || !codingsAreTokens)
            return fail(400, "bad_request", "Malformed Transfer-Encoding.");
        if (codings != 1 || !onlyChunked)
            return fail(501, "not_implemented", "Only the chunked transfer coding is supported.");
        m_chunked = true;
    }
    if (m_contentLength > m_limits.maxBodyBytes)
        return fail(413, "request_too_large", "The request body is too large.");
    if (hasExpect && !http10) {
        if (trimOws(expect).compare("100-continue", Qt::CaseInsensitive) != 0)
            return fail(417, "expectation_failed", "Only \"Expect: 100-continue\" is supported.");
        m_expectContinue = true;
    }

    if (m_chunked) {
        m_chunkedDecoder = ChunkedDecoder(m_limits.maxBodyBytes, m_limits.maxHeaderBytes);
        m_state = State::Body;
        return Result::NeedMore;
    }
    if (m_contentLength > 0) {
        m_bodyRemaining = m_contentLength;
        m_state = State::Body;
        return Result::NeedMore;
    }
    m_state = State::Complete;
    return Result::Complete;
}

HttpRequestParser::Result HttpRequestParser::feedBody(QByteArrayView data, qsizetype *used)
{
    QByteArray &body = m_request.body;
    if (m_chunked) {
        const ChunkedDecoder::Result r = m_chunkedDecoder.feed(data, &body, used);
        switch (r) {
        case ChunkedDecoder::Result::NeedMore:
            return Result::NeedMore;
        case ChunkedDecoder::Result::Done:
            m_state = State::Complete;
            return Result::Complete;
        case ChunkedDecoder::Result::Error:
            break;
        }
        switch (m_chunkedDecoder.error()) {
        case ChunkedDecoder::Error::BodyTooLarge:
            return fail(413, "request_too_large", "The request body is too large.");
        case ChunkedDecoder::Error::TrailersTooLarge:
            return fail(431, "request_header_fields_too_large",
                        "The request trailer fields are too large.");
        case ChunkedDecoder::Error::None:
        case ChunkedDecoder::Error::Malformed:
            break;
        }
        return fail(400, "bad_request", "Malformed chunked request body.");
    }

    const qsizetype take = qsizetype(std::min<qint64>(m_bodyRemaining, data.size()));
    const qsizetype needed = body.size() + take;
    if (needed > body.capacity()) {
        // Grow by doubling what has arrived, never past the declared length, so a large
        // Content-Length alone reserves nothing and a big body is not copied repeatedly.
        const qint64 target = std::min<qint64>(
            m_contentLength, std::max<qint64>(needed, qint64(body.capacity()) * 2));
        body.reserve(qsizetype(target));
    }
    body.append(data.data(), take);
    m_bodyRemaining -= take;
    *used = take;
    if (m_bodyRemaining == 0) {
        m_state = State::Complete;
        return Result::Complete;
    }
    return Result::NeedMore;
}
