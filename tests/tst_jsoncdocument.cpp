#include "opencode/jsoncdocument.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using Type = JsoncDocument::Type;
using InsertAt = JsoncDocument::InsertAt;

class TestJsoncDocument : public QObject
{
    Q_OBJECT

private slots:
    void parsesJsonc()
    {
        const QByteArray text = "\xEF\xBB\xBF// leading comment\n"
                                "{\n"
                                "  /* block */ \"a\": 1, // after a\n"
                                "  \"b\": [true, false, null, -1.5e3, \"s\",],\n"
                                "  \"c\": {\"d\": {}, \"e\": [],},\n"
                                "  \"url\": \"http://x//y/*z*/\",\n"
                                "}\n// trailing\n";
        const JsoncDocument doc = JsoncDocument::parse(text);
        QVERIFY2(doc.isValid(), qPrintable(doc.error().message));
        QVERIFY(!doc.isEmpty());
        const int root = doc.root();
        QCOMPARE(doc.node(root).type, Type::Object);
        QCOMPARE(doc.node(root).children.size(), 4);

        const int a = doc.member(root, "a");
        QCOMPARE(doc.node(a).type, Type::Number);
        QCOMPARE(doc.sourceText(a), QByteArray("1"));
        QVERIFY(doc.node(a).commaAfter > 0);
        QCOMPARE(text.at(doc.node(a).commaAfter), ',');

        const int b = doc.member(root, "b");
        QCOMPARE(doc.node(b).type, Type::Array);
        QCOMPARE(doc.node(b).children.size(), 5);
        QCOMPARE(doc.node(doc.node(b).children.at(3)).type, Type::Number);
        QCOMPARE(doc.sourceText(doc.node(b).children.at(3)), QByteArray("-1.5e3"));

        const int c = doc.member(root, "c");
        QCOMPARE(doc.node(doc.member(c, "d")).type, Type::Object);
        QCOMPARE(doc.node(doc.member(c, "e")).type, Type::Array);
        QCOMPARE(doc.member(c, "missing"), -1);
        QCOMPARE(doc.member(a, "x"), -1); // not an object

        // Comment markers inside strings are text.
        QCOMPARE(doc.stringValue(doc.member(root, "url")), QStringLiteral("http://x//y/*z*/"));
    }

    void decodesKeysAndStrings()
    {
        // Plain literals, not raw strings: moc's lexer trips over backslashes in raw strings.
        const QByteArray text = "{\"prov\\u0069der\": \"caf\\u00e9 \\\"q\\\" \\\\ \\/ \\n\", "
                                "\"emoji\": \"\\ud83d\\ude00\", \"\xC3\xBC\": 1}";
        const JsoncDocument doc = JsoncDocument::parse(text);
        QVERIFY2(doc.isValid(), qPrintable(doc.error().message));
        const int provider = doc.member(doc.root(), "provider");
        QVERIFY(provider >= 0);
        QCOMPARE(doc.stringValue(provider), QStringLiteral("café \"q\" \\ / \n"));
        QCOMPARE(doc.stringValue(doc.member(doc.root(), "emoji")), QString::fromUtf8("😀"));
        QVERIFY(doc.member(doc.root(), QString::fromUtf8("ü")) >= 0);
    }

    void duplicateKeysFindTheLast()
    {
        const JsoncDocument doc = JsoncDocument::parse(R"({"k": 1, "k": 2})");
        QCOMPARE(doc.sourceText(doc.member(doc.root(), "k")), QByteArray("2"));
    }

    void emptyDocuments_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("nothing") << QByteArray();
        QTest::newRow("spaces") << QByteArray(" \n\t\r\n");
        QTest::newRow("comments") << QByteArray("// one\n/* two */\n");
        QTest::newRow("bom") << QByteArray("\xEF\xBB\xBF");
    }

    void emptyDocuments()
    {
        QFETCH(QByteArray, text);
        const JsoncDocument doc = JsoncDocument::parse(text);
        QVERIFY(doc.isValid());
        QVERIFY(doc.isEmpty());
        QCOMPARE(doc.root(), -1);
    }

    void scalarRoot()
    {
        const JsoncDocument doc = JsoncDocument::parse(" 42 // n\n");
        QVERIFY(doc.isValid());
        QCOMPARE(doc.node(doc.root()).type, Type::Number);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");

        QTest::newRow("double comma") << QByteArray(R"({"a": 1,, "b": 2})") << 1 << 9;
        QTest::newRow("leading comma") << QByteArray("[,1]") << 1 << 2;
        QTest::newRow("missing colon") << QByteArray(R"({"a" 1})") << 1 << 6;
        QTest::newRow("missing comma") << QByteArray("{\"a\": 1\n \"b\": 2}") << 2 << 2;
        QTest::newRow("unclosed object") << QByteArray(R"({"a": 1)") << 1 << 8;
        QTest::newRow("unclosed array") << QByteArray("[1, 2") << 1 << 6;
        QTest::newRow("unclosed comment") << QByteArray("{} /* open") << 1 << 4;
        QTest::newRow("unclosed string") << QByteArray("{\"a\": \"x}") << 1 << 7;
        QTest::newRow("line break in string") << QByteArray("{\"a\": \"x\ny\"}") << 1 << 9;
        QTest::newRow("single quotes") << QByteArray("{'a': 1}") << 1 << 2;
        QTest::newRow("bare key") << QByteArray("{a: 1}") << 1 << 2;
        QTest::newRow("bad literal") << QByteArray(R"({"a": tru})") << 1 << 7;
        QTest::newRow("literal glued") << QByteArray(R"({"a": nullx})") << 1 << 7;
        QTest::newRow("leading zero") << QByteArray(R"({"a": 01})") << 1 << 8;
        QTest::newRow("bare minus") << QByteArray(R"({"a": -})") << 1 << 7;
        QTest::newRow("bad fraction") << QByteArray(R"({"a": 1.})") << 1 << 7;
        QTest::newRow("bad escape") << QByteArray("{\"a\": \"\\q\"}") << 1 << 8;
        QTest::newRow("short unicode escape") << QByteArray("{\"a\": \"\\u12\"}") << 1 << 8;
        QTest::newRow("text after end") << QByteArray("{} x") << 1 << 4;
        QTest::newRow("two roots") << QByteArray("{}\n{}") << 2 << 1;
        QTest::newRow("empty value") << QByteArray(R"({"a": })") << 1 << 7;
        QTest::newRow("utf8 column") << QByteArray("{\n  \"é\": \"ü\" ?\n}") << 2 << 12;
        QTest::newRow("deep nesting") << QByteArray(300, '[') << 1 << 258;
    }

    void errors()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        QFETCH(int, column);
        const JsoncDocument doc = JsoncDocument::parse(text);
        QVERIFY(!doc.isValid());
        QVERIFY(!doc.isEmpty());
        QCOMPARE(doc.root(), -1);
        QCOMPARE(doc.error().line, line);
        QCOMPARE(doc.error().column, column);
        QVERIFY(doc.error().message.contains(QString::number(line)));
        QVERIFY(doc.error().message.contains(QString::number(column)));
    }

    void indentUnit_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("unit");
        QTest::newRow("two") << QByteArray("{\n  \"a\": 1\n}") << QByteArray("  ");
        QTest::newRow("four") << QByteArray("{\n    \"a\": {\n        \"b\": 1\n    }\n}")
                              << QByteArray("    ");
        QTest::newRow("tab") << QByteArray("{\n\t\"a\": 1\n}") << QByteArray("\t");
        QTest::newRow("one line") << QByteArray("{\"a\": 1}") << QByteArray("  ");
        QTest::newRow("nested only")
            << QByteArray("{\"a\": {\n   \"b\": 1\n}}") << QByteArray("   ");
    }

    void indentUnit()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, unit);
        QCOMPARE(JsoncDocument::parse(text).indentUnit(), unit);
    }

    void insertMember_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("path"); // object to insert into: "" root, else a root key
        QTest::addColumn<bool>("atStart");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("end, no trailing comma")
            << QByteArray("{\n  \"a\": 1\n}\n") << "" << false
            << QByteArray("{\n  \"a\": 1,\n  \"k\": [1, 2]\n}\n");
        QTest::newRow("end, trailing comma kept as style")
            << QByteArray("{\n  \"a\": 1,\n}\n") << "" << false
            << QByteArray("{\n  \"a\": 1,\n  \"k\": [1, 2],\n}\n");
        QTest::newRow("end, comment on last line stays")
            << QByteArray("{\n  \"a\": 1 // note\n}") << "" << false
            << QByteArray("{\n  \"a\": 1, // note\n  \"k\": [1, 2]\n}");
        QTest::newRow("end, comma and comment")
            << QByteArray("{\n  \"a\": 1, /* x */ // note\n}") << "" << false
            << QByteArray("{\n  \"a\": 1, /* x */ // note\n  \"k\": [1, 2],\n}");
        QTest::newRow("end, comment lines before brace")
            << QByteArray("{\n  \"a\": 1\n  // the end\n}") << "" << false
            << QByteArray("{\n  \"a\": 1,\n  \"k\": [1, 2]\n  // the end\n}");
        QTest::newRow("end, closing brace on last line")
            << QByteArray("{ \"a\": 1,\n  \"b\": 2 }") << "" << false
            << QByteArray("{ \"a\": 1,\n  \"b\": 2,\n  \"k\": [1, 2] }");
        QTest::newRow("end, one line")
            << QByteArray("{\"a\": 1}") << "" << false << QByteArray("{\"a\": 1, \"k\": [1, 2]}");
        QTest::newRow("end, one line trailing comma")
            << QByteArray("{\"a\": 1,}") << "" << false << QByteArray("{\"a\": 1, \"k\": [1, 2],}");
        QTest::newRow("empty object")
            << QByteArray("{}") << "" << false << QByteArray("{\n  \"k\": [1, 2]\n}");
        QTest::newRow("empty object with line break")
            << QByteArray("{\n}\n") << "" << false << QByteArray("{\n  \"k\": [1, 2]\n}\n");
        QTest::newRow("empty object with comment")
            << QByteArray("{ // mine\n  // more\n}") << "" << false
            << QByteArray("{ // mine\n  \"k\": [1, 2]\n  // more\n}");
        QTest::newRow("empty nested object")
            << QByteArray("{\n    \"p\": {},\n    \"q\": 1\n}") << "p" << false
            << QByteArray("{\n    \"p\": {\n        \"k\": [1, 2]\n    },\n    \"q\": 1\n}");
        QTest::newRow("nested object end")
            << QByteArray("{\n\t\"p\": {\n\t\t\"x\": 1\n\t}\n}") << "p" << false
            << QByteArray("{\n\t\"p\": {\n\t\t\"x\": 1,\n\t\t\"k\": [1, 2]\n\t}\n}");
        QTest::newRow("start") << QByteArray("{\n  \"a\": 1\n}") << "" << true
                               << QByteArray("{\n  \"k\": [1, 2],\n  \"a\": 1\n}");
        QTest::newRow("start after comment on brace line")
            << QByteArray("{ // cfg\n  // about a\n  \"a\": 1\n}") << "" << true
            << QByteArray("{ // cfg\n  \"k\": [1, 2],\n  // about a\n  \"a\": 1\n}");
        QTest::newRow("start, one line")
            << QByteArray("{\"a\": 1}") << "" << true << QByteArray("{\"k\": [1, 2], \"a\": 1}");
        QTest::newRow("crlf") << QByteArray("{\r\n  \"a\": 1 // c\r\n}\r\n") << "" << false
                              << QByteArray("{\r\n  \"a\": 1, // c\r\n  \"k\": [1, 2]\r\n}\r\n");
    }

    void insertMember()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, path);
        QFETCH(bool, atStart);
        QFETCH(QByteArray, expected);
        const JsoncDocument doc = JsoncDocument::parse(text);
        QVERIFY(doc.isValid());
        const int object = path.isEmpty() ? doc.root() : doc.member(doc.root(), path);
        const QByteArray result = doc.insertMember(object, "k", QJsonArray{1, 2},
                                                   atStart ? InsertAt::Start : InsertAt::End);
        QCOMPARE(result, expected);
        QVERIFY(JsoncDocument::parse(result).isValid());
    }

    void insertObjectFollowsIndent()
    {
        const QByteArray text = "{\n\t\"a\": 1\n}";
        const JsoncDocument doc = JsoncDocument::parse(text);
        const QByteArray result = doc.insertMember(
            doc.root(), "k", QJsonObject{{"x", QJsonObject{{"y", 1}}}}, InsertAt::End);
        QCOMPARE(result, QByteArray("{\n\t\"a\": 1,\n\t\"k\": {\n\t\t\"x\": {\n\t\t\t\"y\": 1\n"
                                    "\t\t}\n\t}\n}"));
    }

    void oneLineObjectsStayOnOneLine()
    {
        const QJsonObject value{{"x", QJsonObject{{"y", 1}}}, {"z", QJsonArray{1}}};
        JsoncDocument doc = JsoncDocument::parse("{\"a\": 1}");
        const QByteArray inserted = doc.insertMember(doc.root(), "k", value, InsertAt::End);
        QCOMPARE(inserted, QByteArray(R"({"a": 1, "k": {"x": {"y": 1}, "z": [1]}})"));

        doc = JsoncDocument::parse(R"({"a": 1, "k": {"old": true}})");
        QCOMPARE(doc.replaceValue(doc.member(doc.root(), "k"), value), inserted);
    }

    void replaceValue()
    {
        const QByteArray before = "{\n  // keep\n  \"p\": {\n    \"old\": true, // gone\n  },\n";
        const QByteArray after = ",\n  \"q\": 1 /* keep too */\n}\n";
        const QByteArray text = before + "  \"v\": " + "[1, /* c */ 2]" + after;
        const JsoncDocument doc = JsoncDocument::parse(text);
        QVERIFY(doc.isValid());
        const QByteArray result =
            doc.replaceValue(doc.member(doc.root(), "v"), QJsonObject{{"n", 1}});
        QCOMPARE(result, before + "  \"v\": {\n    \"n\": 1\n  }" + after);
    }

    void formatValue()
    {
        const QJsonObject value{{"zeta", 1},
                                {"alpha", QJsonArray{"a", 2, true, QJsonValue()}},
                                {"mid", QJsonObject{{"b", "x\"y"}, {"a", 1.5}}},
                                {"empty", QJsonObject{}},
                                {"list", QJsonArray{QJsonObject{{"k", 1}}}},
                                {"none", QJsonArray{}}};
        const QByteArray text =
            JsoncDocument::formatValue(value, "", "  ", "\n", {"zeta", "mid", "b"});
        QCOMPARE(text, QByteArray("{\n"
                                  "  \"zeta\": 1,\n"
                                  "  \"mid\": {\n"
                                  "    \"b\": \"x\\\"y\",\n"
                                  "    \"a\": 1.5\n"
                                  "  },\n"
                                  "  \"alpha\": [\"a\", 2, true, null],\n"
                                  "  \"empty\": {},\n"
                                  "  \"list\": [\n"
                                  "    {\n"
                                  "      \"k\": 1\n"
                                  "    }\n"
                                  "  ],\n"
                                  "  \"none\": []\n"
                                  "}"));
    }

    void newline()
    {
        QCOMPARE(JsoncDocument::parse("{}\r\n").newline(), QByteArray("\r\n"));
        QCOMPARE(JsoncDocument::parse("{}\n").newline(), QByteArray("\n"));
    }
};

QTEST_GUILESS_MAIN(TestJsoncDocument)
#include "tst_jsoncdocument.moc"
