#pragma once

#include "usage/planwindows.h"
#include "usage/usagereport.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QTimer>

class Settings;
class UsageStore;

// Keeps the usage numbers the tray shows current, and says once per window when it passes
// 80% and 100% of its limit. Reads the store a moment after requests finish (the writer
// commits within a second); while nothing happens, only at the moment the numbers change by
// themselves (a window's reset, the oldest request leaving the 5-hour window, the end of an
// exhaustion mark, midnight), after a resume or clock change, and when checkNow() finds the
// plan's settings changed. Never on every request, and no wake-up in between. No widgets:
// the tray displays what it says.
class UsageMonitor : public QObject
{
    Q_OBJECT
public:
    UsageMonitor(const UsageStore *store, Settings *settings, QObject *parent = nullptr);

    // A request finished: read the store again shortly (many finishing at once read it once).
    void requestRefresh();
    void refreshNow();
    // Reads the store again only if the numbers can have changed since the last read (a
    // reset or midnight passed, the plan's settings changed); else does nothing.
    void checkNow();

    const UsageReport &report() const { return m_report; }
    // When the numbers next change by themselves (the one timer's moment); invalid before
    // the first read.
    QDateTime nextChange() const { return m_nextChange; }
    bool hasReport() const { return m_hasReport; }
    // "Coding Plan: 312 / 1,200 in 5 h · resets 14:20", "today: 1.2 M tokens, ≈ $0.84";
    // empty before anything was counted.
    QString statusLine() const;

    // After a request: the store has had time to write it.
    static constexpr int kSettleMs = 1500;

Q_SIGNALS:
    void changed();
    // A window passed 80% or reached 100% of its limit; once per window and period, also
    // across restarts.
    void thresholdCrossed(const QString &title, const QString &message);

private:
    QString planKey() const;
    void checkThresholds();
    PlanWindows::ThresholdMemory memoryFor(const QString &key) const;
    void saveMemory(const QString &key, const PlanWindows::ThresholdMemory &memory);

    const UsageStore *m_store;
    Settings *m_settings;
    UsageReport m_report;
    bool m_hasReport = false;
    QTimer m_settle;
    // When the numbers can next change without a request, and the plan settings they were
    // computed with: checkNow() reads nothing before then.
    QDateTime m_nextChange;
    QTimer m_nextChangeTimer;
    QString m_planKey;
};
