#pragma once

#include "usage/planwindows.h"
#include "usage/usagestore.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QLocale>
#include <QString>

#include <optional>

class Settings;

// What the meter needs to know of the plan the requests go to.
struct UsagePlan
{
    PlanWindows::PlanKind kind = PlanWindows::PlanKind::Other;
    QString planId;   // as recorded; empty for OAuth
    QString planName; // for people: "Coding Plan (global)"
    PlanWindows::CodingTier tier = PlanWindows::CodingTier::Lite;
    int subscriptionDay = 1;
    qint64 tokenPlanMonthlyTokens = 0; // 0: not set
    PlanWindows::PriceLookup price;    // pay-as-you-go only

    // The plan of planId from the plan catalog, with the tier, the subscription day and the
    // Token Plan's limit from settings.
    static UsagePlan fromCatalog(const QString &planId, const Settings &settings);
};

// The numbers the Usage window, the command line and the tray show, computed once from
// the store so that all three say the same: requests and tokens per day and in total, by
// model, the plan's windows and, on pay-as-you-go, today's estimated cost. All counted on
// this computer.
class UsageReport
{
    Q_DECLARE_TR_FUNCTIONS(UsageReport)
public:
    static UsageReport build(const UsageStore &store, const UsagePlan &plan, int days,
                             const QDateTime &now = QDateTime::currentDateTime());

    UsagePlan plan;
    QDateTime generatedAt;
    QList<DailyUsage> days; // oldest first, today last
    UsageTotals total;      // over days
    QList<ModelUsage> models;
    QList<ModelUsage> credentials; // which credential served (ModelUsage::model is its name)
    QList<PlanWindows::WindowState> windows; // empty when the plan has none
    UsageTotals today;
    std::optional<PlanWindows::CostEstimate> todayCost; // pay-as-you-go only

    // One line for the tray's menu and tooltip: "Coding Plan: 312 / 1,200 in 5 h · resets
    // 14:20" (the fullest window), or "today: 1.2 M tokens, ≈ $0.84".
    QString statusLine(const QLocale &locale = QLocale()) const;
    // "in 5 h", "this week", "this month".
    static QString windowName(PlanWindows::Window window);
    // "312 / 1,200 requests · resets 14:20" for a gauge.
    QString windowText(const PlanWindows::WindowState &state,
                       const QLocale &locale = QLocale()) const;
    // "1.2 M", "34.5 k", "812".
    static QString compactNumber(qint64 n, const QLocale &locale = QLocale());
    // "14:20" today, "Mon 00:00" within a week, else "15 Jan 16:00".
    QString resetText(const QDateTime &at, const QLocale &locale = QLocale()) const;
    static QString countedHere() { return tr("counted on this computer"); }

    QJsonObject toJson() const;
    QString toText(const QLocale &locale = QLocale()) const; // for the command line
    QByteArray toCsv() const;                                // per day, for spreadsheets
};
