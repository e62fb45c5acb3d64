#include "proxy/upstreamerror.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using Action = UpstreamVerdict::Action;
Q_DECLARE_METATYPE(UpstreamVerdict::Action)
Q_DECLARE_METATYPE(AuthMethod)
Q_DECLARE_METATYPE(HttpClientReply::Error)

class TestUpstreamError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answers_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<AuthMethod>("method");
        QTest::addColumn<bool>("stream");
        QTest::addColumn<int>("attempt");
        QTest::addColumn<bool>("retried401");
        QTest::addColumn<Action>("action");
        QTest::addColumn<int>("clientStatus");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("messagePart");
        QTest::addColumn<bool>("quota");

        const QByteArray none;
        const QByteArray quota =
            R"({"error":{"message":"Free allocated quota exceeded.","code":"insufficient_quota"}})";
        const QByteArray invalid =
            R"({"error":{"message":"invalid access token or token expired"}})";
        const QByteArray badRequest =
            R"({"error":{"message":"bad field","type":"invalid_request"}})";

        QTest::newRow("401 first time: refresh and retry")
            << 401 << invalid << none << AuthMethod::OAuth << false << 1 << false
            << Action::RefreshAndRetry << 0 << QString() << QString() << false;
        QTest::newRow("401 after the retry, OAuth: sign in again")
            << 401 << invalid << none << AuthMethod::OAuth << false << 2 << true << Action::Fail
            << 401 << QStringLiteral("invalid_api_key") << QStringLiteral("Sign in again") << false;
        QTest::newRow("401 after the retry, API key: the key was refused")
            << 401 << invalid << none << AuthMethod::ApiKey << false << 2 << true << Action::Fail
            << 401 << QStringLiteral("invalid_api_key") << QStringLiteral("refused the API key")
            << false;
        QTest::newRow("401 says what the service said")
            << 401 << invalid << none << AuthMethod::ApiKey << false << 2 << true << Action::Fail
            << 401 << QStringLiteral("invalid_api_key")
            << QStringLiteral("(The service said: invalid access token or token expired)") << false;
        QTest::newRow("429 quota, OAuth: the free tier ended")
            << 429 << quota << none << AuthMethod::OAuth << true << 1 << false << Action::Fail
            << 429 << QStringLiteral("insufficient_quota") << QStringLiteral("2026-04-15") << true;
        QTest::newRow("403 quota, API key: balance and plan")
            << 403 << quota << none << AuthMethod::ApiKey << false << 1 << false << Action::Fail
            << 429 << QStringLiteral("insufficient_quota") << QStringLiteral("no quota left")
            << true;
        QTest::newRow("429 rate limit with Retry-After")
            << 429 << QByteArray(R"({"error":{"message":"slow down"}})") << QByteArray("7")
            << AuthMethod::OAuth << false << 1 << false << Action::Fail << 429
            << QStringLiteral("rate_limit_exceeded") << QStringLiteral("Try again in 7 seconds")
            << false;
        QTest::newRow("429 rate limit without Retry-After")
            << 429 << none << none << AuthMethod::ApiKey << false << 1 << false << Action::Fail
            << 429 << QStringLiteral("rate_limit_exceeded") << QStringLiteral("Wait a moment")
            << false;
        QTest::newRow("500 plain, first attempt: retry")
            << 500 << none << none << AuthMethod::OAuth << false << 1 << false << Action::RetryLater
            << 0 << QString() << QString() << false;
        QTest::newRow("503 plain, second attempt: retry")
            << 503 << none << none << AuthMethod::OAuth << false << 2 << false << Action::RetryLater
            << 0 << QString() << QString() << false;
        QTest::newRow("500 plain, third attempt: give up")
            << 500 << none << none << AuthMethod::OAuth << false << 3 << false << Action::Fail
            << 500 << QStringLiteral("upstream_error") << QStringLiteral("HTTP 500") << false;
        QTest::newRow("502 stream: no retry")
            << 502 << none << none << AuthMethod::OAuth << true << 1 << false << Action::Fail << 502
            << QStringLiteral("upstream_error") << QStringLiteral("HTTP 502") << false;
        QTest::newRow("400 with an OpenAI error: passed through")
            << 400 << badRequest << none << AuthMethod::ApiKey << false << 1 << false
            << Action::PassThrough << 400 << QString() << QString() << false;
        QTest::newRow("404 without JSON: its words quoted")
            << 404 << QByteArray("no such thing") << none << AuthMethod::ApiKey << false << 1
            << false << Action::Fail << 404 << QStringLiteral("upstream_error")
            << QStringLiteral("HTTP 404: no such thing") << false;
    }

    void answers()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, retryAfter);
        QFETCH(AuthMethod, method);
        QFETCH(bool, stream);
        QFETCH(int, attempt);
        QFETCH(bool, retried401);
        QFETCH(Action, action);
        QFETCH(int, clientStatus);
        QFETCH(QString, code);
        QFETCH(QString, messagePart);
        QFETCH(bool, quota);

        UpstreamError::Context context;
        context.method = method;
        context.stream = stream;
        context.attempt = attempt;
        context.retried401 = retried401;
        context.retryBaseDelayMs = 100;
        const UpstreamVerdict v = UpstreamError::forAnswer({status, body, retryAfter}, context);
        QCOMPARE(v.action, action);
        QCOMPARE(v.quotaExhausted, quota);
        if (action == Action::RetryLater)
            QCOMPARE(v.retryDelayMs, 100 * attempt);
        if (action == Action::Fail || action == Action::PassThrough)
            QCOMPARE(v.status, clientStatus);
        if (action == Action::Fail) {
            QCOMPARE(v.code, code);
            QVERIFY2(v.message.contains(messagePart), qPrintable(v.message));
        }
        const bool hasRetryAfter = !v.extraHeaders.isEmpty();
        QCOMPARE(hasRetryAfter, !retryAfter.isEmpty() && action == Action::Fail);
    }

    void transport_data()
    {
        QTest::addColumn<HttpClientReply::Error>("error");
        QTest::addColumn<bool>("timedOut");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("messagePart");

        using E = HttpClientReply::Error;
        QTest::newRow("timeout") << E::Network << true << 504 << QStringLiteral("upstream_timeout")
                                 << QStringLiteral("did not answer within 9 seconds");
        QTest::newRow("dns") << E::HostNotFound << false << 502 << QStringLiteral("upstream_dns")
                             << QStringLiteral("could not be resolved");
        QTest::newRow("tls") << E::Tls << false << 502 << QStringLiteral("upstream_tls")
                             << QStringLiteral("certificates");
        QTest::newRow("refused") << E::ConnectionRefused << false << 502
                                 << QStringLiteral("upstream_unreachable")
                                 << QStringLiteral("refused the connection");
        QTest::newRow("proxy") << E::Proxy << false << 502 << QStringLiteral("upstream_proxy")
                               << QStringLiteral("boom");
        QTest::newRow("connect timeout")
            << E::ConnectTimeout << false << 504 << QStringLiteral("upstream_connect_timeout")
            << QStringLiteral("could be set up within 15 seconds");
        QTest::newRow("other") << E::Network << false << 502
                               << QStringLiteral("upstream_unreachable")
                               << QStringLiteral(
                                      "Could not reach the Qwen API at api.example: boom");
    }

    void transport()
    {
        QFETCH(HttpClientReply::Error, error);
        QFETCH(bool, timedOut);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, messagePart);
        const UpstreamVerdict v = UpstreamError::forTransport(
            error, QStringLiteral("boom"), QStringLiteral("api.example"), timedOut, 9, 15);
        QCOMPARE(v.action, Action::Fail);
        QCOMPARE(v.status, status);
        QCOMPARE(v.code, code);
        QVERIFY2(v.message.contains(messagePart), qPrintable(v.message));
    }

    void session_data()
    {
        QTest::addColumn<SessionError>("error");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("code");
        QTest::newRow("offline") << SessionError::Offline << 503
                                 << QStringLiteral("upstream_unavailable")
                                 << QStringLiteral("session_offline");
        QTest::newRow("keychain") << SessionError::Keychain << 503 << QStringLiteral("server_error")
                                  << QStringLiteral("keychain_unavailable");
        QTest::newRow("signed out")
            << SessionError::SignedOut << 401 << QStringLiteral("authentication_error")
            << QStringLiteral("sign_in_required");
        QTest::newRow("sign-in required")
            << SessionError::SignInRequired << 401 << QStringLiteral("authentication_error")
            << QStringLiteral("sign_in_required");
    }

    void session()
    {
        QFETCH(SessionError, error);
        QFETCH(int, status);
        QFETCH(QString, type);
        QFETCH(QString, code);
        const UpstreamVerdict v = UpstreamError::forSession(error, QStringLiteral("why"));
        QCOMPARE(v.action, Action::Fail);
        QCOMPARE(v.status, status);
        QCOMPARE(v.type, type);
        QCOMPARE(v.code, code);
        QCOMPARE(v.message, QStringLiteral("why"));
    }

    void cutOffAndUnreadable()
    {
        UpstreamVerdict v = UpstreamError::forCutOffBody(QStringLiteral("reset"), false, 9);
        QCOMPARE(v.status, 502);
        QCOMPARE(v.code, QStringLiteral("upstream_interrupted"));
        QVERIFY(v.message.contains(QStringLiteral("(reset)")));
        v = UpstreamError::forCutOffBody(QString(), true, 9);
        QCOMPARE(v.status, 504);
        QCOMPARE(v.code, QStringLiteral("upstream_timeout"));
        v = UpstreamError::forUnreadableBody(12);
        QCOMPARE(v.status, 502);
        QCOMPARE(v.code, QStringLiteral("upstream_bad_response"));
        QVERIFY(v.message.contains(QStringLiteral("12 bytes")));
    }

    void brokenStreams()
    {
        using E = HttpClientReply::Error;
        QVERIFY(UpstreamError::streamBroken(E::None, {}, true, 9)
                    .contains(QStringLiteral("9 seconds")));
        QVERIFY(UpstreamError::streamBroken(E::RemoteClosed, QStringLiteral("reset"), false, 9)
                    .contains(QStringLiteral("broke in the middle of the answer (reset)")));
        QVERIFY(UpstreamError::streamBroken(E::None, {}, false, 9)
                    .contains(QStringLiteral("ended before the answer was complete")));
    }

    void quotaWords_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("quota");
        QTest::newRow("insufficient_quota")
            << QByteArray("{\"code\":\"insufficient_quota\"}") << true;
        QTest::newRow("free allocated") << QByteArray("Free allocated quota exceeded.") << true;
        QTest::newRow("free tier") << QByteArray("AllocationQuota.FreeTierOnly: free tier") << true;
        QTest::newRow("rate limit") << QByteArray("{\"code\":\"rate_limit_exceeded\"}") << false;
    }

    void quotaWords()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, quota);
        QCOMPARE(UpstreamError::isQuotaError(body), quota);
    }

    // Model Studio's own answers to an API key: each its own sentence (PROTOCOL.md §6).
    void planAnswers_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("attempt");
        QTest::addColumn<bool>("retried401");
        QTest::addColumn<bool>("keyHasWorked");
        QTest::addColumn<Action>("action");
        QTest::addColumn<int>("clientStatus");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QStringList>("messageParts");
        QTest::addColumn<bool>("quota");

        auto error = [](const char *message, const char *code) {
            const QJsonObject detail{{QStringLiteral("message"), QString::fromUtf8(message)},
                                     {QStringLiteral("code"), QString::fromUtf8(code)}};
            return QJsonDocument(QJsonObject{{QStringLiteral("error"), detail}}).toJson();
        };
        QTest::newRow("405 agent check")
            << 405
            << QByteArray(
                   R"({"error":"Coding Plan is currently only available for Coding Agents"})")
            << 1 << false << false << Action::Fail << 403 << QStringLiteral("coding_agents_only")
            << QStringList{"Coding Plan (global) serves only coding agents",
                           "only available for Coding Agents", "User-Agent"}
            << false;
        QTest::newRow("hour quota")
            << 429 << error("hour allocated quota exceeded", "Throttling.AllocationQuota") << 1
            << false << false << Action::Fail << 429 << QStringLiteral("hour_quota_exceeded")
            << QStringList{"short-term request quota", "5 hours", "try again later"} << true;
        QTest::newRow("week quota")
            << 429 << error("week allocated quota exceeded", "Throttling.AllocationQuota") << 1
            << false << false << Action::Fail << 429 << QStringLiteral("week_quota_exceeded")
            << QStringList{"weekly request quota", "Monday at 00:00 UTC+8",
                           QDateTime(QDate(2026, 12, 6), QTime(16, 0), Qt::UTC)
                               .toLocalTime()
                               .toString(QStringLiteral("yyyy-MM-dd HH:mm"))}
            << true;
        QTest::newRow("month quota")
            << 429 << error("month allocated quota exceeded", "Throttling.AllocationQuota") << 1
            << false << false << Action::Fail << 429 << QStringLiteral("month_quota_exceeded")
            << QStringList{"monthly request quota", "subscription began"} << true;
        QTest::newRow("concurrency, first time: retry")
            << 429 << error("concurrency allocated quota exceeded", "Throttling") << 1 << false
            << false << Action::RetryLater << 0 << QString() << QStringList() << false;
        QTest::newRow("concurrency, still: try again")
            << 429 << error("concurrency allocated quota exceeded", "Throttling") << 3 << false
            << false << Action::Fail << 429 << QStringLiteral("concurrency_quota_exceeded")
            << QStringList{"as many requests at once", "Try again in a moment"} << false;
        QTest::newRow("arrears")
            << 400
            << error("Access denied, please make sure your account is in good standing.",
                     "Arrearage")
            << 1 << false << false << Action::Fail << 402 << QStringLiteral("account_in_arrears")
            << QStringList{"overdue bill", "good standing"} << false;
        QTest::newRow("free tier only")
            << 403
            << error("The free tier of the model has been exhausted.",
                     "AllocationQuota.FreeTierOnly")
            << 1 << false << false << Action::Fail << 403 << QStringLiteral("free_tier_only")
            << QStringList{"free quota of qwen3-coder-plus", "free tier only"} << true;
        QTest::newRow("model not supported")
            << 400 << error("model 'qwen3-vl-plus' is not supported", "model_not_supported") << 1
            << false << false << Action::Fail << 400 << QStringLiteral("model_not_found")
            << QStringList{"does not serve the model \"qwen3-coder-plus\"",
                           "qwen3-coder-plus, qwen3.5-plus, MiniMax-M2.5", "capitals"}
            << false;
        QTest::newRow("401 on a key that worked: the plan may have expired")
            << 401 << error("invalid access token or token expired", "invalid_api_key") << 2 << true
            << true << Action::Fail << 401 << QStringLiteral("plan_expired")
            << QStringList{"no longer accepts this key", "plan may have expired"} << false;
        QTest::newRow("401 on a key that never worked: refused")
            << 401 << error("invalid access token or token expired", "invalid_api_key") << 2 << true
            << false << Action::Fail << 401 << QStringLiteral("invalid_api_key")
            << QStringList{"refused the API key"} << false;
        QTest::newRow("401 first time: still one retry")
            << 401 << error("invalid access token or token expired", "invalid_api_key") << 1
            << false << true << Action::RefreshAndRetry << 0 << QString() << QStringList() << false;
    }

    void planAnswers()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, attempt);
        QFETCH(bool, retried401);
        QFETCH(bool, keyHasWorked);
        QFETCH(Action, action);
        QFETCH(int, clientStatus);
        QFETCH(QString, code);
        QFETCH(QStringList, messageParts);
        QFETCH(bool, quota);

        UpstreamError::Context context;
        context.method = AuthMethod::ApiKey;
        context.attempt = attempt;
        context.retried401 = retried401;
        context.keyHasWorked = keyHasWorked;
        context.planName = QStringLiteral("Coding Plan (global)");
        context.planModels = QStringList{"qwen3-coder-plus", "qwen3.5-plus", "MiniMax-M2.5"};
        context.model = QStringLiteral("qwen3-coder-plus");
        context.now = QDateTime(QDate(2026, 12, 2), QTime(11, 0), Qt::UTC); // a Wednesday
        const UpstreamVerdict v = UpstreamError::forAnswer({status, body, {}}, context);
        QCOMPARE(v.action, action);
        QCOMPARE(v.quotaExhausted, quota);
        if (action != Action::Fail)
            return;
        QCOMPARE(v.status, clientStatus);
        QCOMPARE(v.code, code);
        for (const QString &part : messageParts)
            QVERIFY2(v.message.contains(part), qPrintable(v.message));
    }

    // The same answers through an OAuth token keep the OAuth rules.
    void planAnswersOnlyForApiKeys()
    {
        UpstreamError::Context context;
        context.method = AuthMethod::OAuth;
        const UpstreamVerdict v = UpstreamError::forAnswer(
            {429, R"({"error":{"message":"week allocated quota exceeded"}})", {}}, context);
        QCOMPARE(v.code, QStringLiteral("insufficient_quota"));
        QVERIFY(v.message.contains(QStringLiteral("2026-04-15")));
    }

    void weeklyQuotaReset_data()
    {
        QTest::addColumn<QDateTime>("now");
        QTest::addColumn<QDateTime>("reset");
        const auto utc = [](int y, int m, int d, int h, int min) {
            return QDateTime(QDate(y, m, d), QTime(h, min), Qt::UTC);
        };
        // Monday 00:00 UTC+8 is Sunday 16:00 UTC.
        QTest::newRow("Wednesday") << utc(2026, 12, 2, 11, 0) << utc(2026, 12, 6, 16, 0);
        QTest::newRow("Sunday before 16:00 UTC")
            << utc(2026, 12, 6, 15, 59) << utc(2026, 12, 6, 16, 0);
        QTest::newRow("Sunday 16:00 UTC: a new week began")
            << utc(2026, 12, 6, 16, 0) << utc(2026, 12, 13, 16, 0);
        QTest::newRow("Monday in UTC+8") << utc(2026, 12, 7, 3, 0) << utc(2026, 12, 13, 16, 0);
    }

    void weeklyQuotaReset()
    {
        QFETCH(QDateTime, now);
        QFETCH(QDateTime, reset);
        QCOMPARE(UpstreamError::weeklyQuotaReset(now), reset);
    }
};

QTEST_GUILESS_MAIN(TestUpstreamError)
#include "tst_upstreamerror.moc"
