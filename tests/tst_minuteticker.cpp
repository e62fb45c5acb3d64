// MinuteTicker: one timer for the whole process, once a minute by default, coarse.
#include "util/minuteticker.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>

class TestMinuteTicker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void oneInstanceUnderTheApplication();
    void ticksOnceAMinuteByDefault();
    void ticksAtTheIntervalSet();
};

void TestMinuteTicker::oneInstanceUnderTheApplication()
{
    MinuteTicker *ticker = MinuteTicker::instance();
    QVERIFY(ticker);
    QCOMPARE(MinuteTicker::instance(), ticker);
    QCOMPARE(ticker->parent(), QCoreApplication::instance());
}

void TestMinuteTicker::ticksOnceAMinuteByDefault()
{
    QCOMPARE(MinuteTicker::instance()->intervalMs(), 60 * 1000);
}

void TestMinuteTicker::ticksAtTheIntervalSet()
{
    MinuteTicker *ticker = MinuteTicker::instance();
    QSignalSpy ticks(ticker, &MinuteTicker::tick);
    ticker->setIntervalMs(5);
    QTRY_VERIFY_WITH_TIMEOUT(ticks.size() >= 2, 30000);
    ticker->setIntervalMs(60 * 1000);
    QCOMPARE(ticker->intervalMs(), 60 * 1000);
}

QTEST_GUILESS_MAIN(TestMinuteTicker)
#include "tst_minuteticker.moc"
