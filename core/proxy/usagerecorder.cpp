#include "proxy/usagerecorder.h"

#include "usage/usagestore.h"

#include <limits>

namespace {
int clampToInt(qint64 v)
{
    return int(qMin<qint64>(v, std::numeric_limits<int>::max()));
}
} // namespace

UsageRecord UsageRecorder::toRecord(const ChatUsageFacts &facts)
{
    UsageRecord r;
    r.timeMs = facts.arrivedAtMs;
    r.method = Credentials::methodName(facts.method);
    r.planId = facts.planId;
    r.credential = facts.credential;
    r.model = facts.model;
    r.httpStatus = facts.httpStatus;
    r.errorKind = facts.errorKind;
    r.promptTokens = facts.usage.promptTokens;
    r.completionTokens = facts.usage.completionTokens;
    r.cachedTokens = facts.usage.cachedTokens;
    r.reasoningTokens = facts.usage.reasoningTokens;
    r.firstByteMs = facts.firstByteMs < 0 ? -1 : clampToInt(facts.firstByteMs);
    r.durationMs = clampToInt(facts.durationMs);
    return r;
}

void UsageRecorder::record(UsageStore *store, const ChatUsageFacts &facts)
{
    store->record(toRecord(facts));
}

QDateTime UsageRecorder::markWindowUsedUp(UsageStore *store, const QString &planId,
                                          PlanWindows::Window window, int subscriptionDay,
                                          const QDateTime &now)
{
    const QDateTime oldest = window == PlanWindows::Window::FiveHours
                                 ? store->firstRequestSince(now.addSecs(-5 * 3600), planId)
                                 : QDateTime();
    const QDateTime until = PlanWindows::resetOf(window, now, oldest, subscriptionDay);
    store->markExhausted(planId, window, until);
    return until;
}
