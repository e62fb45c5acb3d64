#pragma once

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

class QSocketNotifier;

// Says when the wall clock moved against the monotonic one: the machine woke from sleep,
// or the clock was set. Timers count monotonic time, which stands still while the machine
// sleeps, so whatever is due at a wall-clock moment (a token's renewal, a usage window's
// reset, the warm upstream connection) re-checks on jumped() instead of looking at the
// clock now and then: an idle app has no periodic wake-up at all (issue 18).
//
// On Linux the kernel tells: a timerfd on CLOCK_REALTIME armed with TFD_TIMER_CANCEL_ON_SET
// is cancelled on every clock set and on resume from suspend, and its descriptor becomes
// readable. Qt has no such notice, hence the few lines by hand. Elsewhere, or if the kernel
// refuses, the two clocks are compared once a minute.
class WallClockWatch : public QObject
{
    Q_OBJECT
public:
    enum class Source {
        Kernel,  // the timerfd, falling back to Polling if it cannot be made
        Polling, // compare the clocks once a minute
    };
    // A jump smaller than this is drift or a time service's small correction (which can
    // come many times a minute), not worth a re-check; a suspend shorter than this leaves
    // timers late by less.
    static constexpr qint64 kJumpMs = 10 * 1000;
    static constexpr int kPollMs = 60 * 1000;

    // The process's watch, a child of the application object (created on first use; the
    // application must exist).
    static WallClockWatch *instance();

    explicit WallClockWatch(Source source, QObject *parent = nullptr);
    ~WallClockWatch() override;

    // True when the kernel reports jumps: no periodic wake-up.
    bool isKernelDriven() const { return m_fd >= 0; }
    int pollIntervalMs() const { return m_poll.isActive() ? m_poll.interval() : 0; }

    // Compares wallNow with the monotonic time since the last look; emits jumped() when
    // they differ by at least minimumJumpMs(). Runs on each kernel notice (or poll).
    // Public for tests.
    void compare(const QDateTime &wallNow);
    // kJumpMs unless a test sets it.
    void setMinimumJumpMs(qint64 ms) { m_minimumJumpMs = qMax<qint64>(0, ms); }
    qint64 minimumJumpMs() const { return m_minimumJumpMs; }
    // Clock-change notices the kernel gave, jumps or not (tests).
    int kernelNotices() const { return m_notices; }

Q_SIGNALS:
    // The wall clock jumped (resume from sleep, clock set): look at it again.
    void jumped();

private:
    bool arm();
    void onReadable();

    int m_fd = -1;
    QSocketNotifier *m_notifier = nullptr;
    QTimer m_poll;
    QDateTime m_lastWall;
    QElapsedTimer m_lastMono;
    qint64 m_minimumJumpMs = kJumpMs;
    int m_notices = 0;
};
