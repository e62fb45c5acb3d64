#include "fakeqwenservice.h"
#include "testhome.h"
#include "testprocess.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QTcpServer>
#include <QTest>

#include <csignal>

// The tray application as a process (offscreen, --windowed): a second start with the same
// HOME hands over to the running one and ends at once, quietly and successfully, while the
// first keeps running and shows itself.
class TestGui : public QObject
{
    Q_OBJECT

    static quint16 freePort()
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        return probe.serverPort();
    }

private Q_SLOTS:
    void secondStartHandsOver()
    {
        TestHome home;
        QVERIFY(home.isValid());
        FakeQwenService fake;
        QVERIFY(fake.start());
        QProcessEnvironment env = home.environment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("QWEN_BRIDGE_OAUTH_URL"), fake.baseUrl().toString());
        env.insert(QStringLiteral("QWEN_BRIDGE_API_URL"), fake.apiBaseUrl().toString());
        env.insert(QStringLiteral("QWEN_BRIDGE_PORT"), QString::number(freePort()));
        // Nothing may reach a real browser when the first one offers to sign in.
        env.insert(QStringLiteral("BROWSER"), QStringLiteral("true"));
        env.remove(QStringLiteral("QT_LOGGING_RULES"));

        TestProcess first(env);
        first.startBridge({QStringLiteral("--windowed")});
        QVERIFY2(first.waitForOutput("proxy listening on", 60000), first.output().constData());
        QCOMPARE(first.state(), QProcess::Running);

        QElapsedTimer took;
        took.start();
        TestProcess second(env);
        second.startBridge({QStringLiteral("--windowed")});
        const int code = second.finish(30000);
        QVERIFY2(code == 0, second.output().constData());
        QVERIFY2(took.elapsed() < 10000, qPrintable(QString::number(took.elapsed())));
        // It started nothing of its own: no proxy, no window, no dialog.
        QVERIFY2(!second.output().contains("proxy listening"), second.output().constData());
        QVERIFY2(!second.output().contains("status window"), second.output().constData());

        // The first one was asked to show itself, and is still there. Signed out, that
        // means the sign-in dialog, which asks the (fake) service for a code.
        QVERIFY2(first.waitForOutput("another start of Qwen Bridge asked to be shown", 20000),
                 first.output().constData());
        QCOMPARE(first.state(), QProcess::Running);
        QTRY_COMPARE_WITH_TIMEOUT(fake.counters().deviceCodeRequests, 1, 20000);

        // It still answers: a third start hands over just the same.
        TestProcess third(env);
        third.startBridge({});
        QCOMPARE(third.finish(30000), 0);
        QCOMPARE(first.state(), QProcess::Running);

        ::kill(pid_t(first.processId()), SIGTERM);
        const int firstCode = first.finish(30000);
        QVERIFY2(firstCode == 0, first.output().right(3000).constData());
    }
};

QTEST_GUILESS_MAIN(TestGui)
#include "tst_gui.moc"
