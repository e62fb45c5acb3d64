#pragma once

#include "credentials/credentials.h"
#include "credentials/keychainstore.h"

#include <QObject>

class Settings;
#include <functional>

// One credential as one JSON blob in the keychain, under its entry: "default" for the
// default credential, AccountIndex::keyFor(name) for a named one.
class CredentialStore : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *kAccountKey = "default";

    struct LoadResult
    {
        KeychainResult keychain; // NotFound means signed out
        Credentials credentials;
        QString parseError; // set when something is stored but unreadable
    };
    using LoadCallback = std::function<void(const LoadResult &)>;

    explicit CredentialStore(const QString &service, QObject *parent = nullptr);
    // The service and job timeout the settings name.
    explicit CredentialStore(const Settings &settings, QObject *parent = nullptr);
    // The same for the credential kept under another entry.
    CredentialStore(const Settings &settings, const QString &entry, QObject *parent = nullptr);

    QString entry() const { return m_entry; }

    KeychainStore *keychain() { return &m_keychain; }

    void load(LoadCallback done);
    void save(const Credentials &credentials, KeychainStore::Callback done);
    void clear(KeychainStore::Callback done);

private:
    KeychainStore m_keychain;
    QString m_entry = QLatin1String(kAccountKey);
};
