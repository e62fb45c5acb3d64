#pragma once

#include "bridge/serviceerror.h"
#include "credentials/credentials.h"
#include "http/networkproxy.h"
#include "oauth/oauthtypes.h"
#include "session/sessionmanager.h"

#include <QJsonObject>
#include <QObject>
#include <QUrl>
#include <functional>

class AccountPool;
class AccountStore;
class ControlServer;
class QuotaState;
class CredentialStore;
class InstanceLock;
class DeviceAuthorization;
class LocalKey;
class ProxyServer;
class QNetworkAccessManager;
class Settings;
class UsageStore;

// Everything the tray and `serve` share: settings, keychain, session, local key and the
// proxy, wired together and started in order. The GUI and the CLI only talk to this.
class BridgeService : public QObject
{
    Q_OBJECT
public:
    explicit BridgeService(QObject *parent = nullptr);
    ~BridgeService() override;

    // Takes the one-owner lock, loads the credentials and the local key, then starts the
    // proxy on the configured port. Progress arrives through the signals below; when
    // another Qwen Bridge already owns the session, only alreadyRunning() is emitted, and
    // when the lock cannot be taken at all (an unsafe runtime folder), only lockFailed().
    void start();
    // Stops the proxy and starts it again on the (possibly changed) configured port.
    void restartProxy();

    Settings *settings() const { return m_settings; }
    SessionManager *session() const { return m_session; }
    ProxyServer *proxy() const { return m_proxy; }
    LocalKey *localKey() const { return m_localKey; }
    // Every credential in its order, with failover between them; the default one is
    // session(). The store makes the edits (add, remove, reorder, rename); reloadAccounts()
    // then takes them up.
    AccountPool *accounts() const { return m_accounts; }
    AccountStore *accountStore() const { return m_accountStore; }
    void reloadAccounts();
    QNetworkAccessManager *network() const { return m_nam; }
    // The usage meter's database: written only once start() took the session (one writer),
    // read by the tray.
    UsageStore *usage() const { return m_usage; }

    QUrl proxyUrl() const; // http://127.0.0.1:PORT/v1 once listening, else empty
    bool isProxyListening() const;
    QString proxyError() const;
    // Whether the quota is used up, and until when: set when the upstream says so, cleared
    // by another sign-in, the window's reset or an answer (not by renewing a token).
    QuotaState *quota() const { return m_quota; }
    QString quotaMessage() const;

    // A device sign-in with this service's network and OAuth settings; the caller owns it.
    DeviceAuthorization *createDeviceAuthorization(QObject *parent);
    using Done = std::function<void(const ServiceError &)>;
    // Stores the tokens of a finished device sign-in and becomes signed in.
    void completeSignIn(const TokenSet &tokens, Done done = {});
    void signIn(const Credentials &credentials, Done done = {});
    void signOut(Done done = {});
    // Stores a new credential under `name` (or replaces it), then takes the list up again.
    void addAccount(const QString &name, const Credentials &credentials, Done done = {});
    // One edit of the list (AccountStore's use, reorder, rename, remove), then the same.
    using AccountEdit =
        std::function<void(AccountStore *, std::function<void(const ServiceError &)>)>;
    void editAccounts(const AccountEdit &edit, Done done = {});
    // Stores the HTTP proxy choice (a manual proxy's password in the keychain), then applies
    // it to every new connection (ProxySettings::save). Refused: a manual address that is
    // not a usable proxy; a keychain kind: the password could not be stored or read.
    void saveNetworkProxy(NetworkProxy::Mode mode, const QString &url, const QString &password,
                          Done done);

Q_SIGNALS:
    void proxyStarted(const QUrl &url);
    void proxyFailed(const ServiceError &error); // PortInUse or ListenFailed
    void localKeyReady();
    void localKeyFailed(const ServiceError &error); // one of the keychain kinds
    // Once each time the quota runs out, however many requests hit it (see quota()).
    void quotaExhausted(const ServiceError &error); // QuotaExhausted
    void alreadyRunning(qint64 pid);
    void lockFailed(const ServiceError &error); // SessionLockFailed
    void showRequested();                       // a second start handed over to us
    // The proxy moved from one credential to another (once per switch).
    void accountSwitched(const QString &from, const QString &to, const QString &reason);
    // The usage database was unreadable and was moved aside; notice says where to.
    void usageDatabaseReplaced(const QString &notice);

private:
    void startProxy();
    QJsonObject handleControl(const QJsonObject &request);

    Settings *m_settings;
    QNetworkAccessManager *m_nam;
    CredentialStore *m_store;
    SessionManager *m_session;
    LocalKey *m_localKey;
    ProxyServer *m_proxy;
    InstanceLock *m_lock;
    ControlServer *m_control = nullptr;
    UsageStore *m_usage = nullptr;
    QuotaState *m_quota;
    AccountStore *m_accountStore;
    AccountPool *m_accounts;
};
