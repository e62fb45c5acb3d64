#include "session/instancelock.h"
#include "settings/settings.h"
#include "testhome.h"

#include <QFile>
#include <QTest>

// One owner of the session; and when the lock cannot be taken although no process holds
// it, a reason instead of "already runs".
class TestInstanceLock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void oneOwner()
    {
        TestHome home;
        InstanceLock first;
        QCOMPARE(first.tryLock(), InstanceLock::Result::Locked);
        QVERIFY(first.isLocked());
        InstanceLock second;
        QCOMPARE(second.tryLock(), InstanceLock::Result::HeldByOther);
        QCOMPARE(second.ownerPid(), QCoreApplication::applicationPid());
        QVERIFY(!second.isLocked());
    }

    // A file in the lock's place that names no process (not readable as a lock): nobody
    // holds it, so nobody is to be named as holding it.
    void fileNamingNoProcess()
    {
        TestHome home;
        {
            InstanceLock made; // makes the runtime folder
            QCOMPARE(made.tryLock(), InstanceLock::Result::Locked);
        }
        QFile file(InstanceLock::path());
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("not a lock\n");
        file.close();

        InstanceLock lock;
        QCOMPARE(lock.tryLock(), InstanceLock::Result::Failed);
        QCOMPARE(lock.ownerPid(), qint64(0));
        QVERIFY2(lock.errorString().contains(QLatin1String("could not take the lock")),
                 qPrintable(lock.errorString()));
        QVERIFY2(lock.errorString().contains(InstanceLock::path()), qPrintable(lock.errorString()));
    }

    // The runtime folder is checked before any lock is tried in it.
    void unsafeFolder()
    {
        TestHome home;
        {
            InstanceLock made;
            QCOMPARE(made.tryLock(), InstanceLock::Result::Locked);
        }
        QVERIFY(QFile::setPermissions(Settings::runtimeDir(),
                                      QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                          QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther |
                                          QFile::ExeOther));
        InstanceLock lock;
        QCOMPARE(lock.tryLock(), InstanceLock::Result::Failed);
        QVERIFY2(lock.errorString().contains(Settings::runtimeDir()),
                 qPrintable(lock.errorString()));
        QVERIFY(!QFile::exists(InstanceLock::path()));
    }
};

QTEST_GUILESS_MAIN(TestInstanceLock)
#include "tst_instancelock.moc"
