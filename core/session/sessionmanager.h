#pragma once

#include "credentials/credentials.h"
#include "credentials/credentialstore.h"
#include "oauth/tokenrefresher.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <functional>
#include <optional>

class Clock;
class QNetworkAccessManager;
class Settings;

enum class SessionState {
    Starting, // reading the keychain
    SignedOut,
    SigningIn,
    SignedIn,
    Refreshing,
    OfflineRetrying, // renewing failed for a passing reason; retrying with backoff
    SignInRequired,  // the refresh token is dead or the stored credentials unusable
    KeychainUnavailable,
};

// Why a caller did not get a token.
enum class SessionError { None, SignedOut, SignInRequired, Offline, Keychain };

// What the proxy needs for one upstream request.
struct UpstreamAuth
{
    SessionError error = SessionError::None;
    QString message; // a sentence a person can act on, when error != None
    AuthMethod method = AuthMethod::None;
    QString bearer; // access token or API key
    QUrl apiBase;
    QString preset;

    bool ok() const { return error == SessionError::None; }
};

// What stored credentials mean before this process renews anything: the state the tray
// and `serve` start in, and what `status` says when no Qwen Bridge runs.
struct StoredSession
{
    SessionState state = SessionState::SignedOut;
    QString reason; // a sentence a person can act on, for SignInRequired and the keychain
    // Signed in, with an expired access token and a refresh token that may still be good.
    bool renewsOnNextUse = false;
};

// Owns the signed-in state: loads credentials, keeps the access token fresh on a timer,
// refreshes once however many callers wait (single flight), stores a rotated refresh token
// before the new access token is handed out, backs off on passing failures, and says
// "sign in again" only when the server says the refresh token is dead.
class SessionManager : public QObject
{
    Q_OBJECT
public:
    using AuthCallback = std::function<void(const UpstreamAuth &)>;

    SessionManager(Settings *settings, CredentialStore *store, QNetworkAccessManager *nam,
                   Clock *clock = nullptr, QObject *parent = nullptr);
    ~SessionManager() override;

    static QString stateName(SessionState state); // the `status` words: signed_in, …
    // The one reading of what the keychain holds (see StoredSession).
    static StoredSession interpret(const CredentialStore::LoadResult &loaded,
                                   const QDateTime &nowUtc);

    SessionState state() const { return m_state; }
    QString reason() const { return m_reason; }
    AuthMethod method() const { return m_credentials.method; }
    QDateTime expiresAt() const { return m_credentials.expiresAt; }
    QUrl apiBase() const;
    QString preset() const { return m_credentials.preset; }
    QDateTime nextRefreshAt() const { return m_refreshAt; }
    int refreshCount() const { return m_refreshCount; }

    // Reads the keychain; state leaves Starting when it answers.
    void load();
    // A new sign-in: stores the credentials, then becomes SignedIn.
    void signIn(const Credentials &credentials,
                std::function<void(const KeychainResult &)> done = {});
    void setSigningIn(bool on);
    // Forgets the credentials here and in the keychain.
    void signOut(std::function<void(const KeychainResult &)> done = {});
    // Drops in-memory state without touching the keychain (another process signed out).
    void forget(const QString &reason);

    // A bearer for one upstream request: at once when the token is good, after one shared
    // refresh when it is about to expire.
    void requestAuth(QObject *context, AuthCallback callback);
    // The upstream said 401 to `bearer`: refresh once (shared) unless that already
    // happened, then hand out the new token.
    void reportUnauthorized(const QString &bearer, QObject *context, AuthCallback callback);

    // Re-checks expiry now; called on clock jumps, resume and network return.
    void checkNow();

    // Tuning for tests: the margin rules stay, the numbers shrink.
    void setBackoffLimits(int firstMs, int maxMs);

    // Margin before expiry at which the token is renewed: a quarter of what is left, at
    // most five minutes, at least one second.
    static qint64 refreshMarginMs(qint64 remainingMs);

Q_SIGNALS:
    void stateChanged(SessionState state, const QString &reason);
    void credentialsChanged();
    // A different sign-in took over (sign-in, reload, sign-out); not emitted for renewals.
    void credentialsReplaced();
    // signIn() stored new credentials: a new sign-in or key made in this process.
    void signedIn();

private:
    struct Waiter
    {
        QPointer<QObject> context;
        AuthCallback callback;
    };

    void setState(SessionState state, const QString &reason = {});
    void adopt(const Credentials &credentials, bool replaced = true);
    void armTimer();
    void startRefresh();
    void onRefreshFinished(const TokenRefresher::Result &result);
    void saveRenewed(const Credentials &next);
    void storeSignInRequired();
    void scheduleRetry();
    void answerWaiters();
    UpstreamAuth currentAuth() const;
    UpstreamAuth failure(SessionError error, const QString &message) const;
    bool tokenUsable(qint64 slackMs) const;

    Settings *m_settings;
    CredentialStore *m_store;
    Clock *m_clock;
    TokenRefresher *m_refresher;
    Credentials m_credentials;
    struct CachedApiBase
    {
        QString resourceUrl;
        QUrl fallback;
        QUrl url;
    };
    mutable std::optional<CachedApiBase> m_apiBase; // apiBase() for the inputs it names
    SessionState m_state = SessionState::Starting;
    QString m_reason;
    SessionState m_stateBeforeSigningIn = SessionState::SignedOut;
    QString m_reasonBeforeSigningIn;
    QList<Waiter> m_waiters;
    QTimer m_refreshTimer; // fires at m_refreshAt
    QTimer m_retryTimer;
    QDateTime m_refreshAt;
    int m_backoffFirstMs = 1000;
    int m_backoffMaxMs = 60000;
    int m_backoffMs = 0;
    int m_refreshCount = 0;
    int m_generation = 0; // counts sign-ins, loads and sign-outs: which credentials are ours
    bool m_forced = false;
    bool m_saving = false;
    std::optional<Credentials> m_unsaved; // renewed but not yet in the keychain
    QString m_lastTransient;
};
