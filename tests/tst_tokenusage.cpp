#include "proxy/tokenusage.h"

#include <QJsonDocument>
#include <QTest>

class TestTokenUsage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromAnswer_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("reported");
        QTest::addColumn<qint64>("prompt");
        QTest::addColumn<qint64>("completion");
        QTest::addColumn<qint64>("cached");
        QTest::addColumn<qint64>("reasoning");

        QTest::newRow("full") << QByteArray(R"({"usage":{"prompt_tokens":10,"completion_tokens":4,
            "total_tokens":14,"prompt_tokens_details":{"cached_tokens":8},
            "completion_tokens_details":{"reasoning_tokens":2}}})")
                              << true << qint64(10) << qint64(4) << qint64(8) << qint64(2);
        QTest::newRow("plain") << QByteArray(
                                      R"({"usage":{"prompt_tokens":3,"completion_tokens":1}})")
                               << true << qint64(3) << qint64(1) << qint64(0) << qint64(0);
        QTest::newRow("null") << QByteArray(R"({"usage":null})") << false << qint64(0) << qint64(0)
                              << qint64(0) << qint64(0);
        QTest::newRow("missing") << QByteArray(R"({"id":"x"})") << false << qint64(0) << qint64(0)
                                 << qint64(0) << qint64(0);
        QTest::newRow("key written twice")
            << QByteArray(R"({"usage":{"prompt_tokens":1,"completion_tokens":2,"prompt_tokens":6,
                "prompt_tokens_details":{"cached_tokens":1,"cached_tokens":5}}})")
            << true << qint64(6) << qint64(2) << qint64(5) << qint64(0);
        QTest::newRow("escaped key, exponent, fraction")
            << QByteArray(R"({"usage":{"prompt\u005ftokens":1.2e3,"completion_tokens":2.75}})")
            << true << qint64(1200) << qint64(2) << qint64(0) << qint64(0);
        QTest::newRow("empty") << QByteArray(R"({"usage":{}})") << false << qint64(0) << qint64(0)
                               << qint64(0) << qint64(0);
        QTest::newRow("nonsense numbers")
            << QByteArray(
                   R"({"usage":{"prompt_tokens":-5,"completion_tokens":"7","prompt_tokens_details":3}})")
            << true << qint64(0) << qint64(0) << qint64(0) << qint64(0);
    }

    void fromAnswer()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, reported);
        QFETCH(qint64, prompt);
        QFETCH(qint64, completion);
        QFETCH(qint64, cached);
        QFETCH(qint64, reasoning);
        const TokenUsage u = TokenUsage::fromAnswer(QJsonDocument::fromJson(json).object());
        QCOMPARE(u.reported, reported);
        QCOMPARE(u.promptTokens, prompt);
        QCOMPARE(u.completionTokens, completion);
        QCOMPARE(u.cachedTokens, cached);
        QCOMPARE(u.reasoningTokens, reasoning);

        // The same from the text, where only the usage member is parsed.
        bool readable = false;
        const TokenUsage b = TokenUsage::fromAnswerBody(json, &readable);
        QVERIFY(readable);
        QCOMPARE(b.reported, reported);
        QCOMPARE(b.promptTokens, prompt);
        QCOMPARE(b.completionTokens, completion);
        QCOMPARE(b.cachedTokens, cached);
        QCOMPARE(b.reasoningTokens, reasoning);
    }

    void fromAnswerBody()
    {
        bool readable = true;
        // Cut short, anywhere: no usage, and not readable.
        const QByteArray whole = R"({"id":"a","usage":{"prompt_tokens":3},"x":[1,{"y":"z"}]})";
        for (qsizetype n = 0; n < whole.size(); ++n) {
            const TokenUsage u = TokenUsage::fromAnswerBody(whole.first(n), &readable);
            QVERIFY2(!readable, whole.first(n).constData());
            QVERIFY(!u.reported);
        }
        QCOMPARE(TokenUsage::fromAnswerBody(whole, &readable).promptTokens, qint64(3));
        QVERIFY(readable);

        // A key written twice counts with its last value; a usage member deeper down is
        // not the answer's.
        TokenUsage u = TokenUsage::fromAnswerBody(
            R"({"usage":{"prompt_tokens":1},"usage":{"prompt_tokens":2}})", &readable);
        QCOMPARE(u.promptTokens, qint64(2));
        u = TokenUsage::fromAnswerBody(R"({"a":{"usage":{"prompt_tokens":1}}})", &readable);
        QVERIFY(readable);
        QVERIFY(!u.reported);

        // JSON that is not an object is readable and has no usage; text that is not JSON
        // is not readable.
        u = TokenUsage::fromAnswerBody("[1, 2]", &readable);
        QVERIFY(readable);
        QVERIFY(!u.reported);
        TokenUsage::fromAnswerBody("not json", &readable);
        QVERIFY(!readable);
    }
};

QTEST_GUILESS_MAIN(TestTokenUsage)
#include "tst_tokenusage.moc"
