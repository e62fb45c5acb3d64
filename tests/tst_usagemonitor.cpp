#include "settings/settings.h"
#include "testhome.h"
#include "usage/usagemonitor.h"
#include "usage/usagestore.h"
#include "util/wallclockwatch.h"

#include <QSignalSpy>
#include <QTest>

// The tray's side of the usage meter: the status line, and the 80% and 100% notices once
// each per window, also when the app starts again inside the same window.
class TestUsageMonitor : public QObject
{
    Q_OBJECT

    static void recordRequests(UsageStore &store, int n)
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (int i = 0; i < n; ++i) {
            UsageRecord r;
            r.timeMs = now - 60000 + i; // within the last minute: inside every window
            r.method = QStringLiteral("api_key");
            r.planId = QStringLiteral("coding-plan-global");
            r.credential = QStringLiteral("default");
            r.model = QStringLiteral("qwen3-coder-plus");
            r.httpStatus = 200;
            r.promptTokens = 100;
            r.completionTokens = 10;
            store.record(r);
        }
        store.flush();
    }

private Q_SLOTS:
    // Idle costs nothing: a look reads the store only when the numbers can have changed by
    // themselves or the plan's settings changed, and the one timer waits for the next
    // such moment.
    void anIdleLookReadsNothing()
    {
        TestHome home;
        Settings settings;
        settings.setValue(QStringLiteral("usage/codingPlanTier"), QStringLiteral("lite"));
        UsageStore store(home.path() + QStringLiteral("/usage.sqlite"));
        QVERIFY(store.open());
        recordRequests(store, 3);
        UsageMonitor monitor(&store, &settings);
        QSignalSpy changed(&monitor, &UsageMonitor::changed);
        QVERIFY(!monitor.nextChange().isValid());

        monitor.checkNow(); // nothing read yet: reads
        QCOMPARE(changed.size(), 1);
        QVERIFY(monitor.statusLine().contains(QStringLiteral("3 / 1,200")));
        // The next wake-up: the 5-hour window's reset or midnight, whichever comes first.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(monitor.nextChange() > now);
        QVERIFY(monitor.nextChange() <= now.addSecs(5 * 3600 + 60));
        QVERIFY(monitor.nextChange() <= now.toLocalTime().date().addDays(1).startOfDay().toUTC());

        // The 5-hour window resets in about 5 hours, midnight is at least a minute away.
        monitor.checkNow();
        monitor.checkNow();
        QCOMPARE(changed.size(), 1);

        settings.setValue(QStringLiteral("usage/codingPlanTier"), QStringLiteral("pro"));
        monitor.checkNow();
        QCOMPARE(changed.size(), 2);
        QVERIFY(monitor.statusLine().contains(QStringLiteral("3 / 6,000")));

        // A resume or a clock change looks again (and reads only if something changed).
        Q_EMIT WallClockWatch::instance()->jumped();
        QCOMPARE(changed.size(), 2);
        settings.setValue(QStringLiteral("usage/codingPlanTier"), QStringLiteral("lite"));
        Q_EMIT WallClockWatch::instance()->jumped();
        QCOMPARE(changed.size(), 3);
    }

    void nothingCountedNoLine()
    {
        TestHome home;
        Settings settings;
        UsageStore store(home.path() + QStringLiteral("/usage.sqlite"));
        QVERIFY(store.open());
        UsageMonitor monitor(&store, &settings);
        QVERIFY(monitor.statusLine().isEmpty());
        monitor.refreshNow();
        QVERIFY(monitor.statusLine().isEmpty());
    }

    void thresholdsOnceEachAcrossRestarts()
    {
        TestHome home;
        Settings settings;
        settings.setValue(QStringLiteral("usage/codingPlanTier"), QStringLiteral("lite"));
        UsageStore store(home.path() + QStringLiteral("/usage.sqlite"));
        QVERIFY(store.open());

        // 959 of Lite's 1,200 in 5 h: under 80%.
        recordRequests(store, 959);
        {
            UsageMonitor monitor(&store, &settings);
            QSignalSpy crossed(&monitor, &UsageMonitor::thresholdCrossed);
            monitor.refreshNow();
            QCOMPARE(crossed.size(), 0);
            QVERIFY2(monitor.statusLine().contains(QStringLiteral("959")),
                     qPrintable(monitor.statusLine()));
            QVERIFY(monitor.statusLine().contains(QStringLiteral("1,200")));

            // The 960th crosses 80%: told once, however often the tray looks.
            recordRequests(store, 1);
            monitor.refreshNow();
            QCOMPARE(crossed.size(), 1);
            QVERIFY(crossed.first().at(0).toString().contains(QStringLiteral("80%")));
            monitor.refreshNow();
            monitor.refreshNow();
            QCOMPARE(crossed.size(), 1);
        }
        {
            // A restart in the same window does not tell it again.
            UsageMonitor monitor(&store, &settings);
            QSignalSpy crossed(&monitor, &UsageMonitor::thresholdCrossed);
            monitor.refreshNow();
            QCOMPARE(crossed.size(), 0);
            // The limit itself is told once more.
            recordRequests(store, 240);
            monitor.refreshNow();
            QCOMPARE(crossed.size(), 1);
            QVERIFY(crossed.first().at(0).toString().contains(QStringLiteral("limit")));
            monitor.refreshNow();
            QCOMPARE(crossed.size(), 1);
        }
    }

    // Many requests finishing at once read the store once, a moment later.
    void refreshesAfterRequestsSettle()
    {
        TestHome home;
        Settings settings;
        UsageStore store(home.path() + QStringLiteral("/usage.sqlite"));
        QVERIFY(store.open());
        UsageMonitor monitor(&store, &settings);
        QSignalSpy changed(&monitor, &UsageMonitor::changed);
        recordRequests(store, 3);
        for (int i = 0; i < 50; ++i)
            monitor.requestRefresh();
        QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 30000);
        QVERIFY(monitor.statusLine().contains(QStringLiteral("3")));
    }
};

QTEST_GUILESS_MAIN(TestUsageMonitor)
#include "tst_usagemonitor.moc"
