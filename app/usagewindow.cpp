#include "usagewindow.h"

#include "settings/settings.h"
#include "usage/usagestore.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QStackedBarSeries>
#include <QStandardPaths>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>

using namespace PlanWindows;

namespace {
// Beyond this many days the date under each bar would be unreadable: the chart's title
// then names the first and the last day instead.
constexpr int kMaxLabelledDays = 14;

QChart *newChart(const QString &title, const QList<DailyUsage> &days)
{
    auto *chart = new QChart;
    const QLocale locale;
    if (days.size() > kMaxLabelledDays)
        chart->setTitle(UsageWindow::tr("%1, %2 – %3")
                            .arg(title, locale.toString(days.first().day, QStringLiteral("d MMM")),
                                 locale.toString(days.last().day, QStringLiteral("d MMM"))));
    else
        chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setMargins(QMargins(4, 4, 4, 4));
    return chart;
}

// The day axis below the bars, and a value axis from zero.
void addAxes(QChart *chart, QAbstractBarSeries *series, const QList<DailyUsage> &days,
             double maximum, const QString &format)
{
    auto *x = new QBarCategoryAxis;
    QStringList categories;
    for (const DailyUsage &d : days)
        categories << QLocale().toString(d.day, QStringLiteral("d MMM"));
    x->append(categories);
    if (days.size() > kMaxLabelledDays) {
        x->setLabelsVisible(false);
        x->setGridLineVisible(false);
    } else {
        x->setLabelsAngle(-90);
    }
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    auto *y = new QValueAxis;
    y->setRange(0, qMax(1.0, maximum) * 1.1);
    y->setLabelFormat(format);
    y->applyNiceNumbers();
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
}
} // namespace

UsageWindow::UsageWindow(const UsageStore &store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
{
    setWindowTitle(tr("Usage - Qwen Bridge"));
    resize(900, 720);

    m_range = new QComboBox;
    m_range->setObjectName(QStringLiteral("rangeBox"));
    m_range->addItem(tr("Last 7 days"), 7);
    m_range->addItem(tr("Last 30 days"), 30);
    m_range->addItem(tr("Last 90 days"), 90);
    auto *exportButton = new QPushButton(tr("Export CSV…"));
    exportButton->setObjectName(QStringLiteral("exportButton"));
    auto *top = new QHBoxLayout;
    top->addWidget(m_range);
    top->addStretch();
    top->addWidget(exportButton);

    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("statusLine"));
    QFont bold = m_status->font();
    bold.setBold(true);
    m_status->setFont(bold);
    auto *counted = new QLabel(tr("Counted on this computer: requests made elsewhere with the "
                                  "same key are not included."));
    counted->setObjectName(QStringLiteral("countedNote"));
    counted->setWordWrap(true);

    m_gauges = new QVBoxLayout;
    m_requestsChart = new QChartView;
    m_requestsChart->setObjectName(QStringLiteral("requestsChart"));
    m_requestsChart->setRenderHint(QPainter::Antialiasing);
    m_tokensChart = new QChartView;
    m_tokensChart->setObjectName(QStringLiteral("tokensChart"));
    m_tokensChart->setRenderHint(QPainter::Antialiasing);
    auto *charts = new QHBoxLayout;
    charts->addWidget(m_requestsChart);
    charts->addWidget(m_tokensChart);

    m_models = new QTableWidget(0, 4);
    m_models->setObjectName(QStringLiteral("modelTable"));
    m_models->setHorizontalHeaderLabels(
        {tr("Model"), tr("Requests"), tr("Prompt tokens"), tr("Completion tokens")});
    m_models->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_models->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_models->verticalHeader()->hide();
    m_models->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_models->setSelectionMode(QAbstractItemView::NoSelection);
    m_models->setMaximumHeight(160);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addWidget(counted);
    layout->addLayout(m_gauges);
    layout->addLayout(charts, 1);
    layout->addWidget(new QLabel(tr("By model")));
    layout->addWidget(m_models);

    connect(m_range, &QComboBox::currentIndexChanged, this, &UsageWindow::refresh);
    connect(exportButton, &QPushButton::clicked, this, &UsageWindow::chooseCsvFile);
}

void UsageWindow::showEvent(QShowEvent *event)
{
    refresh();
    QWidget::showEvent(event);
}

void UsageWindow::setDays(int days)
{
    const int index = m_range->findData(days);
    if (index >= 0)
        m_range->setCurrentIndex(index);
}

int UsageWindow::days() const
{
    return m_range->currentData().toInt();
}

void UsageWindow::refresh()
{
    const Settings settings;
    m_report = UsageReport::build(m_store, UsagePlan::fromCatalog(m_store.latestPlanId(), settings),
                                  days());
    m_status->setText(m_report.statusLine());
    rebuildGauges();
    rebuildCharts();
    rebuildModels();
}

void UsageWindow::rebuildGauges()
{
    while (QLayoutItem *item = m_gauges->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const auto addRow = [this](const QString &name, QWidget *value) {
        auto *row = new QWidget;
        auto *h = new QHBoxLayout(row);
        h->setContentsMargins(0, 0, 0, 0);
        auto *label = new QLabel(name);
        label->setMinimumWidth(160);
        h->addWidget(label);
        h->addWidget(value, 1);
        m_gauges->addWidget(row);
        // Widgets added to a window already on screen stay hidden until shown.
        row->show();
    };
    for (const WindowState &w : m_report.windows) {
        auto *bar = new QProgressBar;
        bar->setObjectName(QStringLiteral("gauge-") + windowKey(w.window));
        bar->setRange(0, 100);
        bar->setValue(w.percent());
        bar->setTextVisible(true);
        bar->setFormat(m_report.windowText(w));
        const QString group =
            m_report.plan.kind == PlanKind::Token ? tr("Token Plan") : tr("Coding Plan");
        addRow(tr("%1 %2").arg(group, UsageReport::windowName(w.window)), bar);
    }
    if (m_report.todayCost) {
        auto *cost = new QLabel(tr("≈ $%1 today: an estimate from list prices, not a bill")
                                    .arg(QLocale().toString(m_report.todayCost->usd, 'f', 2)));
        cost->setObjectName(QStringLiteral("costEstimate"));
        addRow(m_report.plan.planName, cost);
    } else if (m_report.windows.isEmpty()) {
        addRow(m_report.plan.planName, new QLabel(tr("This plan has no quota windows to show.")));
    }
}

void UsageWindow::rebuildCharts()
{
    const QList<DailyUsage> &days = m_report.days;
    auto *requests = new QBarSet(tr("Requests"));
    auto *uncached = new QBarSet(tr("Prompt"));
    auto *cached = new QBarSet(tr("Prompt, cached"));
    auto *completion = new QBarSet(tr("Completion"));
    qint64 maxRequests = 0;
    qint64 maxTokens = 0;
    for (const DailyUsage &d : days) {
        maxRequests = qMax(maxRequests, d.totals.requests);
        maxTokens = qMax(maxTokens, d.totals.totalTokens());
    }
    // Tokens in thousands or millions: axis labels of seven digits are hard to read.
    const bool millions = maxTokens >= 1'000'000;
    const double unit = millions ? 1e6 : 1e3;
    for (const DailyUsage &d : days) {
        const UsageTotals &t = d.totals;
        *requests << double(t.requests);
        *uncached << double(t.promptTokens - t.cachedTokens) / unit;
        *cached << double(t.cachedTokens) / unit;
        *completion << double(t.completionTokens) / unit;
    }

    QChart *requestChart = newChart(tr("Requests per day"), days);
    auto *requestSeries = new QBarSeries;
    requestSeries->append(requests);
    requestChart->addSeries(requestSeries);
    addAxes(requestChart, requestSeries, days, double(maxRequests), QStringLiteral("%.0f"));
    requestChart->legend()->hide();

    QChart *tokenChart = newChart(
        millions ? tr("Tokens per day (millions)") : tr("Tokens per day (thousands)"), days);
    auto *tokenSeries = new QStackedBarSeries;
    tokenSeries->append({uncached, cached, completion});
    tokenChart->addSeries(tokenSeries);
    addAxes(tokenChart, tokenSeries, days, double(maxTokens) / unit,
            millions ? QStringLiteral("%.1f") : QStringLiteral("%.0f"));

    // A view owns its chart but lets go of the old one on setChart().
    for (const auto &[view, chart] :
         {std::pair{m_requestsChart, requestChart}, std::pair{m_tokensChart, tokenChart}}) {
        QChart *old = view->chart();
        view->setChart(chart);
        delete old;
    }
}

void UsageWindow::rebuildModels()
{
    const QList<ModelUsage> &models = m_report.models;
    m_models->setRowCount(int(models.size()));
    const QLocale locale;
    for (int row = 0; row < models.size(); ++row) {
        const ModelUsage &m = models.at(row);
        const QStringList cells{m.model, locale.toString(m.totals.requests),
                                locale.toString(m.totals.promptTokens),
                                locale.toString(m.totals.completionTokens)};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            if (column > 0)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_models->setItem(row, column, item);
        }
    }
}

QString UsageWindow::exportCsv(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_report.toCsv()) < 0 || !file.commit())
        return tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
    return {};
}

void UsageWindow::chooseCsvFile()
{
    const QString suggested =
        QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) +
        QStringLiteral("/qwen-bridge-usage-%1.csv").arg(QDate::currentDate().toString(Qt::ISODate));
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export usage"), suggested, tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    const QString error = exportCsv(path);
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Export usage"), error);
}
