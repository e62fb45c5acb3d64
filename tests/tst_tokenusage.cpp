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
    }
};

QTEST_GUILESS_MAIN(TestTokenUsage)
#include "tst_tokenusage.moc"
