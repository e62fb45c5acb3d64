#include "fakeqwenservice.h"
#include "testhome.h"
#include "testprocess.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTemporaryFile>
#include <QTest>

// A whole session with every log switched on, then a search of every file under HOME and
// of everything the processes printed for each token and key that existed. Only the
// OpenCode config may hold the proxy's local key: that is where it belongs.
class TestNoSecrets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fullSessionLeaksNothing()
    {
        TestHome home;
        FakeQwenService fake;
        QVERIFY(fake.start());
        fake.setApiKeys({QStringLiteral("sk-secret-api-key-0123456789")});
        fake.setTokenLifetime(12); // several renewals during the session
        fake.setAutoApproveAfterPolls(0);
        fake.setPollInterval(1);
        QByteArrayList secrets = {"sk-secret-api-key-0123456789"};
        connect(&fake, &FakeQwenService::tokensIssued, this,
                [&](const QByteArray &a, const QByteArray &r) { secrets << a << r; });
        connect(&fake, &FakeQwenService::refreshed, this,
                [&](const QByteArray &a, const QByteArray &r) {
                    secrets << a;
                    if (!r.isEmpty())
                        secrets << r;
                });

        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        const quint16 port = probe.serverPort();
        probe.close();
        QProcessEnvironment env = home.environment();
        env.insert(QStringLiteral("QWEN_BRIDGE_OAUTH_URL"), fake.baseUrl().toString());
        env.insert(QStringLiteral("QWEN_BRIDGE_API_URL"), fake.apiBaseUrl().toString());
        env.insert(QStringLiteral("QWEN_BRIDGE_PORT"), QString::number(port));
        env.insert(QStringLiteral("DEBUG_QWEN_PLUGIN"), QStringLiteral("1"));
        env.insert(QStringLiteral("ENABLE_PLUGIN_REQUEST_LOGGING"), QStringLiteral("1"));
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true"));
        QByteArray printed;

        auto runToEnd = [&](const QStringList &args, const QString &stdinFile = {}) {
            TestProcess p(env);
            if (!stdinFile.isEmpty())
                p.setStandardInputFile(stdinFile);
            p.startBridge(args);
            const int code = p.finish(60000);
            printed += p.output();
            return code;
        };

        const int loginCode = runToEnd({QStringLiteral("login"), QStringLiteral("--no-browser")});
        QVERIFY2(loginCode == 0, printed.constData());
        QCOMPARE(runToEnd({QStringLiteral("status"), QStringLiteral("--json")}), 0);
        QCOMPARE(runToEnd({QStringLiteral("opencode-config"), QStringLiteral("--write")}), 0);
        const QString configFile = home.configDir() + QStringLiteral("/opencode/opencode.json");
        QFile cfg(configFile);
        QVERIFY(cfg.open(QIODevice::ReadOnly));
        const QByteArray localKey = QJsonDocument::fromJson(cfg.readAll())
                                        .object()[QStringLiteral("provider")]
                                        .toObject()[QStringLiteral("alibaba")]
                                        .toObject()[QStringLiteral("options")]
                                        .toObject()[QStringLiteral("apiKey")]
                                        .toString()
                                        .toLatin1();
        QVERIFY(localKey.size() >= 22);

        TestProcess serve(env);
        serve.startBridge({QStringLiteral("serve")});
        QVERIFY(serve.waitForOutput("listening on"));
        QNetworkAccessManager nam;
        auto chat = [&](bool stream) {
            QNetworkRequest r(
                QUrl(QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(port)));
            r.setRawHeader("Authorization", "Bearer " + localKey);
            r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            const QJsonObject body{
                {QStringLiteral("model"), QStringLiteral("coder-model")},
                {QStringLiteral("stream"), stream},
                {QStringLiteral("messages"),
                 QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                        {QStringLiteral("content"), QStringLiteral("hi")}}}}};
            QNetworkReply *reply = nam.post(r, QJsonDocument(body).toJson());
            QDeadlineTimer deadline(30000);
            while (!reply->isFinished() && !deadline.hasExpired())
                QTest::qWait(5);
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            reply->deleteLater();
            return status;
        };
        // Requests across renewals, a 401 that forces one, and an error path.
        QDeadlineTimer session(25000);
        int i = 0;
        while (!session.hasExpired()) {
            QCOMPARE(chat(i++ % 2 == 0), 200);
            QTest::qWait(300);
        }
        fake.failNextChats(FakeChatFault::Unauthorized, 1);
        QCOMPARE(chat(false), 200);
        fake.failNextChats(FakeChatFault::ServerError, 5, 503);
        chat(false);
        QVERIFY(fake.counters().refreshesIssued >= 2);

        // Switch to an API key while it runs, and use it.
        QTemporaryFile keyFile;
        QVERIFY(keyFile.open());
        keyFile.write("sk-secret-api-key-0123456789\n");
        keyFile.close();
        QCOMPARE(runToEnd({QStringLiteral("login"), QStringLiteral("--api-key"),
                           QStringLiteral("--base-url"), fake.apiBaseUrl().toString()},
                          keyFile.fileName()),
                 0);
        QTRY_COMPARE_WITH_TIMEOUT(chat(true), 200, 20000);
        QCOMPARE(runToEnd({QStringLiteral("status")}), 0);
        serve.terminate();
        serve.finish(20000);
        printed += serve.output();

        // The request logs were really written (the search below is not vacuous).
        QDirIterator logs(home.stateDir(), {QStringLiteral("request-*.json")}, QDir::Files,
                          QDirIterator::Subdirectories);
        QVERIFY2(logs.hasNext(), "no request log files were written");
        QVERIFY(printed.contains("qwenbridge.")); // debug lines were on

        QVERIFY(secrets.size() >= 5);
        for (const QByteArray &secret : std::as_const(secrets)) {
            QVERIFY2(!printed.contains(secret), "a secret appeared in a process's output");
            const QStringList files = home.filesContaining(secret);
            QVERIFY2(files.isEmpty(), qPrintable(files.join(QLatin1Char(' '))));
        }
        QVERIFY(!printed.contains(localKey));
        const QStringList withLocalKey = home.filesContaining(localKey);
        for (const QString &file : withLocalKey)
            QVERIFY2(file.startsWith(home.configDir() + QStringLiteral("/opencode/")),
                     qPrintable(file));
    }
};

QTEST_GUILESS_MAIN(TestNoSecrets)
#include "tst_nosecrets.moc"
