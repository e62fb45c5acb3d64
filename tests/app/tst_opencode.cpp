#include "credentials/accountstore.h"
#include "credentials/credentialstore.h"
#include "fakeqwenservice.h"
#include "proxy/requestrewriter.h"
#include "settings/settings.h"
#include "testhome.h"
#include "testtokens.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QScopeGuard>
#include <QTcpServer>
#include <QTest>

#include <algorithm>
#include <csignal>

// The real OpenCode CLI (npm opencode-ai, pinned and installed by scripts/test) against the
// real `qwen-bridge serve` in front of the fake Qwen service, configured by
// `qwen-bridge opencode-config --write`.
class TestOpenCode : public QObject
{
    Q_OBJECT

    // Runs a process to the end without blocking the event loop the fake lives in.
    static int run(QProcess &p, int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (p.state() != QProcess::NotRunning && !deadline.hasExpired())
            QTest::qWait(20);
        if (p.state() != QProcess::NotRunning) {
            p.kill();
            p.waitForFinished(5000);
            return -1;
        }
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    }

private Q_SLOTS:
    // OpenCode stopped with Ctrl+C in the middle of an answer, several times in a row.
    void interruptedMidAnswer();
    // A Coding Plan key: no model list upstream, and answers only for coding agents.
    void codingPlanKeyThroughTheProxy();
    void secondCredentialTakesOverWhenTheFirstRunsOut();

    void opencodeRunsThroughTheProxy()
    {
        const QString opencode = qEnvironmentVariable("QWEN_BRIDGE_TEST_OPENCODE");
        QVERIFY2(!opencode.isEmpty() && QFile::exists(opencode),
                 "QWEN_BRIDGE_TEST_OPENCODE must name the opencode binary; ./scripts/test "
                 "installs the pinned opencode-ai and sets it");

        TestHome home;
        FakeQwenService fake;
        QVERIFY(fake.start());
        const quint16 port = freeLoopbackPort();
        QProcessEnvironment env = home.environment();
        env.insert(QStringLiteral("QWEN_BRIDGE_OAUTH_URL"), fake.baseUrl().toString());
        env.insert(QStringLiteral("QWEN_BRIDGE_API_URL"), fake.apiBaseUrl().toString());
        env.insert(QStringLiteral("QWEN_BRIDGE_PORT"), QString::number(port));
        env.remove(QStringLiteral("QWEN_MODE"));

        // Signed in as an earlier `qwen-bridge login` would have left it.
        QNetworkAccessManager nam;
        const TokenSet tokens = signInThroughDeviceFlow(fake, &nam);
        QVERIFY(!tokens.accessToken.isEmpty());
        {
            Settings settings;
            CredentialStore store(settings);
            bool saved = false;
            store.save(Credentials::fromTokens(tokens),
                       [&](const KeychainResult &r) { saved = r.ok(); });
            QTRY_VERIFY(saved);
        }

        QProcess serve;
        serve.setProcessEnvironment(env);
        serve.setProcessChannelMode(QProcess::MergedChannels);
        serve.start(QStringLiteral(QWEN_BRIDGE_BINARY), {QStringLiteral("serve")});
        QVERIFY(serve.waitForStarted());
        QByteArray serveOutput;
        connect(&serve, &QProcess::readyRead, this, [&] { serveOutput += serve.readAll(); });
        QTRY_VERIFY_WITH_TIMEOUT(serveOutput.contains("listening on"), 20000);
        auto stopServe = qScopeGuard([&] {
            serve.terminate();
            serve.waitForFinished(5000);
        });

        QProcess config;
        config.setProcessEnvironment(env);
        config.setProcessChannelMode(QProcess::MergedChannels);
        config.start(QStringLiteral(QWEN_BRIDGE_BINARY),
                     {QStringLiteral("opencode-config"), QStringLiteral("--write")});
        QCOMPARE(run(config, 30000), 0);
        const QString configFile = home.configDir() + QStringLiteral("/opencode/opencode.json");
        QVERIFY(QFile::exists(configFile));

        const QString project = home.path() + QStringLiteral("/project");
        QVERIFY(QDir().mkpath(project));
        QProcess oc;
        QProcessEnvironment ocEnv = home.environment();
        ocEnv.insert(QStringLiteral("PWD"), project); // OpenCode takes its project from PWD
        oc.setProcessEnvironment(ocEnv);
        oc.setWorkingDirectory(project);
        // `opencode run` reads a piped stdin as part of the prompt: give it none.
        oc.setStandardInputFile(QProcess::nullDevice());
        oc.start(opencode, {QStringLiteral("run"), QStringLiteral("Say hello"),
                            QStringLiteral("--model"), QStringLiteral("alibaba/coder-model")});
        QVERIFY(oc.waitForStarted());
        const int code = run(oc, 240000);
        const QByteArray out = oc.readAllStandardOutput();
        const QByteArray err = oc.readAllStandardError();
        QVERIFY2(code == 0, QByteArray(out + err).constData());
        QVERIFY2(out.contains("Hello from the fake Qwen service."),
                 QByteArray(out + err).constData());

        // What the upstream received.
        const QList<FakeChatRequest> requests = fake.chatRequests();
        QVERIFY(!requests.isEmpty());
        for (const FakeChatRequest &r : requests) {
            QCOMPARE(r.bearerToken, fake.lastAccessToken());
            QVERIFY(!r.tokenExpired);
            QCOMPARE(r.model(), QStringLiteral("coder-model"));
            QCOMPARE(r.header("x-dashscope-authtype"), QByteArray("qwen-oauth"));
            QCOMPARE(r.header("x-dashscope-cachecontrol"), QByteArray("enable"));
            QVERIFY(r.header("user-agent").startsWith("QwenBridge/"));
            QVERIFY(r.header("x-dashscope-useragent").startsWith("QwenBridge/"));
            const QJsonArray messages = r.json.value(QStringLiteral("messages")).toArray();
            QVERIFY(!messages.isEmpty());
            const QJsonObject first = messages.first().toObject();
            QCOMPARE(first.value(QStringLiteral("role")).toString(), QStringLiteral("system"));
            QVERIFY(first.value(QStringLiteral("content"))
                        .toString()
                        .startsWith(RequestRewriter::bridgePrompt()));
            int systems = 0;
            for (const QJsonValue &m : messages)
                systems += m.toObject().value(QStringLiteral("role")).toString() ==
                           QLatin1String("system");
            QCOMPARE(systems, 1);
            QVERIFY(r.json.value(QStringLiteral("metadata"))
                        .toObject()
                        .contains(QStringLiteral("sessionId")));
        }
        // The local key OpenCode sent never went upstream.
        QByteArray configText;
        {
            QFile f(configFile);
            QVERIFY(f.open(QIODevice::ReadOnly));
            configText = f.readAll();
        }
        const QString localKey = QJsonDocument::fromJson(configText)
                                     .object()
                                     .value(QStringLiteral("provider"))
                                     .toObject()
                                     .value(QStringLiteral("alibaba"))
                                     .toObject()
                                     .value(QStringLiteral("options"))
                                     .toObject()
                                     .value(QStringLiteral("apiKey"))
                                     .toString();
        QVERIFY(localKey.startsWith(QStringLiteral("qb-")));
        for (const FakeChatRequest &r : requests)
            QVERIFY(r.bearerToken != localKey.toLatin1());
        QVERIFY(!serveOutput.contains(tokens.accessToken.toLatin1()));
    }
};

void TestOpenCode::interruptedMidAnswer()
{
    const QString opencode = qEnvironmentVariable("QWEN_BRIDGE_TEST_OPENCODE");
    QVERIFY2(!opencode.isEmpty() && QFile::exists(opencode),
             "QWEN_BRIDGE_TEST_OPENCODE must name the opencode binary; ./scripts/test "
             "installs the pinned opencode-ai and sets it");

    TestHome home;
    FakeQwenService fake;
    QVERIFY(fake.start());
    // Long answers, so that each interruption lands in the middle of one.
    fake.setStreamEventCount(400);
    fake.setStreamEventDelayMs(25);
    const quint16 port = freeLoopbackPort();
    QProcessEnvironment env = home.environment();
    env.insert(QStringLiteral("QWEN_BRIDGE_OAUTH_URL"), fake.baseUrl().toString());
    env.insert(QStringLiteral("QWEN_BRIDGE_API_URL"), fake.apiBaseUrl().toString());
    env.insert(QStringLiteral("QWEN_BRIDGE_PORT"), QString::number(port));
    QNetworkAccessManager nam;
    const TokenSet tokens = signInThroughDeviceFlow(fake, &nam);
    QVERIFY(!tokens.accessToken.isEmpty());
    {
        Settings settings;
        CredentialStore store(settings);
        bool saved = false;
        store.save(Credentials::fromTokens(tokens),
                   [&](const KeychainResult &r) { saved = r.ok(); });
        QTRY_VERIFY(saved);
    }

    QProcess serve;
    serve.setProcessEnvironment(env);
    serve.setProcessChannelMode(QProcess::MergedChannels);
    serve.start(QStringLiteral(QWEN_BRIDGE_BINARY), {QStringLiteral("serve")});
    QVERIFY(serve.waitForStarted());
    QByteArray serveOutput;
    connect(&serve, &QProcess::readyRead, this, [&] { serveOutput += serve.readAll(); });
    QTRY_VERIFY_WITH_TIMEOUT(serveOutput.contains("listening on"), 20000);
    auto stopServe = qScopeGuard([&] {
        serve.terminate();
        serve.waitForFinished(5000);
    });
    QProcess config;
    config.setProcessEnvironment(env);
    config.start(QStringLiteral(QWEN_BRIDGE_BINARY),
                 {QStringLiteral("opencode-config"), QStringLiteral("--write")});
    QCOMPARE(run(config, 30000), 0);

    const QString project = home.path() + QStringLiteral("/project");
    QVERIFY(QDir().mkpath(project));
    QProcessEnvironment ocEnv = home.environment();
    ocEnv.insert(QStringLiteral("PWD"), project);
    for (int round = 0; round < 3; ++round) {
        const int streamsBefore = fake.counters().chatRequests;
        QProcess oc;
        oc.setProcessEnvironment(ocEnv);
        oc.setWorkingDirectory(project);
        oc.setStandardInputFile(QProcess::nullDevice());
        oc.start(opencode, {QStringLiteral("run"), QStringLiteral("Tell me a long story"),
                            QStringLiteral("--model"), QStringLiteral("alibaba/coder-model")});
        QVERIFY(oc.waitForStarted());
        // Interrupted once the answer is flowing (a few of its events have gone out).
        QTRY_VERIFY_WITH_TIMEOUT(fake.counters().chatRequests > streamsBefore &&
                                     fake.counters().activeStreams > 0,
                                 120000);
        QTest::qWait(300);
        ::kill(pid_t(oc.processId()), SIGINT);
        if (run(oc, 30000) == -1)
            QFAIL("opencode did not stop after SIGINT");
        // The proxy dropped every upstream stream of that answer, and is still there.
        QTRY_COMPARE_WITH_TIMEOUT(fake.counters().activeStreams, 0, 30000);
        QCOMPARE(serve.state(), QProcess::Running);
    }

    // And it still answers a whole request.
    fake.setStreamEventCount(5);
    fake.setStreamEventDelayMs(0);
    QProcess oc;
    oc.setProcessEnvironment(ocEnv);
    oc.setWorkingDirectory(project);
    oc.setStandardInputFile(QProcess::nullDevice());
    oc.start(opencode, {QStringLiteral("run"), QStringLiteral("Say hello"),
                        QStringLiteral("--model"), QStringLiteral("alibaba/coder-model")});
    QVERIFY(oc.waitForStarted());
    const int code = run(oc, 240000);
    const QByteArray out = oc.readAllStandardOutput() + oc.readAllStandardError();
    QVERIFY2(code == 0, out.constData());
    QVERIFY2(out.contains("Hello from the fake Qwen service."), out.constData());
    QCOMPARE(serve.state(), QProcess::Running);
    QVERIFY2(!serveOutput.contains("runtime error") && !serveOutput.contains("AddressSanitizer"),
             serveOutput.constData());
}

void TestOpenCode::codingPlanKeyThroughTheProxy()
{
    const QString opencode = qEnvironmentVariable("QWEN_BRIDGE_TEST_OPENCODE");
    QVERIFY2(!opencode.isEmpty() && QFile::exists(opencode),
             "QWEN_BRIDGE_TEST_OPENCODE must name the opencode binary; ./scripts/test "
             "installs the pinned opencode-ai and sets it");

    TestHome home;
    FakeQwenService fake;
    QVERIFY(fake.start());
    fake.setPlan(FakePlan::CodingPlan);
    fake.setApiKeys({QStringLiteral("sk-sp-e2e-key")});
    // Only OpenCode's own User-Agent passes the agent check: the bridge's alone would not.
    fake.setCodingAgents({QStringLiteral("opencode/")});
    const quint16 port = freeLoopbackPort();
    QProcessEnvironment env = home.environment();
    env.insert(QStringLiteral("QWEN_BRIDGE_PORT"), QString::number(port));
    {
        // As `login --api-key --preset coding-plan-global` stores it, at the fake's address.
        Credentials key;
        key.method = AuthMethod::ApiKey;
        key.apiKey = QStringLiteral("sk-sp-e2e-key");
        key.preset = QStringLiteral("coding-plan-global");
        key.baseUrl = fake.apiBaseUrl();
        Settings settings;
        CredentialStore store(settings);
        bool saved = false;
        store.save(key, [&](const KeychainResult &r) { saved = r.ok(); });
        QTRY_VERIFY(saved);
    }

    QProcess serve;
    serve.setProcessEnvironment(env);
    serve.setProcessChannelMode(QProcess::MergedChannels);
    serve.start(QStringLiteral(QWEN_BRIDGE_BINARY), {QStringLiteral("serve")});
    QVERIFY(serve.waitForStarted());
    QByteArray serveOutput;
    connect(&serve, &QProcess::readyRead, this, [&] { serveOutput += serve.readAll(); });
    QTRY_VERIFY_WITH_TIMEOUT(serveOutput.contains("listening on"), 20000);
    auto stopServe = qScopeGuard([&] {
        serve.terminate();
        serve.waitForFinished(5000);
    });

    QProcess config;
    config.setProcessEnvironment(env);
    config.setProcessChannelMode(QProcess::MergedChannels);
    config.start(QStringLiteral(QWEN_BRIDGE_BINARY),
                 {QStringLiteral("opencode-config"), QStringLiteral("--write")});
    QCOMPARE(run(config, 30000), 0);
    QFile configFile(home.configDir() + QStringLiteral("/opencode/opencode.json"));
    QVERIFY(configFile.open(QIODevice::ReadOnly));
    QVERIFY(configFile.readAll().contains("\"MiniMax-M2.5\"")); // the plan's models

    const QString project = home.path() + QStringLiteral("/project");
    QVERIFY(QDir().mkpath(project));
    QProcess oc;
    QProcessEnvironment ocEnv = home.environment();
    ocEnv.insert(QStringLiteral("PWD"), project);
    oc.setProcessEnvironment(ocEnv);
    oc.setWorkingDirectory(project);
    oc.setStandardInputFile(QProcess::nullDevice());
    oc.start(opencode, {QStringLiteral("run"), QStringLiteral("Say hello"),
                        QStringLiteral("--model"), QStringLiteral("alibaba/coder-model")});
    QVERIFY(oc.waitForStarted());
    const int code = run(oc, 240000);
    const QByteArray out = oc.readAllStandardOutput() + oc.readAllStandardError();
    QVERIFY2(code == 0, out.constData());
    QVERIFY2(out.contains("Hello from the fake Qwen service."), out.constData());

    const QList<FakeChatRequest> requests = fake.chatRequests();
    QVERIFY(!requests.isEmpty());
    bool coder = false;
    for (const FakeChatRequest &r : requests) {
        QCOMPARE(r.bearerToken, QByteArray("sk-sp-e2e-key"));
        QVERIFY2(r.header("user-agent").startsWith("opencode/") &&
                     r.header("user-agent").endsWith(" QwenBridge/" QWEN_BRIDGE_VERSION),
                 r.header("user-agent").constData());
        QVERIFY(r.header("x-dashscope-authtype").isEmpty());
        coder = coder || r.model() == QLatin1String("qwen3-coder-plus"); // the plan's coder
    }
    QVERIFY(coder);
    QVERIFY(!serveOutput.contains("sk-sp-e2e-key"));

    // The usage meter counted what the upstream reported for each of OpenCode's requests:
    // `usage --json` shows it (the bridge writes at most a second behind), while the app runs.
    qint64 prompt = 0;
    qint64 completion = 0;
    for (const FakeChatRequest &r : requests) {
        prompt += std::max(1, int(r.body.size() / 4));
        completion += std::max(1, int(fake.replyText().size() / 4));
    }
    QJsonObject report;
    auto usageJson = [&] {
        QProcess usage;
        usage.setProcessEnvironment(env);
        usage.start(QStringLiteral(QWEN_BRIDGE_BINARY),
                    {QStringLiteral("usage"), QStringLiteral("--json"), QStringLiteral("--days"),
                     QStringLiteral("1")});
        if (run(usage, 30000) != 0)
            return QJsonObject();
        return QJsonDocument::fromJson(usage.readAllStandardOutput()).object();
    };
    QTRY_VERIFY_WITH_TIMEOUT((report = usageJson())
                                     .value(QLatin1String("total"))
                                     .toObject()
                                     .value(QLatin1String("requests"))
                                     .toInteger() == requests.size(),
                             10000);
    const QJsonObject total = report.value(QLatin1String("total")).toObject();
    QCOMPARE(total.value(QLatin1String("succeeded")).toInteger(), qint64(requests.size()));
    QCOMPARE(total.value(QLatin1String("prompt_tokens")).toInteger(), prompt);
    QCOMPARE(total.value(QLatin1String("completion_tokens")).toInteger(), completion);
    QCOMPARE(report.value(QLatin1String("plan")).toObject().value(QLatin1String("id")).toString(),
             QStringLiteral("coding-plan-global"));
    const QJsonArray windows = report.value(QLatin1String("windows")).toArray();
    QCOMPARE(windows.size(), 3); // 5 hours, week, month
    for (const QJsonValue &w : windows) {
        const QJsonObject o = w.toObject();
        QCOMPARE(o.value(QLatin1String("used")).toInteger(), qint64(requests.size()));
        QVERIFY(o.value(QLatin1String("limit")).toInteger() > 0);
        QVERIFY(QDateTime::fromString(o.value(QLatin1String("resets_at")).toString(), Qt::ISODate) >
                QDateTime::currentDateTimeUtc());
    }
    // The same numbers with the app stopped.
    stopServe.dismiss();
    serve.terminate();
    QVERIFY(serve.waitForFinished(5000));
    QCOMPARE(usageJson().value(QLatin1String("total")).toObject(), total);
}

// Two credentials (issue 17): the Coding Plan key first, whose 5-hour window is used up, and
// a pay-as-you-go key. OpenCode's request succeeds on the second without seeing the first's
// 429; `accounts list --json` shows the first as exhausted until its reset and the second
// as serving, and so do `status` and the usage meter.
void TestOpenCode::secondCredentialTakesOverWhenTheFirstRunsOut()
{
    const QString opencode = qEnvironmentVariable("QWEN_BRIDGE_TEST_OPENCODE");
    QVERIFY2(!opencode.isEmpty() && QFile::exists(opencode),
             "QWEN_BRIDGE_TEST_OPENCODE must name the opencode binary; ./scripts/test "
             "installs the pinned opencode-ai and sets it");

    TestHome home;
    FakeQwenService coding;
    FakeQwenService payg;
    QVERIFY(coding.start());
    QVERIFY(payg.start());
    coding.setPlan(FakePlan::CodingPlan);
    coding.setApiKeys({QStringLiteral("sk-sp-first-key")});
    coding.setCodingAgents({QStringLiteral("opencode/")});
    coding.failNextChats(FakeChatFault::HourQuota, 1000);
    payg.setPlan(FakePlan::PayAsYouGo);
    payg.setApiKeys({QStringLiteral("sk-second-key")});
    const quint16 port = freeLoopbackPort();
    QProcessEnvironment env = home.environment();
    env.insert(QStringLiteral("QWEN_BRIDGE_PORT"), QString::number(port));
    {
        Credentials first;
        first.method = AuthMethod::ApiKey;
        first.apiKey = QStringLiteral("sk-sp-first-key");
        first.preset = QStringLiteral("coding-plan-global");
        first.baseUrl = coding.apiBaseUrl();
        Settings settings;
        CredentialStore store(settings);
        bool saved = false;
        store.save(first, [&](const KeychainResult &r) { saved = r.ok(); });
        QTRY_VERIFY(saved);
    }
    // The second as `login --api-key --name payg` adds it.
    QProcess login;
    login.setProcessEnvironment(env);
    login.setProcessChannelMode(QProcess::MergedChannels);
    login.start(QStringLiteral(QWEN_BRIDGE_BINARY),
                {QStringLiteral("login"), QStringLiteral("--api-key"), QStringLiteral("--name"),
                 QStringLiteral("payg"), QStringLiteral("--preset"),
                 QStringLiteral("payg-singapore"), QStringLiteral("--base-url"),
                 payg.apiBaseUrl().toString()});
    QVERIFY(login.waitForStarted());
    login.write("sk-second-key\n");
    login.closeWriteChannel();
    QCOMPARE(run(login, 60000), 0);

    QProcess serve;
    serve.setProcessEnvironment(env);
    serve.setProcessChannelMode(QProcess::MergedChannels);
    serve.start(QStringLiteral(QWEN_BRIDGE_BINARY), {QStringLiteral("serve")});
    QVERIFY(serve.waitForStarted());
    QByteArray serveOutput;
    connect(&serve, &QProcess::readyRead, this, [&] { serveOutput += serve.readAll(); });
    QTRY_VERIFY_WITH_TIMEOUT(serveOutput.contains("listening on"), 20000);
    auto stopServe = qScopeGuard([&] {
        serve.terminate();
        serve.waitForFinished(5000);
    });

    QProcess config;
    config.setProcessEnvironment(env);
    config.setProcessChannelMode(QProcess::MergedChannels);
    config.start(QStringLiteral(QWEN_BRIDGE_BINARY),
                 {QStringLiteral("opencode-config"), QStringLiteral("--write")});
    QCOMPARE(run(config, 30000), 0);

    const QString project = home.path() + QStringLiteral("/project");
    QVERIFY(QDir().mkpath(project));
    QProcess oc;
    QProcessEnvironment ocEnv = home.environment();
    ocEnv.insert(QStringLiteral("PWD"), project);
    oc.setProcessEnvironment(ocEnv);
    oc.setWorkingDirectory(project);
    oc.setStandardInputFile(QProcess::nullDevice());
    oc.start(opencode, {QStringLiteral("run"), QStringLiteral("Say hello"),
                        QStringLiteral("--model"), QStringLiteral("alibaba/coder-model")});
    QVERIFY(oc.waitForStarted());
    const int code = run(oc, 240000);
    const QByteArray out = oc.readAllStandardOutput() + oc.readAllStandardError();
    QVERIFY2(code == 0, out.constData());
    QVERIFY2(out.contains("Hello from the fake Qwen service."), out.constData());
    QVERIFY2(!out.contains("quota"), out.constData());

    // The first credential was tried once and answered 429; every answer came from the second.
    QCOMPARE(coding.counters().chatRequests, 1);
    QVERIFY(payg.counters().chatRequests >= 1);
    for (const FakeChatRequest &r : payg.chatRequests())
        QCOMPARE(r.bearerToken, QByteArray("sk-second-key"));

    auto jsonOf = [&](const QStringList &args) {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(QWEN_BRIDGE_BINARY), args);
        if (run(p, 30000) != 0)
            return QJsonObject();
        return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    };
    const QJsonObject accounts =
        jsonOf({QStringLiteral("accounts"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(accounts.value(QLatin1String("running")).toBool(), true);
    QCOMPARE(accounts.value(QLatin1String("serving")).toString(), QStringLiteral("payg"));
    const QJsonArray list = accounts.value(QLatin1String("accounts")).toArray();
    QCOMPARE(list.size(), 2);
    const QJsonObject first = list.at(0).toObject();
    QCOMPARE(first.value(QLatin1String("name")).toString(), QStringLiteral("default"));
    QCOMPARE(first.value(QLatin1String("state")).toString(), QStringLiteral("exhausted"));
    QVERIFY(QDateTime::fromString(first.value(QLatin1String("until")).toString(), Qt::ISODate) >
            QDateTime::currentDateTimeUtc());
    QVERIFY(first.value(QLatin1String("reason"))
                .toString()
                .contains(QLatin1String("hour allocated quota exceeded")));
    const QJsonObject second = list.at(1).toObject();
    QCOMPARE(second.value(QLatin1String("name")).toString(), QStringLiteral("payg"));
    QCOMPARE(second.value(QLatin1String("state")).toString(), QStringLiteral("usable"));
    QCOMPARE(second.value(QLatin1String("serving")).toBool(), true);

    const QJsonObject status = jsonOf({QStringLiteral("status"), QStringLiteral("--json")});
    QCOMPARE(status.value(QLatin1String("serving")).toString(), QStringLiteral("payg"));
    // The usage meter counted the answers under the credential that gave them.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const QJsonArray by = jsonOf({QStringLiteral("usage"), QStringLiteral("--json"),
                                          QStringLiteral("--days"), QStringLiteral("1")})
                                      .value(QLatin1String("by_credential"))
                                      .toArray();
            for (const QJsonValue &v : by) {
                const QJsonObject o = v.toObject();
                if (o.value(QLatin1String("credential")).toString() == QLatin1String("payg"))
                    return o.value(QLatin1String("succeeded")).toInteger() ==
                           payg.counters().chatRequests;
            }
            return false;
        }(),
        10000);

    // The state outlives serve: the same list with nothing running.
    stopServe.dismiss();
    serve.terminate();
    QVERIFY(serve.waitForFinished(5000));
    const QJsonObject stored =
        jsonOf({QStringLiteral("accounts"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(stored.value(QLatin1String("running")).toBool(), false);
    const QJsonObject storedFirst =
        stored.value(QLatin1String("accounts")).toArray().at(0).toObject();
    QCOMPARE(storedFirst.value(QLatin1String("state")).toString(), QStringLiteral("exhausted"));
    QCOMPARE(storedFirst.value(QLatin1String("until")), first.value(QLatin1String("until")));
    QVERIFY(!serveOutput.contains("sk-sp-first-key") && !serveOutput.contains("sk-second-key"));
}

QTEST_GUILESS_MAIN(TestOpenCode)
#include "tst_opencode.moc"
