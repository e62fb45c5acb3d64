#include "testwait.h"

#include <QDeadlineTimer>
#include <QTest>

bool waitFor(const std::function<bool()> &cond, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!cond()) {
        if (deadline.hasExpired())
            return cond();
        QTest::qWait(5);
    }
    return true;
}
