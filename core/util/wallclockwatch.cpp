#include "util/wallclockwatch.h"

#include "util/logcategories.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QPointer>
#include <QSocketNotifier>

#include <limits>

#ifdef Q_OS_LINUX
#include <cerrno>
#include <cstdint>
#include <sys/timerfd.h>
#include <unistd.h>
#endif

WallClockWatch *WallClockWatch::instance()
{
    static QPointer<WallClockWatch> watch;
    if (!watch)
        watch = new WallClockWatch(Source::Kernel, QCoreApplication::instance());
    return watch;
}

WallClockWatch::WallClockWatch(Source source, QObject *parent)
    : QObject(parent)
{
    m_lastWall = QDateTime::currentDateTimeUtc();
    m_lastMono.start();
#ifdef Q_OS_LINUX
    if (source == Source::Kernel) {
        m_fd = ::timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
        if (m_fd >= 0 && arm()) {
            m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
            connect(m_notifier, &QSocketNotifier::activated, this, &WallClockWatch::onReadable);
            return;
        }
        qCWarning(lcBridge) << "the kernel gives no clock-change notice (" << qt_error_string(errno)
                            << "); comparing clocks once a minute";
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }
#else
    Q_UNUSED(source);
#endif
    // Whole seconds are precise enough, and let the system put the wake-up with others.
    m_poll.setTimerType(Qt::VeryCoarseTimer);
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, [this] { compare(QDateTime::currentDateTimeUtc()); });
    m_poll.start();
}

WallClockWatch::~WallClockWatch()
{
#ifdef Q_OS_LINUX
    if (m_fd >= 0) {
        delete m_notifier;
        ::close(m_fd);
    }
#endif
}

bool WallClockWatch::arm()
{
#ifdef Q_OS_LINUX
    // An absolute wall-clock time that never comes: the timer exists only to be cancelled.
    itimerspec spec{};
    spec.it_value.tv_sec = std::numeric_limits<time_t>::max();
    return ::timerfd_settime(m_fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, nullptr) ==
           0;
#else
    return false;
#endif
}

void WallClockWatch::onReadable()
{
#ifdef Q_OS_LINUX
    std::uint64_t expirations = 0;
    const ssize_t n = ::read(m_fd, &expirations, sizeof expirations);
    if (n < 0 && errno == EAGAIN)
        return;
    const bool cancelled = n < 0 && errno == ECANCELED;
    // Set again after every notice: the manual does not say what a cancelled timer does
    // next, and setting it costs one system call.
    if (!arm())
        qCWarning(lcBridge) << "could not re-arm the clock-change notice:"
                            << qt_error_string(errno);
    if (cancelled) {
        ++m_notices;
        compare(QDateTime::currentDateTimeUtc());
    }
#endif
}

void WallClockWatch::compare(const QDateTime &wallNow)
{
    const qint64 wallDelta = m_lastWall.msecsTo(wallNow);
    const qint64 monoDelta = m_lastMono.restart();
    m_lastWall = wallNow;
    if (qAbs(wallDelta - monoDelta) >= m_minimumJumpMs) {
        qCInfo(lcBridge) << "the wall clock jumped by" << (wallDelta - monoDelta)
                         << "ms (suspend or clock set)";
        Q_EMIT jumped();
    }
}
