#include "usage/planwindows.h"

#include "usage/usagestore.h"

#include <QTimeZone>

namespace PlanWindows {

namespace {
constexpr int kWarnPercent = 80;

QDateTime startOfDayInPlanZone(const QDate &day)
{
    return QDateTime(day, QTime(0, 0), planTimeZone());
}

QDate clampedDay(int year, int month, int day)
{
    const QDate first(year, month, 1);
    return QDate(year, month, qMin(day, first.daysInMonth()));
}
} // namespace

CodingTier codingTierFromKey(const QString &key)
{
    return key == QLatin1String("pro") ? CodingTier::Pro : CodingTier::Lite;
}

QString windowKey(Window window)
{
    switch (window) {
    case Window::FiveHours:
        return QStringLiteral("5h");
    case Window::Week:
        return QStringLiteral("week");
    case Window::Month:
        return QStringLiteral("month");
    }
    return {};
}

std::optional<Window> windowFromKey(const QString &key)
{
    for (Window w : {Window::FiveHours, Window::Week, Window::Month}) {
        if (windowKey(w) == key)
            return w;
    }
    return std::nullopt;
}

qint64 codingPlanLimit(CodingTier tier, Window window)
{
    // PROTOCOL.md §6: requests per window.
    static constexpr qint64 kLite[] = {1200, 9000, 18000};
    static constexpr qint64 kPro[] = {6000, 45000, 90000};
    const int index = window == Window::FiveHours ? 0 : window == Window::Week ? 1 : 2;
    return tier == CodingTier::Pro ? kPro[index] : kLite[index];
}

QTimeZone planTimeZone()
{
    // A fixed offset, not "Asia/Shanghai": the same answer without a time zone database,
    // and China has had no daylight saving time since 1991.
    return QTimeZone(8 * 3600);
}

Span fiveHourSpan(const QDateTime &now, const QDateTime &oldestInWindow)
{
    constexpr qint64 kFiveHoursSecs = 5 * 3600;
    const QDateTime start = now.addSecs(-kFiveHoursSecs);
    const bool counted = oldestInWindow.isValid() && oldestInWindow >= start;
    return {start, counted ? oldestInWindow.addSecs(kFiveHoursSecs) : now};
}

Span weekSpan(const QDateTime &now)
{
    const QDate today = now.toTimeZone(planTimeZone()).date();
    const QDate monday = today.addDays(1 - today.dayOfWeek());
    return {startOfDayInPlanZone(monday), startOfDayInPlanZone(monday.addDays(7))};
}

Span monthSpan(const QDateTime &now, int subscriptionDay)
{
    const int day = qBound(1, subscriptionDay, 31);
    const QDate today = now.toTimeZone(planTimeZone()).date();
    QDate start = clampedDay(today.year(), today.month(), day);
    if (start > today) {
        const QDate previous = today.addMonths(-1);
        start = clampedDay(previous.year(), previous.month(), day);
    }
    const QDate next = QDate(start.year(), start.month(), 1).addMonths(1);
    return {startOfDayInPlanZone(start),
            startOfDayInPlanZone(clampedDay(next.year(), next.month(), day))};
}

int WindowState::percent() const
{
    if (exhausted)
        return 100;
    if (limit <= 0)
        return 0;
    return int(qMin<qint64>(100, used * 100 / limit));
}

WindowState applyExhaustion(WindowState state, const QDateTime &exhaustedUntil,
                            const QDateTime &now)
{
    if (state.limit > 0 && state.used >= state.limit)
        state.exhausted = true;
    if (exhaustedUntil.isValid() && exhaustedUntil > now) {
        state.exhausted = true;
        if (!state.resetsAt.isValid() || exhaustedUntil > state.resetsAt)
            state.resetsAt = exhaustedUntil;
    }
    return state;
}

int crossedThreshold(const WindowState &state, ThresholdMemory *memory)
{
    const int percent = state.percent();
    const bool rolling = state.window == Window::FiveHours;
    if (rolling ? percent < kWarnPercent : memory->periodStart != state.start) {
        memory->periodStart = state.start;
        memory->notified = 0;
    }
    const int reached = percent >= 100 ? 100 : percent >= kWarnPercent ? kWarnPercent : 0;
    if (reached <= memory->notified)
        return 0;
    memory->notified = reached;
    return reached;
}

CostEstimate estimateCost(const QList<ModelUsage> &usage, const PriceLookup &price)
{
    CostEstimate estimate;
    for (const ModelUsage &m : usage) {
        if (m.totals.totalTokens() == 0)
            continue;
        const std::optional<ModelPrice> p = price ? price(m.model) : std::nullopt;
        if (!p) {
            estimate.unpricedModels.append(m.model);
            continue;
        }
        // Cached input is billed lower on some models; counting it at the full input price
        // keeps the estimate on the high side.
        estimate.usd += (double(m.totals.promptTokens) * p->inputUsdPerMillion +
                         double(m.totals.completionTokens) * p->outputUsdPerMillion) /
                        1e6;
    }
    return estimate;
}

QDateTime resetOf(Window window, const QDateTime &now, const QDateTime &oldestInFiveHours,
                  int subscriptionDay)
{
    switch (window) {
    case Window::FiveHours:
        return fiveHourSpan(now, oldestInFiveHours).resetsAt;
    case Window::Week:
        return weekSpan(now).resetsAt;
    case Window::Month:
        return monthSpan(now, subscriptionDay).resetsAt;
    }
    return now;
}

} // namespace PlanWindows
