#include "credentials/credentialstore.h"
#include "credentials/keychainstore.h"
#include "fakeqwenservice.h"
#include "oauth/tokenrefresher.h"
#include "session/clock.h"
#include "session/sessionmanager.h"
#include "settings/settings.h"
#include "testhome.h"
#include "testtokens.h"
#include "util/wallclockwatch.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>
#include <memory>

namespace {
// One clock for the session and the fake, moved by hand.
class ManualClock : public Clock
{
public:
    QDateTime nowUtc() const override { return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC); }
    qint64 ms = QDateTime::currentMSecsSinceEpoch();
};
} // namespace

class TestSessionManager : public QObject
{
    Q_OBJECT

    TestHome *m_home = nullptr;
    FakeQwenService *m_fake = nullptr;
    ManualClock m_clock;
    Settings *m_settings = nullptr;
    QNetworkAccessManager *m_nam = nullptr;
    CredentialStore *m_store = nullptr;

    std::unique_ptr<SessionManager> makeSession()
    {
        auto s = std::make_unique<SessionManager>(m_settings, m_store, m_nam, &m_clock);
        s->setBackoffLimits(20, 80);
        return s;
    }

    // A real token pair from the fake, stored as if an earlier run had signed in, and
    // already expired so that the first use must refresh. Then the session loads it.
    void storeExpiredTokensAndLoad(SessionManager &session)
    {
        TokenSet t = signInThroughDeviceFlow(*m_fake, m_nam);
        QVERIFY(!t.refreshToken.isEmpty());
        t.expiresAt = m_clock.nowUtc().addSecs(-1);
        bool done = false;
        m_store->save(Credentials::fromTokens(t), [&](const KeychainResult &r) { done = r.ok(); });
        QTRY_VERIFY(done);
        session.load();
    }

    static UpstreamAuth waitAuth(SessionManager &session, QObject *context)
    {
        UpstreamAuth result;
        bool done = false;
        session.requestAuth(context, [&](const UpstreamAuth &a) {
            result = a;
            done = true;
        });
        QDeadlineTimer deadline(20000);
        while (!done && !deadline.hasExpired())
            QTest::qWait(5);
        return result;
    }

    Credentials stored()
    {
        Credentials c;
        bool done = false;
        m_store->load([&](const CredentialStore::LoadResult &r) {
            c = r.credentials;
            done = true;
        });
        QDeadlineTimer deadline(20000);
        while (!done && !deadline.hasExpired())
            QTest::qWait(5);
        return c;
    }

private Q_SLOTS:
    void init()
    {
        m_clock.ms = QDateTime::currentMSecsSinceEpoch();
        m_home = new TestHome;
        m_fake = new FakeQwenService;
        QVERIFY(m_fake->start());
        m_fake->setClock([this] { return m_clock.ms; });
        m_fake->setTokenLifetime(30);
        qputenv("QWEN_BRIDGE_OAUTH_URL", m_fake->baseUrl().toString().toUtf8());
        qputenv("QWEN_BRIDGE_API_URL", m_fake->apiBaseUrl().toString().toUtf8());
        m_settings = new Settings;
        m_nam = new QNetworkAccessManager;
        m_store = new CredentialStore(*m_settings);
    }
    void cleanup()
    {
        // A keychain write a test set off (the mark of a refused sign-in) finishes first.
        QTRY_COMPARE_WITH_TIMEOUT(KeychainStore::jobsInFlight(), 0, 30000);
        delete m_store;
        delete m_nam;
        delete m_settings;
        delete m_fake;
        delete m_home;
    }

    void margins()
    {
        QCOMPARE(SessionManager::refreshMarginMs(30'000), qint64(7'500));
        QCOMPARE(SessionManager::refreshMarginMs(6 * 3600 * 1000), qint64(5 * 60 * 1000));
        QCOMPARE(SessionManager::refreshMarginMs(2'000), qint64(1'000));
        QVERIFY(SessionManager::refreshMarginMs(30'000) < 30'000);
    }

    void loadsSignedOut()
    {
        auto session = makeSession();
        QSignalSpy spy(session.get(), &SessionManager::stateChanged);
        session->load();
        QTRY_COMPARE(session->state(), SessionState::SignedOut);
        const UpstreamAuth a = waitAuth(*session, this);
        QCOMPARE(a.error, SessionError::SignedOut);
        QVERIFY(a.message.contains(QStringLiteral("qwen-bridge login")));
    }

    void singleFlightAndRotationStoredFirst()
    {
        auto session = makeSession();
        storeExpiredTokensAndLoad(*session);
        // Loading an expired token starts a refresh at once; ten callers arrive while it
        // runs, and one refresh serves them all.
        const int before = m_fake->counters().refreshesIssued;
        int answered = 0;
        QStringList bearers;
        for (int i = 0; i < 10; ++i)
            session->requestAuth(this, [&](const UpstreamAuth &a) {
                ++answered;
                bearers << a.bearer;
            });
        QTRY_COMPARE(answered, 10);
        QCOMPARE(m_fake->counters().refreshRequests, 1);
        QCOMPARE(m_fake->counters().refreshesIssued - before, 1);
        QCOMPARE(bearers.size(), 10);
        QCOMPARE(QSet<QString>(bearers.begin(), bearers.end()).size(), 1);
        QCOMPARE(bearers.first().toLatin1(), m_fake->lastAccessToken());
        // The rotated refresh token is in the keychain.
        const Credentials c = stored();
        QCOMPARE(c.refreshToken.toLatin1(), m_fake->lastRefreshToken());
        QCOMPARE(c.accessToken.toLatin1(), m_fake->lastAccessToken());
        QCOMPARE(session->state(), SessionState::SignedIn);
    }

    void timerRefreshesBeforeExpiry()
    {
        auto session = makeSession();
        storeExpiredTokensAndLoad(*session);
        QVERIFY(waitAuth(*session, this).ok());
        const QDateTime expiry = session->expiresAt();
        QVERIFY(session->nextRefreshAt() < expiry);
        QVERIFY(session->nextRefreshAt() > m_clock.nowUtc());
        const int refreshes = session->refreshCount();
        // A suspend: the wall clock jumps past the renewal time, the timer never fired.
        m_clock.ms = session->nextRefreshAt().toMSecsSinceEpoch() + 1;
        session->checkNow();
        QTRY_COMPARE(session->refreshCount(), refreshes + 1);
        QVERIFY(session->expiresAt() > expiry);
        // Two cycles, no expired token ever handed out.
        m_clock.ms = session->nextRefreshAt().toMSecsSinceEpoch() + 1;
        session->checkNow();
        QTRY_COMPARE(session->refreshCount(), refreshes + 2);
        const UpstreamAuth a = waitAuth(*session, this);
        QVERIFY(a.ok());
        QCOMPARE(m_fake->classifyToken(a.bearer.toLatin1()), FakeTokenKind::OAuthLive);
        QCOMPARE(m_fake->counters().deadRefreshTokenUses, 0);
    }

    // A resume from sleep: the process's watch says the wall clock jumped, and the session
    // looks at the expiry at once (its timer counts monotonic time, which stood still).
    void aClockJumpRenewsATokenDueMeanwhile()
    {
        auto session = makeSession();
        storeExpiredTokensAndLoad(*session);
        QVERIFY(waitAuth(*session, this).ok());
        const int refreshes = session->refreshCount();
        // A jump that leaves the renewal ahead renews nothing.
        Q_EMIT WallClockWatch::instance()->jumped();
        QCOMPARE(session->refreshCount(), refreshes);
        m_clock.ms = session->nextRefreshAt().toMSecsSinceEpoch() + 1;
        Q_EMIT WallClockWatch::instance()->jumped();
        QTRY_COMPARE(session->refreshCount(), refreshes + 1);
        QCOMPARE(m_fake->counters().deadRefreshTokenUses, 0);
    }

    void transientFailureThenRecovery()
    {
        auto session = makeSession();
        storeExpiredTokensAndLoad(*session);
        QVERIFY(waitAuth(*session, this).ok());
        m_fake->failNextRefreshes(2, 503);
        QSignalSpy states(session.get(), &SessionManager::stateChanged);
        m_clock.ms = session->nextRefreshAt().toMSecsSinceEpoch() + 1;
        session->checkNow();
        QTRY_VERIFY(std::any_of(states.cbegin(), states.cend(), [](const QList<QVariant> &args) {
            return args.at(0).value<SessionState>() == SessionState::OfflineRetrying;
        }));
        // Still valid meanwhile: requests keep the current token.
        const UpstreamAuth meanwhile = waitAuth(*session, this);
        QVERIFY2(meanwhile.ok(), qPrintable(meanwhile.message));
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), SessionState::SignedIn, 10000);
        QCOMPARE(m_fake->counters().refreshRequests >= 3, true);
        QCOMPARE(m_fake->counters().deadRefreshTokenUses, 0);
    }

    void offlineWithExpiredToken()
    {
        auto session = makeSession();
        storeExpiredTokensAndLoad(*session);
        QVERIFY(waitAuth(*session, this).ok());
        session->setBackoffLimits(60000, 60000); // stays offline for the test
        m_fake->failNextRefreshes(100, 502);
        m_clock.ms = session->expiresAt().toMSecsSinceEpoch() + 1;
        const UpstreamAuth a = waitAuth(*session, this);
        QCOMPARE(a.error, SessionError::Offline);
        QVERIFY(a.message.contains(QStringLiteral("network")));
        QCOMPARE(session->state(), SessionState::OfflineRetrying);
    }

    void deadRefreshToken()
    {
        auto session = makeSession();
        storeExpiredTokensAndLoad(*session);
        QVERIFY(waitAuth(*session, this).ok());
        m_fake->rejectNextRefreshes(1);
        m_clock.ms = session->expiresAt().toMSecsSinceEpoch() + 1;
        const UpstreamAuth a = waitAuth(*session, this);
        QCOMPARE(a.error, SessionError::SignInRequired);
        QVERIFY(a.message.contains(QStringLiteral("qwen-bridge login")));
        QCOMPARE(session->state(), SessionState::SignInRequired);
        QVERIFY(session->reason().contains(QStringLiteral("qwen-bridge login")));
    }

    // invalid_grant is remembered in the keychain: the dead refresh token goes, and a
    // session loaded afterwards (the tray or `serve` started later) is at "sign in again"
    // at once, without asking the server. A new sign-in clears the mark.
    void deadSessionStaysDeadAcrossLoads()
    {
        auto session = makeSession();
        storeExpiredTokensAndLoad(*session);
        QVERIFY(waitAuth(*session, this).ok());
        m_fake->rejectNextRefreshes(1);
        m_clock.ms = session->expiresAt().toMSecsSinceEpoch() + 1;
        QCOMPARE(waitAuth(*session, this).error, SessionError::SignInRequired);
        QTRY_VERIFY(stored().signInRequired);
        const Credentials marked = stored();
        QVERIFY(marked.isValid());
        QVERIFY(marked.refreshToken.isEmpty());

        const int refreshes = m_fake->counters().refreshRequests;
        auto next = makeSession();
        next->load();
        QTRY_COMPARE(next->state(), SessionState::SignInRequired);
        QVERIFY2(next->reason().contains(QStringLiteral("qwen-bridge login")),
                 qPrintable(next->reason()));
        QCOMPARE(waitAuth(*next, this).error, SessionError::SignInRequired);
        const QString reason = next->reason();
        // A 401 for the last token handed out does not try the dead token either.
        UpstreamAuth afterUnauthorized;
        bool answered = false;
        next->reportUnauthorized(marked.accessToken, this, [&](const UpstreamAuth &u) {
            afterUnauthorized = u;
            answered = true;
        });
        QTRY_VERIFY(answered);
        QCOMPARE(afterUnauthorized.error, SessionError::SignInRequired);
        QCOMPARE(next->reason(), reason);
        QCOMPARE(m_fake->counters().refreshRequests, refreshes);

        const TokenSet fresh = signInThroughDeviceFlow(*m_fake, m_nam);
        bool done = false;
        next->signIn(Credentials::fromTokens(fresh),
                     [&](const KeychainResult &r) { done = r.ok(); });
        QTRY_VERIFY(done);
        QVERIFY(!stored().signInRequired);
        auto third = makeSession();
        third->load();
        QTRY_COMPARE(third->state(), SessionState::SignedIn);
    }

    // Another process stored a new sign-in (a `qwen-bridge login` in a terminal) while this
    // one learns that its old refresh token is dead: the new sign-in is not marked.
    void refusalLeavesANewerSignInAlone()
    {
        auto session = makeSession();
        storeExpiredTokensAndLoad(*session);
        QVERIFY(waitAuth(*session, this).ok());
        TokenSet other = signInThroughDeviceFlow(*m_fake, m_nam);
        other.expiresAt = m_clock.nowUtc().addSecs(3600); // no renewal of its own meanwhile
        CredentialStore elsewhere(*m_settings);
        bool saved = false;
        elsewhere.save(Credentials::fromTokens(other),
                       [&](const KeychainResult &r) { saved = r.ok(); });
        QTRY_VERIFY(saved);
        m_fake->rejectNextRefreshes(1);
        m_clock.ms = session->expiresAt().toMSecsSinceEpoch() + 1;
        QCOMPARE(waitAuth(*session, this).error, SessionError::SignInRequired);
        session->load(); // what the terminal's "reload" does
        QTRY_COMPARE(session->state(), SessionState::SignedIn);
        const Credentials now = stored();
        QVERIFY(!now.signInRequired);
        QCOMPARE(now.refreshToken, other.refreshToken);
    }

    // What stored credentials mean, decided once for the tray, `serve` and `status`.
    void interpretStored()
    {
        const QDateTime now = QDateTime::fromMSecsSinceEpoch(1'800'000'000'000, Qt::UTC);
        auto oauth = [&](qint64 secondsLeft, const QString &refresh, bool mark) {
            CredentialStore::LoadResult r;
            r.credentials.method = AuthMethod::OAuth;
            r.credentials.accessToken = QStringLiteral("a");
            r.credentials.refreshToken = refresh;
            r.credentials.expiresAt = now.addSecs(secondsLeft);
            r.credentials.signInRequired = mark;
            return r;
        };
        const QString live = QStringLiteral("r");
        CredentialStore::LoadResult notFound;
        notFound.keychain.error = KeychainError::NotFound;
        CredentialStore::LoadResult noKeychain;
        noKeychain.keychain.error = KeychainError::NoService;
        noKeychain.keychain.message = QStringLiteral("No keychain.");
        CredentialStore::LoadResult unreadable;
        unreadable.parseError = QStringLiteral("The stored credentials are incomplete.");
        CredentialStore::LoadResult apiKey;
        apiKey.credentials.method = AuthMethod::ApiKey;
        apiKey.credentials.apiKey = QStringLiteral("k");
        apiKey.credentials.baseUrl = QUrl(QStringLiteral("https://example.test/v1"));

        struct Row
        {
            const char *name;
            CredentialStore::LoadResult loaded;
            SessionState state;
            bool renews;
            const char *reason; // in the reason, when not empty
        };
        const Row rows[] = {
            {"nothing stored", notFound, SessionState::SignedOut, false, ""},
            {"no keychain", noKeychain, SessionState::KeychainUnavailable, false, "No keychain."},
            {"unreadable", unreadable, SessionState::SignInRequired, false, "incomplete"},
            {"valid token", oauth(3600, live, false), SessionState::SignedIn, false, ""},
            {"expired token, live refresh", oauth(-60, live, false), SessionState::SignedIn, true,
             ""},
            {"expired token, no refresh", oauth(-60, {}, false), SessionState::SignInRequired,
             false, "cannot be renewed"},
            {"valid token, no refresh", oauth(3600, {}, false), SessionState::SignedIn, false, ""},
            {"refused, token still valid", oauth(3600, {}, true), SessionState::SignInRequired,
             false, "session has ended"},
            {"refused, token expired", oauth(-60, {}, true), SessionState::SignInRequired, false,
             "session has ended"},
            {"api key", apiKey, SessionState::SignedIn, false, ""},
        };
        for (const Row &row : rows) {
            const StoredSession s = SessionManager::interpret(row.loaded, now);
            QVERIFY2(s.state == row.state,
                     qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(row.name),
                                                             SessionManager::stateName(s.state))));
            QVERIFY2(s.renewsOnNextUse == row.renews, row.name);
            QVERIFY2(s.reason.contains(QLatin1String(row.reason)),
                     qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(row.name), s.reason)));
            if (row.state == SessionState::SignInRequired)
                QVERIFY2(s.reason.contains(QLatin1String("qwen-bridge login")) ||
                             s.reason.contains(QLatin1String("Sign in again")),
                         qPrintable(s.reason));
        }
    }

    void unauthorizedRefreshesOnce()
    {
        auto session = makeSession();
        storeExpiredTokensAndLoad(*session);
        const UpstreamAuth first = waitAuth(*session, this);
        QVERIFY(first.ok());
        const int before = m_fake->counters().refreshRequests;
        int answered = 0;
        QString next;
        for (int i = 0; i < 5; ++i)
            session->reportUnauthorized(first.bearer, this, [&](const UpstreamAuth &a) {
                ++answered;
                next = a.bearer;
            });
        QTRY_COMPARE(answered, 5);
        QCOMPARE(m_fake->counters().refreshRequests - before, 1);
        QVERIFY(next != first.bearer);
        // A late report about the old token does not refresh again.
        QString late;
        session->reportUnauthorized(first.bearer, this, [&](const UpstreamAuth &a) {
            late = a.ok() ? a.bearer : a.message;
        });
        QTRY_COMPARE(late, next);
        QCOMPARE(m_fake->counters().refreshRequests - before, 1);
    }

    void signOutForgets()
    {
        auto session = makeSession();
        storeExpiredTokensAndLoad(*session);
        QVERIFY(waitAuth(*session, this).ok());
        bool done = false;
        session->signOut([&](const KeychainResult &r) { done = r.ok(); });
        QTRY_VERIFY(done);
        QCOMPARE(session->state(), SessionState::SignedOut);
        QCOMPARE(stored().method, AuthMethod::None);
        QCOMPARE(waitAuth(*session, this).error, SessionError::SignedOut);
    }

    // A cancelled "sign in again" leaves a dead session dead; renewals are not
    // "another sign-in" (the quota notice survives them).
    void cancelledSignInKeepsStateAndRenewalIsNotReplacement()
    {
        auto session = makeSession();
        storeExpiredTokensAndLoad(*session);
        QVERIFY(waitAuth(*session, this).ok());
        QSignalSpy replaced(session.get(), &SessionManager::credentialsReplaced);
        m_clock.ms = session->nextRefreshAt().toMSecsSinceEpoch() + 1;
        const int refreshes = session->refreshCount();
        session->checkNow();
        QTRY_COMPARE(session->refreshCount(), refreshes + 1);
        QCOMPARE(replaced.count(), 0);

        m_fake->rejectNextRefreshes(1);
        m_clock.ms = session->expiresAt().toMSecsSinceEpoch() + 1;
        QCOMPARE(waitAuth(*session, this).error, SessionError::SignInRequired);
        const QString reason = session->reason();
        session->setSigningIn(true);
        QCOMPARE(session->state(), SessionState::SigningIn);
        session->setSigningIn(false);
        QCOMPARE(session->state(), SessionState::SignInRequired);
        QCOMPARE(session->reason(), reason);
    }

    void stateNames()
    {
        QCOMPARE(SessionManager::stateName(SessionState::SignedIn), QStringLiteral("signed_in"));
        QCOMPARE(SessionManager::stateName(SessionState::OfflineRetrying),
                 QStringLiteral("offline_retrying"));
        QCOMPARE(SessionManager::stateName(SessionState::SignInRequired),
                 QStringLiteral("sign_in_required"));
    }
};

QTEST_GUILESS_MAIN(TestSessionManager)
#include "tst_sessionmanager.moc"
