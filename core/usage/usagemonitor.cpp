#include "usage/usagemonitor.h"

#include "settings/settings.h"
#include "usage/usagestore.h"
#include "util/wallclockwatch.h"

#include <QLocale>

UsageMonitor::UsageMonitor(const UsageStore *store, Settings *settings, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_settings(settings)
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(kSettleMs);
    connect(&m_settle, &QTimer::timeout, this, &UsageMonitor::refreshNow);
    // One wake-up at the next moment the numbers change by themselves, none in between; a
    // resume or a clock change looks again (the timer counts monotonic time).
    m_nextChangeTimer.setSingleShot(true);
    m_nextChangeTimer.setTimerType(Qt::VeryCoarseTimer);
    connect(&m_nextChangeTimer, &QTimer::timeout, this, &UsageMonitor::checkNow);
    connect(WallClockWatch::instance(), &WallClockWatch::jumped, this, &UsageMonitor::checkNow);
}

void UsageMonitor::checkNow()
{
    if (m_hasReport && m_nextChange.isValid() && QDateTime::currentDateTimeUtc() < m_nextChange &&
        planKey() == m_planKey)
        return;
    refreshNow();
}

QString UsageMonitor::planKey() const
{
    return m_settings->codingPlanTier() + QLatin1Char('/') +
           QString::number(m_settings->subscriptionDay()) + QLatin1Char('/') +
           QString::number(m_settings->tokenPlanMonthlyTokens());
}

void UsageMonitor::requestRefresh()
{
    if (!m_settle.isActive())
        m_settle.start();
}

void UsageMonitor::refreshNow()
{
    if (!m_store)
        return;
    const UsagePlan plan = UsagePlan::fromCatalog(m_store->latestPlanId(), *m_settings);
    m_report = UsageReport::build(*m_store, plan, 1);
    m_hasReport = true;
    m_planKey = planKey();
    // "Today" and the day names of reset times change at midnight; each window when it
    // resets (a 5-hour window with nothing counted "resets" now: it changes only with a
    // request, which refreshes anyway).
    const QDateTime now = m_report.generatedAt;
    m_nextChange = now.toLocalTime().date().addDays(1).startOfDay().toUTC();
    for (const PlanWindows::WindowState &w : std::as_const(m_report.windows)) {
        if (w.resetsAt.isValid() && w.resetsAt > now && w.resetsAt < m_nextChange)
            m_nextChange = w.resetsAt;
    }
    // A second late, so that the reset has surely happened when the store is read.
    m_nextChangeTimer.start(int(qBound<qint64>(0, now.msecsTo(m_nextChange), 24LL * 3600 * 1000)) +
                            1000);
    checkThresholds();
    Q_EMIT changed();
}

QString UsageMonitor::statusLine() const
{
    if (!m_hasReport || (m_report.today.requests == 0 && m_report.windows.isEmpty()))
        return {};
    return m_report.statusLine();
}

// Kept in the settings so that a restart inside the same window does not tell it again.
PlanWindows::ThresholdMemory UsageMonitor::memoryFor(const QString &key) const
{
    PlanWindows::ThresholdMemory memory;
    const qint64 start = m_settings->value(key + QStringLiteral("/periodStart"), 0).toLongLong();
    if (start > 0)
        memory.periodStart = QDateTime::fromMSecsSinceEpoch(start, Qt::UTC);
    memory.notified = m_settings->value(key + QStringLiteral("/notified"), 0).toInt();
    return memory;
}

void UsageMonitor::saveMemory(const QString &key, const PlanWindows::ThresholdMemory &memory)
{
    m_settings->setValue(key + QStringLiteral("/periodStart"),
                         memory.periodStart.isValid() ? memory.periodStart.toMSecsSinceEpoch()
                                                      : qint64(0));
    m_settings->setValue(key + QStringLiteral("/notified"), memory.notified);
}

void UsageMonitor::checkThresholds()
{
    for (const PlanWindows::WindowState &state : std::as_const(m_report.windows)) {
        if (state.limit <= 0 && !state.exhausted)
            continue;
        const QString key = QStringLiteral("usageNotices/%1/%2")
                                .arg(m_report.plan.planId, PlanWindows::windowKey(state.window));
        PlanWindows::ThresholdMemory memory = memoryFor(key);
        const PlanWindows::ThresholdMemory before = memory;
        const int crossed = PlanWindows::crossedThreshold(state, &memory);
        if (memory.notified != before.notified || memory.periodStart != before.periodStart)
            saveMemory(key, memory);
        if (crossed == 0)
            continue;
        const QString name =
            m_report.plan.planName.isEmpty() ? tr("Your plan") : m_report.plan.planName;
        const QString window = UsageReport::windowName(state.window);
        const QString detail = m_report.windowText(state);
        if (crossed >= 100) {
            Q_EMIT thresholdCrossed(tr("%1: the limit %2 is reached").arg(name, window),
                                    tr("%1. Requests on this plan may be refused until then (%2).")
                                        .arg(detail, UsageReport::countedHere()));
        } else {
            Q_EMIT thresholdCrossed(
                tr("%1: %2% of the limit %3 used").arg(name).arg(crossed).arg(window),
                tr("%1 (%2).").arg(detail, UsageReport::countedHere()));
        }
    }
}
