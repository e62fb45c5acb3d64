#include "proxy/jsonspans.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstring>

namespace {
bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// A key written with escapes (\u0065 for e) is the same key as the one written without:
// QJsonDocument decodes both, so does this.
QByteArray decodeKey(QByteArrayView raw)
{
    if (!raw.contains('\\'))
        return raw.toByteArray();
    const QByteArray array = "[\"" + raw.toByteArray() + "\"]";
    return QJsonDocument::fromJson(array).array().at(0).toString().toUtf8();
}
} // namespace

qsizetype JsonSpans::skipSpace(QByteArrayView text, qsizetype at)
{
    while (at < text.size() && isSpace(text[at]))
        ++at;
    return at;
}

// at is on the opening quote; returns the index after the closing quote, or -1. The text of
// a conversation is nearly all strings: memchr finds their ends many bytes at a time.
qsizetype JsonSpans::skipString(QByteArrayView text, qsizetype at)
{
    const char *const data = text.data();
    for (++at; at < text.size();) {
        const void *found = std::memchr(data + at, '"', size_t(text.size() - at));
        if (!found)
            return -1;
        const qsizetype quote = static_cast<const char *>(found) - data;
        qsizetype backslashes = 0;
        while (quote - backslashes > at && data[quote - backslashes - 1] == '\\')
            ++backslashes;
        if (backslashes % 2 == 0)
            return quote + 1;
        at = quote + 1;
    }
    return -1;
}

// Returns the index after the value that starts at at, or -1.
qsizetype JsonSpans::skipValue(QByteArrayView text, qsizetype at)
{
    if (at >= text.size())
        return -1;
    const char first = text[at];
    if (first == '"')
        return skipString(text, at);
    if (first == '{' || first == '[') {
        int depth = 0;
        while (at < text.size()) {
            const char c = text[at];
            if (c == '"') {
                at = skipString(text, at);
                if (at < 0)
                    return -1;
                continue;
            }
            if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return at + 1;
            }
            ++at;
        }
        return -1;
    }
    // A number, true, false or null.
    const qsizetype begin = at;
    while (at < text.size() && !isSpace(text[at]) && text[at] != ',' && text[at] != '}' &&
           text[at] != ']')
        ++at;
    return at > begin ? at : -1;
}

bool JsonSpans::members(QByteArrayView text, QList<Member> *out)
{
    out->clear();
    qsizetype at = skipSpace(text, 0);
    if (at >= text.size() || text[at] != '{')
        return false;
    at = skipSpace(text, at + 1);
    if (at < text.size() && text[at] == '}')
        return skipSpace(text, at + 1) == text.size();
    for (;;) {
        if (at >= text.size() || text[at] != '"')
            return false;
        Member member;
        member.member.begin = at;
        const qsizetype keyEnd = skipString(text, at);
        if (keyEnd < 0)
            return false;
        member.key = decodeKey(text.sliced(at + 1, keyEnd - at - 2));
        at = skipSpace(text, keyEnd);
        if (at >= text.size() || text[at] != ':')
            return false;
        at = skipSpace(text, at + 1);
        member.value.begin = at;
        at = skipValue(text, at);
        if (at < 0)
            return false;
        member.value.end = member.member.end = at;
        out->append(std::move(member));
        at = skipSpace(text, at);
        if (at >= text.size())
            return false;
        if (text[at] == '}')
            return skipSpace(text, at + 1) == text.size();
        if (text[at] != ',')
            return false;
        at = skipSpace(text, at + 1);
    }
}

bool JsonSpans::elements(QByteArrayView text, Span array, QList<Span> *out)
{
    out->clear();
    if (array.begin < 0 || array.end > text.size() || array.end - array.begin < 2 ||
        text[array.begin] != '[' || text[array.end - 1] != ']')
        return false;
    const QByteArrayView inner = text.first(array.end - 1);
    qsizetype at = skipSpace(inner, array.begin + 1);
    if (at == inner.size())
        return true;
    for (;;) {
        Span element;
        element.begin = at;
        at = skipValue(inner, at);
        if (at < 0)
            return false;
        element.end = at;
        out->append(element);
        at = skipSpace(inner, at);
        if (at == inner.size())
            return true;
        if (inner[at] != ',')
            return false;
        at = skipSpace(inner, at + 1);
    }
}

// By hand: QJsonDocument writes the same, but only from a QJsonValue it copies the string
// into, inside a document it builds, which costs more than the escaping for the short
// strings of every request. tst_jsonspans compares the two.
QByteArray JsonSpans::quoted(QStringView s)
{
    static const char hex[] = "0123456789abcdef";
    // At most six bytes for one UTF-16 unit (an escape), and the quotes.
    QByteArray out(s.size() * 6 + 2, Qt::Uninitialized);
    char *o = out.data();
    *o++ = '"';
    auto escape = [&o](char16_t c) {
        *o++ = '\\';
        *o++ = 'u';
        *o++ = hex[c >> 12];
        *o++ = hex[(c >> 8) & 0xf];
        *o++ = hex[(c >> 4) & 0xf];
        *o++ = hex[c & 0xf];
    };
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t c = s[i].unicode();
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            *o++ = char(c);
        } else if (c < 0x80) {
            const char *shortForm = c == '"'    ? "\"" // the character after the backslash
                                    : c == '\\' ? "\\"
                                    : c == '\b' ? "b"
                                    : c == '\f' ? "f"
                                    : c == '\n' ? "n"
                                    : c == '\r' ? "r"
                                    : c == '\t' ? "t"
                                                : nullptr;
            if (shortForm) {
                *o++ = '\\';
                *o++ = *shortForm;
            } else {
                escape(c);
            }
        } else if (c < 0x800) {
            *o++ = char(0xc0 | (c >> 6));
            *o++ = char(0x80 | (c & 0x3f));
        } else if (QChar::isHighSurrogate(c) && i + 1 < s.size() && s[i + 1].isLowSurrogate()) {
            const char32_t u = QChar::surrogateToUcs4(c, s[++i].unicode());
            *o++ = char(0xf0 | (u >> 18));
            *o++ = char(0x80 | ((u >> 12) & 0x3f));
            *o++ = char(0x80 | ((u >> 6) & 0x3f));
            *o++ = char(0x80 | (u & 0x3f));
        } else if (QChar::isSurrogate(c)) {
            escape(c); // half a pair is no character UTF-8 can hold
        } else {
            *o++ = char(0xe0 | (c >> 12));
            *o++ = char(0x80 | ((c >> 6) & 0x3f));
            *o++ = char(0x80 | (c & 0x3f));
        }
    }
    *o++ = '"';
    out.truncate(o - out.constData());
    if (out.capacity() > 2 * out.size() + 64)
        out.squeeze(); // a long text with few escapes: the room for them is handed back
    return out;
}
