#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QTimeZone>

#include <functional>
#include <optional>

struct ModelUsage;

// The arithmetic of the plans' quota windows (PROTOCOL.md §6), as pure functions of the
// time and the counts: no database, no settings, no clock of their own.
namespace PlanWindows {

// What kind of plan a credential is on, as far as the meter cares.
enum class PlanKind { Coding, Token, PayAsYouGo, Other };
enum class Window { FiveHours, Week, Month };
enum class Unit { Requests, Tokens };
enum class CodingTier { Lite, Pro };

// "lite" or "pro" (as Settings keeps it); anything else is Lite.
CodingTier codingTierFromKey(const QString &key);
// Stable names for files and JSON: "5h", "week", "month".
QString windowKey(Window window);
std::optional<Window> windowFromKey(const QString &key);

// The Coding Plan's request limits per window, from PROTOCOL.md §6 (Model Studio's Coding
// Plan page, 2026): Lite 1,200 / 9,000 / 18,000, Pro 6,000 / 45,000 / 90,000.
qint64 codingPlanLimit(CodingTier tier, Window window);

// The quota's clock runs on China Standard Time whatever the local time zone.
QTimeZone planTimeZone();

struct Span
{
    QDateTime start;    // first instant counted
    QDateTime resetsAt; // for the rolling window: when the oldest counted request leaves it
};
// The rolling five hours up to now. oldestInWindow is the first request counted in it,
// invalid when there is none (nothing to reset: resetsAt is now).
Span fiveHourSpan(const QDateTime &now, const QDateTime &oldestInWindow);
// Monday 00:00 UTC+8 to the next Monday 00:00 UTC+8.
Span weekSpan(const QDateTime &now);
// From the subscription day at 00:00 UTC+8 to the same day of the next month. A day past
// the end of a shorter month (29-31) falls on that month's last day.
Span monthSpan(const QDateTime &now, int subscriptionDay);
// When the given window, as it stands at now, resets: the one rule the proxy uses when the
// upstream says a window is used up.
QDateTime resetOf(Window window, const QDateTime &now, const QDateTime &oldestInFiveHours,
                  int subscriptionDay);

struct WindowState
{
    Window window = Window::FiveHours;
    Unit unit = Unit::Requests;
    qint64 used = 0;
    qint64 limit = 0; // 0: no limit is known
    QDateTime start;
    QDateTime resetsAt;
    bool exhausted = false; // the upstream said so, or the count reached the limit

    int percent() const; // of the limit, 0 without one; 100 when exhausted
};

// The window with the upstream's word applied: a window the upstream called exhausted
// stays exhausted until exhaustedUntil, whatever was counted here, and its reset time is
// the later of the two.
WindowState applyExhaustion(WindowState state, const QDateTime &exhaustedUntil,
                            const QDateTime &now);

// What the tray remembers per window to notify at 80% and at 100% once each per period.
struct ThresholdMemory
{
    QDateTime periodStart;
    int notified = 0; // the highest threshold told in this period: 0, 80 or 100
};
// 80 or 100 when the window has just crossed a threshold not yet told in its period, else
// 0; memory is updated. A fixed window's period is its start; the rolling window starts a
// new period once it falls back under 80%.
int crossedThreshold(const WindowState &state, ThresholdMemory *memory);

// Pay-as-you-go prices of a model, in USD per million tokens: an estimate from the plan
// catalog, never a bill.
struct ModelPrice
{
    double inputUsdPerMillion = 0;
    double outputUsdPerMillion = 0;
};
using PriceLookup = std::function<std::optional<ModelPrice>(const QString &model)>;
struct CostEstimate
{
    double usd = 0;
    QStringList unpricedModels; // used but without a price: not in usd
};
CostEstimate estimateCost(const QList<ModelUsage> &usage, const PriceLookup &price);

} // namespace PlanWindows
