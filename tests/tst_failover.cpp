// FailoverStep: which failed attempts another credential may serve, and what they say of
// the credential that failed. A table: verdicts as UpstreamError gives them.
#include "proxy/failover.h"

#include <QTest>
#include <QTimeZone>

namespace {
const QDateTime kNow = QDateTime(QDate(2026, 12, 2), QTime(12, 0), QTimeZone::utc());

UpstreamVerdict failed(int status, const QString &code, const QByteArray &retryAfter = {})
{
    UpstreamVerdict v;
    v.action = UpstreamVerdict::Action::Fail;
    v.status = status;
    v.code = code;
    if (!retryAfter.isEmpty())
        v.extraHeaders.append(qMakePair(QByteArrayLiteral("Retry-After"), retryAfter));
    return v;
}

} // namespace

Q_DECLARE_METATYPE(UpstreamVerdict)
Q_DECLARE_METATYPE(AccountPool::Failure)

class TestFailover : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void verdicts_data()
    {
        QTest::addColumn<UpstreamVerdict>("verdict");
        QTest::addColumn<QDateTime>("resetsAt");
        QTest::addColumn<bool>("applies");
        QTest::addColumn<AccountPool::Failure>("failure");
        QTest::addColumn<QDateTime>("until");
        using F = AccountPool::Failure;
        const QDateTime reset = kNow.addSecs(3600);

        UpstreamVerdict hour = failed(429, QStringLiteral("hour_quota_exceeded"));
        hour.quotaExhausted = true;
        hour.exhaustedWindow = PlanWindows::Window::FiveHours;
        QTest::newRow("hour window, reset known")
            << hour << reset << true << F::WindowExhausted << reset;
        QTest::newRow("hour window, reset unknown")
            << hour << QDateTime() << true << F::WindowExhausted << QDateTime();
        UpstreamVerdict quota = failed(429, QStringLiteral("insufficient_quota"));
        quota.quotaExhausted = true;
        QTest::newRow("quota") << quota << QDateTime() << true << F::WindowExhausted << QDateTime();
        QTest::newRow("arrears") << failed(402, QStringLiteral("account_in_arrears")) << QDateTime()
                                 << true << F::WindowExhausted << QDateTime();
        QTest::newRow("429 with Retry-After seconds")
            << failed(429, QStringLiteral("rate_limit_exceeded"), "7") << QDateTime() << true
            << F::RateLimited << kNow.addSecs(7);
        QTest::newRow("429 with an HTTP date")
            << failed(429, QStringLiteral("rate_limit_exceeded"), "Wed, 02 Dec 2026 12:01:00 GMT")
            << QDateTime() << true << F::RateLimited << kNow.addSecs(60);
        QTest::newRow("429 without Retry-After")
            << failed(429, QStringLiteral("rate_limit_exceeded")) << QDateTime() << true
            << F::RateLimited << QDateTime();
        QTest::newRow("concurrency, after its retries")
            << failed(429, QStringLiteral("concurrency_quota_exceeded")) << QDateTime() << true
            << F::RateLimited << QDateTime();
        QTest::newRow("key refused") << failed(401, QStringLiteral("invalid_api_key"))
                                     << QDateTime() << true << F::Dead << QDateTime();
        QTest::newRow("plan expired") << failed(401, QStringLiteral("plan_expired")) << QDateTime()
                                      << true << F::Dead << QDateTime();
        QTest::newRow("server error") << failed(500, QStringLiteral("upstream_error"))
                                      << QDateTime() << true << F::Transient << QDateTime();
        QTest::newRow("network") << failed(502, QStringLiteral("upstream_unreachable"))
                                 << QDateTime() << true << F::Transient << QDateTime();
        UpstreamVerdict retry;
        retry.action = UpstreamVerdict::Action::RetryLater;
        QTest::newRow("a 5xx to retry")
            << retry << QDateTime() << true << F::Transient << QDateTime();
        // The request itself is at fault, or the credential gets renewed first: no move.
        QTest::newRow("model not found") << failed(400, QStringLiteral("model_not_found"))
                                         << QDateTime() << false << F::Transient << QDateTime();
        QTest::newRow("coding agents only") << failed(403, QStringLiteral("coding_agents_only"))
                                            << QDateTime() << false << F::Transient << QDateTime();
        UpstreamVerdict refresh;
        refresh.action = UpstreamVerdict::Action::RefreshAndRetry;
        QTest::newRow("401 before the refresh")
            << refresh << QDateTime() << false << F::Transient << QDateTime();
        UpstreamVerdict pass;
        pass.action = UpstreamVerdict::Action::PassThrough;
        pass.status = 400;
        QTest::newRow("the upstream's own 4xx")
            << pass << QDateTime() << false << F::Transient << QDateTime();
    }
    void verdicts()
    {
        QFETCH(UpstreamVerdict, verdict);
        QFETCH(QDateTime, resetsAt);
        QFETCH(bool, applies);
        QFETCH(AccountPool::Failure, failure);
        QFETCH(QDateTime, until);
        const FailoverStep step = FailoverStep::forVerdict(verdict, resetsAt, kNow);
        QCOMPARE(step.applies, applies);
        if (!applies)
            return;
        QCOMPARE(step.failure, failure);
        QCOMPARE(step.until, until);
    }

    void sessionFailuresAreNotVerdictsOfTheUpstream()
    {
        // A session without a usable sign-in moves on through the job, not through this rule
        // (the pool reads the session's state); its verdict still says what it is.
        const UpstreamVerdict v =
            UpstreamError::forSession(SessionError::SignInRequired, QStringLiteral("x"));
        QCOMPARE(v.action, UpstreamVerdict::Action::Fail);
        QVERIFY(v.status == 401 || v.status == 403);
    }

    void retryAfterValues()
    {
        QCOMPARE(FailoverStep::retryAfterTime("30", kNow), kNow.addSecs(30));
        QCOMPARE(FailoverStep::retryAfterTime(" 0 ", kNow), kNow);
        QVERIFY(!FailoverStep::retryAfterTime("-5", kNow).isValid());
        QVERIFY(!FailoverStep::retryAfterTime("soon", kNow).isValid());
        QVERIFY(!FailoverStep::retryAfterTime("", kNow).isValid());
    }
};

QTEST_GUILESS_MAIN(TestFailover)
#include "tst_failover.moc"
