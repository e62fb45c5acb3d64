#include "credentials/apikeyinput.h"

#include <QTest>

Q_DECLARE_METATYPE(ApiKeyInput::Verdict)

class TestApiKeyInput : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void check_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<ApiKeyInput::Verdict>("verdict");
        QTest::addColumn<QString>("normalized");
        using V = ApiKeyInput::Verdict;
        QTest::newRow("plain") << "sk-abc123" << V::Ok << "sk-abc123";
        QTest::newRow("ends trimmed") << "  sk-abc123\n" << V::Ok << "sk-abc123";
        QTest::newRow("tab at end") << "sk-abc123\t" << V::Ok << "sk-abc123";
        QTest::newRow("longest") << QString(ApiKeyInput::kMaxLength, QLatin1Char('k')) << V::Ok
                                 << QString(ApiKeyInput::kMaxLength, QLatin1Char('k'));
        QTest::newRow("empty") << "" << V::Empty << "";
        QTest::newRow("blank") << " \t\r\n" << V::Empty << "";
        QTest::newRow("space inside") << "sk-abc 123" << V::Malformed << "sk-abc 123";
        QTest::newRow("tab inside") << "sk-abc\t123" << V::Malformed << "sk-abc\t123";
        QTest::newRow("newline inside") << "sk-abc\n123" << V::Malformed << "sk-abc\n123";
        QTest::newRow("no-break space") << QStringLiteral("sk-abc\u00a0123") << V::Malformed
                                        << QStringLiteral("sk-abc\u00a0123");
        QTest::newRow("control") << QStringLiteral("sk-abc\u0001123") << V::Malformed
                                 << QStringLiteral("sk-abc\u0001123");
        QTest::newRow("escape") << QStringLiteral("sk-\u001b[0m") << V::Malformed
                                << QStringLiteral("sk-\u001b[0m");
        QTest::newRow("zero width") << QStringLiteral("sk-abc\u200b123") << V::Malformed
                                    << QStringLiteral("sk-abc\u200b123");
        QTest::newRow("too long") << QString(ApiKeyInput::kMaxLength + 1, QLatin1Char('k'))
                                  << V::Malformed
                                  << QString(ApiKeyInput::kMaxLength + 1, QLatin1Char('k'));
    }
    void check()
    {
        QFETCH(QString, text);
        QFETCH(ApiKeyInput::Verdict, verdict);
        QFETCH(QString, normalized);
        QString key;
        QCOMPARE(ApiKeyInput::check(text, &key), verdict);
        QCOMPARE(key, normalized);
        QCOMPARE(ApiKeyInput::check(text), verdict);
    }

    void oneSentence()
    {
        QVERIFY(!ApiKeyInput::malformedMessage().isEmpty());
        QVERIFY(!ApiKeyInput::malformedMessage().contains(QLatin1String("sk-")));
    }
};

QTEST_GUILESS_MAIN(TestApiKeyInput)
#include "tst_apikeyinput.moc"
