#include "proxy/localkey.h"

#include "credentials/keychainstore.h"

#include <QRandomGenerator>

LocalKey::LocalKey(KeychainStore *keychain, QObject *parent)
    : QObject(parent)
    , m_keychain(keychain)
{}

QString LocalKey::generate()
{
    QByteArray raw(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()),
                                          raw.size() / int(sizeof(quint32)));
    return QStringLiteral("qb-") +
           QString::fromLatin1(
               raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

void LocalKey::load(std::function<void(const KeychainResult &)> done)
{
    m_keychain->read(QLatin1String(kKeychainKey), [this, done](const KeychainResult &r) {
        if (r.ok() && r.data.size() >= 16) {
            m_value = QString::fromLatin1(r.data);
            Q_EMIT changed();
            done(KeychainResult{});
        } else if (r.ok() || r.error == KeychainError::NotFound) {
            regenerate(done);
        } else {
            done(r);
        }
    });
}

void LocalKey::regenerate(std::function<void(const KeychainResult &)> done)
{
    const QString key = generate();
    m_keychain->write(QLatin1String(kKeychainKey), key.toLatin1(),
                      [this, key, done](const KeychainResult &r) {
                          if (!r.ok()) {
                              done(r);
                              return;
                          }
                          m_value = key;
                          Q_EMIT changed();
                          done(KeychainResult{});
                      });
}

bool LocalKey::matches(QByteArrayView presented) const
{
    const QByteArray expected = m_value.toLatin1();
    if (expected.isEmpty())
        return false;
    // Constant time over the expected length: the difference in length and every byte
    // are folded into one value before anything is decided.
    unsigned diff = unsigned(presented.size() ^ expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const char p = i < presented.size() ? presented[i] : char(0);
        diff |= unsigned(char(p ^ expected[i]));
    }
    return diff == 0;
}
