#include "settings/runtimedir.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

// The checks on the runtime folder, one row per way another local user could have
// prepared it. The same refusals seen from the real process, run as a second user, are in
// tests/app/tst_runtimefolder.cpp.
class TestRuntimeDir : public QObject
{
    Q_OBJECT

    enum Setup {
        Missing,
        MissingParent,
        Private,
        OpenToAll,
        OpenToGroup,
        EnterableByOthers,
        OtherOwner,
        SymlinkToPrivate,
        DanglingSymlink,
        PlainFile,
    };

    static mode_t modeOf(const QString &path)
    {
        struct stat st = {};
        return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_mode : 0;
    }

    static bool makeDir(const QString &path, mode_t mode)
    {
        return QDir().mkdir(path) && ::chmod(QFile::encodeName(path).constData(), mode) == 0;
    }

private Q_SLOTS:
    void checks_data()
    {
        QTest::addColumn<int>("setup");
        QTest::addColumn<QString>("refusal"); // empty: the folder is (made) private
        QTest::newRow("missing: made 0700") << int(Missing) << QString();
        QTest::newRow("missing parent: made") << int(MissingParent) << QString();
        QTest::newRow("private 0700") << int(Private) << QString();
        QTest::newRow("0755") << int(OpenToAll)
                              << QStringLiteral("open to other users (mode 0755)");
        QTest::newRow("0770") << int(OpenToGroup)
                              << QStringLiteral("open to other users (mode 0770)");
        QTest::newRow("0701") << int(EnterableByOthers)
                              << QStringLiteral("open to other users (mode 0701)");
        QTest::newRow("another owner")
            << int(OtherOwner) << QStringLiteral("belongs to another user");
        QTest::newRow("symlink to a private folder")
            << int(SymlinkToPrivate) << QStringLiteral("is a symbolic link");
        QTest::newRow("dangling symlink")
            << int(DanglingSymlink) << QStringLiteral("is a symbolic link");
        QTest::newRow("a file") << int(PlainFile) << QStringLiteral("is not a folder");
    }
    void checks()
    {
        QFETCH(int, setup);
        QFETCH(QString, refusal);
        QTemporaryDir scratch;
        QVERIFY(scratch.isValid());
        QString path = scratch.path() + QStringLiteral("/qwen-bridge-test");
        switch (Setup(setup)) {
        case Missing:
            break;
        case MissingParent:
            path = scratch.path() + QStringLiteral("/run/user/qwen-bridge");
            break;
        case Private:
            QVERIFY(makeDir(path, 0700));
            break;
        case OpenToAll:
            QVERIFY(makeDir(path, 0755));
            break;
        case OpenToGroup:
            QVERIFY(makeDir(path, 0770));
            break;
        case EnterableByOthers:
            QVERIFY(makeDir(path, 0701));
            break;
        case OtherOwner:
            if (::geteuid() == 0) {
                // Private to its owner, and the owner is someone else (nobody).
                QVERIFY(makeDir(path, 0700));
                QCOMPARE(::chown(QFile::encodeName(path).constData(), 65534, 65534), 0);
            } else {
                path = QDir::rootPath(); // root's, and not ours
            }
            break;
        case SymlinkToPrivate: {
            const QString target = scratch.path() + QStringLiteral("/elsewhere");
            QVERIFY(makeDir(target, 0700));
            QVERIFY(QFile::link(target, path));
            break;
        }
        case DanglingSymlink:
            QVERIFY(QFile::link(scratch.path() + QStringLiteral("/not-yet"), path));
            break;
        case PlainFile: {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            break;
        }
        }
        const mode_t before = modeOf(path);

        QString why;
        QCOMPARE(RuntimeDir::isPrivate(path, &why),
                 refusal.isEmpty() && setup != Missing && setup != MissingParent);
        QVERIFY2(refusal.isEmpty() ? why.isEmpty() : why.contains(refusal), qPrintable(why));
        const QString error = RuntimeDir::makePrivate(path);
        if (refusal.isEmpty()) {
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QVERIFY(QFileInfo(path).isDir());
            QCOMPARE(modeOf(path) & 07777, mode_t(0700));
            QVERIFY(RuntimeDir::isPrivate(path));
        } else {
            QVERIFY2(error.contains(refusal), qPrintable(error));
            QVERIFY2(error.contains(path), qPrintable(error));
            // A refused folder is left as it was: nothing is made, followed or changed.
            QCOMPARE(modeOf(path), before);
            QVERIFY(!QFileInfo::exists(scratch.path() + QStringLiteral("/not-yet")));
            QVERIFY(!RuntimeDir::isPrivate(path));
        }
    }

    // The umask of the caller does not loosen or break a new folder.
    void umaskIgnored()
    {
        QTemporaryDir scratch;
        QVERIFY(scratch.isValid());
        const QString path = scratch.path() + QStringLiteral("/qwen-bridge-test");
        const mode_t saved = ::umask(0777);
        const QString error = RuntimeDir::makePrivate(path);
        ::umask(saved);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(modeOf(path) & 07777, mode_t(0700));
    }
};

QTEST_GUILESS_MAIN(TestRuntimeDir)
#include "tst_runtimedir.moc"
