#include "bridge/statusreport.h"

#include "bridge/bridgeservice.h"
#include "bridge/proxysettings.h"
#include "bridge/quotastate.h"
#include "oauth/apibase.h"
#include "plans/plancatalog.h"
#include "proxy/proxyserver.h"
#include "session/accountpool.h"
#include "settings/settings.h"

namespace {
void fillFromSettings(StatusReport &r, const Settings &settings)
{
    r.proxyUrl = Settings::proxyBaseUrl(settings.port());
    r.qwenMode = QwenMode::resolveFromSystem(settings);
    r.networkProxy = ProxySettings::describe(settings);
    r.requestLogging = settings.requestLogging();
    r.requestLogDir = Settings::requestLogDir();
}

void fillPlan(StatusReport &r, const QString &preset, const QUrl &baseUrl)
{
    const PlanCatalog &catalog = PlanCatalog::instance();
    r.preset = preset;
    r.presetName = catalog.displayName(preset, baseUrl);
    const Plan plan = catalog.planForCredentials(preset);
    r.planId = plan.id;
    r.planName = catalog.displayName(plan.id, baseUrl);
    r.planGroup = plan.groupKey();
}
} // namespace

StatusReport StatusReport::fromStored(const Settings &settings,
                                      const CredentialStore::LoadResult &loaded,
                                      const QJsonObject &live, const QDateTime &nowUtc)
{
    StatusReport r;
    fillFromSettings(r, settings);
    const Credentials &c = loaded.credentials;
    const StoredSession stored = SessionManager::interpret(loaded, nowUtc);
    r.state = stored.state;
    r.stateName = SessionManager::stateName(stored.state);
    if (stored.state == SessionState::SignedOut)
        r.message = tr("Not signed in. Run `qwen-bridge login` to sign in.");
    else if (stored.state != SessionState::SignedIn)
        r.message = stored.reason;
    else if (stored.renewsOnNextUse)
        r.message = tr("Signed in. The access token has expired; Qwen Bridge renews it on the "
                       "next use.");
    else
        r.message = tr("Signed in.");
    r.keychainAvailable = loaded.keychain.ok() || loaded.keychain.error == KeychainError::NotFound;
    r.fromFile = loaded.keychain.fromFile;
    if (r.fromFile)
        r.storagePath = Settings::fileStoragePath();

    // A running Qwen Bridge knows more (refreshing, offline, quota).
    r.appRunning = !live.isEmpty();
    if (r.appRunning) {
        const QString liveState = live.value(QStringLiteral("state")).toString();
        if (!liveState.isEmpty() && liveState != QLatin1String("starting") && r.keychainAvailable)
            r.stateName = liveState;
        if (!live.value(QStringLiteral("reason")).toString().isEmpty())
            r.message = live.value(QStringLiteral("reason")).toString();
        r.proxyRunning = !live.value(QStringLiteral("proxy_url")).toString().isEmpty();
        r.appPid = live.value(QStringLiteral("pid")).toInteger();
        r.serving = live.value(QStringLiteral("serving")).toString();
        r.credentialCount = live.value(QStringLiteral("credentials")).toInt();
    }

    r.method = c.method;
    if (c.method == AuthMethod::OAuth) {
        r.expiresAt = c.expiresAt;
        r.renewsOnNextUse = stored.renewsOnNextUse;
        r.apiBase = apiBaseFromResourceUrl(c.resourceUrl, settings.apiFallbackUrl());
    } else if (c.method == AuthMethod::ApiKey) {
        fillPlan(r, c.preset, c.baseUrl);
        r.apiBase = c.baseUrl;
    }
    r.quotaExhausted = live.value(QStringLiteral("quota_exhausted")).toBool();
    if (r.quotaExhausted) {
        r.quotaMessage = live.value(QStringLiteral("quota_message")).toString();
        r.message = r.quotaMessage;
    }
    return r;
}

StatusReport StatusReport::fromService(const BridgeService &service)
{
    StatusReport r;
    const Settings &settings = *service.settings();
    fillFromSettings(r, settings);
    const SessionManager *session = service.session();
    r.state = session->state();
    r.stateName = SessionManager::stateName(r.state);
    r.message = session->reason();
    r.keychainAvailable = r.state != SessionState::KeychainUnavailable;
    r.method = session->method();
    if (r.method == AuthMethod::OAuth)
        r.expiresAt = session->expiresAt();
    else if (r.method == AuthMethod::ApiKey)
        fillPlan(r, session->preset(), session->apiBase());
    if (r.method != AuthMethod::None)
        r.apiBase = session->apiBase();
    r.appRunning = true;
    r.appPid = QCoreApplication::applicationPid();
    r.proxyRunning = service.isProxyListening();
    if (r.proxyRunning)
        r.proxyUrl = service.proxyUrl();
    const QuotaState *quota = service.quota();
    // A quota belongs to a sign-in: without one there is nothing to be used up.
    r.quotaExhausted = quota->isExhausted() && r.method != AuthMethod::None;
    if (r.quotaExhausted)
        r.quotaMessage = quota->message();
    r.serving = service.accounts()->servingName();
    r.credentialCount = service.accounts()->size();
    return r;
}

bool StatusReport::isSignedIn() const
{
    return state == SessionState::SignedIn || state == SessionState::Refreshing ||
           state == SessionState::OfflineRetrying;
}

QJsonObject StatusReport::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("state"), stateName);
    o.insert(QStringLiteral("method"), Credentials::methodName(method));
    o.insert(QStringLiteral("proxy_url"), proxyUrl.toString());
    o.insert(QStringLiteral("proxy_running"), proxyRunning);
    o.insert(QStringLiteral("app_running"), appRunning);
    if (appRunning)
        o.insert(QStringLiteral("app_pid"), appPid);
    o.insert(QStringLiteral("storage"),
             fromFile ? QStringLiteral("file") : QStringLiteral("keychain"));
    if (fromFile)
        o.insert(QStringLiteral("storage_path"), storagePath);
    o.insert(QStringLiteral("qwen_mode"), qwenMode.enabled);
    o.insert(QStringLiteral("qwen_mode_source"), QwenMode::sourceKey(qwenMode.source));
    o.insert(QStringLiteral("network_proxy"), networkProxy);
    o.insert(QStringLiteral("request_logging"), requestLogging);
    o.insert(QStringLiteral("request_log_dir"), requestLogDir);
    if (method == AuthMethod::OAuth) {
        o.insert(QStringLiteral("expires_at"), expiresAt.toUTC().toString(Qt::ISODate));
        o.insert(QStringLiteral("renews_on_next_use"), renewsOnNextUse);
        o.insert(QStringLiteral("api_base"), apiBase.toString());
    } else if (method == AuthMethod::ApiKey) {
        o.insert(QStringLiteral("preset"), preset);
        o.insert(QStringLiteral("preset_name"), presetName);
        o.insert(QStringLiteral("plan"), QJsonObject{{QStringLiteral("id"), planId},
                                                     {QStringLiteral("name"), planName},
                                                     {QStringLiteral("group"), planGroup}});
        o.insert(QStringLiteral("api_base"), apiBase.toString());
    }
    o.insert(QStringLiteral("quota_exhausted"), quotaExhausted);
    if (appRunning) {
        o.insert(QStringLiteral("serving"), serving.isEmpty() ? QJsonValue() : QJsonValue(serving));
        o.insert(QStringLiteral("credentials"), credentialCount);
    }
    o.insert(QStringLiteral("keychain"),
             keychainAvailable ? QStringLiteral("available") : QStringLiteral("unavailable"));
    o.insert(QStringLiteral("message"), message);
    return o;
}

QStringList StatusReport::toText() const
{
    QStringList lines;
    lines << tr("State:    %1").arg(stateName);
    if (method == AuthMethod::ApiKey)
        lines << tr("Method:   %1").arg(Credentials::methodName(method))
              << tr("Plan:     %1 (%2)").arg(presetName, planId);
    else if (method != AuthMethod::None)
        lines << tr("Method:   %1").arg(Credentials::methodName(method));
    if (method == AuthMethod::OAuth)
        lines << tr("Expires:  %1").arg(expiresAt.toLocalTime().toString(Qt::ISODate));
    if (method != AuthMethod::None)
        lines << tr("API base: %1").arg(apiBase.toString());
    if (!serving.isEmpty() && (credentialCount > 1 || serving != QLatin1String("default")))
        lines << tr("Serving:  %1 (of %n credential(s); `qwen-bridge accounts` lists them)",
                    nullptr, credentialCount)
                     .arg(serving);
    lines << tr("Proxy:    %1 (%2)")
                 .arg(proxyUrl.toString(), proxyRunning ? tr("running") : tr("not running"));
    lines << tr("HTTP proxy: %1").arg(networkProxy);
    lines << tr("QWEN_MODE: %1 (%2)")
                 .arg(qwenMode.enabled ? tr("on") : tr("off"),
                      QwenMode::sourceDescription(qwenMode.source));
    if (requestLogging)
        lines << tr("Request logs: %1").arg(requestLogDir);
    if (fromFile)
        lines << tr("Credentials are kept in the file %1 (no keychain service).").arg(storagePath);
    lines << message;
    return lines;
}
