#pragma once

#include <QAbstractEventDispatcher>
#include <QAtomicInt>
#include <QHash>
#include <QMultiHash>
#include <QSet>

#include <set>
#include <utility>
#include <vector>

struct _GMainContext;
struct pollfd;

// An event dispatcher for the thread of a process without a window system (the `serve`
// and other command-line modes): socket notifiers on Linux epoll, timers in a deadline-
// ordered set, and GLib's default main context run alongside.
//
// Why by hand: Qt's own dispatchers (GLib's and the UNIX one) hand every registered
// socket to poll() on every wake-up and walk the whole list again to find the ready ones,
// so a proxy with hundreds of open streams spends most of its time on sockets that have
// nothing to say. Qt offers no epoll dispatcher; this one does only that part differently.
// GLib's context must keep running on this thread because the keychain (libsecret through
// QtKeychain) delivers its answers there.
class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

    // Sockets with an enabled notifier (for tests).
    int watchedSockets() const;
    // epoll_ctl() calls so far (for tests: a notifier switched on and off again within
    // one pass, as Qt does around every socket write, costs none).
    quint64 epollControlCalls() const { return m_epollCtlCalls; }

private:
    struct Watch
    {
        QSocketNotifier *notifiers[3] = {nullptr, nullptr, nullptr}; // Read, Write, Exception
        quint64 since[3] = {0, 0, 0}; // m_generation when each was registered
        quint32 events = 0;           // what the notifiers want
        quint32 applied = 0;          // what the kernel's epoll set holds for this fd
        bool pending = false;         // in m_pending: events differs from applied
    };
    struct Timer
    {
        QObject *object = nullptr;
        qint64 intervalMs = 0;
        qint64 deadlineNs = 0;
        quint64 serial = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        bool activating = false; // its event is being delivered: no recursive activation
    };

    void updateWatch(int fd, QHash<int, Watch>::iterator it);
    void applyPending();
    int activateSocketNotifiers();
    int activateFreshSockets();
    int activateUnwatchable();
    int activate(int fd, quint32 got, quint64 asked);
    int activateTimers();
    int timerWaitMs(qint64 nowNs) const;
    void scheduleNext(Timer &timer, qint64 nowNs);
    void drainWakeUp();

    int m_epollFd = -1;
    int m_wakeFd = -1;
    QAtomicInt m_wakeUps;
    QAtomicInt m_interrupt;
    quint64 m_generation = 0; // counts epoll_wait() calls and notifier registrations
    quint64 m_epollCtlCalls = 0;

    QHash<int, Watch> m_watches;
    std::vector<int> m_pending; // fds whose epoll registration is out of date
    std::vector<int> m_fresh;   // fds that got a read notifier during this pass
    QSet<int> m_unwatchable;    // fds epoll refuses (regular files): always ready

    QHash<int, Timer> m_timers;
    std::set<std::pair<qint64, int>> m_deadlines; // (deadline ns, timer id)
    QMultiHash<QObject *, int> m_timersByObject;
    quint64 m_timerSerial = 0;

    _GMainContext *m_glib = nullptr;
    bool m_ownsGlib = false; // acquired by the thread that runs this dispatcher
    // poll() set of one pass: the epoll fd, the wake-up fd, then GLib's fds (GPollFD has
    // the layout of struct pollfd on Unix; GLib itself hands its array to poll()).
    std::vector<pollfd> m_pollFds;
};
