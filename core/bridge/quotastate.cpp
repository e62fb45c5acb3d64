#include "bridge/quotastate.h"

#include "session/clock.h"

#include <QLoggingCategory>

namespace {
Q_LOGGING_CATEGORY(lcQuota, "qwenbridge.bridge")
// QTimer takes an int: a reset further away is looked at again after this long.
constexpr qint64 kMaxTimerMs = 24LL * 3600 * 1000;
} // namespace

QuotaState::QuotaState(Clock *clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock ? clock : Clock::system())
{
    m_resetTimer.setSingleShot(true);
    connect(&m_resetTimer, &QTimer::timeout, this, &QuotaState::checkNow);
}

bool QuotaState::report(const QString &message, const QDateTime &resetsAt)
{
    const bool news = !isExhausted();
    m_message = message.isEmpty() ? tr("The quota is used up.") : message;
    if (news || (resetsAt.isValid() && m_resetsAt.isValid() && resetsAt > m_resetsAt))
        m_resetsAt = resetsAt;
    else if (!resetsAt.isValid())
        m_resetsAt = QDateTime(); // a quota without a window: no reset ends it
    armTimer();
    if (news) {
        qCInfo(lcQuota) << "the quota is used up"
                        << (m_resetsAt.isValid() ? "until " + m_resetsAt.toString(Qt::ISODate)
                                                 : QStringLiteral("(no reset time)"));
        Q_EMIT changed(true);
    }
    return news;
}

void QuotaState::signInReplaced()
{
    clear("another sign-in");
}

void QuotaState::upstreamAnswered()
{
    clear("the upstream answered");
}

void QuotaState::checkNow()
{
    if (!isExhausted() || !m_resetsAt.isValid())
        return;
    if (m_clock->nowUtc() >= m_resetsAt)
        clear("the window reset");
    else
        armTimer();
}

void QuotaState::clear(const char *why)
{
    m_resetTimer.stop();
    if (!isExhausted())
        return;
    qCInfo(lcQuota) << "the quota is back:" << why;
    m_message.clear();
    m_resetsAt = QDateTime();
    Q_EMIT changed(false);
}

void QuotaState::armTimer()
{
    m_resetTimer.stop();
    if (!isExhausted() || !m_resetsAt.isValid())
        return;
    const qint64 ms = qBound<qint64>(0, m_clock->nowUtc().msecsTo(m_resetsAt), kMaxTimerMs);
    m_resetTimer.start(int(ms));
}
