#pragma once

#include <QSettings>
#include <QString>
#include <QUrl>
#include <optional>
#include <utility>

// Every setting the application has, resolved environment > settings file > default
// (DESIGN.md "Environment"). The file is XDG_CONFIG_HOME/qwen-bridge/settings.ini.
class Settings
{
public:
    static constexpr quint16 kDefaultPort = 38417;
    static constexpr const char *kDefaultOAuthBase = "https://chat.qwen.ai";
    static constexpr const char *kDefaultClientId = "f0304373b74a44d2b584a3fb70ca9e56";
    static constexpr const char *kDefaultScope = "openid profile email model.completion";
    static constexpr const char *kDefaultApiBase = "https://portal.qwen.ai/v1";
    static constexpr const char *kDefaultKeychainService = "qwen-bridge";

    Settings();

    // --demo: a separate keychain entry and settings group, so the demo never touches a
    // real sign-in. Set once at start-up, before any Settings is made.
    static void setDemoMode(bool on);
    static bool isDemoMode();

    static QString configFilePath();
    static QString stateDir();   // logs and request logs live below it
    static QString runtimeDir(); // lock file and control socket; see RuntimeDir
    static QString requestLogDir();

    // Follows the URL policy (settings/urlpolicy.h): an address that breaks it, from the
    // environment or the file, gives the default; setOAuthBaseUrl() refuses one and keeps
    // the stored value. An empty url restores the default.
    QUrl oauthBaseUrl() const;
    bool setOAuthBaseUrl(const QUrl &url);
    QString clientId() const;
    void setClientId(const QString &clientId);
    QString scope() const;
    QUrl apiFallbackUrl() const;

    // The proxy's address for OpenCode: http://127.0.0.1:PORT/v1.
    static QUrl proxyBaseUrl(quint16 port);
    quint16 port() const;
    void setPort(quint16 port);
    bool portFromEnvironment() const;

    QString keychainService() const;
    int keychainTimeoutMs() const;
    // Explicit opt-in to a 0600 file when no keychain service exists.
    bool allowFileStorage() const;
    void setAllowFileStorage(bool on);
    static QString fileStoragePath();
    // The usage meter's SQLite file in the XDG data folder (the demo has its own).
    static QString usageDatabasePath();
    QString providerId() const;
    void setProviderId(const QString &id);

    // The HTTP proxy for connections to Qwen and Model Studio (ProxySettings applies it):
    // "system" (default), "none" or "manual" with proxyUrl() http://[user@]host:port.
    QString proxyMode() const;
    void setProxyMode(const QString &mode);
    QString proxyUrl() const;
    void setProxyUrl(const QString &url);

    bool debugLogging() const;
    void setDebugLogging(bool on);
    bool requestLogging() const;
    void setRequestLogging(bool on);

    // The plan windows of the usage meter (core/usage/planwindows.h). The Coding Plan's
    // tier: "lite" (the default) or "pro". The day of the month the subscription started,
    // 1-31, when the monthly windows reset. The Token Plan's monthly limit in tokens: 0
    // (the default) when the person has not set it, since the plan publishes its quota in
    // credits, whose worth in tokens depends on the model.
    // Whether the proxy records each request in the usage meter (on by default). Off,
    // nothing new is written; what was recorded stays until it ages out or is cleared.
    bool usageRecording() const;
    void setUsageRecording(bool on);
    QString codingPlanTier() const;
    void setCodingPlanTier(const QString &tier);
    // How the proxy spreads requests over several credentials (core/session/accountpool.h):
    // "fill_first" (the default: the first usable one, which keeps the upstream's prompt
    // cache warm) or "round_robin". QWEN_BRIDGE_ROUTING overrides the file.
    QString routingPolicy() const;
    void setRoutingPolicy(const QString &policy);
    int subscriptionDay() const;
    void setSubscriptionDay(int day);
    qint64 tokenPlanMonthlyTokens() const;
    void setTokenPlanMonthlyTokens(qint64 tokens);

    // Raw access for rarely used keys.
    QVariant value(const QString &key, const QVariant &fallback = {}) const;
    void setValue(const QString &key, const QVariant &value);
    void sync();

    // Parses 1/true/yes/on and 0/false/no/off; anything else leaves fallback.
    static bool parseBool(const QByteArray &text, bool fallback, bool *recognized = nullptr);

private:
    QSettings m_settings;
    mutable std::optional<std::pair<QString, QUrl>> m_apiFallback; // text, and its parse
};
