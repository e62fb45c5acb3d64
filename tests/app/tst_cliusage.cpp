// `qwen-bridge usage` against a seeded usage database, while a writer has it open (the
// application runs) and after it closed (it does not).

#include "settings/settings.h"
#include "testhome.h"
#include "usage/planwindows.h"
#include "usage/usagestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <ctime>
#include <memory>

namespace {
struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runUsage(const TestHome &home, const QStringList &args)
{
    QProcess p;
    p.setProcessEnvironment(home.environment());
    p.start(QStringLiteral(QWEN_BRIDGE_BINARY), QStringList{QStringLiteral("usage")} + args);
    Run r;
    if (!p.waitForFinished(60000))
        return r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

UsageRecord makeRecord(const QDateTime &at, const QString &model, qint64 prompt, qint64 completion)
{
    UsageRecord r;
    r.timeMs = at.toMSecsSinceEpoch();
    r.method = QStringLiteral("api_key");
    r.planId = QStringLiteral("coding-plan-global");
    r.credential = QStringLiteral("work");
    r.model = model;
    r.httpStatus = 200;
    r.promptTokens = prompt;
    r.completionTokens = completion;
    r.cachedTokens = 7;
    r.reasoningTokens = 3;
    return r;
}
} // namespace

class TestCliUsage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void jsonWhileTheWriterRunsAndAfter();
    void textSaysWhereItWasCounted();
    void noDatabaseIsZero();
    void rejectsBadDays();

private:
    std::unique_ptr<TestHome> m_home;
};

void TestCliUsage::initTestCase()
{
    // Local days and reset times: the same zone here and in the child.
    qputenv("TZ", "UTC0");
    tzset();
    m_home = std::make_unique<TestHome>();
    QVERIFY(m_home->isValid());
    m_home->setSetting(QStringLiteral("usage/codingPlanTier"), QStringLiteral("pro"));
}

void TestCliUsage::noDatabaseIsZero()
{
    TestHome empty;
    const Run r = runUsage(empty, {QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject json = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(json.value(QLatin1String("days")).toArray().size(), 7);
    QCOMPARE(json.value(QLatin1String("total")).toObject().value(QLatin1String("requests")).toInt(),
             0);
    QVERIFY(
        !QFile::exists(empty.path() + QStringLiteral("/.local/share/qwen-bridge/usage.sqlite")));
}

void TestCliUsage::jsonWhileTheWriterRunsAndAfter()
{
    const QString path = Settings::usageDatabasePath();
    QVERIFY(path.startsWith(m_home->path()));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDate today = now.date();
    auto store = std::make_unique<UsageStore>(path);
    QVERIFY(store->open());
    store->record(makeRecord(now.addSecs(-120), QStringLiteral("qwen3-coder-plus"), 1000, 200));
    store->record(makeRecord(now.addSecs(-60), QStringLiteral("glm-5"), 500, 100));
    store->record(makeRecord(QDateTime(today.addDays(-2), QTime(12, 0), Qt::UTC),
                             QStringLiteral("glm-5"), 10, 20));
    store->record(makeRecord(QDateTime(today.addDays(-5), QTime(12, 0), Qt::UTC),
                             QStringLiteral("glm-5"), 1, 1));
    store->markExhausted(QStringLiteral("coding-plan-global"), PlanWindows::Window::Month,
                         now.addDays(3));
    store->flush();

    for (bool writerOpen : {true, false}) {
        if (!writerOpen)
            store.reset();
        const Run r = runUsage(
            *m_home, {QStringLiteral("--json"), QStringLiteral("--days"), QStringLiteral("3")});
        QCOMPARE(r.exitCode, 0);
        QJsonParseError error;
        const QJsonObject json = QJsonDocument::fromJson(r.out, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, r.out.constData());
        QCOMPARE(json.value(QLatin1String("note")).toString(),
                 QStringLiteral("counted on this computer"));

        const QJsonArray days = json.value(QLatin1String("days")).toArray();
        QCOMPARE(days.size(), 3);
        QCOMPARE(days.at(0).toObject().value(QLatin1String("date")).toString(),
                 today.addDays(-2).toString(Qt::ISODate));
        QCOMPARE(days.at(0).toObject().value(QLatin1String("requests")).toInt(), 1);
        QCOMPARE(days.at(1).toObject().value(QLatin1String("requests")).toInt(), 0);
        const QJsonObject last = days.at(2).toObject();
        QCOMPARE(last.value(QLatin1String("requests")).toInt(), 2);
        QCOMPARE(last.value(QLatin1String("prompt_tokens")).toInt(), 1500);
        QCOMPARE(last.value(QLatin1String("completion_tokens")).toInt(), 300);
        QCOMPARE(last.value(QLatin1String("cached_tokens")).toInt(), 14);
        QCOMPARE(last.value(QLatin1String("reasoning_tokens")).toInt(), 6);

        const QJsonObject total = json.value(QLatin1String("total")).toObject();
        QCOMPARE(total.value(QLatin1String("requests")).toInt(), 3);
        QCOMPARE(total.value(QLatin1String("prompt_tokens")).toInt(), 1510);
        QCOMPARE(total.value(QLatin1String("completion_tokens")).toInt(), 320);
        QCOMPARE(total.value(QLatin1String("cached_tokens")).toInt(), 21);
        QCOMPARE(total.value(QLatin1String("reasoning_tokens")).toInt(), 9);

        const QJsonArray windows = json.value(QLatin1String("windows")).toArray();
        QCOMPARE(windows.size(), 3);
        const QJsonObject hours = windows.at(0).toObject();
        QCOMPARE(hours.value(QLatin1String("window")).toString(), QStringLiteral("5h"));
        QCOMPARE(hours.value(QLatin1String("used")).toInt(), 2);
        QCOMPARE(hours.value(QLatin1String("limit")).toInt(), 6000); // Pro
        const QDateTime hoursReset =
            QDateTime::fromString(hours.value(QLatin1String("resets_at")).toString(), Qt::ISODate);
        QCOMPARE(hoursReset.toSecsSinceEpoch(), now.addSecs(-120 + 5 * 3600).toSecsSinceEpoch());
        const QJsonObject week = windows.at(1).toObject();
        QCOMPARE(week.value(QLatin1String("limit")).toInt(), 45000);
        QCOMPARE(
            QDateTime::fromString(week.value(QLatin1String("resets_at")).toString(), Qt::ISODate),
            PlanWindows::weekSpan(now).resetsAt);
        const QJsonObject month = windows.at(2).toObject();
        QCOMPARE(month.value(QLatin1String("exhausted")).toBool(), true);
        QCOMPARE(month.value(QLatin1String("limit")).toInt(), 90000);
        QCOMPARE(json.value(QLatin1String("plan")).toObject().value(QLatin1String("kind")),
                 QStringLiteral("coding"));
    }
}

void TestCliUsage::textSaysWhereItWasCounted()
{
    const Run r = runUsage(*m_home, {});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("counted on this computer"), r.out.constData());
    QVERIFY2(r.out.contains("Coding Plan (global)"), r.out.constData());
    QVERIFY2(r.out.contains("/ 6,000 requests") || r.out.contains("/ 6000 requests"),
             r.out.constData());
    // Seven days and a total.
    QCOMPARE(r.out.count(QDate::currentDate().toString(Qt::ISODate).toLatin1()), 1);
}

void TestCliUsage::rejectsBadDays()
{
    for (const QString &days : {QStringLiteral("0"), QStringLiteral("x"), QStringLiteral("401")}) {
        const Run r = runUsage(*m_home, {QStringLiteral("--days"), days});
        QCOMPARE(r.exitCode, 64);
        QVERIFY2(r.err.contains("--days takes a number of days from 1 to 400."), r.err.constData());
    }
}

QTEST_GUILESS_MAIN(TestCliUsage)
#include "tst_cliusage.moc"
