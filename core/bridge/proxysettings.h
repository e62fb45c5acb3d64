#pragma once

#include "bridge/serviceerror.h"
#include "http/networkproxy.h"

#include <QCoreApplication>
#include <QString>
#include <functional>

class KeychainStore;
class Settings;

// The proxy choice of the settings made the application's proxy (NetworkProxy::install),
// for every connection to Qwen and Model Studio. A manual proxy's password lives in the
// keychain, never in settings.ini. Every process applies it before it goes online.
class ProxySettings
{
    Q_DECLARE_TR_FUNCTIONS(ProxySettings)
public:
    static constexpr const char *kPasswordKey = "proxy-password";

    // ok(): all went well. Refused: a proxy address that is not usable; a keychain kind:
    // the password could not be stored or read. The sentence says which.
    using Done = std::function<void(const ServiceError &problem)>;

    // Installs the settings' choice. A manual proxy with a user name gets its password from
    // the keychain first; done() is called once installed. A problem (an unreadable proxy
    // URL, a keychain failure) is reported, and the system's proxy or the proxy without a
    // password is installed meanwhile.
    static void apply(const Settings &settings, KeychainStore *keychain, Done done);

    // Stores a choice, then applies it. A manual proxy's password goes to the keychain; an
    // empty one keeps what is stored, and a choice without a user name removes it. Refuses
    // a manual URL parseManual() does not accept. settings and keychain must outlive done.
    static void save(Settings &settings, KeychainStore *keychain, NetworkProxy::Mode mode,
                     const QString &url, const QString &password, Done done);

    // The choice in words for `status`: never a password.
    static QString describe(const Settings &settings);

    static NetworkProxy::Mode mode(const Settings &settings);
};
