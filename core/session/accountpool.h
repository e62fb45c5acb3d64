#pragma once

#include "credentials/accountindex.h"
#include "credentials/credentialstore.h"
#include "session/sessionmanager.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <optional>

class AccountStore;
class Clock;
class QNetworkAccessManager;
class Settings;

// One credential as `accounts`, `status` and the tray's Accounts menu show it. Built by one
// rule, from a running pool or from what the keychain holds when nothing runs.
struct AccountInfo
{
    QString name;
    int position = 0; // 1 for the first in the order
    AuthMethod method = AuthMethod::None;
    QString planId;   // the plan of an API key; empty for OAuth
    QString planName; // for people: "Coding Plan (global)", "Qwen account (OAuth)"
    AccountIndex::Route route = AccountIndex::Route::Usable;
    QDateTime until; // UTC, for cooling and exhausted
    QString reason;
    bool serving = false; // the credential that served the last request (or would serve next)

    QString stateName() const { return AccountIndex::routeName(route); }
    QJsonObject toJson() const;
    static AccountInfo fromJson(const QJsonObject &json); // what toJson() wrote
    // "usable", "window used up until 14:20", "needs sign-in: …" (local time).
    QString describeState() const;

    // The state from what is stored: the route the index keeps, unless the sign-in itself
    // needs renewing (a dead OAuth session, an unreadable or missing entry).
    static AccountInfo fromStored(const AccountIndex::Entry &entry, int position,
                                  const CredentialStore::LoadResult &loaded,
                                  const QDateTime &nowUtc);
};

// The credentials the proxy may use, in their order, with what it learned about each:
// usable, cooling down until T, a window used up until its reset, or needing a sign-in.
// The proxy asks it which credential takes a request (pick), and tells it how each went
// (reportSuccess, reportFailure); it decides when to move on, persists the states in the
// index, and says when the serving credential changed.
//
// The default credential is the SessionManager the rest of the app already knows; every
// named credential gets a SessionManager of its own, with its own renewal timers.
class AccountPool : public QObject
{
    Q_OBJECT
public:
    enum class Failure {
        WindowExhausted, // a quota window or the quota: until its reset
        RateLimited,     // 429 not about quota: for Retry-After, or a short while
        Dead,            // the upstream refused the credential: needs a sign-in
        Transient,       // a 5xx or a network failure: two in a row move on
    };
    struct Pick
    {
        QString name;
        QPointer<SessionManager> session;
    };

    // Without a store (setStore), only the default session, and nothing is persisted.
    AccountPool(Settings *settings, SessionManager *defaultSession, QNetworkAccessManager *nam,
                Clock *clock = nullptr, QObject *parent = nullptr);
    ~AccountPool() override;

    void setStore(AccountStore *store) { m_store = store; }
    // Reads the index and loads every credential it names; again after another process
    // changed them (the control channel's reload).
    void load();

    int size() const { return int(m_accounts.size()); }
    // The credential for the next attempt of a request that asks for `model` and has
    // already tried `tried`; none when every credential was tried.
    std::optional<Pick> pick(const QString &model, const QSet<QString> &tried);
    void reportSuccess(const QString &name);
    // Whether the request should move on to another credential.
    bool reportFailure(const QString &name, Failure failure, const QDateTime &until,
                       const QString &reason);
    // When every credential is used up or cooling down: a sentence naming the earliest
    // reset, and that time; empty otherwise.
    QString allExhaustedMessage(QDateTime *earliest = nullptr) const;

    QString servingName() const;
    QList<AccountInfo> accounts() const;
    SessionManager *session(const QString &name) const;

    // How long a credential rests after failures with no reset time of their own.
    static constexpr int kCoolingSeconds = 30;
    static constexpr int kUnknownResetMinutes = 10;

Q_SIGNALS:
    void changed();
    // The serving credential changed: once per switch, with why the previous one stopped.
    void switched(const QString &from, const QString &to, const QString &reason);

private:
    struct Account
    {
        QString name;
        QPointer<SessionManager> session;
        CredentialStore *store = nullptr; // owned, with the session, for named credentials
        AccountIndex::Entry route;
        int failuresInRow = 0;
    };
    Account *find(const QString &name);
    const Account *find(const QString &name) const;
    bool servesModel(const Account &account, const QString &model) const;
    bool needsSignIn(const Account &account) const;
    void adoptIndex(const AccountIndex &index);
    void watch(const QString &name, SessionManager *session);
    void scheduleSave();
    AccountInfo info(const Account &account, int position) const;

    Settings *m_settings;
    SessionManager *m_default;
    QNetworkAccessManager *m_nam;
    Clock *m_clock;
    AccountStore *m_store = nullptr;
    QList<Account> m_accounts;
    QString m_serving;
    int m_next = 0; // round robin
    int m_loadGeneration = 0;
    QTimer m_saveTimer;
};
