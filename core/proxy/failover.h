#pragma once

#include "proxy/upstreamerror.h"
#include "session/accountpool.h"

#include <QByteArray>
#include <QDateTime>

// Whether a failed attempt is one that another credential may serve, and what it says of
// the credential that failed: a pure rule with a table test (tst_failover). The proxy only
// moves before the answer has started: never mid-stream.
struct FailoverStep
{
    bool applies = false; // false: the answer goes to the client as it is
    AccountPool::Failure failure = AccountPool::Failure::Transient;
    QDateTime until; // UTC; invalid when the upstream named no time

    // resetsAt: when the window the upstream named resets (from the usage meter), if known.
    static FailoverStep forVerdict(const UpstreamVerdict &verdict, const QDateTime &resetsAt,
                                   const QDateTime &nowUtc);
    // A Retry-After value (seconds or an HTTP date) as a time; invalid when unreadable.
    static QDateTime retryAfterTime(const QByteArray &value, const QDateTime &nowUtc);
};
