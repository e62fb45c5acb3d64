#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QStringView>

// Where the members of a JSON object and the elements of a JSON array lie in the text that
// holds them. Qt's JSON classes parse into values and keep no positions, and writing a
// whole conversation out again costs about 7 ms per MB of it; RequestRewriter changes a
// few top-level members and passes every other byte of the client's body on unchanged,
// which needs these positions. Written by hand because no JSON library here reports them.
//
// Values are skipped, not checked: text QJsonDocument::fromJson has accepted is split as
// it read it; other text fails when its brackets, quotes or separators do not add up (a
// body cut short), and is never read out of bounds.
class JsonSpans
{
public:
    struct Span
    {
        qsizetype begin = 0;
        qsizetype end = 0; // one past the last byte
        QByteArrayView in(QByteArrayView text) const { return text.sliced(begin, end - begin); }
    };

    struct Member
    {
        QByteArray key; // decoded, in UTF-8
        Span member;    // from the key's opening quote to the end of the value
        Span value;
    };

    // The members of the object that is the whole of text (whitespace around it allowed),
    // in the order they are written, duplicates included.
    static bool members(QByteArrayView text, QList<Member> *out);
    // The elements of the array that begins at array.begin and ends at array.end in text.
    static bool elements(QByteArrayView text, Span array, QList<Span> *out);
    // s as a JSON string, quotes included, escaped as QJsonDocument escapes it.
    static QByteArray quoted(QStringView s);

private:
    static qsizetype skipSpace(QByteArrayView text, qsizetype at);
    static qsizetype skipString(QByteArrayView text, qsizetype at);
    static qsizetype skipValue(QByteArrayView text, qsizetype at);
};
