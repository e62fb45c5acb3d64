#include "usagewindow.h"

#include "settings/settings.h"
#include "usage/usagestore.h"
#include "usagecharts.h"

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
#include <QStandardPaths>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace PlanWindows;

namespace {
// Beyond this many days the date under each bar would be unreadable: the chart's title
// then names the first and the last day instead.
constexpr int kMaxLabelledDays = 14;

// The chart's title; beyond kMaxLabelledDays it names the first and the last day.
QString chartTitle(const QString &title, const QList<DailyUsage> &days)
{
    if (days.size() <= kMaxLabelledDays)
        return title;
    const QLocale locale;
    return UsageWindow::tr("%1, %2 – %3")
        .arg(title, locale.toString(days.first().day, QStringLiteral("d MMM")),
             locale.toString(days.last().day, QStringLiteral("d MMM")));
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
    auto *charts = new QHBoxLayout;
    // QtCharts is loaded now, when the window is made, not with the tray.
    if (UsageChartFactory *factory = UsageCharts::factory()) {
        m_requestsChart = factory->createView(this);
        m_requestsChart->setObjectName(QStringLiteral("requestsChart"));
        m_tokensChart = factory->createView(this);
        m_tokensChart->setObjectName(QStringLiteral("tokensChart"));
        charts->addWidget(m_requestsChart);
        charts->addWidget(m_tokensChart);
    } else {
        auto *missing =
            new QLabel(tr("The charts cannot be shown: %1").arg(UsageCharts::errorString()));
        missing->setObjectName(QStringLiteral("chartsUnavailable"));
        missing->setWordWrap(true);
        missing->setAlignment(Qt::AlignCenter);
        charts->addWidget(missing);
    }

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
    UsageChartFactory *factory = UsageCharts::factory();
    if (!factory || !m_requestsChart || !m_tokensChart)
        return;
    const QList<DailyUsage> &days = m_report.days;
    qint64 maxRequests = 0;
    qint64 maxTokens = 0;
    for (const DailyUsage &d : days) {
        maxRequests = qMax(maxRequests, d.totals.requests);
        maxTokens = qMax(maxTokens, d.totals.totalTokens());
    }
    // Tokens in thousands or millions: axis labels of seven digits are hard to read.
    const bool millions = maxTokens >= 1'000'000;
    const double unit = millions ? 1e6 : 1e3;
    UsageBarChart requests;
    requests.title = chartTitle(tr("Requests per day"), days);
    requests.legend = false;
    requests.maximum = double(maxRequests);
    UsageBarChart tokens;
    tokens.title = chartTitle(
        millions ? tr("Tokens per day (millions)") : tr("Tokens per day (thousands)"), days);
    tokens.stacked = true;
    tokens.maximum = double(maxTokens) / unit;
    tokens.valueFormat = millions ? QStringLiteral("%.1f") : QStringLiteral("%.0f");
    UsageBarChart::Set count{tr("Requests"), {}};
    UsageBarChart::Set uncached{tr("Prompt"), {}};
    UsageBarChart::Set cached{tr("Prompt, cached"), {}};
    UsageBarChart::Set completion{tr("Completion"), {}};
    const QLocale locale;
    for (const DailyUsage &d : days) {
        const UsageTotals &t = d.totals;
        const QString label = locale.toString(d.day, QStringLiteral("d MMM"));
        requests.categories << label;
        tokens.categories << label;
        count.values << double(t.requests);
        uncached.values << double(t.promptTokens - t.cachedTokens) / unit;
        cached.values << double(t.cachedTokens) / unit;
        completion.values << double(t.completionTokens) / unit;
    }
    requests.labelCategories = tokens.labelCategories = days.size() <= kMaxLabelledDays;
    requests.sets = {count};
    tokens.sets = {uncached, cached, completion};
    factory->setChart(m_requestsChart, requests);
    factory->setChart(m_tokensChart, tokens);
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
