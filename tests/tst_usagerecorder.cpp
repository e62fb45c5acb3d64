#include "proxy/usagerecorder.h"
#include "usage/usagestore.h"

#include <QTest>

#include <limits>

class TestUsageRecorder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void toRecord_data()
    {
        QTest::addColumn<qint64>("firstByteMs");
        QTest::addColumn<qint64>("durationMs");
        QTest::addColumn<int>("firstByte");
        QTest::addColumn<int>("duration");
        const qint64 huge = qint64(std::numeric_limits<int>::max()) + 5;
        QTest::newRow("an answer") << qint64(120) << qint64(900) << 120 << 900;
        QTest::newRow("nothing reached the client") << qint64(-1) << qint64(30) << -1 << 30;
        QTest::newRow("first byte at once") << qint64(0) << qint64(0) << 0 << 0;
        QTest::newRow("too long for an int")
            << huge << huge << std::numeric_limits<int>::max() << std::numeric_limits<int>::max();
    }

    void toRecord()
    {
        QFETCH(qint64, firstByteMs);
        QFETCH(qint64, durationMs);
        QFETCH(int, firstByte);
        QFETCH(int, duration);
        ChatUsageFacts facts;
        facts.arrivedAtMs = 1700000000000;
        facts.method = AuthMethod::ApiKey;
        facts.planId = QStringLiteral("coding-global");
        facts.credential = QStringLiteral("key-1");
        facts.model = QStringLiteral("qwen3-coder-plus");
        facts.httpStatus = 429;
        facts.errorKind = QStringLiteral("insufficient_quota");
        facts.usage.promptTokens = 11;
        facts.usage.completionTokens = 22;
        facts.usage.cachedTokens = 3;
        facts.usage.reasoningTokens = 4;
        facts.firstByteMs = firstByteMs;
        facts.durationMs = durationMs;
        const UsageRecord r = UsageRecorder::toRecord(facts);
        QCOMPARE(r.timeMs, facts.arrivedAtMs);
        QCOMPARE(r.method, Credentials::methodName(AuthMethod::ApiKey));
        QCOMPARE(r.planId, facts.planId);
        QCOMPARE(r.credential, facts.credential);
        QCOMPARE(r.model, facts.model);
        QCOMPARE(r.httpStatus, 429);
        QCOMPARE(r.errorKind, facts.errorKind);
        QCOMPARE(r.promptTokens, qint64(11));
        QCOMPARE(r.completionTokens, qint64(22));
        QCOMPARE(r.cachedTokens, qint64(3));
        QCOMPARE(r.reasoningTokens, qint64(4));
        QCOMPARE(r.firstByteMs, firstByte);
        QCOMPARE(r.durationMs, duration);
        QVERIFY(!r.succeeded());
    }
};

QTEST_GUILESS_MAIN(TestUsageRecorder)
#include "tst_usagerecorder.moc"
