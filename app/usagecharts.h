#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QtPlugin>

class QWidget;

// One bar chart of the Usage window, in plain data: the window decides what it shows (and
// translates it); the plugin only draws.
struct UsageBarChart
{
    struct Set
    {
        QString label;
        QList<double> values; // one per category
    };
    QString title;
    QStringList categories;      // under the bars, one per day
    bool labelCategories = true; // false: too many to read, the title names the range
    QList<Set> sets;
    bool stacked = false; // the sets on top of each other, else side by side
    bool legend = true;
    double maximum = 0;                           // the largest value (of a stack, when stacked)
    QString valueFormat = QStringLiteral("%.0f"); // the value axis's labels
};

// What the plugin in app/usagecharts/ gives the Usage window. The charts are a plugin
// because QtCharts and the OpenGL libraries it links weigh 1.2 MB in every process that
// maps them: a tray that never opens the Usage window should not carry them.
class UsageChartFactory
{
public:
    virtual ~UsageChartFactory() = default;
    // An empty chart view, ready for setChart().
    virtual QWidget *createView(QWidget *parent) = 0;
    // Replaces the chart a view from createView() shows.
    virtual void setChart(QWidget *view, const UsageBarChart &chart) = 0;
};

#define UsageChartFactory_iid "io.github.qwen_bridge.UsageChartFactory/1"
Q_DECLARE_INTERFACE(UsageChartFactory, UsageChartFactory_iid)

// Finds and loads the plugin, once per process.
class UsageCharts
{
public:
    // The plugin's factory, loaded on the first call; nullptr when it cannot be loaded,
    // and then errorString() says why.
    static UsageChartFactory *factory();
    static QString errorString();
    // Where factory() looks, in order: the installed plugin folder next to the executable's
    // (bin/../lib/…/qwen-bridge), then the folder the build put the plugin in.
    static QStringList pluginDirs();
    // The plugin's file name in those folders.
    static QString fileName();
    // Loads the plugin from the first of dirs that has it; nullptr and *error otherwise.
    // The loaded plugin stays loaded: QtCharts registers types that must outlive its use.
    static UsageChartFactory *load(const QStringList &dirs, QString *error);
};
