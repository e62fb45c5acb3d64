#include "util/epolleventdispatcher.h"

#include "util/logcategories.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTimerEvent>
#include <QVarLengthArray>

#include <glib.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace {

constexpr int MaxEventsPerPass = 256;
constexpr qint64 NsPerMs = 1000000;

qint64 monotonicNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// QSocketNotifier::Type is Read = 0, Write = 1, Exception = 2.
quint32 epollBits(int type)
{
    switch (type) {
    case QSocketNotifier::Read:
        return EPOLLIN | EPOLLRDHUP;
    case QSocketNotifier::Write:
        return EPOLLOUT;
    default:
        return EPOLLPRI;
    }
}

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
{
    m_epollFd = epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_epollFd < 0 || m_wakeFd < 0)
        qFatal("EpollEventDispatcher: cannot create epoll/eventfd: %s", strerror(errno));
    m_glib = g_main_context_ref(g_main_context_default());
    m_pollFds.resize(2);
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_ownsGlib)
        g_main_context_release(m_glib);
    g_main_context_unref(m_glib);
    ::close(m_wakeFd);
    ::close(m_epollFd);
}

int EpollEventDispatcher::watchedSockets() const
{
    int n = 0;
    for (const Watch &watch : m_watches)
        n += watch.events != 0;
    return n;
}

void EpollEventDispatcher::updateWatch(int fd, QHash<int, Watch>::iterator it)
{
    quint32 events = 0;
    for (int type = 0; type < 3; ++type) {
        if (it->notifiers[type])
            events |= epollBits(type);
    }
    it->events = events;
    if (events == 0) {
        m_unwatchable.remove(fd);
        // Leave the set at once, while the number still names this socket.
        if (it->applied != 0) {
            ++m_epollCtlCalls;
            epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, nullptr);
        }
        m_watches.erase(it);
        return;
    }
    // Joining the set or changing what is watched waits until the loop next asks the
    // kernel: Qt switches a write notifier on and off around every write, and most of
    // those changes cancel out before then.
    if (events != it->applied && !it->pending) {
        it->pending = true;
        m_pending.push_back(fd);
    }
}

void EpollEventDispatcher::applyPending()
{
    for (int fd : m_pending) {
        auto it = m_watches.find(fd);
        if (it == m_watches.end() || !it->pending)
            continue;
        it->pending = false;
        if (it->events == it->applied)
            continue;
        epoll_event ev;
        memset(&ev, 0, sizeof ev);
        ev.events = it->events;
        ev.data.fd = fd;
        int op = it->applied == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
        ++m_epollCtlCalls;
        int rc = epoll_ctl(m_epollFd, op, fd, &ev);
        // The kernel drops a closed socket from the set by itself, and a new socket may
        // have been given its number since. Retry with what the set really holds.
        if (rc < 0 && errno == ENOENT && op == EPOLL_CTL_MOD) {
            ++m_epollCtlCalls;
            rc = epoll_ctl(m_epollFd, EPOLL_CTL_ADD, fd, &ev);
        } else if (rc < 0 && errno == EEXIST && op == EPOLL_CTL_ADD) {
            ++m_epollCtlCalls;
            rc = epoll_ctl(m_epollFd, EPOLL_CTL_MOD, fd, &ev);
        }
        if (rc < 0 && errno == EPERM) {
            // Not something epoll can watch (a regular file): poll() calls such a file
            // always ready, and so does this dispatcher (activateUnwatchable()).
            m_unwatchable.insert(fd);
        } else if (rc < 0) {
            qCWarning(lcDispatcher, "epoll_ctl on socket %d: %s", fd, strerror(errno));
        }
        it->applied = rc < 0 ? 0 : it->events;
    }
    m_pending.clear();
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const int type = int(notifier->type());
    if (fd < 0 || type < 0 || type > 2)
        return;
    auto it = m_watches.find(fd);
    const bool newSocket = it == m_watches.end();
    if (newSocket)
        it = m_watches.insert(fd, Watch());
    if (it->notifiers[type] && it->notifiers[type] != notifier) {
        qCWarning(lcDispatcher, "a second socket notifier of one type for socket %d", fd);
        return;
    }
    it->notifiers[type] = notifier;
    it->since[type] = ++m_generation;
    updateWatch(fd, it);
    if (newSocket && type == QSocketNotifier::Read)
        m_fresh.push_back(fd);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const int type = int(notifier->type());
    auto it = m_watches.find(fd);
    if (it == m_watches.end() || type < 0 || type > 2 || it->notifiers[type] != notifier)
        return;
    it->notifiers[type] = nullptr;
    updateWatch(fd, it);
}

int EpollEventDispatcher::activate(int fd, quint32 got, quint64 asked)
{
    // Like poll(): a hang-up or error wakes readers, an error also wakes writers.
    const bool ready[3] = {(got & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0,
                           (got & (EPOLLOUT | EPOLLERR)) != 0, (got & EPOLLPRI) != 0};
    int activated = 0;
    for (int type = 0; type < 3; ++type) {
        if (!ready[type])
            continue;
        // Look again each time: the previous activation may have closed the socket.
        auto it = m_watches.constFind(fd);
        if (it == m_watches.constEnd())
            break;
        QSocketNotifier *notifier = it->notifiers[type];
        // A notifier registered after the kernel was asked must not be handed readiness
        // that may have belonged to an earlier socket with the same number.
        if (!notifier || it->since[type] >= asked)
            continue;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event);
        ++activated;
    }
    return activated;
}

int EpollEventDispatcher::activateFreshSockets()
{
    // A connection just accepted usually has its request waiting already. Reading it now
    // saves the new client a full turn of the loop behind every other ready socket.
    int activated = 0;
    while (!m_fresh.empty()) {
        QVarLengthArray<pollfd, 16> fds;
        for (int fd : m_fresh) {
            auto it = m_watches.constFind(fd);
            if (it != m_watches.constEnd() && it->notifiers[QSocketNotifier::Read])
                fds.append(pollfd{fd, POLLIN, 0});
        }
        m_fresh.clear();
        if (fds.isEmpty() || ::poll(fds.data(), nfds_t(fds.size()), 0) <= 0)
            break;
        const quint64 asked = ++m_generation;
        for (const pollfd &p : fds) {
            if (p.revents & (POLLIN | POLLHUP | POLLERR))
                activated += activate(p.fd, EPOLLIN, asked);
        }
    }
    return activated;
}

int EpollEventDispatcher::activateUnwatchable()
{
    const QList<int> fds = m_unwatchable.values();
    const quint64 asked = ++m_generation;
    int activated = 0;
    for (int fd : fds)
        activated += activate(fd, EPOLLIN | EPOLLOUT, asked);
    return activated;
}

int EpollEventDispatcher::activateSocketNotifiers()
{
    applyPending();
    m_fresh.clear(); // registered before this epoll_wait(): it answers for them
    epoll_event events[MaxEventsPerPass];
    const int n = epoll_wait(m_epollFd, events, MaxEventsPerPass, 0);
    const quint64 asked = ++m_generation;
    int activated = 0;
    for (int i = 0; i < n; ++i) {
        activated += activate(events[i].data.fd, events[i].events, asked);
        if (!m_fresh.empty())
            activated += activateFreshSockets();
    }
    return activated;
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    if (timerId <= 0 || !object || interval < 0)
        return;
    unregisterTimer(timerId);
    Timer timer;
    timer.object = object;
    timer.intervalMs = interval;
    timer.type = timerType;
    timer.serial = ++m_timerSerial;
    timer.deadlineNs = monotonicNs() + interval * NsPerMs;
    m_deadlines.emplace(timer.deadlineNs, timerId);
    m_timersByObject.insert(object, timerId);
    m_timers.insert(timerId, timer);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_deadlines.erase({it->deadlineNs, timerId});
    m_timersByObject.remove(it->object, timerId);
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    const QList<int> ids = m_timersByObject.values(object);
    for (int id : ids)
        unregisterTimer(id);
    return !ids.isEmpty();
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> list;
    const QList<int> ids = m_timersByObject.values(object);
    for (int id : ids) {
        const Timer &timer = m_timers[id];
        list.append(TimerInfo(id, int(timer.intervalMs), timer.type));
    }
    return list;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    auto it = m_timers.constFind(timerId);
    if (it == m_timers.constEnd())
        return -1;
    const qint64 left = it->deadlineNs - monotonicNs();
    return left <= 0 ? 0 : int((left + NsPerMs - 1) / NsPerMs);
}

void EpollEventDispatcher::scheduleNext(Timer &timer, qint64 nowNs)
{
    // Keep the rhythm of a repeating timer; after a stall, start again from now rather
    // than firing the missed intervals in a burst.
    timer.deadlineNs += timer.intervalMs * NsPerMs;
    if (timer.deadlineNs <= nowNs)
        timer.deadlineNs = nowNs + timer.intervalMs * NsPerMs;
}

int EpollEventDispatcher::activateTimers()
{
    if (m_deadlines.empty())
        return 0;
    const qint64 now = monotonicNs();
    // Each timer due now fires at most once in this pass, even if its handler restarts it
    // with a zero interval or runs a nested event loop.
    QVarLengthArray<std::pair<int, quint64>, 32> due;
    for (auto it = m_deadlines.begin(); it != m_deadlines.end() && it->first <= now; ++it)
        due.append({it->second, m_timers.value(it->second).serial});
    int activated = 0;
    for (const auto &[id, serial] : due) {
        auto it = m_timers.find(id);
        if (it == m_timers.end() || it->serial != serial || it->activating || it->deadlineNs > now)
            continue;
        m_deadlines.erase({it->deadlineNs, id});
        scheduleNext(*it, now);
        m_deadlines.emplace(it->deadlineNs, id);
        it->activating = true;
        QObject *object = it->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++activated;
        // The handler may have stopped the timer, and a new one may have its id.
        auto after = m_timers.find(id);
        if (after != m_timers.end() && after->serial == serial)
            after->activating = false;
    }
    return activated;
}

int EpollEventDispatcher::timerWaitMs(qint64 nowNs) const
{
    for (const auto &[deadline, id] : m_deadlines) {
        if (m_timers.value(id).activating)
            continue; // running in an outer pass: it cannot fire in this one
        const qint64 left = deadline - nowNs;
        return left <= 0 ? 0 : int(qMin<qint64>((left + NsPerMs - 1) / NsPerMs, INT_MAX));
    }
    return -1;
}

void EpollEventDispatcher::wakeUp()
{
    // One write per sleep is enough; the flag is cleared when the loop wakes.
    if (m_wakeUps.testAndSetAcquire(0, 1)) {
        const quint64 one = 1;
        ssize_t rc;
        do {
            rc = ::write(m_wakeFd, &one, sizeof one);
        } while (rc < 0 && errno == EINTR);
    }
}

void EpollEventDispatcher::interrupt()
{
    m_interrupt.storeRelaxed(1);
    wakeUp();
}

void EpollEventDispatcher::drainWakeUp()
{
    // Read first, then reset the flag. The other order loses wake-ups for good: a
    // wake-up between the reset and the read would set the flag and have its write read
    // away, and every later one would see the flag set and not write. This way a wake-up
    // between the two is skipped, but what it announced (a posted event) is sent at the
    // start of the next pass anyway.
    quint64 count;
    while (::read(m_wakeFd, &count, sizeof count) > 0) {
    }
    m_wakeUps.storeRelease(0);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupt.storeRelaxed(0);
    Q_EMIT awake();
    QCoreApplication::sendPostedEvents();

    const bool sockets = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool timers = !(flags & QEventLoop::X11ExcludeTimers);
    bool canWait = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupt.loadRelaxed();

    // GLib's half of the pass, as g_main_context_iteration() does it, but with our fds
    // in the same poll(). This thread keeps the context for good once it has it: GLib
    // wakes the owner's poll() when another thread adds a source, and runs a call from
    // another thread in that thread when the context has no owner at that moment.
    if (!m_ownsGlib)
        m_ownsGlib = g_main_context_acquire(m_glib);
    const bool ownsGlib = m_ownsGlib;
    gint maxPriority = G_PRIORITY_DEFAULT;
    int glibFds = 0;
    gint glibTimeout = -1;
    if (ownsGlib) {
        if (g_main_context_prepare(m_glib, &maxPriority))
            canWait = false;
        for (;;) {
            const int room = int(m_pollFds.size()) - 2;
            glibFds = g_main_context_query(m_glib, maxPriority, &glibTimeout,
                                           reinterpret_cast<GPollFD *>(m_pollFds.data() + 2), room);
            if (glibFds <= room)
                break;
            m_pollFds.resize(size_t(glibFds) + 2);
        }
    }

    applyPending(); // the epoll fd's readiness must reflect every notifier
    if (!m_unwatchable.isEmpty() && sockets)
        canWait = false;
    int timeout = -1;
    if (!canWait) {
        timeout = 0;
    } else {
        if (timers)
            timeout = timerWaitMs(monotonicNs());
        if (glibTimeout >= 0 && (timeout < 0 || glibTimeout < timeout))
            timeout = glibTimeout;
        Q_EMIT aboutToBlock();
    }

    m_pollFds[0] = {m_epollFd, short(sockets ? POLLIN : 0), 0};
    m_pollFds[1] = {m_wakeFd, POLLIN, 0};
    int ready = ::poll(m_pollFds.data(), nfds_t(glibFds + 2), timeout);
    if (ready < 0) {
        if (errno != EINTR)
            qCWarning(lcDispatcher, "poll: %s", strerror(errno));
        for (auto &p : m_pollFds)
            p.revents = 0;
    }
    if (canWait)
        Q_EMIT awake();
    // GLib's dispatch below may run a nested loop that reuses m_pollFds.
    const bool socketsReady = sockets && (m_pollFds[0].revents & POLLIN);
    const bool woken = m_pollFds[1].revents & POLLIN;

    int handled = 0;
    if (woken) {
        drainWakeUp();
        ++handled;
    }
    if (ownsGlib) {
        if (g_main_context_check(m_glib, maxPriority,
                                 reinterpret_cast<GPollFD *>(m_pollFds.data() + 2), glibFds)) {
            g_main_context_dispatch(m_glib);
            ++handled;
        }
    }
    if (socketsReady)
        handled += activateSocketNotifiers();
    if (sockets && !m_unwatchable.isEmpty())
        handled += activateUnwatchable();
    if (timers)
        handled += activateTimers();
    return handled > 0;
}
