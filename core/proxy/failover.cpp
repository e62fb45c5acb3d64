#include "proxy/failover.h"

#include <QLocale>
#include <QTimeZone>

QDateTime FailoverStep::retryAfterTime(const QByteArray &value, const QDateTime &nowUtc)
{
    const QByteArray text = value.trimmed();
    bool number = false;
    const qint64 seconds = text.toLongLong(&number);
    if (number)
        return seconds >= 0 ? nowUtc.addSecs(seconds) : QDateTime();
    // An HTTP date (RFC 9110, IMF-fixdate): "Sun, 06 Nov 1994 08:49:37 GMT".
    QDateTime date = QLocale::c().toDateTime(QString::fromLatin1(text),
                                             QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!date.isValid())
        return {};
    date.setTimeZone(QTimeZone::utc());
    return date;
}

FailoverStep FailoverStep::forVerdict(const UpstreamVerdict &verdict, const QDateTime &resetsAt,
                                      const QDateTime &nowUtc)
{
    FailoverStep step;
    switch (verdict.action) {
    case UpstreamVerdict::Action::RefreshAndRetry: // the same credential, renewed, first
    case UpstreamVerdict::Action::PassThrough:     // the request itself is at fault
        return step;
    case UpstreamVerdict::Action::RetryLater:
        step.applies = true;
        step.failure = AccountPool::Failure::Transient;
        return step;
    case UpstreamVerdict::Action::Fail:
        break;
    }
    QByteArray retryAfter;
    for (const auto &h : verdict.extraHeaders) {
        if (h.first.compare("Retry-After", Qt::CaseInsensitive) == 0)
            retryAfter = h.second;
    }
    step.applies = true;
    if (verdict.quotaExhausted || verdict.exhaustedWindow ||
        verdict.code == QLatin1String("account_in_arrears")) {
        step.failure = AccountPool::Failure::WindowExhausted;
        step.until = resetsAt;
    } else if (verdict.status == 429) {
        step.failure = AccountPool::Failure::RateLimited;
        step.until = retryAfterTime(retryAfter, nowUtc);
    } else if (verdict.status == 401) {
        step.failure = AccountPool::Failure::Dead;
    } else if (verdict.status >= 500) {
        step.failure = AccountPool::Failure::Transient;
    } else {
        step.applies = false;
    }
    return step;
}
