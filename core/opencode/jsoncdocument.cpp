#include "opencode/jsoncdocument.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstring>
#include <limits>

// A recursive-descent scanner over the bytes. It records where each value starts and ends
// instead of building values, so edits can splice text without touching anything else.
class JsoncParser
{
public:
    explicit JsoncParser(JsoncDocument &document)
        : m_doc(document)
        , m_text(document.m_text)
        , m_size(document.m_text.size())
    {}

    void run()
    {
        // A UTF-8 byte order mark is kept in the text but is not part of the JSON.
        if (m_text.startsWith("\xEF\xBB\xBF"))
            m_pos = 3;
        if (!skipSpace())
            return;
        if (m_pos == m_size)
            return; // only whitespace and comments
        if (parseValue(-1, 0) < 0)
            return;
        if (!skipSpace())
            return;
        if (m_pos != m_size)
            fail(m_pos, JsoncDocument::tr("unexpected text after the end of the document"));
    }

private:
    static constexpr int kMaxDepth = 256;

    char peek(qsizetype ahead = 0) const
    {
        return m_pos + ahead < m_size ? m_text.at(m_pos + ahead) : '\0';
    }

    void fail(qsizetype offset, const QString &what)
    {
        if (m_doc.m_error.offset >= 0)
            return;
        offset = std::min(offset, m_size);
        const qsizetype lineStart = m_text.lastIndexOf('\n', offset - 1) + 1;
        int column = 1;
        for (qsizetype i = lineStart; i < offset; ++i) {
            // Count characters, not bytes: UTF-8 continuation bytes are 10xxxxxx.
            if ((static_cast<unsigned char>(m_text.at(i)) & 0xC0) != 0x80)
                ++column;
        }
        JsoncDocument::ParseError &error = m_doc.m_error;
        error.offset = offset;
        error.line = int(m_text.left(offset).count('\n')) + 1;
        error.column = column;
        error.message = JsoncDocument::tr("The file is not valid JSON: %1 at line %2, column %3.")
                            .arg(what)
                            .arg(error.line)
                            .arg(error.column);
        m_doc.m_nodes.clear();
    }

    bool skipSpace()
    {
        while (m_pos < m_size) {
            const char c = m_text.at(m_pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                ++m_pos;
            } else if (c == '/' && peek(1) == '/') {
                while (m_pos < m_size && m_text.at(m_pos) != '\n')
                    ++m_pos;
            } else if (c == '/' && peek(1) == '*') {
                const qsizetype close = m_text.indexOf("*/", m_pos + 2);
                if (close < 0) {
                    fail(m_pos, JsoncDocument::tr("a comment is not closed"));
                    return false;
                }
                m_pos = close + 2;
            } else {
                return true;
            }
        }
        return true;
    }

    int addNode(JsoncDocument::Type type, int parent)
    {
        JsoncDocument::Node node;
        node.type = type;
        node.begin = m_pos;
        node.parent = parent;
        m_doc.m_nodes.append(node);
        const int index = int(m_doc.m_nodes.size()) - 1;
        if (parent >= 0)
            m_doc.m_nodes[parent].children.append(index);
        return index;
    }

    int parseValue(int parent, int depth)
    {
        if (depth > kMaxDepth) {
            fail(m_pos, JsoncDocument::tr("values are nested too deeply"));
            return -1;
        }
        const char c = peek();
        int index = -1;
        if (c == '{') {
            index = addNode(JsoncDocument::Type::Object, parent);
            if (!parseContainer(index, '}', depth))
                return -1;
        } else if (c == '[') {
            index = addNode(JsoncDocument::Type::Array, parent);
            if (!parseContainer(index, ']', depth))
                return -1;
        } else if (c == '"') {
            index = addNode(JsoncDocument::Type::String, parent);
            if (!parseString(nullptr))
                return -1;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            index = addNode(JsoncDocument::Type::Number, parent);
            if (!parseNumber())
                return -1;
        } else if (parseLiteral("true") || parseLiteral("false")) {
            index = addNode(JsoncDocument::Type::Bool, parent);
            m_pos += c == 't' ? 4 : 5;
        } else if (parseLiteral("null")) {
            index = addNode(JsoncDocument::Type::Null, parent);
            m_pos += 4;
        } else {
            fail(m_pos, m_pos == m_size ? JsoncDocument::tr("the text ends where a value should be")
                                        : JsoncDocument::tr("a value was expected"));
            return -1;
        }
        m_doc.m_nodes[index].end = m_pos;
        return index;
    }

    bool parseLiteral(const char *word) const
    {
        const qsizetype length = qsizetype(qstrlen(word));
        if (m_text.mid(m_pos, length) != word)
            return false;
        const char next = peek(length);
        return !((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') ||
                 (next >= '0' && next <= '9') || next == '_');
    }

    // Objects and arrays share the comma rules: a trailing comma is allowed, an empty
    // slot (",," or "[,") is not.
    bool parseContainer(int index, char close, int depth)
    {
        const bool isObject = close == '}';
        ++m_pos;
        while (true) {
            if (!skipSpace())
                return false;
            if (peek() == close) {
                ++m_pos;
                return true;
            }
            int child = -1;
            if (isObject) {
                if (peek() != '"') {
                    fail(m_pos, m_pos == m_size ? JsoncDocument::tr("an object is not closed")
                                                : JsoncDocument::tr("a quoted key or '}' was "
                                                                    "expected"));
                    return false;
                }
                const qsizetype keyBegin = m_pos;
                QString key;
                if (!parseString(&key) || !skipSpace())
                    return false;
                if (peek() != ':') {
                    fail(m_pos, JsoncDocument::tr("':' was expected after the key"));
                    return false;
                }
                ++m_pos;
                if (!skipSpace())
                    return false;
                child = parseValue(index, depth + 1);
                if (child < 0)
                    return false;
                m_doc.m_nodes[child].key = key;
                m_doc.m_nodes[child].keyBegin = keyBegin;
            } else {
                child = parseValue(index, depth + 1);
                if (child < 0)
                    return false;
            }
            if (!skipSpace())
                return false;
            if (peek() == ',') {
                m_doc.m_nodes[child].commaAfter = m_pos;
                ++m_pos;
            } else if (peek() != close) {
                fail(m_pos, m_pos == m_size
                                ? (isObject ? JsoncDocument::tr("an object is not closed")
                                            : JsoncDocument::tr("an array is not closed"))
                            : isObject ? JsoncDocument::tr("',' or '}' was expected")
                                       : JsoncDocument::tr("',' or ']' was expected"));
                return false;
            }
        }
    }

    bool parseString(QString *decoded)
    {
        const qsizetype start = m_pos;
        ++m_pos;
        qsizetype runStart = m_pos; // start of the bytes not yet copied into *decoded
        while (m_pos < m_size) {
            const unsigned char c = static_cast<unsigned char>(m_text.at(m_pos));
            if (c == '"') {
                if (decoded)
                    decoded->append(QString::fromUtf8(m_text.mid(runStart, m_pos - runStart)));
                ++m_pos;
                return true;
            }
            if (c < 0x20) {
                fail(m_pos, JsoncDocument::tr("a string contains a line break or control "
                                              "character"));
                return false;
            }
            if (c != '\\') {
                ++m_pos;
                continue;
            }
            if (decoded)
                decoded->append(QString::fromUtf8(m_text.mid(runStart, m_pos - runStart)));
            const char escape = peek(1);
            static const char simple[] = "\"\\/bfnrt";
            static const char meaning[] = "\"\\/\b\f\n\r\t";
            if (const char *found = escape ? strchr(simple, escape) : nullptr) {
                if (decoded)
                    decoded->append(QLatin1Char(meaning[found - simple]));
                m_pos += 2;
            } else if (escape == 'u') {
                const QByteArray digits = m_text.mid(m_pos + 2, 4);
                const bool allHex =
                    digits.size() == 4 && std::all_of(digits.begin(), digits.end(), [](char d) {
                        return (d >= '0' && d <= '9') || (d >= 'a' && d <= 'f') ||
                               (d >= 'A' && d <= 'F');
                    });
                if (!allHex) {
                    fail(m_pos, JsoncDocument::tr("a \\u escape needs four hex digits"));
                    return false;
                }
                const ushort unit = digits.toUShort(nullptr, 16);
                // UTF-16 code units append as they are; a surrogate pair joins up by itself.
                if (decoded)
                    decoded->append(QChar(unit));
                m_pos += 6;
            } else {
                fail(m_pos, JsoncDocument::tr("a string contains an unknown escape"));
                return false;
            }
            runStart = m_pos;
        }
        fail(start, JsoncDocument::tr("a string is not closed"));
        return false;
    }

    bool parseNumber()
    {
        const qsizetype start = m_pos;
        auto digits = [this] {
            const qsizetype from = m_pos;
            while (peek() >= '0' && peek() <= '9')
                ++m_pos;
            return m_pos > from;
        };
        if (peek() == '-')
            ++m_pos;
        if (peek() == '0') {
            ++m_pos;
        } else if (!digits()) {
            fail(start, JsoncDocument::tr("a number is malformed"));
            return false;
        }
        if (peek() == '.') {
            ++m_pos;
            if (!digits()) {
                fail(start, JsoncDocument::tr("a number is malformed"));
                return false;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            ++m_pos;
            if (peek() == '+' || peek() == '-')
                ++m_pos;
            if (!digits()) {
                fail(start, JsoncDocument::tr("a number is malformed"));
                return false;
            }
        }
        return true;
    }

    JsoncDocument &m_doc;
    const QByteArray &m_text;
    const qsizetype m_size;
    qsizetype m_pos = 0;
};

JsoncDocument JsoncDocument::parse(const QByteArray &text)
{
    JsoncDocument document;
    document.m_text = text;
    JsoncParser(document).run();
    return document;
}

int JsoncDocument::member(int object, const QString &key) const
{
    if (object < 0 || m_nodes.at(object).type != Type::Object)
        return -1;
    const QList<int> &children = m_nodes.at(object).children;
    for (auto it = children.crbegin(); it != children.crend(); ++it) {
        if (m_nodes.at(*it).key == key)
            return *it;
    }
    return -1;
}

QString JsoncDocument::stringValue(int index) const
{
    // Parsing the string's own text as a JSON array reuses Qt's unescaping.
    const QByteArray wrapped = '[' + sourceText(index) + ']';
    return QJsonDocument::fromJson(wrapped).array().at(0).toString();
}

QByteArray JsoncDocument::sourceText(int index) const
{
    const Node &node = m_nodes.at(index);
    return m_text.mid(node.begin, node.end - node.begin);
}

QByteArray JsoncDocument::newline() const
{
    return m_text.contains("\r\n") ? QByteArrayLiteral("\r\n") : QByteArrayLiteral("\n");
}

QByteArray JsoncDocument::lineIndent(qsizetype pos) const
{
    const qsizetype lineStart = m_text.lastIndexOf('\n', pos - 1) + 1;
    qsizetype end = lineStart;
    while (end < pos && (m_text.at(end) == ' ' || m_text.at(end) == '\t'))
        ++end;
    return m_text.mid(lineStart, end - lineStart);
}

bool JsoncDocument::startsLine(qsizetype pos) const
{
    const qsizetype lineStart = m_text.lastIndexOf('\n', pos - 1) + 1;
    return lineStart + lineIndent(pos).size() == pos;
}

QByteArray JsoncDocument::indentUnit() const
{
    // The first member that starts its own line, compared with the line of its object's '{'.
    for (const Node &node : m_nodes) {
        if (node.keyBegin < 0 || !startsLine(node.keyBegin))
            continue;
        const QByteArray outer = lineIndent(m_nodes.at(node.parent).begin);
        const QByteArray inner = lineIndent(node.keyBegin);
        if (inner.size() > outer.size() && inner.startsWith(outer))
            return inner.mid(outer.size());
    }
    return QByteArrayLiteral("  ");
}

QByteArray JsoncDocument::memberIndent(int object) const
{
    const QList<int> &children = m_nodes.at(object).children;
    for (auto it = children.crbegin(); it != children.crend(); ++it) {
        const qsizetype keyBegin = m_nodes.at(*it).keyBegin;
        if (startsLine(keyBegin))
            return lineIndent(keyBegin);
    }
    return lineIndent(m_nodes.at(object).begin) + indentUnit();
}

qsizetype JsoncDocument::endOfLineAfter(qsizetype pos) const
{
    // Where a new line may start after pos without separating a comment from the text it
    // follows: the line break, after spaces and comments on the same line. -1 when other
    // text follows on the line.
    const qsizetype size = m_text.size();
    while (pos < size) {
        const char c = m_text.at(pos);
        if (c == ' ' || c == '\t') {
            ++pos;
        } else if (c == '\n' || (c == '\r' && pos + 1 < size && m_text.at(pos + 1) == '\n')) {
            return pos;
        } else if (m_text.mid(pos, 2) == "//") {
            const qsizetype lineEnd = m_text.indexOf('\n', pos);
            if (lineEnd < 0)
                return size;
            return lineEnd > 0 && m_text.at(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
        } else if (m_text.mid(pos, 2) == "/*") {
            const qsizetype close = m_text.indexOf("*/", pos + 2);
            if (close < 0 || m_text.mid(pos, close - pos).contains('\n'))
                return -1;
            pos = close + 2;
        } else {
            return -1;
        }
    }
    return size;
}

QByteArray JsoncDocument::memberText(const QString &key, const QJsonValue &value,
                                     const QByteArray &indent, bool compact,
                                     const QStringList &keyOrder) const
{
    const QByteArray unit = compact ? QByteArray() : indentUnit();
    const QByteArray nl = compact ? QByteArray() : newline();
    return formatValue(key, indent, unit, nl) + ": " +
           formatValue(value, indent, unit, nl, keyOrder);
}

bool JsoncDocument::isOneLine(int index) const
{
    const Node &node = m_nodes.at(index);
    return !m_text.mid(node.begin, node.end - node.begin).contains('\n');
}

QByteArray JsoncDocument::replaceValue(int index, const QJsonValue &value,
                                       const QStringList &keyOrder) const
{
    const Node &node = m_nodes.at(index);
    // Inside a container written on one line the new value stays on one line too.
    const bool compact = node.parent >= 0 && isOneLine(node.parent);
    const QByteArray indent = lineIndent(node.keyBegin >= 0 ? node.keyBegin : node.begin);
    QByteArray result = m_text;
    result.replace(node.begin, node.end - node.begin,
                   compact ? formatValue(value, {}, {}, {}, keyOrder)
                           : formatValue(value, indent, indentUnit(), newline(), keyOrder));
    return result;
}

QByteArray JsoncDocument::insertMember(int object, const QString &key, const QJsonValue &value,
                                       InsertAt where, const QStringList &keyOrder) const
{
    const Node &obj = m_nodes.at(object);
    const QByteArray nl = newline();
    const QByteArray indent = memberIndent(object);
    const qsizetype close = obj.end - 1;
    // A non-empty object written on one line gets the new member on that line; an empty one
    // opens up, as "{}" usually stands for "nothing here yet".
    const bool multiline = obj.children.isEmpty() || !isOneLine(object);
    const QByteArray text = memberText(key, value, indent, !multiline, keyOrder);
    QByteArray result = m_text;

    if (obj.children.isEmpty()) {
        // Right after '{', or after a comment that shares its line.
        const qsizetype eol = endOfLineAfter(obj.begin + 1);
        const qsizetype at = eol >= 0 ? eol : obj.begin + 1;
        const bool breakBeforeClose = m_text.mid(at, close - at).contains('\n');
        result.insert(at, nl + indent + text +
                              (breakBeforeClose ? QByteArray() : nl + lineIndent(obj.begin)));
        return result;
    }

    if (where == InsertAt::Start) {
        const Node &first = m_nodes.at(obj.children.first());
        const qsizetype eol = endOfLineAfter(obj.begin + 1);
        if (multiline)
            result.insert(eol >= 0 ? eol : obj.begin + 1, nl + indent + text + ',');
        else
            result.insert(first.keyBegin, text + ", ");
        return result;
    }

    const Node &last = m_nodes.at(obj.children.last());
    const bool hadComma = last.commaAfter >= 0;
    const qsizetype after = hadComma ? last.commaAfter + 1 : last.end;
    if (multiline) {
        // After the last member's line (and a comment on it), keeping the file's habit about
        // trailing commas. The comma for the old last member goes right after its value.
        const qsizetype eol = endOfLineAfter(after);
        result.insert(eol >= 0 ? eol : after, nl + indent + text + (hadComma ? "," : ""));
        if (!hadComma)
            result.insert(last.end, ',');
    } else if (hadComma) {
        result.insert(after, ' ' + text + ',');
    } else {
        result.insert(last.end, ", " + text);
    }
    return result;
}

QByteArray JsoncDocument::formatValue(const QJsonValue &value, const QByteArray &baseIndent,
                                      const QByteArray &indentUnit, const QByteArray &newline,
                                      const QStringList &keyOrder)
{
    // An empty newline asks for one line: "{"a": 1, "b": [2]}".
    const bool compact = newline.isEmpty();
    const QByteArray inner = baseIndent + indentUnit;
    const QByteArray open = compact ? QByteArray() : newline + inner;
    const QByteArray separator = compact ? QByteArrayLiteral(", ") : "," + newline + inner;
    const QByteArray close = compact ? QByteArray() : newline + baseIndent;
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (object.isEmpty())
            return QByteArrayLiteral("{}");
        QStringList keys = object.keys(); // alphabetical
        std::stable_sort(keys.begin(), keys.end(), [&keyOrder](const QString &a, const QString &b) {
            auto rank = [&keyOrder](const QString &key) {
                const qsizetype at = keyOrder.indexOf(key);
                return at < 0 ? std::numeric_limits<qsizetype>::max() : at;
            };
            return rank(a) < rank(b);
        });
        QByteArrayList members;
        for (const QString &key : std::as_const(keys)) {
            members << formatValue(key, inner, indentUnit, newline) + ": " +
                           formatValue(object.value(key), inner, indentUnit, newline, keyOrder);
        }
        return '{' + open + members.join(separator) + close + '}';
    }
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        if (array.isEmpty())
            return QByteArrayLiteral("[]");
        QByteArrayList elements;
        for (const QJsonValue &element : array)
            elements << formatValue(element, inner, indentUnit, newline, keyOrder);
        // Arrays of scalars read best on one line.
        const bool scalars = std::none_of(array.begin(), array.end(), [](const QJsonValue &v) {
            return v.isArray() || v.isObject();
        });
        if (scalars)
            return '[' + elements.join(", ") + ']';
        return '[' + open + elements.join(separator) + close + ']';
    }
    // Scalars: let Qt write them (escapes, number format) inside a one-element array.
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}
