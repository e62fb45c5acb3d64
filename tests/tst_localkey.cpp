// LocalKey: the secret OpenCode presents to the proxy. Random (at least 128 bits), made on
// first run, kept in the real keychain (gnome-keyring on a private D-Bus session, started
// by scripts/test) and compared in constant time.
#include "credentials/keychainstore.h"
#include "proxy/localkey.h"
#include "testhome.h"

#include <QDeadlineTimer>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <optional>

namespace {

constexpr int WaitMs = 30000;

struct Outcome
{
    std::optional<bool> ok;
    QString error;
};

} // namespace

class TestLocalKey : public QObject
{
    Q_OBJECT

    TestHome m_home;

    // Runs one keychain job to its end through the event loop.
    KeychainResult keychainJob(KeychainStore &store, int op, const QByteArray &data = {})
    {
        auto result = std::make_shared<std::optional<KeychainResult>>();
        auto done = [result](const KeychainResult &r) { *result = r; };
        const QString key = QString::fromLatin1(LocalKey::kKeychainKey);
        if (op == 0)
            store.read(key, done);
        else if (op == 1)
            store.write(key, data, done);
        else
            store.remove(key, done);
        QDeadlineTimer deadline(WaitMs);
        while (!result->has_value() && !deadline.hasExpired())
            QTest::qWait(5);
        if (!result->has_value()) {
            KeychainResult r;
            r.error = KeychainError::Timeout;
            r.message = QStringLiteral("no answer from the keychain job");
            return r;
        }
        return **result;
    }

    static std::shared_ptr<Outcome> run(LocalKey &key, bool regenerate)
    {
        auto outcome = std::make_shared<Outcome>();
        auto done = [outcome](const KeychainResult &r) {
            outcome->ok = r.ok();
            outcome->error = r.message;
        };
        if (regenerate)
            key.regenerate(done);
        else
            key.load(done);
        return outcome;
    }

    static QByteArray randomPart(const QString &key)
    {
        return QByteArray::fromBase64(key.mid(3).toLatin1(),
                                      QByteArray::Base64UrlEncoding |
                                          QByteArray::AbortOnBase64DecodingErrors);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
                 "No D-Bus session: run the tests through ./scripts/test, which starts "
                 "gnome-keyring on a private bus");
        QVERIFY(m_home.isValid());
    }

    void init()
    {
        KeychainStore store(m_home.keychainService());
        const KeychainResult r = keychainJob(store, 2);
        QVERIFY2(r.ok(), qPrintable(r.message));
    }

    void generatedKeysAreRandomAndLongEnough()
    {
        QSet<QString> seen;
        for (int i = 0; i < 200; ++i) {
            const QString key = LocalKey::generate();
            QVERIFY(key.startsWith(QStringLiteral("qb-")));
            // URL-safe: it goes into JSON config files and HTTP headers untouched.
            for (QChar c : key)
                QVERIFY2(c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_'),
                         qPrintable(key));
            const QByteArray raw = randomPart(key);
            QVERIFY2(raw.size() * 8 >= 128, qPrintable(key));
            QVERIFY(!raw.isEmpty() && raw != QByteArray(raw.size(), raw.at(0)));
            seen.insert(key);
        }
        QCOMPARE(seen.size(), 200);
    }

    void firstLoadCreatesAndStoresTheKey()
    {
        KeychainStore store(m_home.keychainService());
        LocalKey local(&store);
        QVERIFY(!local.isLoaded());
        QSignalSpy changed(&local, &LocalKey::changed);
        const auto outcome = run(local, false);
        QTRY_VERIFY_WITH_TIMEOUT(outcome->ok.has_value(), WaitMs);
        QVERIFY2(*outcome->ok, qPrintable(outcome->error));
        QVERIFY(local.isLoaded());
        QCOMPARE(changed.size(), 1);
        QVERIFY(randomPart(local.value()).size() * 8 >= 128);

        // It is in the keychain, byte for byte.
        const KeychainResult stored = keychainJob(store, 0);
        QVERIFY2(stored.ok(), qPrintable(stored.message));
        QCOMPARE(stored.data, local.value().toLatin1());

        // Not anywhere on disk.
        QVERIFY2(m_home.filesContaining(local.value().toLatin1()).isEmpty(),
                 qPrintable(m_home.filesContaining(local.value().toLatin1()).join(u' ')));
    }

    void laterLoadsReadTheSameKey()
    {
        KeychainStore store(m_home.keychainService());
        LocalKey first(&store);
        auto a = run(first, false);
        QTRY_VERIFY_WITH_TIMEOUT(a->ok.has_value(), WaitMs);
        QVERIFY(*a->ok);

        // A second start of the application: same key, nothing new written.
        KeychainStore store2(m_home.keychainService());
        LocalKey second(&store2);
        auto b = run(second, false);
        QTRY_VERIFY_WITH_TIMEOUT(b->ok.has_value(), WaitMs);
        QVERIFY(*b->ok);
        QCOMPARE(second.value(), first.value());
    }

    void unusableStoredKeyIsReplaced()
    {
        KeychainStore store(m_home.keychainService());
        QVERIFY(keychainJob(store, 1, "short").ok());
        LocalKey local(&store);
        auto outcome = run(local, false);
        QTRY_VERIFY_WITH_TIMEOUT(outcome->ok.has_value(), WaitMs);
        QVERIFY(*outcome->ok);
        QVERIFY(local.value() != QStringLiteral("short"));
        QVERIFY(randomPart(local.value()).size() * 8 >= 128);
        QCOMPARE(keychainJob(store, 0).data, local.value().toLatin1());
    }

    void regenerateReplacesTheKey()
    {
        KeychainStore store(m_home.keychainService());
        LocalKey local(&store);
        auto a = run(local, false);
        QTRY_VERIFY_WITH_TIMEOUT(a->ok.has_value(), WaitMs);
        const QString old = local.value();
        QSignalSpy changed(&local, &LocalKey::changed);
        auto b = run(local, true);
        QTRY_VERIFY_WITH_TIMEOUT(b->ok.has_value(), WaitMs);
        QVERIFY(*b->ok);
        QCOMPARE(changed.size(), 1);
        QVERIFY(local.value() != old);
        QVERIFY(!local.matches(old.toLatin1()));
        QVERIFY(local.matches(local.value().toLatin1()));
        QCOMPARE(keychainJob(store, 0).data, local.value().toLatin1());
    }

    void matches()
    {
        KeychainStore store(m_home.keychainService());
        LocalKey local(&store);
        // Before there is a key nothing matches, not even nothing.
        QVERIFY(!local.matches(QByteArrayView()));
        QVERIFY(!local.matches(""));
        auto outcome = run(local, false);
        QTRY_VERIFY_WITH_TIMEOUT(outcome->ok.has_value(), WaitMs);
        QVERIFY(*outcome->ok);
        const QByteArray key = local.value().toLatin1();

        QVERIFY(local.matches(key));
        QVERIFY(local.matches(QByteArrayView(key)));
        // Wrong length either way, including every prefix of the key.
        for (qsizetype n = 0; n < key.size(); ++n)
            QVERIFY2(!local.matches(key.left(n)), key.left(n).constData());
        QVERIFY(!local.matches(QByteArray(key + 'x')));
        QVERIFY(!local.matches(QByteArray(key + '\0')));
        QVERIFY(!local.matches(QByteArray(key + key)));
        // Same length, one byte off anywhere.
        for (qsizetype i = 0; i < key.size(); ++i) {
            QByteArray wrong = key;
            wrong[i] = char(wrong[i] ^ 0x01);
            QVERIFY2(!local.matches(wrong), wrong.constData());
        }
        // Case matters.
        QByteArray upper = key.toUpper();
        if (upper != key)
            QVERIFY(!local.matches(upper));
        // A presented value with a NUL where the key ends stays refused.
        QByteArray padded = key;
        padded.append('\0');
        QVERIFY(!local.matches(padded));
        QVERIFY(!local.matches(QByteArray(key.size(), '\0')));
    }
};

QTEST_GUILESS_MAIN(TestLocalKey)
#include "tst_localkey.moc"
