#pragma once

#include "credentials/credentials.h"
#include "credentials/keychainstore.h"

#include <QObject>

class Settings;
#include <functional>

// The account's credentials as one JSON blob in the keychain.
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

    KeychainStore *keychain() { return &m_keychain; }

    void load(LoadCallback done);
    void save(const Credentials &credentials, KeychainStore::Callback done);
    void clear(KeychainStore::Callback done);

private:
    KeychainStore m_keychain;
};
