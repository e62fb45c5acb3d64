#include "credentials/keychainstore.h"
#include "testhome.h"

#include <QDeadlineTimer>
#include <QTest>

// Runs against the real Secret Service that scripts/test starts (gnome-keyring on a private
// D-Bus session). Without one this test fails: the keychain path must be exercised in CI.
class TestKeychainStore : public QObject
{
    Q_OBJECT

    static KeychainResult wait(KeychainStore &store, int op, const QString &key,
                               const QByteArray &data = {})
    {
        bool done = false;
        KeychainResult result;
        auto cb = [&](const KeychainResult &r) {
            result = r;
            done = true;
        };
        if (op == 0)
            store.read(key, cb);
        else if (op == 1)
            store.write(key, data, cb);
        else
            store.remove(key, cb);
        QDeadlineTimer deadline(store.timeout() + 5000);
        while (!done && !deadline.hasExpired())
            QTest::qWait(10);
        if (!done)
            result.message = QStringLiteral("no answer at all: the timeout did not fire");
        return result;
    }

    TestHome m_home;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
                 "No D-Bus session: run the tests through ./scripts/test, which starts "
                 "gnome-keyring on a private bus");
    }

    void roundTrip()
    {
        KeychainStore store(m_home.keychainService());
        const QByteArray secret("{\"access_token\":\"t\\u00e9st\"}\x01\x02\xff", 32);
        QVERIFY(wait(store, 1, QStringLiteral("default"), secret).ok());
        const KeychainResult read = wait(store, 0, QStringLiteral("default"));
        QVERIFY2(read.ok(), qPrintable(read.message));
        QCOMPARE(read.data, secret);
        // Overwrite keeps one entry with the new value.
        QVERIFY(wait(store, 1, QStringLiteral("default"), "second").ok());
        QCOMPARE(wait(store, 0, QStringLiteral("default")).data, QByteArray("second"));
        QVERIFY(wait(store, 2, QStringLiteral("default")).ok());
        QCOMPARE(wait(store, 0, QStringLiteral("default")).error, KeychainError::NotFound);
    }

    void servicesAreSeparate()
    {
        KeychainStore a(m_home.keychainService() + QStringLiteral("-a"));
        KeychainStore b(m_home.keychainService() + QStringLiteral("-b"));
        QVERIFY(wait(a, 1, QStringLiteral("k"), "from a").ok());
        QCOMPARE(wait(b, 0, QStringLiteral("k")).error, KeychainError::NotFound);
        QVERIFY(wait(a, 2, QStringLiteral("k")).ok());
    }

    void missingEntry()
    {
        KeychainStore store(m_home.keychainService());
        const KeychainResult r = wait(store, 0, QStringLiteral("never-written"));
        QCOMPARE(r.error, KeychainError::NotFound);
        // Removing what is not there is not an error: logout twice is fine.
        QVERIFY(wait(store, 2, QStringLiteral("never-written")).ok());
    }

    void messagesAreActionable()
    {
        QVERIFY(KeychainStore::describe(KeychainError::NoService)
                    .contains(QStringLiteral("GNOME Keyring")));
        QVERIFY(
            KeychainStore::describe(KeychainError::AccessDenied).contains(QStringLiteral("nlock")));
        QVERIFY(
            KeychainStore::describe(KeychainError::Timeout).contains(QStringLiteral("in time")));
        QVERIFY(KeychainStore::describe(KeychainError::None).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestKeychainStore)
#include "tst_keychainstore.moc"
