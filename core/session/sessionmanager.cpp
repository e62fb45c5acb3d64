#include "session/sessionmanager.h"

#include "credentials/credentialstore.h"
#include "oauth/apibase.h"
#include "session/clock.h"
#include "settings/settings.h"
#include "util/logcategories.h"
#include "util/wallclockwatch.h"

#include <QLoggingCategory>
#include <QNetworkInformation>
#include <QRandomGenerator>

namespace {
// A token this close to expiry is not handed out: it could expire on its way upstream.
constexpr qint64 kHandOutSlackMs = 5000;

QString signInHint()
{
    return SessionManager::tr("Sign in again in Qwen Bridge or run `qwen-bridge login`.");
}

QString sessionEndedMessage()
{
    return SessionManager::tr("Your Qwen session has ended. %1").arg(signInHint());
}

QString cannotRenewMessage()
{
    return SessionManager::tr("The stored sign-in cannot be renewed. Sign in again.");
}
} // namespace

SessionManager::SessionManager(Settings *settings, CredentialStore *store,
                               QNetworkAccessManager *nam, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_store(store)
    , m_clock(clock ? clock : Clock::system())
    , m_refresher(new TokenRefresher(nam, OAuthConfig::fromSettings(*settings), this))
{
    connect(m_refresher, &TokenRefresher::finished, this, &SessionManager::onRefreshFinished);
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &SessionManager::checkNow);
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, [this] {
        if (m_unsaved)
            saveRenewed(*std::exchange(m_unsaved, std::nullopt));
        else
            startRefresh();
    });

    // QTimer counts monotonic time, which stands still while the machine sleeps: after a
    // resume or a clock change the expiry is looked at again. The kernel says when (no
    // periodic wake-up for it).
    connect(WallClockWatch::instance(), &WallClockWatch::jumped, this, [this] {
        qCInfo(lcSession) << "the clock jumped (suspend or clock change); re-checking the token";
        checkNow();
    });

    if (QNetworkInformation::loadDefaultBackend() && QNetworkInformation::instance()) {
        connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged, this,
                [this](QNetworkInformation::Reachability r) {
                    if (r == QNetworkInformation::Reachability::Online &&
                        m_state == SessionState::OfflineRetrying) {
                        qCInfo(lcSession) << "network is back; renewing now";
                        m_retryTimer.stop();
                        startRefresh();
                    }
                });
    }
}

SessionManager::~SessionManager() = default;

QString SessionManager::stateName(SessionState state)
{
    switch (state) {
    case SessionState::Starting:
        return QStringLiteral("starting");
    case SessionState::SignedOut:
        return QStringLiteral("signed_out");
    case SessionState::SigningIn:
        return QStringLiteral("signing_in");
    case SessionState::SignedIn:
        return QStringLiteral("signed_in");
    case SessionState::Refreshing:
        return QStringLiteral("refreshing");
    case SessionState::OfflineRetrying:
        return QStringLiteral("offline_retrying");
    case SessionState::SignInRequired:
        return QStringLiteral("sign_in_required");
    case SessionState::KeychainUnavailable:
        return QStringLiteral("keychain_unavailable");
    }
    return {};
}

StoredSession SessionManager::interpret(const CredentialStore::LoadResult &loaded,
                                        const QDateTime &nowUtc)
{
    StoredSession s;
    const Credentials &c = loaded.credentials;
    const bool oauth = c.method == AuthMethod::OAuth;
    if (loaded.keychain.error == KeychainError::NotFound) {
        s.state = SessionState::SignedOut;
    } else if (!loaded.keychain.ok()) {
        s.state = SessionState::KeychainUnavailable;
        s.reason = loaded.keychain.message;
    } else if (!c.isValid()) {
        s.state = SessionState::SignInRequired;
        s.reason = loaded.parseError + QLatin1Char(' ') + signInHint();
    } else if (oauth && c.signInRequired) {
        s.state = SessionState::SignInRequired;
        s.reason = sessionEndedMessage();
    } else if (oauth && nowUtc >= c.expiresAt && c.refreshToken.isEmpty()) {
        s.state = SessionState::SignInRequired;
        s.reason = cannotRenewMessage();
    } else {
        s.state = SessionState::SignedIn;
        s.renewsOnNextUse = oauth && nowUtc >= c.expiresAt;
    }
    return s;
}

QUrl SessionManager::apiBase() const
{
    if (m_credentials.method == AuthMethod::ApiKey)
        return m_credentials.baseUrl;
    // Asked for every request: the answer is kept while what it comes from stays the same.
    const QUrl fallback = m_settings->apiFallbackUrl();
    if (!m_apiBase || m_apiBase->resourceUrl != m_credentials.resourceUrl ||
        m_apiBase->fallback != fallback)
        m_apiBase = CachedApiBase{m_credentials.resourceUrl, fallback,
                                  apiBaseFromResourceUrl(m_credentials.resourceUrl, fallback)};
    return m_apiBase->url;
}

qint64 SessionManager::refreshMarginMs(qint64 remainingMs)
{
    return qBound<qint64>(1000, remainingMs / 4, qint64(5) * 60 * 1000);
}

void SessionManager::setBackoffLimits(int firstMs, int maxMs)
{
    m_backoffFirstMs = firstMs;
    m_backoffMaxMs = maxMs;
}

void SessionManager::setState(SessionState state, const QString &reason)
{
    if (m_state == state && m_reason == reason)
        return;
    m_state = state;
    m_reason = reason;
    qCInfo(lcSession) << "state" << stateName(state) << reason;
    Q_EMIT stateChanged(state, reason);
}

void SessionManager::load()
{
    // What the keychain holds now wins over a renewal still on its way.
    m_refresher->abort();
    m_retryTimer.stop();
    m_unsaved.reset();
    ++m_generation;
    setState(SessionState::Starting);
    m_store->load([this](const CredentialStore::LoadResult &r) {
        const StoredSession stored = interpret(r, m_clock->nowUtc());
        // Credentials marked "sign in again" are kept too: their access token serves
        // until it expires, as it would have in the process that saw the refusal.
        if (r.keychain.ok() && r.credentials.isValid())
            adopt(r.credentials);
        setState(stored.state, stored.reason);
        if (stored.state == SessionState::SignedIn)
            checkNow();
        answerWaiters();
    });
}

void SessionManager::adopt(const Credentials &credentials, bool replaced)
{
    m_credentials = credentials;
    m_forced = false;
    armTimer();
    Q_EMIT credentialsChanged();
    if (replaced)
        Q_EMIT credentialsReplaced();
}

void SessionManager::armTimer()
{
    m_refreshTimer.stop();
    m_refreshAt = {};
    if (m_credentials.method != AuthMethod::OAuth)
        return;
    const QDateTime now = m_clock->nowUtc();
    const qint64 remaining = now.msecsTo(m_credentials.expiresAt);
    m_refreshAt = m_credentials.expiresAt.addMSecs(-refreshMarginMs(remaining));
    m_refreshTimer.start(
        int(qBound<qint64>(0, now.msecsTo(m_refreshAt), qint64(24) * 3600 * 1000)));
    qCDebug(lcSession) << "next renewal at" << m_refreshAt.toString(Qt::ISODate);
}

void SessionManager::checkNow()
{
    if (m_credentials.method != AuthMethod::OAuth || m_saving || m_refresher->isRunning())
        return;
    if (m_state == SessionState::SignedIn && m_refreshAt.isValid() &&
        m_clock->nowUtc() >= m_refreshAt) {
        startRefresh();
    } else if (m_state == SessionState::SignedIn) {
        armTimer(); // a clock jump moves when the timer should fire
    }
}

void SessionManager::setSigningIn(bool on)
{
    if (on && m_state != SessionState::SigningIn) {
        m_stateBeforeSigningIn = m_state;
        m_reasonBeforeSigningIn = m_reason;
        setState(SessionState::SigningIn);
    } else if (!on && m_state == SessionState::SigningIn) {
        // A cancelled sign-in leaves things as they were (a dead session stays dead).
        setState(m_stateBeforeSigningIn, m_reasonBeforeSigningIn);
    }
}

void SessionManager::signIn(const Credentials &credentials,
                            std::function<void(const KeychainResult &)> done)
{
    ++m_generation;
    m_store->save(credentials, [this, credentials, done](const KeychainResult &r) {
        if (!r.ok()) {
            if (m_state == SessionState::SigningIn)
                setSigningIn(false);
            if (done)
                done(r);
            return;
        }
        m_refresher->abort();
        m_retryTimer.stop();
        m_backoffMs = 0;
        adopt(credentials);
        setState(SessionState::SignedIn);
        Q_EMIT signedIn();
        answerWaiters();
        if (done)
            done(r);
    });
}

void SessionManager::signOut(std::function<void(const KeychainResult &)> done)
{
    m_store->clear([this, done](const KeychainResult &r) {
        if (r.ok())
            forget(tr("Signed out."));
        if (done)
            done(r);
    });
}

void SessionManager::forget(const QString &reason)
{
    ++m_generation;
    m_refresher->abort();
    m_refreshTimer.stop();
    m_retryTimer.stop();
    m_credentials = {};
    m_unsaved.reset();
    m_refreshAt = {};
    m_saving = false;
    setState(SessionState::SignedOut, reason);
    Q_EMIT credentialsChanged();
    Q_EMIT credentialsReplaced();
    answerWaiters();
}

bool SessionManager::tokenUsable(qint64 slackMs) const
{
    if (m_credentials.method == AuthMethod::ApiKey)
        return !m_forced;
    if (m_credentials.method != AuthMethod::OAuth || m_forced)
        return false;
    return m_clock->nowUtc().msecsTo(m_credentials.expiresAt) > slackMs;
}

UpstreamAuth SessionManager::failure(SessionError error, const QString &message) const
{
    UpstreamAuth a;
    a.error = error;
    a.message = message;
    a.method = m_credentials.method;
    return a;
}

UpstreamAuth SessionManager::currentAuth() const
{
    switch (m_state) {
    case SessionState::Starting:
    case SessionState::SignedOut:
        return failure(SessionError::SignedOut,
                       tr("Qwen Bridge is not signed in. %1").arg(signInHint()));
    case SessionState::KeychainUnavailable:
        return failure(SessionError::Keychain, m_reason);
    case SessionState::SignInRequired:
        if (!tokenUsable(kHandOutSlackMs))
            return failure(SessionError::SignInRequired, sessionEndedMessage());
        break;
    case SessionState::OfflineRetrying:
        if (!tokenUsable(kHandOutSlackMs) && m_credentials.method == AuthMethod::OAuth)
            return failure(SessionError::Offline,
                           tr("The Qwen session could not be renewed (%1). Qwen Bridge keeps "
                              "trying; check your network connection.")
                               .arg(m_lastTransient.isEmpty() ? m_reason : m_lastTransient));
        break;
    case SessionState::SigningIn:
    case SessionState::SignedIn:
    case SessionState::Refreshing:
        if (!m_credentials.isValid())
            return failure(SessionError::SignedOut,
                           tr("Qwen Bridge is not signed in. %1").arg(signInHint()));
        break;
    }
    if (m_credentials.method == AuthMethod::ApiKey && m_forced)
        return failure(SessionError::SignInRequired,
                       tr("The API key was refused by the model service. Check the key and "
                          "its region, then sign in again with `qwen-bridge login --api-key`."));
    UpstreamAuth a;
    a.method = m_credentials.method;
    a.bearer = m_credentials.method == AuthMethod::ApiKey ? m_credentials.apiKey
                                                          : m_credentials.accessToken;
    a.apiBase = apiBase();
    a.preset = m_credentials.preset;
    return a;
}

void SessionManager::requestAuth(QObject *context, AuthCallback callback)
{
    const bool oauth = m_credentials.method == AuthMethod::OAuth;
    if (m_state == SessionState::Starting || m_saving ||
        (oauth && !tokenUsable(kHandOutSlackMs) &&
         (m_state == SessionState::SignedIn || m_state == SessionState::Refreshing))) {
        m_waiters.append({context, std::move(callback)});
        if (m_state != SessionState::Starting)
            startRefresh();
        return;
    }
    callback(currentAuth());
}

void SessionManager::reportUnauthorized(const QString &bearer, QObject *context,
                                        AuthCallback callback)
{
    const QString current = m_credentials.method == AuthMethod::ApiKey ? m_credentials.apiKey
                                                                       : m_credentials.accessToken;
    if (bearer != current || m_credentials.method == AuthMethod::None) {
        // Someone else's refresh already replaced that token.
        requestAuth(context, std::move(callback));
        return;
    }
    if (m_credentials.method == AuthMethod::ApiKey) {
        m_forced = true;
        callback(currentAuth());
        m_forced = false; // the next request tries again: keys can come back (billing)
        return;
    }
    m_forced = true;
    m_waiters.append({context, std::move(callback)});
    startRefresh();
}

void SessionManager::startRefresh()
{
    if (m_credentials.method != AuthMethod::OAuth || m_refresher->isRunning() || m_saving ||
        m_unsaved)
        return;
    if (m_credentials.refreshToken.isEmpty()) {
        // Already required (the server refused the token): keep the reason it gave.
        if (m_state != SessionState::SignInRequired)
            setState(SessionState::SignInRequired,
                     m_credentials.signInRequired ? sessionEndedMessage() : cannotRenewMessage());
        answerWaiters();
        return;
    }
    m_retryTimer.stop();
    setState(SessionState::Refreshing);
    m_refresher->refresh(m_credentials.tokens());
}

void SessionManager::onRefreshFinished(const TokenRefresher::Result &result)
{
    switch (result.outcome) {
    case TokenRefresher::Outcome::Success: {
        Credentials next = m_credentials;
        const TokenSet &t = result.tokens;
        next.accessToken = t.accessToken;
        next.refreshToken = t.refreshToken;
        next.tokenType = t.tokenType;
        // The refresher dates expiry by the system clock; keep it on this session's clock.
        next.expiresAt =
            m_clock->nowUtc().addMSecs(QDateTime::currentDateTimeUtc().msecsTo(t.expiresAt));
        next.resourceUrl = t.resourceUrl;
        saveRenewed(next);
        return;
    }
    case TokenRefresher::Outcome::SignInRequired:
        m_refreshTimer.stop();
        m_retryTimer.stop();
        storeSignInRequired();
        setState(SessionState::SignInRequired, result.message);
        answerWaiters();
        return;
    case TokenRefresher::Outcome::Transient:
        m_lastTransient = result.message;
        setState(SessionState::OfflineRetrying, result.message);
        scheduleRetry();
        answerWaiters();
        return;
    }
}

void SessionManager::saveRenewed(const Credentials &next)
{
    // The new refresh token goes to the keychain before the new access token is used:
    // a crash in between leaves the old pair, which the server honours until the new one
    // is used.
    m_saving = true;
    m_store->save(next, [this, next](const KeychainResult &r) {
        m_saving = false;
        if (!r.ok()) {
            qCWarning(lcSession) << "could not store the renewed tokens; retrying";
            m_unsaved = next; // the old refresh token may be dead now: never drop these
            m_lastTransient = r.message;
            setState(SessionState::OfflineRetrying, r.message);
            scheduleRetry();
            answerWaiters();
            return;
        }
        ++m_refreshCount;
        m_backoffMs = 0;
        m_lastTransient.clear();
        adopt(next, false);
        setState(SessionState::SignedIn);
        answerWaiters();
    });
}

void SessionManager::storeSignInRequired()
{
    // The refresh token is dead: it goes, and the keychain says so too, so that `status`,
    // the tray and `serve` started later agree without asking the server again.
    const QString refused = std::exchange(m_credentials.refreshToken, QString());
    m_credentials.signInRequired = true;
    const int generation = m_generation;
    const QPointer<SessionManager> self(this);
    m_store->load([this, self, refused, generation](const CredentialStore::LoadResult &r) {
        // Only the sign-in whose token was refused: never one made since, in this process
        // or in another (a `qwen-bridge login` in a terminal).
        if (!self || generation != m_generation || !r.keychain.ok() ||
            r.credentials.method != AuthMethod::OAuth || r.credentials.refreshToken != refused)
            return;
        Credentials marked = r.credentials;
        marked.refreshToken.clear();
        marked.signInRequired = true;
        m_store->save(marked, [](const KeychainResult &w) {
            if (!w.ok())
                qCWarning(lcSession) << "could not store that sign-in is required:" << w.message;
        });
    });
}

void SessionManager::scheduleRetry()
{
    m_backoffMs = m_backoffMs == 0 ? m_backoffFirstMs : qMin(m_backoffMs * 2, m_backoffMaxMs);
    // Jitter of ±20% so that many clients do not come back in step.
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    const int delay = qMax(1, int(m_backoffMs * jitter));
    qCInfo(lcSession) << "retrying the renewal in" << delay << "ms";
    m_retryTimer.start(delay);
}

void SessionManager::answerWaiters()
{
    if (m_state == SessionState::Starting || m_saving || m_refresher->isRunning())
        return;
    const QList<Waiter> waiters = std::exchange(m_waiters, {});
    const UpstreamAuth auth = currentAuth();
    for (const Waiter &w : waiters) {
        if (w.context)
            w.callback(auth);
    }
}
