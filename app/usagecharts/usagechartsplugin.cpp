// The Usage window's charts, drawn with QtCharts. Built as a plugin that the window loads
// when it first opens (usagecharts.h says why); it holds no sentences of its own: the
// window passes every title and label, translated.
#include "usagecharts.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QObject>
#include <QStackedBarSeries>
#include <QValueAxis>

class UsageChartsPlugin : public QObject, public UsageChartFactory
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID UsageChartFactory_iid)
    Q_INTERFACES(UsageChartFactory)

public:
    QWidget *createView(QWidget *parent) override
    {
        auto *view = new QChartView(parent);
        view->setRenderHint(QPainter::Antialiasing);
        return view;
    }

    void setChart(QWidget *widget, const UsageBarChart &data) override
    {
        auto *view = qobject_cast<QChartView *>(widget);
        if (!view)
            return;
        auto *chart = new QChart;
        chart->setTitle(data.title);
        chart->legend()->setAlignment(Qt::AlignBottom);
        chart->legend()->setVisible(data.legend);
        chart->setAnimationOptions(QChart::NoAnimation);
        chart->setMargins(QMargins(4, 4, 4, 4));

        QAbstractBarSeries *series = data.stacked
                                         ? static_cast<QAbstractBarSeries *>(new QStackedBarSeries)
                                         : new QBarSeries;
        for (const UsageBarChart::Set &s : data.sets) {
            auto *set = new QBarSet(s.label);
            for (const double v : s.values)
                *set << v;
            series->append(set);
        }
        chart->addSeries(series);

        // The categories below the bars, and a value axis from zero.
        auto *x = new QBarCategoryAxis;
        x->append(data.categories);
        if (data.labelCategories) {
            x->setLabelsAngle(-90);
        } else {
            x->setLabelsVisible(false);
            x->setGridLineVisible(false);
        }
        chart->addAxis(x, Qt::AlignBottom);
        series->attachAxis(x);
        auto *y = new QValueAxis;
        y->setRange(0, qMax(1.0, data.maximum) * 1.1);
        y->setLabelFormat(data.valueFormat);
        y->applyNiceNumbers();
        chart->addAxis(y, Qt::AlignLeft);
        series->attachAxis(y);

        // A view owns its chart but lets go of the old one on setChart().
        QChart *old = view->chart();
        view->setChart(chart);
        delete old;
    }
};

#include "usagechartsplugin.moc"
