#pragma once

#include <QByteArrayView>
#include <QObject>
#include <QString>
#include <functional>

class KeychainStore;
struct KeychainResult;

// The key OpenCode presents to the proxy: random per install (256 bits), created on first
// run, kept in the keychain next to the credentials, compared in constant time.
class LocalKey : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *kKeychainKey = "local-key";

    explicit LocalKey(KeychainStore *keychain, QObject *parent = nullptr);

    // Reads the key, creating and storing one when there is none.
    void load(std::function<void(const KeychainResult &)> done);
    // Replaces the key (OpenCode's config must then be written again).
    void regenerate(std::function<void(const KeychainResult &)> done);

    bool isLoaded() const { return !m_value.isEmpty(); }
    QString value() const { return m_value; }
    // Constant-time comparison of what a client presented with the key.
    bool matches(QByteArrayView presented) const;

    static QString generate();

Q_SIGNALS:
    void changed();

private:
    KeychainStore *m_keychain;
    QString m_value;
};
