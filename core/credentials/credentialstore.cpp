#include "credentials/credentialstore.h"

#include "settings/settings.h"

CredentialStore::CredentialStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_keychain(service)
{}

CredentialStore::CredentialStore(const Settings &settings, QObject *parent)
    : CredentialStore(settings.keychainService(), parent)
{
    m_keychain.setTimeout(settings.keychainTimeoutMs());
    if (settings.allowFileStorage())
        m_keychain.setFileFallback(Settings::fileStoragePath());
}

CredentialStore::CredentialStore(const Settings &settings, const QString &entry, QObject *parent)
    : CredentialStore(settings, parent)
{
    m_entry = entry;
}

void CredentialStore::load(LoadCallback done)
{
    m_keychain.read(m_entry, [done](const KeychainResult &r) {
        LoadResult result;
        result.keychain = r;
        if (r.ok())
            result.credentials = Credentials::fromJson(r.data, &result.parseError);
        result.keychain.data.fill('\0');
        result.keychain.data.clear();
        done(result);
    });
}

void CredentialStore::save(const Credentials &credentials, KeychainStore::Callback done)
{
    m_keychain.write(m_entry, credentials.toJson(), std::move(done));
}

void CredentialStore::clear(KeychainStore::Callback done)
{
    m_keychain.remove(m_entry, std::move(done));
}
