#include "bridge/bridgeservice.h"

#include "bridge/proxysettings.h"
#include "bridge/quotastate.h"
#include "credentials/accountstore.h"
#include "credentials/credentialstore.h"
#include "oauth/deviceauthorization.h"
#include "proxy/localkey.h"
#include "proxy/proxyserver.h"
#include "proxy/upstreamcontext.h"
#include "session/accountpool.h"
#include "session/controlchannel.h"
#include "session/instancelock.h"
#include "settings/settings.h"
#include "usage/usagestore.h"
#include "util/logcategories.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QMetaMethod>
#include <QNetworkAccessManager>
#include <QPointer>

BridgeService::BridgeService(QObject *parent)
    : QObject(parent)
    , m_settings(new Settings)
    , m_nam(new QNetworkAccessManager(this))
    , m_store(new CredentialStore(*m_settings, this))
    , m_session(new SessionManager(m_settings, m_store, m_nam, nullptr, this))
    , m_localKey(new LocalKey(m_store->keychain(), this))
    , m_proxy(new ProxyServer(m_settings, m_session, m_localKey, this))
    , m_lock(new InstanceLock)
    , m_quota(new QuotaState(nullptr, this))
    , m_accountStore(new AccountStore(*m_settings, this))
    , m_accounts(new AccountPool(m_settings, m_session, m_nam, nullptr, this))
{
    m_accounts->setStore(m_accountStore);
    m_proxy->upstream()->setAccounts(m_accounts);
    connect(m_accounts, &AccountPool::switched, this, &BridgeService::accountSwitched);
    NetworkProxy::applyTo(m_nam);
    // Opened by start(), once this process owns the session; until then it reads nothing.
    m_usage = new UsageStore(Settings::usageDatabasePath(), this);
    connect(m_usage, &UsageStore::databaseReplaced, this, &BridgeService::usageDatabaseReplaced);
    connect(m_proxy, &ProxyServer::quotaExhausted, m_quota, &QuotaState::report);
    connect(m_quota, &QuotaState::changed, this, [this](bool exhausted) {
        if (exhausted)
            Q_EMIT quotaExhausted({ServiceError::Kind::QuotaExhausted, m_quota->message()});
    });
    connect(m_proxy->upstream(), &UpstreamContext::chatAnswered, m_quota,
            &QuotaState::upstreamAnswered);
    // A renewal keeps the sign-in, and its empty quota with it: only a replacement clears.
    connect(m_session, &SessionManager::credentialsReplaced, m_quota, &QuotaState::signInReplaced);
}

BridgeService::~BridgeService()
{
    delete m_control;
    delete m_proxy; // before the usage store its jobs record into
    m_proxy = nullptr;
    delete m_usage;
    m_usage = nullptr;
    delete m_lock;
    delete m_settings;
}

void BridgeService::start()
{
    switch (m_lock->tryLock()) {
    case InstanceLock::Result::Locked:
        break;
    case InstanceLock::Result::HeldByOther:
        qCInfo(lcBridge) << "another Qwen Bridge owns the session, pid" << m_lock->ownerPid();
        Q_EMIT alreadyRunning(m_lock->ownerPid());
        return;
    case InstanceLock::Result::Failed:
        qCWarning(lcBridge) << "cannot own the session:" << m_lock->errorString();
        Q_EMIT lockFailed({ServiceError::Kind::SessionLockFailed, m_lock->errorString()});
        return;
    }
    m_control = new ControlServer([this](const QJsonObject &r) { return handleControl(r); });
    m_control->listen();
    // Only the session's owner records usage: one writer for the database.
    if (!m_usage->open())
        qCWarning(lcBridge) << "the usage meter cannot write" << m_usage->path();
    m_proxy->upstream()->setUsageStore(m_usage);
    // The proxy choice first: loading the session may refresh the token over the network.
    ProxySettings::apply(*m_settings, m_store->keychain(), [this](const ServiceError &problem) {
        if (!problem.ok())
            qCWarning(lcBridge) << problem.message;
        m_session->load();
        m_accounts->load();
        m_localKey->load([this](const KeychainResult &r) {
            if (!r.ok()) {
                const ServiceError error = ServiceError::fromKeychain(r);
                qCWarning(lcBridge) << "no local key:" << error.message;
                Q_EMIT localKeyFailed(error);
                return;
            }
            Q_EMIT localKeyReady();
            startProxy();
        });
    });
}

QJsonObject BridgeService::handleControl(const QJsonObject &request)
{
    const QString command = request.value(QStringLiteral("command")).toString();
    QJsonObject reply;
    reply.insert(QStringLiteral("ok"), true);
    if (command == QLatin1String("status")) {
        reply.insert(QStringLiteral("state"), SessionManager::stateName(m_session->state()));
        reply.insert(QStringLiteral("reason"), m_session->reason());
        reply.insert(QStringLiteral("method"), Credentials::methodName(m_session->method()));
        reply.insert(QStringLiteral("proxy_url"), proxyUrl().toString());
        reply.insert(QStringLiteral("proxy_error"), proxyError());
        reply.insert(QStringLiteral("quota_exhausted"), m_quota->isExhausted());
        if (m_quota->isExhausted())
            reply.insert(QStringLiteral("quota_message"), m_quota->message());
        reply.insert(QStringLiteral("pid"), QCoreApplication::applicationPid());
        reply.insert(QStringLiteral("serving"), m_accounts->servingName());
        reply.insert(QStringLiteral("credentials"), m_accounts->size());
    } else if (command == QLatin1String("accounts")) {
        QJsonArray list;
        const QList<AccountInfo> accounts = m_accounts->accounts();
        for (const AccountInfo &a : accounts)
            list.append(a.toJson());
        reply.insert(QStringLiteral("accounts"), list);
        reply.insert(QStringLiteral("routing"), m_settings->routingPolicy());
    } else if (command == QLatin1String("reload")) {
        // A terminal command changed the stored credentials.
        reloadAccounts();
    } else if (command == QLatin1String("logout")) {
        m_session->forget(tr("Signed out from the command line."));
    } else if (command == QLatin1String("show")) {
        // A headless `serve` has nothing to show: the caller can say so.
        reply.insert(QStringLiteral("shown"),
                     isSignalConnected(QMetaMethod::fromSignal(&BridgeService::showRequested)));
        Q_EMIT showRequested();
    } else {
        reply.insert(QStringLiteral("ok"), false);
        reply.insert(QStringLiteral("error"), QStringLiteral("unknown command"));
    }
    return reply;
}

void BridgeService::startProxy()
{
    if (m_proxy->isListening())
        return;
    if (m_proxy->start(m_settings->port()))
        Q_EMIT proxyStarted(m_proxy->baseUrl());
    else
        Q_EMIT proxyFailed({m_proxy->portInUse() ? ServiceError::Kind::PortInUse
                                                 : ServiceError::Kind::ListenFailed,
                            m_proxy->errorString()});
}

void BridgeService::restartProxy()
{
    m_proxy->stop();
    if (m_localKey->isLoaded())
        startProxy();
}

void BridgeService::saveNetworkProxy(NetworkProxy::Mode mode, const QString &url,
                                     const QString &password, Done done)
{
    ProxySettings::save(*m_settings, m_store->keychain(), mode, url, password,
                        [done](const ServiceError &e) {
                            if (done)
                                done(e);
                        });
}

void BridgeService::reloadAccounts()
{
    m_session->load();
    m_accounts->load();
}

void BridgeService::addAccount(const QString &name, const Credentials &credentials, Done done)
{
    editAccounts(
        [name, credentials](AccountStore *store, std::function<void(const ServiceError &)> d) {
            store->put(name, credentials, [d](const AccountStore::Result &r) {
                d(ServiceError::fromEdit(r.keychain, r.problem));
            });
        },
        std::move(done));
}

void BridgeService::editAccounts(const AccountEdit &edit, Done done)
{
    const QPointer<BridgeService> self(this);
    edit(m_accountStore, [self, done](const ServiceError &e) {
        if (self && e.ok())
            self->reloadAccounts();
        if (done)
            done(e);
    });
}

QString BridgeService::quotaMessage() const
{
    return m_quota->message();
}

QUrl BridgeService::proxyUrl() const
{
    return m_proxy->baseUrl();
}

bool BridgeService::isProxyListening() const
{
    return m_proxy->isListening();
}

QString BridgeService::proxyError() const
{
    return m_proxy->errorString();
}

DeviceAuthorization *BridgeService::createDeviceAuthorization(QObject *parent)
{
    return new DeviceAuthorization(m_nam, OAuthConfig::fromSettings(*m_settings), parent);
}

void BridgeService::completeSignIn(const TokenSet &tokens, Done done)
{
    signIn(Credentials::fromTokens(tokens), std::move(done));
}

namespace {
std::function<void(const KeychainResult &)> keychainDone(BridgeService::Done done)
{
    if (!done)
        return {};
    return
        [done = std::move(done)](const KeychainResult &r) { done(ServiceError::fromKeychain(r)); };
}
} // namespace

void BridgeService::signIn(const Credentials &credentials, Done done)
{
    m_session->signIn(credentials, keychainDone(std::move(done)));
}

void BridgeService::signOut(Done done)
{
    m_session->signOut(keychainDone(std::move(done)));
}
