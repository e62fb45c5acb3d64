#include "proxy/upstreamerror.h"

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
};

QTEST_GUILESS_MAIN(TestUpstreamError)
#include "tst_upstreamerror.moc"
