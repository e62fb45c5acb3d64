// The Usage window over a seeded database: its gauges, charts and model table show the
// report's numbers, the range changes them, CSV export writes them; and pictures of the
// window land in build-test/artifacts for a person to look at. The pictures come from a
// real X server, as a desktop draws them: the test runs itself again on a private Xvfb.

#include "settings/settings.h"
#include "testhome.h"
#include "usage/usagestore.h"
#include "usagewindow.h"

#include <QApplication>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QProcess>
#include <QProgressBar>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {
UsageRecord makeRecord(const QDateTime &at, const QString &plan, const QString &model,
                       qint64 prompt, qint64 completion)
{
    UsageRecord r;
    r.timeMs = at.toMSecsSinceEpoch();
    r.method = QStringLiteral("api_key");
    r.planId = plan;
    r.credential = QStringLiteral("default");
    r.model = model;
    r.httpStatus = 200;
    r.promptTokens = prompt;
    r.completionTokens = completion;
    r.cachedTokens = prompt / 3;
    r.reasoningTokens = completion / 5;
    r.durationMs = 1500;
    return r;
}

// A plausible 90 days: more on weekdays, three models, a busy last five hours.
void seed(UsageStore &store, const QString &plan)
{
    const QDateTime now = QDateTime::currentDateTime();
    const QStringList models{QStringLiteral("qwen3-coder-plus"), QStringLiteral("glm-5"),
                             QStringLiteral("kimi-k2.5")};
    for (int day = 89; day >= 1; --day) {
        const QDate date = now.date().addDays(-day);
        const int count = (date.dayOfWeek() >= 6 ? 4 : 20) + (day * 7) % 13;
        for (int i = 0; i < count; ++i)
            store.record(makeRecord(QDateTime(date, QTime(9 + i % 10, (i * 7) % 60)), plan,
                                    models.at((i + day) % 3), 3000 + 400 * (i % 9),
                                    300 + 50 * (i % 5)));
    }
    for (int i = 0; i < 312; ++i)
        store.record(
            makeRecord(now.addSecs(-i * 50), plan, models.at(i % 3 == 0 ? 1 : 0), 4000, 500));
}

QString artifacts()
{
    const QString dir = QStringLiteral(QWEN_BRIDGE_BUILD_DIR "/artifacts");
    QDir().mkpath(dir);
    return dir;
}
} // namespace

class TestUsageWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void codingPlan();
    void payAsYouGo();

private:
    std::unique_ptr<TestHome> m_home;
    QTemporaryDir m_dir;
};

void TestUsageWindow::initTestCase()
{
    QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));
    m_home = std::make_unique<TestHome>();
    QVERIFY(m_home->isValid());
}

void TestUsageWindow::codingPlan()
{
    UsageStore store(m_dir.filePath(QStringLiteral("coding.sqlite")));
    QVERIFY(store.open());
    seed(store, QStringLiteral("coding-plan-global"));
    store.flush();

    UsageWindow window(store);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.days(), 7);
    const UsageReport &report = window.report();
    QCOMPARE(report.days.size(), 7);

    QCOMPARE(window.findChild<QLabel *>(QStringLiteral("statusLine"))->text(), report.statusLine());
    QVERIFY(report.statusLine().startsWith(QStringLiteral("Coding Plan: ")));
    auto *hours = window.findChild<QProgressBar *>(QStringLiteral("gauge-5h"));
    QVERIFY(hours);
    QVERIFY(hours->isVisible());
    QCOMPARE(report.windows.first().used, qint64(312));
    QCOMPARE(hours->value(), 312 * 100 / 1200);
    QVERIFY2(hours->text().startsWith(QLocale().toString(312) + QStringLiteral(" / ") +
                                      QLocale().toString(1200) + QStringLiteral(" requests")),
             qPrintable(hours->text()));
    QVERIFY(window.findChild<QProgressBar *>(QStringLiteral("gauge-week")));
    QVERIFY(window.findChild<QProgressBar *>(QStringLiteral("gauge-month")));

    // The charts draw the report's days.
    auto *requests = window.findChild<QChartView *>(QStringLiteral("requestsChart"));
    const auto series = qobject_cast<QBarSeries *>(requests->chart()->series().first());
    QVERIFY(series);
    QCOMPARE(series->barSets().first()->count(), 7);
    QCOMPARE(qint64(series->barSets().first()->at(6)), report.days.last().totals.requests);

    auto *models = window.findChild<QTableWidget *>(QStringLiteral("modelTable"));
    QCOMPARE(models->rowCount(), report.models.size());
    QCOMPARE(models->item(0, 0)->text(), report.models.first().model);
    window.grab().save(artifacts() + QStringLiteral("/usage-coding-7days.png"));

    window.setDays(90);
    QCOMPARE(window.report().days.size(), 90);
    QCOMPARE(
        qobject_cast<QBarSeries *>(requests->chart()->series().first())->barSets().first()->count(),
        90);
    // The gauges were made anew, on a window already shown: they are on screen too.
    QVERIFY(window.findChild<QProgressBar *>(QStringLiteral("gauge-5h"))->isVisible());
    window.grab().save(artifacts() + QStringLiteral("/usage-coding-90days.png"));

    window.setDays(30);
    const QString csvPath = m_dir.filePath(QStringLiteral("usage.csv"));
    QCOMPARE(window.exportCsv(csvPath), QString());
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(csv.readAll(), window.report().toCsv());
    QVERIFY(
        !window.exportCsv(m_dir.filePath(QStringLiteral("missing/folder/usage.csv"))).isEmpty());
}

void TestUsageWindow::payAsYouGo()
{
    UsageStore store(m_dir.filePath(QStringLiteral("payg.sqlite")));
    QVERIFY(store.open());
    seed(store, QStringLiteral("payg-singapore"));
    store.flush();
    UsageWindow window(store);
    window.setDays(30);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.report().windows.isEmpty());
    QVERIFY(window.report().todayCost.has_value());
    auto *cost = window.findChild<QLabel *>(QStringLiteral("costEstimate"));
    QVERIFY(cost);
    QVERIFY2(cost->text().contains(QStringLiteral("an estimate")), qPrintable(cost->text()));
    QVERIFY(window.findChildren<QProgressBar *>().isEmpty());
    QVERIFY(window.report().statusLine().startsWith(QStringLiteral("today: ")));
    window.grab().save(artifacts() + QStringLiteral("/usage-payg-30days.png"));
}

namespace {
// Starts Xvfb on a display of its choosing, runs this test again on it, and returns what
// that run returned.
int runUnderXvfb(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (QStandardPaths::findExecutable(QStringLiteral("Xvfb")).isEmpty()) {
        qCritical("Xvfb is required (Debian package xvfb); ./scripts/test installs it");
        return 1;
    }
    QProcess xvfb;
    xvfb.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    xvfb.start(QStringLiteral("Xvfb"),
               {QStringLiteral("-displayfd"), QStringLiteral("1"), QStringLiteral("-screen"),
                QStringLiteral("0"), QStringLiteral("1280x1024x24"), QStringLiteral("-nolisten"),
                QStringLiteral("tcp")});
    // It prints the display's number once it accepts clients.
    while (!xvfb.canReadLine() && xvfb.waitForReadyRead(60000)) {
    }
    const QByteArray number = xvfb.readLine().trimmed();
    if (number.isEmpty()) {
        qCritical("Xvfb did not start");
        return 1;
    }
    QProcess test;
    test.setProcessChannelMode(QProcess::ForwardedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
    env.insert(QStringLiteral("DISPLAY"), QLatin1Char(':') + QString::fromLatin1(number));
    test.setProcessEnvironment(env);
    test.start(QCoreApplication::applicationFilePath(), app.arguments().mid(1));
    const bool finished = test.waitForFinished(500000);
    if (!finished)
        test.kill();
    xvfb.terminate();
    xvfb.waitForFinished();
    return finished && test.exitStatus() == QProcess::NormalExit ? test.exitCode() : 1;
}
} // namespace

int main(int argc, char **argv)
{
    if (qgetenv("QT_QPA_PLATFORM") != "xcb")
        return runUnderXvfb(argc, argv);
    QApplication app(argc, argv);
    TestUsageWindow test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_usagewindow.moc"
