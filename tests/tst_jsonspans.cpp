// JsonSpans: where members and elements lie in JSON text, and strings escaped as Qt does.
#include "proxy/jsonspans.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

namespace {
QByteArray qtQuoted(const QString &s)
{
    const QByteArray array = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    return array.sliced(1, array.size() - 2);
}
} // namespace

class TstJsonSpans : public QObject
{
    Q_OBJECT

private slots:
    void membersInOrderWithTheirText()
    {
        const QByteArray text = " { \"b\" : [1, {\"x\": \"]}\"}] ,\"a\":\"q\\\"}\" , \"n\": "
                                "-1.5e+3,\n \"t\":true,\"z\":{} } ";
        QList<JsonSpans::Member> members;
        QVERIFY(JsonSpans::members(text, &members));
        QCOMPARE(members.size(), 5);
        const QByteArray keys[] = {"b", "a", "n", "t", "z"};
        const QByteArray values[] = {"[1, {\"x\": \"]}\"}]", "\"q\\\"}\"", "-1.5e+3", "true", "{}"};
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(members.at(i).key, keys[i]);
            QCOMPARE(members.at(i).value.in(text).toByteArray(), values[i]);
            QVERIFY(members.at(i).member.in(text).startsWith(QByteArray('"' + keys[i] + '"')));
            QVERIFY(members.at(i).member.in(text).endsWith(values[i]));
        }
    }

    void stringsEndingInBackslashes()
    {
        // An escaped backslash before a quote ends the string; an escaped quote does not.
        const QByteArray text = "{\"a\":\"x\\\\\",\"b\":\"y\\\\\\\"z\",\"c\":\"\\\\\\\\\"}";
        QList<JsonSpans::Member> members;
        QVERIFY(JsonSpans::members(text, &members));
        QCOMPARE(members.size(), 3);
        QCOMPARE(members.at(0).value.in(text).toByteArray(), QByteArray("\"x\\\\\""));
        QCOMPARE(members.at(1).value.in(text).toByteArray(), QByteArray("\"y\\\\\\\"z\""));
        QCOMPARE(members.at(2).value.in(text).toByteArray(), QByteArray("\"\\\\\\\\\""));
    }

    void keysAreDecodedAndDuplicatesKept()
    {
        const QByteArray text = "{\"mod\\u0065l\":\"a\",\"model\":\"b\",\"\\u00e9t\\u00e9\":1}";
        QList<JsonSpans::Member> members;
        QVERIFY(JsonSpans::members(text, &members));
        QCOMPARE(members.size(), 3);
        QCOMPARE(members.at(0).key, QByteArray("model"));
        QCOMPARE(members.at(1).key, QByteArray("model"));
        QCOMPARE(members.at(2).key, QStringLiteral("été").toUtf8());
    }

    void emptyObjectAndNotAnObject()
    {
        QList<JsonSpans::Member> members{JsonSpans::Member()};
        QVERIFY(JsonSpans::members(" {} ", &members));
        QVERIFY(members.isEmpty());
        for (const QByteArray &text :
             {QByteArray("[]"), QByteArray("\"s\""), QByteArray("1"), QByteArray(""),
              QByteArray("{} x"), QByteArray("{\"a\":1"), QByteArray("{\"a\" 1}"),
              QByteArray("{\"a\":}"), QByteArray("{\"a\":\"open}"), QByteArray("{\"a\":[1,}"),
              QByteArray("{\"a\":1,}"), QByteArray("{a:1}")})
            QVERIFY2(!JsonSpans::members(text, &members), text.constData());
    }

    void elementsOfAnArray()
    {
        const QByteArray text = "{\"m\": [ {\"r\":\"a,]\"} , \"s\" ,[1,[2]],3 ], \"e\":[ ]}";
        QList<JsonSpans::Member> members;
        QVERIFY(JsonSpans::members(text, &members));
        QList<JsonSpans::Span> elements;
        QVERIFY(JsonSpans::elements(text, members.at(0).value, &elements));
        QCOMPARE(elements.size(), 4);
        const QByteArray expected[] = {"{\"r\":\"a,]\"}", "\"s\"", "[1,[2]]", "3"};
        for (int i = 0; i < 4; ++i)
            QCOMPARE(elements.at(i).in(text).toByteArray(), expected[i]);

        QVERIFY(JsonSpans::elements(text, members.at(1).value, &elements));
        QVERIFY(elements.isEmpty());
        // Not an array, or a span outside the text.
        QVERIFY(!JsonSpans::elements(text, {0, 4}, &elements));
        QVERIFY(!JsonSpans::elements(text, {0, text.size() + 1}, &elements));
        QVERIFY(!JsonSpans::elements("[1,]", {0, 4}, &elements));
    }

    void quotedAsQtWritesIt()
    {
        QList<QString> texts{
            QString(),
            QStringLiteral("plain text"),
            QStringLiteral("quote \" backslash \\ slash / del \x7f"),
            QStringLiteral("été € 𝄞 😀"),
            QString(QChar(0xd800)),                    // a high surrogate alone
            QString(QChar(0xdc00)) + QLatin1Char('x'), // a low one alone
            QStringLiteral("x") + QChar(0xd83d),       // a high one at the end
            QString(QChar(0xfffe)) + QChar(0xffff) + QChar(0x800) + QChar(0x7ff),
        };
        QString controls;
        for (char16_t c = 0; c < 0x20; ++c)
            controls += QChar(c);
        texts << controls;
        QRandomGenerator random(18);
        for (int i = 0; i < 2000; ++i) {
            QString text(random.bounded(40), Qt::Uninitialized);
            for (QChar &c : text) {
                // Mostly ASCII, then anything: surrogates and the rest of the BMP.
                c = QChar(
                    char16_t(random.bounded(4) ? random.bounded(0x80) : random.bounded(0x10000)));
            }
            texts << text;
        }
        for (const QString &text : std::as_const(texts))
            QCOMPARE(JsonSpans::quoted(text), qtQuoted(text));
    }

    void quotedLongTextKeepsLittleRoom()
    {
        const QString text(100000, QLatin1Char('a'));
        const QByteArray out = JsonSpans::quoted(text);
        QCOMPARE(out.size(), text.size() + 2);
        QVERIFY(out.capacity() < 2 * out.size());
    }
};

QTEST_GUILESS_MAIN(TstJsonSpans)
#include "tst_jsonspans.moc"
