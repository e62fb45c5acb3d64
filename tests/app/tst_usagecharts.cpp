// The Usage window's charts plugin: found where the build put it, draws the data it is
// given, and says why when it cannot be loaded.

#include "usagecharts.h"

#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QFile>
#include <QFileInfo>
#include <QLegend>
#include <QPointer>
#include <QStackedBarSeries>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>

class TestUsageCharts : public QObject
{
    Q_OBJECT

private slots:
    void loadsFromTheBuild()
    {
        // That the tray maps QtCharts only once Usage opens: tst_traycontroller.
        UsageChartFactory *factory = UsageCharts::factory();
        QVERIFY2(factory, qPrintable(UsageCharts::errorString()));
        QVERIFY(UsageCharts::errorString().isEmpty());
        // Loaded once: the second call hands out the same factory.
        QCOMPARE(UsageCharts::factory(), factory);
    }

    void drawsSideBySideBars()
    {
        UsageChartFactory *factory = UsageCharts::factory();
        QVERIFY(factory);
        std::unique_ptr<QWidget> widget(factory->createView(nullptr));
        auto *view = qobject_cast<QChartView *>(widget.get());
        QVERIFY(view);

        UsageBarChart data;
        data.title = QStringLiteral("Requests per day");
        data.categories = {QStringLiteral("1 Dec"), QStringLiteral("2 Dec"),
                           QStringLiteral("3 Dec")};
        data.sets = {{QStringLiteral("Requests"), {3, 0, 12}}};
        data.legend = false;
        data.maximum = 12;
        factory->setChart(view, data);

        QChart *chart = view->chart();
        QCOMPARE(chart->title(), data.title);
        QVERIFY(!chart->legend()->isVisible());
        auto *series = qobject_cast<QBarSeries *>(chart->series().value(0));
        QVERIFY(series);
        QCOMPARE(series->barSets().size(), 1);
        QCOMPARE(series->barSets().first()->label(), QStringLiteral("Requests"));
        QCOMPARE(series->barSets().first()->count(), 3);
        QCOMPARE(series->barSets().first()->at(2), 12.0);
        auto *x = qobject_cast<QBarCategoryAxis *>(chart->axes(Qt::Horizontal).value(0));
        QVERIFY(x);
        QCOMPARE(x->categories(), data.categories);
        QVERIFY(x->labelsVisible());
        auto *y = qobject_cast<QValueAxis *>(chart->axes(Qt::Vertical).value(0));
        QVERIFY(y);
        QCOMPARE(y->min(), 0.0);
        QVERIFY(y->max() >= 12.0);
    }

    void drawsStackedBarsAndReplacesTheChart()
    {
        UsageChartFactory *factory = UsageCharts::factory();
        QVERIFY(factory);
        std::unique_ptr<QWidget> widget(factory->createView(nullptr));
        auto *view = qobject_cast<QChartView *>(widget.get());

        UsageBarChart first;
        first.sets = {{QStringLiteral("a"), {1}}};
        factory->setChart(view, first);
        QPointer<QChart> old = view->chart();

        UsageBarChart data;
        data.title = QStringLiteral("Tokens per day (thousands)");
        for (int i = 0; i < 30; ++i)
            data.categories << QString::number(i + 1);
        data.labelCategories = false;
        for (const char *name : {"Prompt", "Prompt, cached", "Completion"})
            data.sets << UsageBarChart::Set{QString::fromLatin1(name), QList<double>(30, 1.5)};
        data.stacked = true;
        data.maximum = 4.5;
        data.valueFormat = QStringLiteral("%.1f");
        factory->setChart(view, data);

        // The old chart is gone, not leaked.
        QVERIFY(old.isNull());
        QChart *chart = view->chart();
        QVERIFY(chart->legend()->isVisible());
        auto *series = qobject_cast<QStackedBarSeries *>(chart->series().value(0));
        QVERIFY(series);
        QCOMPARE(series->barSets().size(), 3);
        QCOMPARE(series->barSets().at(1)->label(), QStringLiteral("Prompt, cached"));
        QCOMPARE(series->barSets().at(2)->count(), 30);
        auto *x = qobject_cast<QBarCategoryAxis *>(chart->axes(Qt::Horizontal).value(0));
        QVERIFY(!x->labelsVisible());
        auto *y = qobject_cast<QValueAxis *>(chart->axes(Qt::Vertical).value(0));
        QCOMPARE(y->labelFormat(), QStringLiteral("%.1f"));
    }

    void saysWhereItLookedWhenMissing()
    {
        QTemporaryDir empty;
        QString error;
        QVERIFY(!UsageCharts::load({empty.path()}, &error));
        QVERIFY2(error.contains(QStringLiteral("not installed")), qPrintable(error));
        QVERIFY2(error.contains(empty.path()), qPrintable(error));
    }

    void saysWhyAForeignFileDoesNotLoad()
    {
        // A file by the plugin's name that is no library at all.
        QTemporaryDir dir;
        const QString name = UsageCharts::fileName();
        QFile fake(dir.filePath(name));
        QVERIFY(fake.open(QIODevice::WriteOnly));
        fake.write("not a shared library");
        fake.close();
        QString error;
        QVERIFY(!UsageCharts::load({dir.path()}, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY2(!error.contains(QStringLiteral("not installed")), qPrintable(error));
    }

    void looksInTheInstalledFolderFirst()
    {
        const QStringList dirs = UsageCharts::pluginDirs();
        QCOMPARE(dirs.size(), 2);
        QVERIFY2(dirs.first().endsWith(QStringLiteral("/qwen-bridge")), qPrintable(dirs.first()));
        QVERIFY2(dirs.first().contains(QStringLiteral("/lib")), qPrintable(dirs.first()));
    }
};

QTEST_MAIN(TestUsageCharts)
#include "tst_usagecharts.moc"
