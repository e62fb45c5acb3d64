#pragma once

#include "credentials/credentials.h"
#include "proxy/tokenusage.h"
#include "usage/planwindows.h"

#include <QDateTime>
#include <QString>

class UsageStore;
struct UsageRecord;

// What the usage meter keeps of one chat request that went upstream: who, which model, how
// it ended and the token counts the upstream reported. Never content.
struct ChatUsageFacts
{
    qint64 arrivedAtMs = 0; // wall clock, ms since the epoch
    AuthMethod method = AuthMethod::OAuth;
    QString planId; // API-key mode only
    QString credential;
    QString model;
    int httpStatus = 0;
    QString errorKind; // empty on success, else the error code the client got
    TokenUsage usage;
    qint64 firstByteMs = -1; // since arrival; -1 when nothing reached the client
    qint64 durationMs = 0;
};

namespace UsageRecorder {
// The store's row for these facts; durations that do not fit an int are capped.
UsageRecord toRecord(const ChatUsageFacts &facts);
// One row in the store.
void record(UsageStore *store, const ChatUsageFacts &facts);
// The upstream said one of the plan's windows is used up: the store shows it so until the
// window resets, whatever it counted itself. Returns when that is.
QDateTime markWindowUsedUp(UsageStore *store, const QString &planId, PlanWindows::Window window,
                           int subscriptionDay, const QDateTime &now);
} // namespace UsageRecorder
