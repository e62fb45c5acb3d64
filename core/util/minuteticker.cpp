#include "util/minuteticker.h"

#include <QCoreApplication>
#include <QPointer>

MinuteTicker::MinuteTicker(QObject *parent)
    : QObject(parent)
{
    // Whole seconds are precise enough for all of its listeners, and let the system put
    // the wake-up together with others.
    m_timer.setTimerType(Qt::VeryCoarseTimer);
    m_timer.setInterval(60 * 1000);
    connect(&m_timer, &QTimer::timeout, this, &MinuteTicker::tick);
    m_timer.start();
}

MinuteTicker *MinuteTicker::instance()
{
    static QPointer<MinuteTicker> ticker;
    if (!ticker)
        ticker = new MinuteTicker(QCoreApplication::instance());
    return ticker;
}

void MinuteTicker::setIntervalMs(int ms)
{
    m_timer.setTimerType(ms < 1000 ? Qt::PreciseTimer : Qt::VeryCoarseTimer);
    m_timer.start(qMax(1, ms));
}
