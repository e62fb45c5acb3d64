#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

// A JSONC text (JSON with // and /* */ comments and trailing commas, as OpenCode reads its
// config) scanned into the byte ranges of its values, so that one value can be replaced or
// one member inserted while every other byte of the file stays as the user wrote it.
//
// Written here because nothing at hand does this: QJsonDocument rejects comments and
// rewrites the whole text in its own order and format, and Debian ships no C or C++ library
// that edits JSONC in place.
//
// The document is immutable: each edit returns the new text, which is parsed again before
// the next edit. Config files are small, so this costs nothing and keeps the offsets honest.
class JsoncDocument
{
    Q_DECLARE_TR_FUNCTIONS(JsoncDocument)
public:
    enum class Type { Object, Array, String, Number, Bool, Null };

    // One value. Members of objects also carry their key.
    struct Node
    {
        Type type = Type::Null;
        qsizetype begin = 0; // first byte of the value
        qsizetype end = 0;   // one past its last byte
        int parent = -1;
        QList<int> children; // members or elements, in text order
        QString key;         // decoded; only for object members
        qsizetype keyBegin = -1;
        qsizetype commaAfter = -1; // the ',' that follows this member or element, if any
    };

    struct ParseError
    {
        QString message; // translated, with line and column
        int line = 0;    // 1-based
        int column = 0;  // 1-based, in characters
        qsizetype offset = -1;
    };

    enum class InsertAt { Start, End };

    static JsoncDocument parse(const QByteArray &text);

    bool isValid() const { return m_error.offset < 0; }
    // Only whitespace and comments: valid, but without a root value.
    bool isEmpty() const { return isValid() && m_nodes.isEmpty(); }
    ParseError error() const { return m_error; }
    QByteArray text() const { return m_text; }

    // Node 0 is the root value; -1 when the document is empty or invalid.
    int root() const { return m_nodes.isEmpty() ? -1 : 0; }
    const Node &node(int index) const { return m_nodes.at(index); }
    // The member of an object with that key; the last one when a key repeats, since that is
    // the one JSONC readers keep. -1 when there is none.
    int member(int object, const QString &key) const;
    // The decoded value of a string node.
    QString stringValue(int index) const;
    QByteArray sourceText(int index) const;

    // The indentation step of the file ("\t", "    ", ...), from its own members; two
    // spaces when the file has none to learn from.
    QByteArray indentUnit() const;
    QByteArray newline() const;

    // Edits: each returns the whole new text. New values are printed in the file's
    // indentation, with keys ordered by keyOrder (see formatValue).
    QByteArray replaceValue(int index, const QJsonValue &value,
                            const QStringList &keyOrder = {}) const;
    QByteArray insertMember(int object, const QString &key, const QJsonValue &value, InsertAt where,
                            const QStringList &keyOrder = {}) const;

    // Pretty JSON for inserting at a line that starts with baseIndent. QJsonObject sorts its
    // keys, so object members are printed with the keys of keyOrder first, in that order, and
    // the others after them alphabetically. Arrays of scalars stay on one line; an empty
    // newline prints the whole value on one line.
    static QByteArray formatValue(const QJsonValue &value, const QByteArray &baseIndent,
                                  const QByteArray &indentUnit, const QByteArray &newline,
                                  const QStringList &keyOrder = {});

private:
    friend class JsoncParser;

    QByteArray lineIndent(qsizetype pos) const;
    bool startsLine(qsizetype pos) const;
    QByteArray memberIndent(int object) const;
    qsizetype endOfLineAfter(qsizetype pos) const;
    QByteArray memberText(const QString &key, const QJsonValue &value, const QByteArray &indent,
                          bool compact, const QStringList &keyOrder) const;
    bool isOneLine(int index) const;

    QByteArray m_text;
    QList<Node> m_nodes;
    ParseError m_error;
};
