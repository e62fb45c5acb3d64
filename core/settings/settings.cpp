#include "settings/settings.h"

#include "settings/urlpolicy.h"

#include <QDir>
#include <QLoggingCategory>
#include <QStandardPaths>

#include <unistd.h>

namespace {
Q_LOGGING_CATEGORY(lcSettings, "qwenbridge.settings")

bool s_demo = false;

QString envString(const char *name)
{
    return QString::fromLocal8Bit(qgetenv(name)).trimmed();
}
} // namespace

Settings::Settings()
    : m_settings(configFilePath(), QSettings::IniFormat)
{}

void Settings::setDemoMode(bool on)
{
    s_demo = on;
}

bool Settings::isDemoMode()
{
    return s_demo;
}

QString Settings::configFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/qwen-bridge/settings.ini");
}

QString Settings::stateDir()
{
    // Qt 6.4 has no StateLocation; follow the XDG rule for it by hand.
    QString base = envString("XDG_STATE_HOME");
    if (base.isEmpty() || QDir::isRelativePath(base))
        base = QDir::homePath() + QStringLiteral("/.local/state");
    return base + QStringLiteral("/qwen-bridge");
}

QString Settings::runtimeDir()
{
    // Without XDG_RUNTIME_DIR (ssh sessions, containers) a private folder of our own in
    // the temp folder, named by the numeric uid: USER may be unset or name someone else.
    // QStandardPaths would warn on every call. RuntimeDir refuses the folder when another
    // user got there first. The demo has its own lock and control socket: it may run
    // beside the real one.
    const QString name =
        s_demo ? QStringLiteral("qwen-bridge-demo") : QStringLiteral("qwen-bridge");
    const QString xdg = envString("XDG_RUNTIME_DIR");
    if (!xdg.isEmpty() && !QDir::isRelativePath(xdg))
        return xdg + QLatin1Char('/') + name;
    return QDir::tempPath() + QLatin1Char('/') + name + QLatin1Char('-') +
           QString::number(::geteuid());
}

QString Settings::requestLogDir()
{
    return stateDir() + QStringLiteral("/requests");
}

QUrl Settings::oauthBaseUrl() const
{
    // Tokens travel to this address: one that breaks the URL policy is not used, wherever
    // it came from, and the default stands in.
    const QString env = envString("QWEN_BRIDGE_OAUTH_URL");
    if (!env.isEmpty()) {
        const QUrl url(env);
        if (UrlPolicy::checkBaseUrl(url) == UrlPolicy::Problem::None)
            return url;
        qCWarning(lcSettings) << "QWEN_BRIDGE_OAUTH_URL is not an https:// address (http:// "
                                 "only for this computer); using the default";
        return QUrl(QLatin1String(kDefaultOAuthBase));
    }
    const QUrl stored(
        m_settings.value(QStringLiteral("oauth/baseUrl"), QLatin1String(kDefaultOAuthBase))
            .toString());
    if (UrlPolicy::checkBaseUrl(stored) == UrlPolicy::Problem::None)
        return stored;
    qCWarning(lcSettings) << "the stored OAuth base URL is not an https:// address (http:// "
                             "only for this computer); using the default";
    return QUrl(QLatin1String(kDefaultOAuthBase));
}

bool Settings::setOAuthBaseUrl(const QUrl &url)
{
    if (url.isEmpty() || url == QUrl(QLatin1String(kDefaultOAuthBase))) {
        m_settings.remove(QStringLiteral("oauth/baseUrl"));
        return true;
    }
    if (UrlPolicy::checkBaseUrl(url) != UrlPolicy::Problem::None)
        return false; // the stored value stays as it was
    m_settings.setValue(QStringLiteral("oauth/baseUrl"), url.toString());
    return true;
}

QUrl Settings::proxyBaseUrl(quint16 port)
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(port));
}

QString Settings::clientId() const
{
    return m_settings.value(QStringLiteral("oauth/clientId"), QLatin1String(kDefaultClientId))
        .toString();
}

void Settings::setClientId(const QString &clientId)
{
    if (clientId.isEmpty() || clientId == QLatin1String(kDefaultClientId))
        m_settings.remove(QStringLiteral("oauth/clientId"));
    else
        m_settings.setValue(QStringLiteral("oauth/clientId"), clientId);
}

QString Settings::scope() const
{
    return m_settings.value(QStringLiteral("oauth/scope"), QLatin1String(kDefaultScope)).toString();
}

QUrl Settings::apiFallbackUrl() const
{
    QString text = envString("QWEN_BRIDGE_API_URL");
    if (text.isEmpty())
        text = m_settings.value(QStringLiteral("api/fallbackUrl"), QLatin1String(kDefaultApiBase))
                   .toString();
    // The proxy asks for every request it forwards; parsing the URL is what costs.
    if (!m_apiFallback || m_apiFallback->first != text)
        m_apiFallback.emplace(text, QUrl(text));
    return m_apiFallback->second;
}

bool Settings::portFromEnvironment() const
{
    bool ok = false;
    const int port = envString("QWEN_BRIDGE_PORT").toInt(&ok);
    return ok && port > 0 && port < 65536;
}

quint16 Settings::port() const
{
    if (portFromEnvironment())
        return quint16(envString("QWEN_BRIDGE_PORT").toInt());
    bool ok = false;
    const int port = m_settings.value(QStringLiteral("proxy/port"), kDefaultPort).toInt(&ok);
    return ok && port > 0 && port < 65536 ? quint16(port) : kDefaultPort;
}

void Settings::setPort(quint16 port)
{
    m_settings.setValue(QStringLiteral("proxy/port"), port);
}

QString Settings::keychainService() const
{
    const QString demoSuffix = s_demo ? QStringLiteral("-demo") : QString();
    return m_settings
               .value(QStringLiteral("keychain/service"), QLatin1String(kDefaultKeychainService))
               .toString() +
           demoSuffix;
}

int Settings::keychainTimeoutMs() const
{
    const int ms = m_settings.value(QStringLiteral("keychain/timeoutMs"), 15000).toInt();
    return ms > 0 ? ms : 15000;
}

bool Settings::allowFileStorage() const
{
    return m_settings.value(QStringLiteral("keychain/allowFileStorage"), false).toBool();
}

void Settings::setAllowFileStorage(bool on)
{
    m_settings.setValue(QStringLiteral("keychain/allowFileStorage"), on);
}

QString Settings::fileStoragePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/qwen-bridge/credentials.json");
}

QString Settings::usageDatabasePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           (s_demo ? QStringLiteral("/qwen-bridge/usage-demo.sqlite")
                   : QStringLiteral("/qwen-bridge/usage.sqlite"));
}

QString Settings::codingPlanTier() const
{
    const QString tier = m_settings.value(QStringLiteral("usage/codingPlanTier")).toString();
    return tier == QLatin1String("pro") ? tier : QStringLiteral("lite");
}

void Settings::setCodingPlanTier(const QString &tier)
{
    m_settings.setValue(QStringLiteral("usage/codingPlanTier"), tier);
}

int Settings::subscriptionDay() const
{
    const int day = m_settings.value(QStringLiteral("usage/subscriptionDay"), 1).toInt();
    return day >= 1 && day <= 31 ? day : 1;
}

void Settings::setSubscriptionDay(int day)
{
    m_settings.setValue(QStringLiteral("usage/subscriptionDay"), day);
}

qint64 Settings::tokenPlanMonthlyTokens() const
{
    return qMax<qint64>(
        0, m_settings.value(QStringLiteral("usage/tokenPlanMonthlyTokens"), 0).toLongLong());
}

void Settings::setTokenPlanMonthlyTokens(qint64 tokens)
{
    m_settings.setValue(QStringLiteral("usage/tokenPlanMonthlyTokens"), tokens);
}

QString Settings::providerId() const
{
    return m_settings.value(QStringLiteral("opencode/providerId"), QStringLiteral("alibaba"))
        .toString();
}

void Settings::setProviderId(const QString &id)
{
    m_settings.setValue(QStringLiteral("opencode/providerId"), id);
}

QString Settings::proxyMode() const
{
    return m_settings.value(QStringLiteral("proxy/mode"), QStringLiteral("system")).toString();
}

void Settings::setProxyMode(const QString &mode)
{
    m_settings.setValue(QStringLiteral("proxy/mode"), mode);
}

QString Settings::proxyUrl() const
{
    return m_settings.value(QStringLiteral("proxy/url")).toString();
}

void Settings::setProxyUrl(const QString &url)
{
    m_settings.setValue(QStringLiteral("proxy/url"), url);
}

bool Settings::debugLogging() const
{
    const QByteArray env = qgetenv("DEBUG_QWEN_PLUGIN");
    bool recognized = false;
    const bool fromEnv = parseBool(env, false, &recognized);
    if (recognized)
        return fromEnv;
    return m_settings.value(QStringLiteral("logging/debug"), false).toBool();
}

void Settings::setDebugLogging(bool on)
{
    m_settings.setValue(QStringLiteral("logging/debug"), on);
}

bool Settings::requestLogging() const
{
    bool recognized = false;
    const bool fromEnv = parseBool(qgetenv("ENABLE_PLUGIN_REQUEST_LOGGING"), false, &recognized);
    if (recognized)
        return fromEnv;
    return m_settings.value(QStringLiteral("logging/requests"), false).toBool();
}

void Settings::setRequestLogging(bool on)
{
    m_settings.setValue(QStringLiteral("logging/requests"), on);
}

bool Settings::usageRecording() const
{
    return m_settings.value(QStringLiteral("usage/recording"), true).toBool();
}

void Settings::setUsageRecording(bool on)
{
    m_settings.setValue(QStringLiteral("usage/recording"), on);
}

QString Settings::routingPolicy() const
{
    const QString fromEnv = qEnvironmentVariable("QWEN_BRIDGE_ROUTING").trimmed().toLower();
    const QString policy = fromEnv.isEmpty()
                               ? m_settings.value(QStringLiteral("accounts/routing")).toString()
                               : fromEnv;
    return policy == QLatin1String("round_robin") ? policy : QStringLiteral("fill_first");
}

void Settings::setRoutingPolicy(const QString &policy)
{
    m_settings.setValue(QStringLiteral("accounts/routing"), policy == QLatin1String("round_robin")
                                                                ? policy
                                                                : QStringLiteral("fill_first"));
}

QVariant Settings::value(const QString &key, const QVariant &fallback) const
{
    return m_settings.value(key, fallback);
}

void Settings::setValue(const QString &key, const QVariant &value)
{
    m_settings.setValue(key, value);
}

void Settings::sync()
{
    m_settings.sync();
}

bool Settings::parseBool(const QByteArray &text, bool fallback, bool *recognized)
{
    const QByteArray t = text.trimmed().toLower();
    bool known = true;
    bool result = fallback;
    if (t == "1" || t == "true" || t == "yes" || t == "on")
        result = true;
    else if (t == "0" || t == "false" || t == "no" || t == "off")
        result = false;
    else
        known = false;
    if (recognized)
        *recognized = known;
    return result;
}
