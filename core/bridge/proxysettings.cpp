#include "bridge/proxysettings.h"

#include "credentials/keychainstore.h"
#include "settings/settings.h"
#include "util/logcategories.h"

#include <QLoggingCategory>

NetworkProxy::Mode ProxySettings::mode(const Settings &settings)
{
    return NetworkProxy::modeFromName(settings.proxyMode()).value_or(NetworkProxy::Mode::System);
}

void ProxySettings::apply(const Settings &settings, KeychainStore *keychain, Done done)
{
    // The demo's service runs inside this process on a loopback port: no proxy can reach it.
    const NetworkProxy::Mode chosen =
        Settings::isDemoMode() ? NetworkProxy::Mode::None : mode(settings);
    if (chosen != NetworkProxy::Mode::Manual) {
        NetworkProxy::install(chosen);
        done({});
        return;
    }
    QString error;
    const std::optional<QNetworkProxy> manual =
        NetworkProxy::parseManual(settings.proxyUrl(), &error);
    if (!manual) {
        NetworkProxy::install(NetworkProxy::Mode::System);
        done({ServiceError::Kind::Refused,
              tr("The proxy in the settings cannot be used (%1); the system's proxy settings "
                 "apply instead.")
                  .arg(error)});
        return;
    }
    NetworkProxy::install(NetworkProxy::Mode::Manual, *manual);
    if (manual->user().isEmpty()) {
        done({});
        return;
    }
    keychain->read(QLatin1String(kPasswordKey), [manual = *manual, done](const KeychainResult &r) {
        if (r.ok()) {
            QNetworkProxy withPassword = manual;
            withPassword.setPassword(QString::fromUtf8(r.data));
            NetworkProxy::install(NetworkProxy::Mode::Manual, withPassword);
            done({});
        } else if (r.error == KeychainError::NotFound) {
            done({});
        } else {
            qCWarning(lcProxySettings) << "proxy password not read:" << int(r.error);
            done({ServiceError::fromKeychain(r).kind,
                  tr("The proxy's password could not be read from the keychain: %1")
                      .arg(r.message)});
        }
    });
}

void ProxySettings::save(Settings &settings, KeychainStore *keychain, NetworkProxy::Mode mode,
                         const QString &url, const QString &password, Done done)
{
    QString error;
    std::optional<QNetworkProxy> manual;
    if (mode == NetworkProxy::Mode::Manual) {
        manual = NetworkProxy::parseManual(url, &error);
        if (!manual) {
            done({ServiceError::Kind::Refused, error});
            return;
        }
    }
    settings.setProxyMode(NetworkProxy::modeName(mode));
    settings.setProxyUrl(manual ? url.trimmed() : QString());
    settings.sync();
    const bool withUser = manual && !manual->user().isEmpty();
    auto stored = [&settings, keychain, done](const KeychainResult &r) {
        if (!r.ok() && r.error != KeychainError::NotFound) {
            done({ServiceError::fromKeychain(r).kind,
                  tr("The proxy's password could not be stored in the keychain: %1")
                      .arg(r.message)});
            return;
        }
        apply(settings, keychain, done);
    };
    if (withUser && !password.isEmpty())
        keychain->write(QLatin1String(kPasswordKey), password.toUtf8(), stored);
    else if (withUser)
        apply(settings, keychain, done);
    else
        keychain->remove(QLatin1String(kPasswordKey), stored);
}

QString ProxySettings::describe(const Settings &settings)
{
    switch (mode(settings)) {
    case NetworkProxy::Mode::None:
        return tr("none (direct connections)");
    case NetworkProxy::Mode::Manual:
        if (const auto manual = NetworkProxy::parseManual(settings.proxyUrl(), nullptr))
            return tr("manual, %1").arg(NetworkProxy::describe(*manual));
        return tr("manual, but the address in the settings is not usable");
    case NetworkProxy::Mode::System:
        break;
    }
    return tr("system (https_proxy, http_proxy, no_proxy)");
}
