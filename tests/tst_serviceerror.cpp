#include "bridge/serviceerror.h"

#include <QTest>

class TestServiceError : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fromKeychain_data()
    {
        QTest::addColumn<KeychainError>("error");
        QTest::addColumn<QString>("said");
        QTest::addColumn<ServiceError::Kind>("kind");
        QTest::addColumn<bool>("ownSentence"); // the keychain's own sentence is kept
        using K = ServiceError::Kind;
        QTest::newRow("none") << KeychainError::None << QString() << K::None << false;
        QTest::newRow("locked") << KeychainError::AccessDenied << QString() << K::KeychainLocked
                                << false;
        QTest::newRow("no service")
            << KeychainError::NoService << QString() << K::KeychainUnavailable << false;
        QTest::newRow("timeout") << KeychainError::Timeout << QString() << K::KeychainTimeout
                                 << false;
        QTest::newRow("other, with its words")
            << KeychainError::Other << QStringLiteral("D-Bus said no.") << K::KeychainFailed
            << true;
        QTest::newRow("not found where it had to be")
            << KeychainError::NotFound << QString() << K::KeychainFailed << false;
        QTest::newRow("locked, with its words")
            << KeychainError::AccessDenied << QStringLiteral("Refused.") << K::KeychainLocked
            << true;
    }

    void fromKeychain()
    {
        QFETCH(KeychainError, error);
        QFETCH(QString, said);
        QFETCH(ServiceError::Kind, kind);
        QFETCH(bool, ownSentence);
        KeychainResult r;
        r.error = error;
        r.message = said;
        const ServiceError e = ServiceError::fromKeychain(r);
        QCOMPARE(e.kind, kind);
        QCOMPARE(e.ok(), kind == ServiceError::Kind::None);
        QCOMPARE(e.isKeychain(), kind != ServiceError::Kind::None);
        if (e.ok())
            QVERIFY(e.message.isEmpty());
        else if (ownSentence)
            QCOMPARE(e.message, said);
        else
            QCOMPARE(e.message, KeychainStore::describe(error));
    }

    void otherKindsAreNotTheKeychain()
    {
        using K = ServiceError::Kind;
        for (K kind : {K::PortInUse, K::ListenFailed, K::SessionLockFailed, K::QuotaExhausted}) {
            const ServiceError e{kind, QStringLiteral("x")};
            QVERIFY(!e.ok());
            QVERIFY(!e.isKeychain());
        }
    }
};

QTEST_GUILESS_MAIN(TestServiceError)
#include "tst_serviceerror.moc"
