#pragma once

#include <QObject>
#include <QTimer>

// One wake-up a minute for the whole process. Everything that only needs to look at the
// time now and then (the session's wall-clock watchdog, the tray's "expires in", the usage
// meter's reset times, the warm upstream's suspend check) listens to this one timer instead
// of keeping its own: idle, the app then wakes once a minute rather than once per timer
// (issue 18, bench/run's idle measure). Timers for things that are due at a moment (a token
// renewal, a retry) stay where they are.
class MinuteTicker : public QObject
{
    Q_OBJECT
public:
    // The process's ticker, a child of the application object (created on first use; the
    // application must exist).
    static MinuteTicker *instance();

    int intervalMs() const { return m_timer.interval(); }
    // Tests make it tick faster.
    void setIntervalMs(int ms);

Q_SIGNALS:
    void tick();

private:
    explicit MinuteTicker(QObject *parent);
    QTimer m_timer;
};
