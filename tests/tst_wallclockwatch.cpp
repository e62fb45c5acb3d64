// WallClockWatch: the kernel says when the wall clock jumps (a clock set, a resume), so an
// idle process needs no periodic wake-up to notice; without that notice, the clocks are
// compared once a minute.
#include "util/wallclockwatch.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>

#include <cerrno>
#include <cstring>
#include <time.h>

class TestWallClockWatch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void oneInstanceWithoutAPeriodicWakeUp();
    void aClockSetIsReported();
    void pollingComparesTheClocks();
};

void TestWallClockWatch::oneInstanceWithoutAPeriodicWakeUp()
{
    WallClockWatch *watch = WallClockWatch::instance();
    QVERIFY(watch);
    QCOMPARE(WallClockWatch::instance(), watch);
    QCOMPARE(watch->parent(), QCoreApplication::instance());
#ifdef Q_OS_LINUX
    QVERIFY(watch->isKernelDriven());
    QCOMPARE(watch->pollIntervalMs(), 0);
#endif
}

// The real notice: the clock is set to what it reads (a step of a few microseconds back),
// which the kernel reports like any other clock set. Setting the clock needs root, which
// CI has (as tst_runtimefolder needs it).
void TestWallClockWatch::aClockSetIsReported()
{
#ifndef Q_OS_LINUX
    QSKIP("the kernel notice is Linux's");
#else
    WallClockWatch *watch = WallClockWatch::instance();
    QSignalSpy jumped(watch, &WallClockWatch::jumped);
    const int notices = watch->kernelNotices();
    const auto stepInPlace = [] {
        timespec now{};
        ::clock_gettime(CLOCK_REALTIME, &now);
        return ::clock_settime(CLOCK_REALTIME, &now) == 0;
    };
    if (!stepInPlace())
        QSKIP(qPrintable(QStringLiteral("setting the clock needs root: %1")
                             .arg(QString::fromLocal8Bit(std::strerror(errno)))));
    // Noticed, but a step of microseconds is no jump (a time service's corrections).
    QTRY_COMPARE_WITH_TIMEOUT(watch->kernelNotices(), notices + 1, 10000);
    QCOMPARE(jumped.size(), 0);
    // Armed again, and any step counts once the threshold allows it.
    watch->setMinimumJumpMs(0);
    QVERIFY(stepInPlace());
    QTRY_COMPARE_WITH_TIMEOUT(jumped.size(), 1, 10000);
    QCOMPARE(watch->kernelNotices(), notices + 2);
    watch->setMinimumJumpMs(WallClockWatch::kJumpMs);
#endif
}

void TestWallClockWatch::pollingComparesTheClocks()
{
    WallClockWatch watch(WallClockWatch::Source::Polling);
    QVERIFY(!watch.isKernelDriven());
    QCOMPARE(watch.pollIntervalMs(), WallClockWatch::kPollMs);
    QSignalSpy jumped(&watch, &WallClockWatch::jumped);
    // The wall clock moved as the monotonic one did: nothing to say.
    watch.compare(QDateTime::currentDateTimeUtc());
    QCOMPARE(jumped.size(), 0);
    // A night asleep: the monotonic clock stood still.
    watch.compare(QDateTime::currentDateTimeUtc().addSecs(8 * 3600));
    QCOMPARE(jumped.size(), 1);
    // A clock set back by an hour.
    watch.compare(QDateTime::currentDateTimeUtc().addSecs(-3600));
    QCOMPARE(jumped.size(), 2);
}

QTEST_GUILESS_MAIN(TestWallClockWatch)
#include "tst_wallclockwatch.moc"
