#include "usage/planwindows.h"
#include "usage/usagestore.h"

#include <QTest>
#include <QTimeZone>

#include <ctime>

using namespace PlanWindows;

namespace {
QDateTime utc(const QString &iso)
{
    QDateTime t = QDateTime::fromString(iso, Qt::ISODate);
    t.setTimeSpec(Qt::UTC);
    return t;
}

// The process's local zone for one test row; the old one comes back at the end.
class LocalZone
{
public:
    explicit LocalZone(const QByteArray &zone)
        : m_old(qgetenv("TZ"))
        , m_hadOld(qEnvironmentVariableIsSet("TZ"))
    {
        qputenv("TZ", zone);
        tzset();
    }
    ~LocalZone()
    {
        if (m_hadOld)
            qputenv("TZ", m_old);
        else
            qunsetenv("TZ");
        tzset();
    }

private:
    QByteArray m_old;
    bool m_hadOld;
};
} // namespace

class TestPlanWindows : public QObject
{
    Q_OBJECT

private slots:
    void codingPlanLimits();
    void weekResetsMondayInChina_data();
    void weekResetsMondayInChina();
    void weekResetAcrossDaylightSaving();
    void monthFromTheSubscriptionDay_data();
    void monthFromTheSubscriptionDay();
    void fiveHoursRoll();
    void upstreamExhaustionWins();
    void thresholdsOncePerWindow();
    void costEstimate();
};

void TestPlanWindows::codingPlanLimits()
{
    QCOMPARE(codingPlanLimit(CodingTier::Lite, Window::FiveHours), 1200);
    QCOMPARE(codingPlanLimit(CodingTier::Lite, Window::Week), 9000);
    QCOMPARE(codingPlanLimit(CodingTier::Lite, Window::Month), 18000);
    QCOMPARE(codingPlanLimit(CodingTier::Pro, Window::FiveHours), 6000);
    QCOMPARE(codingPlanLimit(CodingTier::Pro, Window::Week), 45000);
    QCOMPARE(codingPlanLimit(CodingTier::Pro, Window::Month), 90000);
    QCOMPARE(codingTierFromKey(QStringLiteral("pro")), CodingTier::Pro);
    QCOMPARE(codingTierFromKey(QStringLiteral("enterprise")), CodingTier::Lite);
    for (Window w : {Window::FiveHours, Window::Week, Window::Month})
        QCOMPARE(windowFromKey(windowKey(w)), w);
}

void TestPlanWindows::weekResetsMondayInChina_data()
{
    QTest::addColumn<QByteArray>("zone");
    QTest::addColumn<QString>("now");   // UTC
    QTest::addColumn<QString>("start"); // UTC
    QTest::addColumn<QString>("reset"); // UTC
    const QList<QByteArray> zones{
        "UTC0",          "America/Los_Angeles", "Europe/Berlin",    "Asia/Kolkata",
        "Asia/Shanghai", "Pacific/Kiritimati",  "Pacific/Pago_Pago"};
    for (const QByteArray &zone : zones) {
        // Sunday 23:59:59 in China: still last week, whatever day it is locally.
        QTest::addRow("%s, Sunday night in China", zone.constData())
            << zone << "2026-11-29T15:59:59"
            << "2026-11-22T16:00:00"
            << "2026-11-29T16:00:00";
        // Monday 00:00 in China: a new week.
        QTest::addRow("%s, Monday midnight in China", zone.constData())
            << zone << "2026-11-29T16:00:00"
            << "2026-11-29T16:00:00"
            << "2026-12-06T16:00:00";
        // Wednesday, across a year's end.
        QTest::addRow("%s, across New Year", zone.constData()) << zone << "2026-12-30T03:00:00"
                                                               << "2026-12-27T16:00:00"
                                                               << "2027-01-03T16:00:00";
    }
}

void TestPlanWindows::weekResetsMondayInChina()
{
    QFETCH(QByteArray, zone);
    QFETCH(QString, now);
    QFETCH(QString, start);
    QFETCH(QString, reset);
    LocalZone local(zone);
    // The moment as the person's clock shows it.
    const QDateTime localNow = utc(now).toLocalTime();
    QCOMPARE(localNow.timeSpec(), Qt::LocalTime);
    const Span span = weekSpan(localNow);
    QCOMPARE(span.start.toUTC(), utc(start));
    QCOMPARE(span.resetsAt.toUTC(), utc(reset));
}

void TestPlanWindows::weekResetAcrossDaylightSaving()
{
    // New York leaves winter time on 2026-03-08: the reset (Monday 00:00 in China) moves
    // from 11:00 to 12:00 on the local Sunday.
    LocalZone local("America/New_York");
    const Span before = weekSpan(QDateTime(QDate(2026, 3, 1), QTime(9, 0)));
    QCOMPARE(before.resetsAt.toLocalTime(), QDateTime(QDate(2026, 3, 1), QTime(11, 0)));
    const Span after = weekSpan(QDateTime(QDate(2026, 3, 8), QTime(9, 0)));
    QCOMPARE(after.start, before.resetsAt);
    QCOMPARE(after.resetsAt.toLocalTime(), QDateTime(QDate(2026, 3, 8), QTime(12, 0)));
    // 11:30 local on the day of the change is still before the reset.
    const QDateTime lateMorning(QDate(2026, 3, 8), QTime(11, 30));
    QCOMPARE(weekSpan(lateMorning).start, after.start);
    QCOMPARE(weekSpan(QDateTime(QDate(2026, 3, 8), QTime(12, 0))).start, after.resetsAt);
    // Seven days between resets, though the local week had 167 hours.
    QCOMPARE(after.start.secsTo(after.resetsAt), qint64(7 * 24 * 3600));

    // Berlin goes back an hour on 2026-10-25: the reset is at 17:00 instead of 18:00.
    LocalZone berlin("Europe/Berlin");
    QCOMPARE(weekSpan(QDateTime(QDate(2026, 10, 25), QTime(12, 0))).resetsAt.toLocalTime(),
             QDateTime(QDate(2026, 10, 25), QTime(17, 0)));
    QCOMPARE(weekSpan(QDateTime(QDate(2026, 10, 18), QTime(12, 0))).resetsAt.toLocalTime(),
             QDateTime(QDate(2026, 10, 18), QTime(18, 0)));
}

void TestPlanWindows::monthFromTheSubscriptionDay_data()
{
    QTest::addColumn<int>("day");
    QTest::addColumn<QString>("now");   // China time
    QTest::addColumn<QString>("start"); // China date
    QTest::addColumn<QString>("reset"); // China date
    QTest::newRow("mid-month") << 15 << "2026-12-20T10:00:00"
                               << "2026-12-15"
                               << "2027-01-15";
    QTest::newRow("before the day") << 15 << "2026-12-14T23:59:59"
                                    << "2026-11-15"
                                    << "2026-12-15";
    QTest::newRow("on the day") << 15 << "2026-12-15T00:00:00"
                                << "2026-12-15"
                                << "2027-01-15";
    QTest::newRow("across New Year") << 20 << "2027-01-05T08:00:00"
                                     << "2026-12-20"
                                     << "2027-01-20";
    QTest::newRow("31st into February") << 31 << "2026-02-15T12:00:00"
                                        << "2026-01-31"
                                        << "2026-02-28";
    QTest::newRow("31st on 28 February") << 31 << "2026-02-28T00:00:00"
                                         << "2026-02-28"
                                         << "2026-03-31";
    QTest::newRow("31st in March") << 31 << "2026-03-30T12:00:00"
                                   << "2026-02-28"
                                   << "2026-03-31";
    QTest::newRow("31st before 30 April") << 31 << "2026-04-29T12:00:00"
                                          << "2026-03-31"
                                          << "2026-04-30";
    QTest::newRow("31st on 30 April") << 31 << "2026-04-30T12:00:00"
                                      << "2026-04-30"
                                      << "2026-05-31";
    QTest::newRow("30th, leap February") << 30 << "2028-02-29T12:00:00"
                                         << "2028-02-29"
                                         << "2028-03-30";
    QTest::newRow("29th, plain February") << 29 << "2027-02-28T12:00:00"
                                          << "2027-02-28"
                                          << "2027-03-29";
    QTest::newRow("first") << 1 << "2026-12-01T00:00:00"
                           << "2026-12-01"
                           << "2027-01-01";
}

void TestPlanWindows::monthFromTheSubscriptionDay()
{
    QFETCH(int, day);
    QFETCH(QString, now);
    QFETCH(QString, start);
    QFETCH(QString, reset);
    LocalZone local("America/Los_Angeles");
    const QDateTime chinaNow =
        QDateTime(QDateTime::fromString(now, Qt::ISODate).date(),
                  QDateTime::fromString(now, Qt::ISODate).time(), planTimeZone());
    const Span span = monthSpan(chinaNow.toLocalTime(), day);
    QCOMPARE(span.start, QDateTime(QDate::fromString(start, Qt::ISODate), {}, planTimeZone()));
    QCOMPARE(span.resetsAt, QDateTime(QDate::fromString(reset, Qt::ISODate), {}, planTimeZone()));
}

void TestPlanWindows::fiveHoursRoll()
{
    const QDateTime now = utc(QStringLiteral("2026-12-02T12:00:00"));
    Span span = fiveHourSpan(now, utc(QStringLiteral("2026-12-02T09:20:00")));
    QCOMPARE(span.start, utc(QStringLiteral("2026-12-02T07:00:00")));
    QCOMPARE(span.resetsAt, utc(QStringLiteral("2026-12-02T14:20:00")));
    span = fiveHourSpan(now, {});
    QCOMPARE(span.resetsAt, now);
    span = fiveHourSpan(now, utc(QStringLiteral("2026-12-02T06:59:59")));
    QCOMPARE(span.resetsAt, now);
}

void TestPlanWindows::upstreamExhaustionWins()
{
    const QDateTime now = utc(QStringLiteral("2026-12-02T12:00:00"));
    WindowState week;
    week.window = Window::Week;
    week.used = 12;
    week.limit = 9000;
    week.start = utc(QStringLiteral("2026-11-29T16:00:00"));
    week.resetsAt = utc(QStringLiteral("2026-12-06T16:00:00"));

    WindowState s = applyExhaustion(week, {}, now);
    QVERIFY(!s.exhausted);
    QCOMPARE(s.percent(), 0);
    s = applyExhaustion(week, week.resetsAt, now);
    QVERIFY(s.exhausted);
    QCOMPARE(s.percent(), 100);
    QCOMPARE(s.used, qint64(12));
    QCOMPARE(s.resetsAt, week.resetsAt);
    // The upstream's later time wins; a past mark is over.
    s = applyExhaustion(week, week.resetsAt.addSecs(3600), now);
    QCOMPARE(s.resetsAt, week.resetsAt.addSecs(3600));
    QVERIFY(!applyExhaustion(week, now.addSecs(-1), now).exhausted);
    // Counted to the limit here: exhausted too.
    week.used = 9000;
    QVERIFY(applyExhaustion(week, {}, now).exhausted);
}

void TestPlanWindows::thresholdsOncePerWindow()
{
    WindowState week;
    week.window = Window::Week;
    week.limit = 100;
    week.start = utc(QStringLiteral("2026-11-29T16:00:00"));
    ThresholdMemory memory;
    const auto at = [&](qint64 used) {
        week.used = used;
        return crossedThreshold(week, &memory);
    };
    QCOMPARE(at(10), 0);
    QCOMPARE(at(79), 0);
    QCOMPARE(at(80), 80);
    QCOMPARE(at(85), 0);
    QCOMPARE(at(99), 0);
    QCOMPARE(at(100), 100);
    QCOMPARE(at(120), 0);
    // The next week starts over.
    week.start = week.start.addDays(7);
    QCOMPARE(at(0), 0);
    QCOMPARE(at(100), 100);
    QCOMPARE(at(80), 0);

    // The rolling window: once at 80% while it stays above, again after it fell back.
    WindowState hours;
    hours.window = Window::FiveHours;
    hours.limit = 1000;
    ThresholdMemory rolling;
    const auto roll = [&](qint64 used) {
        hours.used = used;
        hours.start = hours.start.isValid() ? hours.start.addSecs(60) : week.start;
        return crossedThreshold(hours, &rolling);
    };
    QCOMPARE(roll(800), 80);
    QCOMPARE(roll(850), 0);
    QCOMPARE(roll(700), 0);
    QCOMPARE(roll(810), 80);
    // An exhausted mark from the upstream counts as 100%.
    hours.exhausted = true;
    QCOMPARE(roll(10), 100);
    QCOMPARE(roll(10), 0);
}

void TestPlanWindows::costEstimate()
{
    QList<ModelUsage> usage;
    UsageTotals a;
    a.promptTokens = 1'000'000;
    a.completionTokens = 200'000;
    UsageTotals b;
    b.promptTokens = 10;
    usage << ModelUsage{QStringLiteral("qwen3-coder-plus"), a}
          << ModelUsage{QStringLiteral("mystery"), b} << ModelUsage{QStringLiteral("idle"), {}};
    const CostEstimate e = estimateCost(usage, [](const QString &model) {
        return model == QLatin1String("qwen3-coder-plus")
                   ? std::optional<ModelPrice>(ModelPrice{1.0, 5.0})
                   : std::nullopt;
    });
    QCOMPARE(e.usd, 2.0);
    QCOMPARE(e.unpricedModels, QStringList{QStringLiteral("mystery")});
}

QTEST_GUILESS_MAIN(TestPlanWindows)
#include "tst_planwindows.moc"
