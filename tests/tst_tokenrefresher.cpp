// The real TokenRefresher against the in-process fake Qwen service (PROTOCOL.md §2.4):
// rotation and no rotation, the answers that mean "sign in again", and everything that is
// only worth a later retry. Plus the classification table on its own.

#include "fakeqwenservice.h"
#include "oauth/deviceauthorization.h"
#include "oauth/tokenrefresher.h"

#include <QDateTime>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QTcpServer>
#include <QTest>

#include <memory>

namespace {

const QString ClientId = QString::fromLatin1(FakeQwenService::DefaultClientId);
const QString Scope = QString::fromLatin1(FakeQwenService::DefaultScope);
constexpr int kTimeout = 20000; // generous: a busy two-core machine

quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

// An actionable "sign in again" sentence names the way to do it.
bool tellsHowToSignIn(const QString &message)
{
    return message.contains(QLatin1String("qwen-bridge login")) &&
           message.contains(QLatin1String("Sign in"), Qt::CaseInsensitive);
}

} // namespace

class TestTokenRefresher : public QObject
{
    Q_OBJECT

    std::unique_ptr<FakeQwenService> m_fake;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    TokenSet m_tokens; // issued by the fake through a real device sign-in

    OAuthConfig config() const { return {m_fake->baseUrl(), ClientId, Scope}; }

    // Runs one refresh to its end; false when no result came.
    bool refresh(TokenRefresher &refresher, const TokenSet &current, TokenRefresher::Result *result)
    {
        QList<TokenRefresher::Result> results;
        connect(&refresher, &TokenRefresher::finished, this,
                [&results](const TokenRefresher::Result &r) { results.append(r); });
        refresher.refresh(current);
        const bool done = QTest::qWaitFor([&] { return !results.isEmpty(); }, kTimeout);
        refresher.disconnect(this);
        if (!done || results.size() != 1)
            return false;
        *result = results.first();
        return !refresher.isRunning();
    }

private Q_SLOTS:
    void init()
    {
        m_fake = std::make_unique<FakeQwenService>();
        QVERIFY(m_fake->start(0));
        m_fake->setSendInterval(false);
        m_fake->setAutoApproveAfterPolls(0);
        m_fake->setResourceUrl(QStringLiteral("portal.example.test"));
        m_nam = std::make_unique<QNetworkAccessManager>();

        DeviceAuthorization auth(m_nam.get(), config());
        auth.setTiming(20, 20);
        bool done = false;
        connect(&auth, &DeviceAuthorization::succeeded, this, [&](const TokenSet &t) {
            m_tokens = t;
            done = true;
        });
        connect(&auth, &DeviceAuthorization::failed, this, [&] { done = true; });
        auth.start();
        QTRY_VERIFY_WITH_TIMEOUT(done, kTimeout);
        QVERIFY(!m_tokens.refreshToken.isEmpty());
        QVERIFY(m_fake->isRefreshTokenLive(m_tokens.refreshToken.toLatin1()));
        m_fake->setResourceUrl({}); // refresh answers carry none: the old one must stay
    }

    void cleanup()
    {
        m_tokens = {};
        m_nam.reset();
        m_fake.reset();
    }

    void successWithRotation()
    {
        m_fake->setRefreshRotation(true);
        m_fake->setTokenLifetime(900);
        TokenRefresher refresher(m_nam.get(), config());
        TokenRefresher::Result r;
        QVERIFY(refresh(refresher, m_tokens, &r));
        QCOMPARE(r.outcome, TokenRefresher::Outcome::Success);
        QCOMPARE(r.httpStatus, 200);
        QVERIFY(r.rotated);
        QCOMPARE(r.tokens.accessToken.toLatin1(), m_fake->lastAccessToken());
        QVERIFY(r.tokens.accessToken != m_tokens.accessToken);
        QCOMPARE(r.tokens.refreshToken.toLatin1(), m_fake->lastRefreshToken());
        QVERIFY(r.tokens.refreshToken != m_tokens.refreshToken);
        QVERIFY(m_fake->isRefreshTokenLive(r.tokens.refreshToken.toLatin1()));
        QCOMPARE(r.tokens.tokenType, QStringLiteral("Bearer"));
        QCOMPARE(r.tokens.resourceUrl, QStringLiteral("portal.example.test"));
        const qint64 expiresIn = QDateTime::currentDateTimeUtc().secsTo(r.tokens.expiresAt);
        QVERIFY2(expiresIn > 900 - 120 && expiresIn <= 900, qPrintable(QString::number(expiresIn)));
        QCOMPARE(m_fake->counters().refreshesIssued, 1);

        // The new refresh token works; using it retires the old one for good (the fake, like
        // careful servers, keeps the old one alive until its successor is used).
        TokenRefresher::Result again;
        QVERIFY(refresh(refresher, r.tokens, &again));
        QCOMPARE(again.outcome, TokenRefresher::Outcome::Success);
        QVERIFY(again.rotated);
        QVERIFY(!m_fake->isRefreshTokenLive(m_tokens.refreshToken.toLatin1()));
        QCOMPARE(m_fake->counters().deadRefreshTokenUses, 0);
    }

    void successWithoutRotation()
    {
        m_fake->setRefreshRotation(false);
        TokenRefresher refresher(m_nam.get(), config());
        TokenRefresher::Result r;
        QVERIFY(refresh(refresher, m_tokens, &r));
        QCOMPARE(r.outcome, TokenRefresher::Outcome::Success);
        QVERIFY(!r.rotated);
        QCOMPARE(r.tokens.accessToken.toLatin1(), m_fake->lastAccessToken());
        QVERIFY(r.tokens.accessToken != m_tokens.accessToken);
        QCOMPARE(r.tokens.refreshToken, m_tokens.refreshToken); // kept
        QVERIFY(m_fake->isRefreshTokenLive(m_tokens.refreshToken.toLatin1()));
        QCOMPARE(r.tokens.resourceUrl, m_tokens.resourceUrl);

        TokenRefresher::Result again;
        QVERIFY(refresh(refresher, r.tokens, &again));
        QCOMPARE(again.outcome, TokenRefresher::Outcome::Success);
    }

    void signInRequired_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<int>("status");
        QTest::newRow("invalid_grant") << "reject" << 400;
        QTest::newRow("rotated-out token") << "reuse" << 400;
        QTest::newRow("revoked token") << "revoke" << 400;
        QTest::newRow("unknown token") << "unknown" << 400;
        QTest::newRow("wrong client id") << "client" << 400;
        QTest::newRow("HTTP 400") << "400" << 400;
        QTest::newRow("HTTP 401") << "401" << 401;
    }
    void signInRequired()
    {
        QFETCH(QString, how);
        QFETCH(int, status);
        TokenSet current = m_tokens;
        OAuthConfig cfg = config();
        if (how == QLatin1String("reject")) {
            m_fake->rejectNextRefreshes(1);
        } else if (how == QLatin1String("reuse")) {
            // Rotate, then use the successor: the old refresh token is dead from then on.
            m_fake->setRefreshRotation(true);
            TokenRefresher first(m_nam.get(), cfg);
            TokenRefresher::Result r;
            QVERIFY(refresh(first, current, &r));
            QVERIFY(r.rotated);
            TokenRefresher::Result r2;
            QVERIFY(refresh(first, r.tokens, &r2));
            QCOMPARE(r2.outcome, TokenRefresher::Outcome::Success);
            QVERIFY(!m_fake->isRefreshTokenLive(current.refreshToken.toLatin1()));
        } else if (how == QLatin1String("revoke")) {
            m_fake->revokeRefreshTokens();
        } else if (how == QLatin1String("unknown")) {
            current.refreshToken = QStringLiteral("fake-rt-never-issued");
        } else if (how == QLatin1String("client")) {
            cfg.clientId = QStringLiteral("someone-else");
        } else {
            m_fake->failNextRefreshes(1, status);
        }
        TokenRefresher refresher(m_nam.get(), cfg);
        TokenRefresher::Result r;
        QVERIFY(refresh(refresher, current, &r));
        QCOMPARE(r.outcome, TokenRefresher::Outcome::SignInRequired);
        QCOMPARE(r.httpStatus, status);
        QVERIFY(!r.rotated);
        QVERIFY(r.tokens.accessToken.isEmpty());
        QVERIFY2(tellsHowToSignIn(r.message), qPrintable(r.message));
        if (how == QLatin1String("reuse"))
            QCOMPARE(m_fake->counters().deadRefreshTokenUses, 1);
    }

    void serverErrorsAreTransient_data()
    {
        QTest::addColumn<int>("status");
        QTest::newRow("500") << 500;
        QTest::newRow("502") << 502;
        QTest::newRow("503") << 503;
        QTest::newRow("504") << 504;
    }
    void serverErrorsAreTransient()
    {
        QFETCH(int, status);
        m_fake->failNextRefreshes(1, status);
        TokenRefresher refresher(m_nam.get(), config());
        TokenRefresher::Result r;
        QVERIFY(refresh(refresher, m_tokens, &r));
        QCOMPARE(r.outcome, TokenRefresher::Outcome::Transient);
        QCOMPARE(r.httpStatus, status);
        QVERIFY(r.tokens.accessToken.isEmpty());
        QVERIFY2(r.message.contains(QString::number(status)), qPrintable(r.message));
        // The refresh token survived: the next try works.
        QVERIFY(m_fake->isRefreshTokenLive(m_tokens.refreshToken.toLatin1()));
        TokenRefresher::Result again;
        QVERIFY(refresh(refresher, m_tokens, &again));
        QCOMPARE(again.outcome, TokenRefresher::Outcome::Success);
    }

    void stalledServerIsTransient()
    {
        m_fake->stallNextRefreshes(1);
        TokenRefresher refresher(m_nam.get(), config());
        refresher.setRequestTimeout(500);
        TokenRefresher::Result r;
        QVERIFY(refresh(refresher, m_tokens, &r));
        QCOMPARE(r.outcome, TokenRefresher::Outcome::Transient);
        QCOMPARE(r.httpStatus, 0);
        QVERIFY(!r.message.isEmpty());
        QCOMPARE(m_fake->counters().refreshRequests, 1);
    }

    void closedPortIsTransient()
    {
        const OAuthConfig cfg{QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closedPort())),
                              ClientId, Scope};
        TokenRefresher refresher(m_nam.get(), cfg);
        TokenRefresher::Result r;
        QVERIFY(refresh(refresher, m_tokens, &r));
        QCOMPARE(r.outcome, TokenRefresher::Outcome::Transient);
        QCOMPARE(r.httpStatus, 0);
        QVERIFY(!r.message.isEmpty());
    }

    void oneRefreshAtATime()
    {
        m_fake->setRefreshRotation(true);
        TokenRefresher refresher(m_nam.get(), config());
        QList<TokenRefresher::Result> results;
        connect(&refresher, &TokenRefresher::finished, this,
                [&results](const TokenRefresher::Result &r) { results.append(r); });
        refresher.refresh(m_tokens);
        QVERIFY(refresher.isRunning());
        refresher.refresh(m_tokens); // ignored: a second use would kill the rotated token
        QTRY_COMPARE_WITH_TIMEOUT(results.size(), 1, kTimeout);
        QCOMPARE(results.first().outcome, TokenRefresher::Outcome::Success);
        // One more refresh with the new tokens, now that the first has ended: its request and
        // answer come after anything the ignored call could have sent, which would have used
        // the rotated (dead) token.
        refresher.refresh(results.first().tokens);
        QTRY_COMPARE_WITH_TIMEOUT(results.size(), 2, kTimeout);
        QCOMPARE(results.last().outcome, TokenRefresher::Outcome::Success);
        QCOMPARE(m_fake->counters().refreshRequests, 2);
        QCOMPARE(m_fake->counters().deadRefreshTokenUses, 0);
    }

    void abortSaysNothing()
    {
        m_fake->stallNextRefreshes(1);
        TokenRefresher refresher(m_nam.get(), config());
        QList<TokenRefresher::Result> results;
        connect(&refresher, &TokenRefresher::finished, this,
                [&results](const TokenRefresher::Result &r) { results.append(r); });
        refresher.refresh(m_tokens);
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->counters().refreshRequests, 1, kTimeout);
        refresher.abort();
        QVERIFY(!refresher.isRunning());
        QVERIFY(results.isEmpty());
        // The same refresher still reports (the fake stalled only one): the answer to this
        // request comes after anything the aborted one could have said, and it is the only one.
        refresher.refresh(m_tokens);
        QTRY_VERIFY_WITH_TIMEOUT(!results.isEmpty(), kTimeout);
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.first().outcome, TokenRefresher::Outcome::Success);
        QCOMPARE(m_fake->counters().refreshRequests, 2);
    }

    void classify_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("transport");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("outcome"); // TokenRefresher::Outcome

        const int ok = int(TokenRefresher::Outcome::SignInRequired);
        const int later = int(TokenRefresher::Outcome::Transient);
        QTest::newRow("no answer") << 0 << true << QString() << later;
        QTest::newRow("500") << 500 << false << QStringLiteral("server_error") << later;
        QTest::newRow("502 no body") << 502 << false << QString() << later;
        QTest::newRow("503") << 503 << false << QString() << later;
        QTest::newRow("504") << 504 << false << QString() << later;
        QTest::newRow("429") << 429 << false << QString() << later;
        QTest::newRow("404") << 404 << false << QString() << later;
        QTest::newRow("400 invalid_grant") << 400 << false << QStringLiteral("invalid_grant") << ok;
        QTest::newRow("400 no body") << 400 << false << QString() << ok;
        QTest::newRow("401") << 401 << false << QStringLiteral("invalid_token") << ok;
        QTest::newRow("403") << 403 << false << QString() << ok;
        QTest::newRow("invalid_grant on 200")
            << 200 << false << QStringLiteral("invalid_grant") << ok;
    }
    void classify()
    {
        QFETCH(int, status);
        QFETCH(bool, transport);
        QFETCH(QString, error);
        QFETCH(int, outcome);
        const QString description = QStringLiteral("Invalid refresh token or client_id");
        const TokenRefresher::Result r =
            TokenRefresher::classify(status, transport, error, description);
        QCOMPARE(int(r.outcome), outcome);
        QCOMPARE(r.httpStatus, status);
        QVERIFY(!r.rotated);
        QVERIFY(!r.message.isEmpty());
        if (r.outcome == TokenRefresher::Outcome::SignInRequired) {
            QVERIFY2(tellsHowToSignIn(r.message), qPrintable(r.message));
            QVERIFY2(r.message.contains(description), qPrintable(r.message));
        } else {
            QVERIFY2(!r.message.contains(QLatin1String("qwen-bridge login")),
                     qPrintable(r.message));
        }
    }

    void classifyWithoutDescription()
    {
        // The reason shown falls back to the error code, then the status.
        QVERIFY(TokenRefresher::classify(400, false, QStringLiteral("invalid_grant"), {})
                    .message.contains(QLatin1String("invalid_grant")));
        QVERIFY(
            TokenRefresher::classify(401, false, {}, {}).message.contains(QLatin1String("401")));
    }
};

QTEST_GUILESS_MAIN(TestTokenRefresher)
#include "tst_tokenrefresher.moc"
