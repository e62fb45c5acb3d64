#pragma once

#include <QDateTime>

// Wall-clock time, injectable so tests can move it (expiry, suspend/resume, backoff).
class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime nowUtc() const { return QDateTime::currentDateTimeUtc(); }
    static Clock *system();
};
