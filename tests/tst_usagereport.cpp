#include "settings/settings.h"
#include "testhome.h"
#include "usage/usagereport.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <ctime>

using namespace PlanWindows;

namespace {
UsageRecord makeRecord(const QDateTime &at, const QString &plan, const QString &model,
                       qint64 prompt, qint64 completion, int status = 200)
{
    UsageRecord r;
    r.timeMs = at.toMSecsSinceEpoch();
    r.method = QStringLiteral("api_key");
    r.planId = plan;
    r.credential = QStringLiteral("default");
    r.model = model;
    r.httpStatus = status;
    r.promptTokens = prompt;
    r.completionTokens = completion;
    r.cachedTokens = prompt / 4;
    r.reasoningTokens = completion / 2;
    r.durationMs = 500;
    return r;
}

// The latest Wednesday 14:00 UTC at or before now: recent enough that nothing is folded
// into daily totals, and a fixed place in the UTC+8 week.
QDateTime latestWednesday()
{
    QDate d = QDateTime::currentDateTimeUtc().date();
    while (d.dayOfWeek() != 3)
        d = d.addDays(-1);
    return QDateTime(d, QTime(14, 0), Qt::UTC);
}
} // namespace

class TestUsageReport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void codingPlanWindowsAndStatusLine();
    void exhaustedWindowShowsUntilItsReset();
    void payAsYouGoEstimate();
    void tokenPlanWithoutALimit();
    void csvPerDay();

private:
    TestHome m_home;
    QTemporaryDir m_dir;
    const QString m_coding = QStringLiteral("coding-plan-global");
};

void TestUsageReport::initTestCase()
{
    // Reset times are shown in local time: make it UTC for fixed strings.
    qputenv("TZ", "UTC0");
    tzset();
}

void TestUsageReport::codingPlanWindowsAndStatusLine()
{
    UsageStore store(m_dir.filePath(QStringLiteral("coding.sqlite")));
    QVERIFY(store.open());
    const QDateTime now = latestWednesday();
    QList<QDateTime> succeeded;
    // 312 answered requests from 09:20, and three refused ones, which do not count.
    const QDateTime first = now.addSecs(-(4 * 3600 + 40 * 60));
    for (int i = 0; i < 312; ++i) {
        succeeded << first.addSecs(i * 50);
        store.record(
            makeRecord(succeeded.last(), m_coding, QStringLiteral("qwen3-coder-plus"), 1000, 100));
    }
    // A refused request before the first answered one does not decide when the window rolls.
    store.record(
        makeRecord(first.addSecs(-600), m_coding, QStringLiteral("qwen3-coder-plus"), 0, 0, 429));
    for (int i = 0; i < 3; ++i)
        store.record(
            makeRecord(now.addSecs(-60), m_coding, QStringLiteral("qwen3-coder-plus"), 0, 0, 429));
    // Earlier this week (Monday, and Sunday after 16:00 UTC = Monday 00:00 UTC+8), and
    // just before the week began.
    const QDateTime monday = now.addDays(-2).addSecs(-4 * 3600);
    const QDateTime sundayIn(now.date().addDays(-3), QTime(16, 30), Qt::UTC);
    const QDateTime sundayOut(now.date().addDays(-3), QTime(15, 30), Qt::UTC);
    for (const QDateTime &t : {monday, sundayIn, sundayOut}) {
        succeeded << t;
        store.record(makeRecord(t, m_coding, QStringLiteral("glm-5"), 10, 10));
    }
    // Another plan's requests are not this plan's.
    store.record(makeRecord(now.addSecs(-30), QStringLiteral("payg-singapore"),
                            QStringLiteral("qwen3-max"), 10, 10));
    store.flush();

    UsagePlan plan;
    plan.kind = PlanKind::Coding;
    plan.planId = m_coding;
    plan.planName = QStringLiteral("Coding Plan (global)");
    plan.subscriptionDay = 1;
    const UsageReport report = UsageReport::build(store, plan, 7, now);

    QCOMPARE(report.windows.size(), 3);
    const WindowState &hours = report.windows.at(0);
    QCOMPARE(hours.window, Window::FiveHours);
    QCOMPARE(hours.used, qint64(312));
    QCOMPARE(hours.limit, qint64(1200));
    QCOMPARE(hours.resetsAt, first.addSecs(5 * 3600));
    const WindowState &week = report.windows.at(1);
    QCOMPARE(week.used, qint64(314));
    QCOMPARE(week.limit, qint64(9000));
    QCOMPARE(week.resetsAt, QDateTime(now.date().addDays(4), QTime(16, 0), Qt::UTC));
    const WindowState &month = report.windows.at(2);
    qint64 inMonth = 0;
    for (const QDateTime &t : succeeded)
        inMonth += t >= month.start ? 1 : 0;
    QCOMPARE(month.used, inMonth);
    QCOMPARE(month.limit, qint64(18000));

    const QLocale english(QLocale::English, QLocale::UnitedStates);
    QCOMPARE(report.statusLine(english),
             QStringLiteral("Coding Plan: 312 / 1,200 in 5 h · resets 14:20"));
    QCOMPARE(report.windowText(week, english),
             QStringLiteral("314 / 9,000 requests · resets Sun 16:00"));

    QCOMPARE(report.days.size(), 7);
    QCOMPARE(report.days.last().day, now.date());
    QCOMPARE(report.today.requests, qint64(312 + 4 + 1));
    QCOMPARE(report.total.requests, qint64(312 + 4 + 1 + 3));
    QCOMPARE(report.models.first().model, QStringLiteral("qwen3-coder-plus"));

    const QJsonObject json = report.toJson();
    QCOMPARE(json.value(QLatin1String("note")).toString(),
             QStringLiteral("counted on this computer"));
    QCOMPARE(json.value(QLatin1String("days")).toArray().size(), 7);
    const QJsonObject total = json.value(QLatin1String("total")).toObject();
    QCOMPARE(total.value(QLatin1String("requests")).toInteger(), 320);
    QCOMPARE(total.value(QLatin1String("prompt_tokens")).toInteger(), 312 * 1000 + 3 * 10 + 10);
    QCOMPARE(total.value(QLatin1String("completion_tokens")).toInteger(), 312 * 100 + 40);
    QCOMPARE(total.value(QLatin1String("cached_tokens")).toInteger(), 312 * 250 + 4 * 2);
    QCOMPARE(total.value(QLatin1String("reasoning_tokens")).toInteger(), 312 * 50 + 4 * 5);
    const QJsonObject w0 = json.value(QLatin1String("windows")).toArray().first().toObject();
    QCOMPARE(w0.value(QLatin1String("window")).toString(), QStringLiteral("5h"));
    QCOMPARE(w0.value(QLatin1String("used")).toInteger(), 312);
    QCOMPARE(w0.value(QLatin1String("limit")).toInteger(), 1200);
    QCOMPARE(w0.value(QLatin1String("resets_at")).toString(),
             first.addSecs(5 * 3600).toString(Qt::ISODate));
}

void TestUsageReport::exhaustedWindowShowsUntilItsReset()
{
    UsageStore store(m_dir.filePath(QStringLiteral("exhausted.sqlite")));
    QVERIFY(store.open());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    store.record(makeRecord(now.addSecs(-60), m_coding, QStringLiteral("glm-5"), 1, 1));
    const Span week = weekSpan(now);
    store.markExhausted(m_coding, Window::Week, week.resetsAt);
    store.flush();
    UsagePlan plan;
    plan.kind = PlanKind::Coding;
    plan.planId = m_coding;
    const UsageReport report = UsageReport::build(store, plan, 7, now);
    QVERIFY(!report.windows.at(0).exhausted);
    QVERIFY(report.windows.at(1).exhausted);
    QCOMPARE(report.windows.at(1).used, qint64(1));
    QVERIFY(report.statusLine(QLocale::c())
                .startsWith(QStringLiteral("Coding Plan: used up this week · until ")));
}

void TestUsageReport::payAsYouGoEstimate()
{
    UsageStore store(m_dir.filePath(QStringLiteral("payg.sqlite")));
    QVERIFY(store.open());
    const QDateTime now = latestWednesday();
    const QString payg = QStringLiteral("payg-singapore");
    store.record(makeRecord(now.addSecs(-3600), payg, QStringLiteral("qwen3-coder-plus"), 1'000'000,
                            100'000));
    store.record(makeRecord(now.addSecs(-60), payg, QStringLiteral("not-in-the-catalog"), 5, 5));
    // Yesterday's tokens are not today's cost.
    store.record(
        makeRecord(now.addDays(-1), payg, QStringLiteral("qwen3-coder-plus"), 9'000'000, 0));
    store.flush();

    const UsagePlan plan = UsagePlan::fromCatalog(payg, Settings());
    QCOMPARE(plan.kind, PlanKind::PayAsYouGo);
    const UsageReport report = UsageReport::build(store, plan, 30, now);
    QVERIFY(report.windows.isEmpty());
    QVERIFY(report.todayCost.has_value());
    // qwen3-coder-plus: 1.0 USD per million in, 5.0 out.
    QCOMPARE(report.todayCost->usd, 1.5);
    QCOMPARE(report.todayCost->unpricedModels, QStringList{QStringLiteral("not-in-the-catalog")});
    const QLocale english(QLocale::English, QLocale::UnitedStates);
    QCOMPARE(report.statusLine(english), QStringLiteral("today: 1.1 M tokens, ≈ $1.50"));
    const QJsonObject cost = report.toJson().value(QLatin1String("cost_today")).toObject();
    QCOMPARE(cost.value(QLatin1String("estimate")).toBool(), true);
    QVERIFY(report.toText(english).contains(QStringLiteral("an estimate")));
    QCOMPARE(report.days.size(), 30);
}

void TestUsageReport::tokenPlanWithoutALimit()
{
    m_home.setSetting(QStringLiteral("usage/subscriptionDay"), 31);
    UsageStore store(m_dir.filePath(QStringLiteral("token.sqlite")));
    QVERIFY(store.open());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString token = QStringLiteral("token-plan-singapore");
    store.record(makeRecord(now.addSecs(-60), token, QStringLiteral("glm-5.2"), 30'000, 5'000));
    store.flush();
    UsagePlan plan = UsagePlan::fromCatalog(token, Settings());
    QCOMPARE(plan.kind, PlanKind::Token);
    QCOMPARE(plan.subscriptionDay, 31);
    QCOMPARE(plan.tokenPlanMonthlyTokens, qint64(0));
    UsageReport report = UsageReport::build(store, plan, 7, now);
    QCOMPARE(report.windows.size(), 1);
    QCOMPARE(report.windows.first().unit, Unit::Tokens);
    QCOMPARE(report.windows.first().used, qint64(35'000));
    QCOMPARE(report.windows.first().limit, qint64(0));
    QCOMPARE(report.toJson()
                 .value(QLatin1String("windows"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QLatin1String("limit")),
             QJsonValue());
    const QLocale english(QLocale::English, QLocale::UnitedStates);
    QVERIFY(report.statusLine(english).startsWith(
        QStringLiteral("Token Plan: 35.0 k tokens this month · resets ")));

    plan.tokenPlanMonthlyTokens = 2'000'000;
    report = UsageReport::build(store, plan, 7, now);
    QVERIFY(report.statusLine(english).startsWith(
        QStringLiteral("Token Plan: 35.0 k / 2.0 M tokens this month · resets ")));
}

void TestUsageReport::csvPerDay()
{
    UsageStore store(m_dir.filePath(QStringLiteral("csv.sqlite")));
    QVERIFY(store.open());
    const QDateTime now = latestWednesday();
    store.record(makeRecord(now, m_coding, QStringLiteral("a,b"), 10, 20));
    store.record(makeRecord(now.addDays(-2), m_coding, QStringLiteral("a"), 1, 2, 500));
    store.flush();
    UsagePlan plan;
    const UsageReport report = UsageReport::build(store, plan, 3, now);
    const QByteArray expected =
        "date,requests,succeeded,prompt_tokens,completion_tokens,cached_tokens,"
        "reasoning_tokens\r\n" +
        now.date().addDays(-2).toString(Qt::ISODate).toLatin1() + ",1,0,1,2,0,1\r\n" +
        now.date().addDays(-1).toString(Qt::ISODate).toLatin1() + ",0,0,0,0,0,0\r\n" +
        now.date().toString(Qt::ISODate).toLatin1() + ",1,1,10,20,2,10\r\n";
    QCOMPARE(report.toCsv(), expected);
}

QTEST_GUILESS_MAIN(TestUsageReport)
#include "tst_usagereport.moc"
