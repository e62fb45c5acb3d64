// The runtime folder as a second user on the same computer sees it: the real
// `qwen-bridge`, run as its own user (nobody, when the tests run as root as in CI), finds a
// folder another user prepared in the shared temp folder, or a lock it cannot take. Each
// time it refuses, names the folder or the lock, and says what to do; it never claims
// that another Qwen Bridge runs when none does, and never asks a stranger's socket.

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/stat.h>
#include <unistd.h>

namespace {

struct Run
{
    int exitCode = -1; // -1: did not end in time, or crashed
    QString out;
    QString err;

    QString describe() const
    {
        return QStringLiteral("exit=%1\n--- stdout:\n%2\n--- stderr:\n%3")
            .arg(exitCode)
            .arg(out, err);
    }
};

bool makeDir(const QString &path, mode_t mode, uid_t owner)
{
    const QByteArray native = QFile::encodeName(path);
    return ::mkdir(native.constData(), mode) == 0 && ::chmod(native.constData(), mode) == 0 &&
           (owner == ::geteuid() || ::chown(native.constData(), owner, owner) == 0);
}

mode_t modeOf(const QString &path)
{
    struct stat st = {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_mode : 0;
}

} // namespace

class TestRuntimeFolder : public QObject
{
    Q_OBJECT

    QTemporaryDir m_scratch;
    bool m_root = ::geteuid() == 0;
    // Who runs qwen-bridge. As root, a second user: root is then the other local user.
    uid_t m_person = m_root ? 65534 : ::geteuid();
    QString m_binary;

    QString tmpDir() const { return m_scratch.path() + QStringLiteral("/tmp"); }
    QString homeDir() const { return m_scratch.path() + QStringLiteral("/home"); }
    // Where qwen-bridge keeps its lock and socket without XDG_RUNTIME_DIR.
    QString fallbackFolder() const
    {
        return tmpDir() + QStringLiteral("/qwen-bridge-%1").arg(m_person);
    }

    QProcessEnvironment environment(const QString &xdgRuntimeDir = {}) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &name : env.keys()) {
            if (name.startsWith(QLatin1String("XDG_")) || name.startsWith(QLatin1String("QWEN_")) ||
                name.startsWith(QLatin1String("DBUS_")) || name == QLatin1String("DISPLAY") ||
                name == QLatin1String("WAYLAND_DISPLAY"))
                env.remove(name);
        }
        env.insert(QStringLiteral("HOME"), homeDir());
        env.insert(QStringLiteral("TMPDIR"), tmpDir());
        // Not the uid's name: the folder is named by the number, whatever USER says.
        env.insert(QStringLiteral("USER"), QStringLiteral("alice"));
        if (!xdgRuntimeDir.isEmpty())
            env.insert(QStringLiteral("XDG_RUNTIME_DIR"), xdgRuntimeDir);
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        // Under the sanitizers (scripts/test), the second user may not write the report
        // folder nor read the suppressions in the tree: its reports go to stderr, which a
        // failure prints, and it reads a copy of the suppressions.
        for (const char *name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
            const QString var = QLatin1String(name);
            if (!env.contains(var))
                continue;
            QStringList options;
            for (const QString &option :
                 env.value(var).split(QLatin1Char(':'), Qt::SkipEmptyParts)) {
                if (option.startsWith(QLatin1String("log_path=")))
                    continue;
                if (option.startsWith(QLatin1String("suppressions="))) {
                    const QString copy =
                        m_scratch.path() + QStringLiteral("/") + var + QStringLiteral(".supp");
                    QFile::remove(copy);
                    QFile::copy(option.mid(int(qstrlen("suppressions="))), copy);
                    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner |
                                                    QFile::ReadGroup | QFile::ReadOther);
                    options << QStringLiteral("suppressions=") + copy;
                    continue;
                }
                options << option;
            }
            env.insert(var, options.join(QLatin1Char(':')));
        }
        // Nothing reaches a network or a real service.
        env.insert(QStringLiteral("QWEN_BRIDGE_OAUTH_URL"), QStringLiteral("http://127.0.0.1:9"));
        env.insert(QStringLiteral("QWEN_BRIDGE_API_URL"), QStringLiteral("http://127.0.0.1:9/v1"));
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        env.insert(QStringLiteral("QWEN_BRIDGE_PORT"), QString::number(probe.serverPort()));
        return env;
    }

    void startAsPerson(QProcess &p, const QStringList &args, const QProcessEnvironment &env) const
    {
        p.setProcessEnvironment(env);
        p.setStandardInputFile(QProcess::nullDevice());
        if (m_root) {
            p.start(QStringLiteral("setpriv"),
                    QStringList{QStringLiteral("--reuid=%1").arg(m_person),
                                QStringLiteral("--regid=%1").arg(m_person),
                                QStringLiteral("--clear-groups"), m_binary} +
                        args);
        } else {
            p.start(m_binary, args);
        }
    }

    // Spins the event loop while it runs: a test's own socket may have to answer.
    Run runAsPerson(const QStringList &args, const QProcessEnvironment &env) const
    {
        QProcess p;
        startAsPerson(p, args, env);
        Run r;
        if (QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 60000)) {
            if (p.exitStatus() == QProcess::NormalExit)
                r.exitCode = p.exitCode();
        } else {
            p.kill();
            p.waitForFinished(5000);
        }
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_scratch.isValid());
        // The second user must reach the scratch folder and run a copy of the program
        // (the build tree may lie in a home folder only root may enter).
        QVERIFY(QFile::setPermissions(m_scratch.path(), QFile::ReadOwner | QFile::WriteOwner |
                                                            QFile::ExeOwner | QFile::ReadOther |
                                                            QFile::ExeOther | QFile::ReadGroup |
                                                            QFile::ExeGroup));
        QVERIFY(QDir().mkdir(m_scratch.path() + QStringLiteral("/bin")));
        m_binary = m_scratch.path() + QStringLiteral("/bin/qwen-bridge");
        QVERIFY(QFile::copy(QStringLiteral(QWEN_BRIDGE_BINARY), m_binary));
        QVERIFY(QFile::setPermissions(
            m_binary, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther |
                          QFile::ExeOther | QFile::ReadGroup | QFile::ExeGroup));
        if (m_root)
            QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("setpriv")).isEmpty(),
                     "setpriv (util-linux) runs qwen-bridge as a second user");
    }

    void init()
    {
        // A shared temp folder like /tmp, and a home of the person's own.
        QDir(tmpDir()).removeRecursively();
        QDir(homeDir()).removeRecursively();
        QVERIFY(makeDir(tmpDir(), 01777, ::geteuid()));
        QVERIFY(makeDir(homeDir(), 0700, m_person));
    }

    void serveRefuses_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QString>("expected"); // in what qwen-bridge says on stderr
        QTest::newRow("folder of another user")
            << QStringLiteral("other-owner") << QStringLiteral("belongs to another user");
        QTest::newRow("own folder, mode 0755")
            << QStringLiteral("open") << QStringLiteral("open to other users (mode 0755)");
        QTest::newRow("symlink in place of the folder")
            << QStringLiteral("symlink") << QStringLiteral("is a symbolic link");
        QTest::newRow("lock names no process")
            << QStringLiteral("unreadable-lock") << QStringLiteral("could not take the lock");
        QTest::newRow("lock cannot be made")
            << QStringLiteral("read-only-folder")
            << QStringLiteral("could not take the lock %1/instance.lock (permission denied)");
    }
    void serveRefuses()
    {
        QFETCH(QString, setup);
        QFETCH(QString, expected);
        QString folder = fallbackFolder();
        QString xdg;       // the lock cases use XDG_RUNTIME_DIR, whose folder name never changed
        QString untouched; // a file the refusal must leave as it is
        mode_t mode = 0;
        if (setup == QLatin1String("other-owner")) {
            if (!m_root)
                QSKIP("Another user's folder needs root to make; CI runs the tests as root");
            QVERIFY(makeDir(folder, 0755, 0));
        } else if (setup == QLatin1String("open")) {
            QVERIFY(makeDir(folder, 0755, m_person));
        } else if (setup == QLatin1String("symlink")) {
            // It points at a private folder of the person's own: only the link is wrong.
            const QString target = m_scratch.path() + QStringLiteral("/planted");
            QDir(target).removeRecursively();
            QVERIFY(makeDir(target, 0700, m_person));
            QVERIFY(QFile::link(target, folder));
        } else {
            xdg = m_scratch.path() + QStringLiteral("/xdg-run");
            QDir(xdg).removeRecursively();
            QVERIFY(makeDir(xdg, 0700, m_person));
            folder = xdg + QStringLiteral("/qwen-bridge");
            if (setup == QLatin1String("unreadable-lock")) {
                QVERIFY(makeDir(folder, 0700, m_person));
                // A lock file the person cannot read (root's, or with no permissions),
                // so it names no process to hand over to.
                untouched = folder + QStringLiteral("/instance.lock");
                QFile lock(untouched);
                QVERIFY(lock.open(QIODevice::WriteOnly));
                lock.write("1\n\n\n");
                lock.close();
                QVERIFY(QFile::setPermissions(untouched, m_root
                                                             ? QFile::ReadOwner | QFile::WriteOwner
                                                             : QFile::Permissions()));
            } else {
                QVERIFY(makeDir(folder, 0500, m_person));
                expected = expected.arg(folder);
            }
        }
        mode = modeOf(folder);

        const Run r = runAsPerson({QStringLiteral("serve")}, environment(xdg));
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        QVERIFY2(r.err.contains(expected), qPrintable(r.describe()));
        QVERIFY2(r.err.contains(folder), qPrintable(r.describe()));
        QVERIFY2(!r.err.contains(QLatin1String("already runs")), qPrintable(r.describe()));
        QVERIFY2(!r.out.contains(QLatin1String("listening")), qPrintable(r.describe()));
        // Refused, not repaired behind the person's back.
        QCOMPARE(modeOf(folder), mode);
        if (!untouched.isEmpty())
            QVERIFY(QFile::exists(untouched));
    }

    // The tray application says the same, then ends with an error (its message box is
    // closed here by SIGTERM, as a person would close it).
    void trayRefuses()
    {
        QVERIFY(makeDir(fallbackFolder(), 0755, m_person));
        QProcess tray;
        startAsPerson(tray, {QStringLiteral("--windowed")}, environment());
        QByteArray err;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         err += tray.readAllStandardError();
                         return err.contains("open to other users") ||
                                tray.state() == QProcess::NotRunning;
                     },
                     60000),
                 err.constData());
        QVERIFY2(err.contains("open to other users (mode 0755)"), err.constData());
        QVERIFY2(err.contains(fallbackFolder().toUtf8()), err.constData());
        QVERIFY2(!err.contains("proxy listening"), err.constData());
        if (tray.state() != QProcess::NotRunning)
            ::kill(pid_t(tray.processId()), SIGTERM);
        QVERIFY(QTest::qWaitFor([&] { return tray.state() == QProcess::NotRunning; }, 30000));
        QCOMPARE(tray.exitStatus(), QProcess::NormalExit);
        QCOMPARE(tray.exitCode(), 1);
    }

    // A socket of someone else's in a folder open to them, ready to say "signed in" and to
    // swallow `logout`: `status` does not ask it.
    void statusIgnoresStrangerSocket()
    {
        const QString xdg = m_scratch.path() + QStringLiteral("/xdg-run");
        QDir(xdg).removeRecursively();
        QVERIFY(makeDir(xdg, 0700, m_person));
        const QString folder = xdg + QStringLiteral("/qwen-bridge");
        // As root the stranger is root; otherwise a folder of the person's own that anyone
        // may write to serves the same purpose.
        QVERIFY(makeDir(folder, 0777, m_root ? 0 : m_person));
        QLocalServer stranger;
        stranger.setSocketOptions(QLocalServer::WorldAccessOption);
        QVERIFY(stranger.listen(folder + QStringLiteral("/control")));
        int asked = 0;
        connect(&stranger, &QLocalServer::newConnection, this, [&] {
            while (QLocalSocket *s = stranger.nextPendingConnection()) {
                ++asked;
                connect(s, &QLocalSocket::readyRead, s, [s] {
                    s->write(R"({"ok":true,"state":"signed_in","pid":4242,"proxy_url":"x"})"
                             "\n");
                    s->flush();
                });
            }
        });

        const Run r =
            runAsPerson({QStringLiteral("status"), QStringLiteral("--json")}, environment(xdg));
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QVERIFY2(!o.isEmpty(), qPrintable(r.describe()));
        QCOMPARE(asked, 0);
        // And says why it did not ask.
        QVERIFY2(r.err.contains(folder), qPrintable(r.describe()));
        QVERIFY2(r.err.contains(m_root ? QLatin1String("belongs to another user")
                                       : QLatin1String("open to other users (mode 0777)")),
                 qPrintable(r.describe()));
        QVERIFY2(!o.value(QLatin1String("app_running")).toBool(), qPrintable(r.describe()));
        QVERIFY2(!o.contains(QLatin1String("app_pid")), qPrintable(r.describe()));
    }
};

QTEST_GUILESS_MAIN(TestRuntimeFolder)
#include "tst_runtimefolder.moc"
