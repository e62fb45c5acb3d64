#include "credentials/credentialstore.h"
#include "fakeqwenservice.h"
#include "proxy/localkey.h"
#include "settings/settings.h"
#include "testhome.h"
#include "testprocess.h"
#include "testtokens.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTemporaryFile>
#include <QTest>

// The API-key path end to end: `login --api-key` checks the key before storing it, the
// proxy serves it, the quota message points to it, and switching methods needs no restart.
class TestApiKeyLogin : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestHome> m_home;
    std::unique_ptr<FakeQwenService> m_fake;
    QNetworkAccessManager m_nam;
    QProcessEnvironment m_env;
    quint16 m_port = 0;
    QString m_localKey;

    // `login --api-key` with the key on standard input, as a person pipes it.
    int loginWithKey(const QByteArray &key, const QStringList &extra, QByteArray *output)
    {
        QTemporaryFile keyFile;
        keyFile.open();
        keyFile.write(key + '\n');
        keyFile.close();
        TestProcess p(m_env);
        p.setStandardInputFile(keyFile.fileName());
        p.startBridge(QStringList{QStringLiteral("login"), QStringLiteral("--api-key")} + extra);
        const int code = p.finish(60000);
        if (output)
            *output = p.output();
        return code;
    }

    QJsonObject statusJson(QByteArray *raw = nullptr)
    {
        TestProcess p(m_env);
        p.startBridge({QStringLiteral("status"), QStringLiteral("--json")});
        p.finish(30000);
        if (raw)
            *raw = p.output();
        return QJsonDocument::fromJson(p.output()).object();
    }

    struct Answer
    {
        int status = 0;
        QByteArray body;
    };

    Answer request(const QString &path, const QJsonObject &body = {})
    {
        QNetworkRequest r(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path)));
        r.setRawHeader("Authorization", "Bearer " + m_localKey.toLatin1());
        r.setRawHeader("User-Agent", "opencode/1.18.33");
        r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply *reply =
            body.isEmpty() ? m_nam.get(r) : m_nam.post(r, QJsonDocument(body).toJson());
        QDeadlineTimer deadline(30000);
        while (!reply->isFinished() && !deadline.hasExpired())
            QTest::qWait(5);
        Answer a;
        a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        a.body = reply->readAll();
        reply->deleteLater();
        return a;
    }

    static QJsonObject chatBody(const QString &model)
    {
        return {{QStringLiteral("model"), model},
                {QStringLiteral("messages"),
                 QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                        {QStringLiteral("content"), QStringLiteral("hi")}}}}};
    }

private Q_SLOTS:
    void init()
    {
        m_home = std::make_unique<TestHome>();
        m_fake = std::make_unique<FakeQwenService>();
        QVERIFY(m_fake->start());
        m_fake->setApiKeys({QStringLiteral("sk-good-key")});
        m_port = freeLoopbackPort();
        qputenv("QWEN_BRIDGE_OAUTH_URL", m_fake->baseUrl().toString().toUtf8());
        qputenv("QWEN_BRIDGE_API_URL", m_fake->apiBaseUrl().toString().toUtf8());
        qputenv("QWEN_BRIDGE_PORT", QByteArray::number(m_port));
        m_env = m_home->environment();
        Settings settings;
        CredentialStore store(settings);
        LocalKey key(store.keychain());
        bool done = false;
        key.load([&](const KeychainResult &r) { done = r.ok(); });
        QTRY_VERIFY(done);
        m_localKey = key.value();
    }
    void cleanup()
    {
        m_fake.reset();
        m_home.reset();
    }

    void refusedKeyStoresNothing()
    {
        QByteArray out;
        QCOMPARE(loginWithKey("sk-wrong",
                              {QStringLiteral("--base-url"), m_fake->apiBaseUrl().toString()},
                              &out),
                 2);
        QVERIFY2(out.contains("refused") && out.contains("plan and region"), out.constData());
        QVERIFY(out.contains("Nothing was stored"));
        QCOMPARE(storedCredentials().method, AuthMethod::None);
        QVERIFY(!out.contains("sk-wrong"));
    }

    // Each plan id, and the old preset ids, at a fake that behaves as that plan: the key is
    // checked the plan's way and `status` names the plan.
    void everyPlan_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("planId");
        QTest::addColumn<QString>("planName");
        QTest::addColumn<int>("fakePlan");
        QTest::addColumn<QByteArray>("key");
        const int coding = int(FakePlan::CodingPlan);
        const int token = int(FakePlan::TokenPlan);
        const int payg = int(FakePlan::PayAsYouGo);
        QTest::addRow("coding-plan-global")
            << "coding-plan-global"
            << "coding-plan-global"
            << "Coding Plan (global)" << coding << QByteArray("sk-sp-good-key");
        QTest::addRow("coding-plan-china")
            << "coding-plan-china"
            << "coding-plan-china"
            << "Coding Plan (China)" << coding << QByteArray("sk-sp-good-key");
        QTest::addRow("token-plan-singapore")
            << "token-plan-singapore"
            << "token-plan-singapore"
            << "Token Plan (Singapore)" << token << QByteArray("sk-sp-good-key");
        QTest::addRow("token-plan-beijing")
            << "token-plan-beijing"
            << "token-plan-beijing"
            << "Token Plan (Beijing)" << token << QByteArray("sk-sp-good-key");
        QTest::addRow("payg-singapore")
            << "payg-singapore"
            << "payg-singapore"
            << "Model Studio pay-as-you-go (Singapore)" << payg << QByteArray("sk-good-key");
        QTest::addRow("payg-hongkong")
            << "payg-hongkong"
            << "payg-hongkong"
            << "Model Studio pay-as-you-go (Hong Kong)" << payg << QByteArray("sk-good-key");
        QTest::addRow("old model-studio-us")
            << "model-studio-us"
            << "payg-us"
            << "Model Studio pay-as-you-go (US, Virginia)" << payg << QByteArray("sk-good-key");
        QTest::addRow("old model-studio-beijing")
            << "model-studio-beijing"
            << "payg-beijing"
            << "Model Studio pay-as-you-go (Beijing)" << payg << QByteArray("sk-good-key");
    }

    void everyPlan()
    {
        QFETCH(QString, preset);
        QFETCH(QString, planId);
        QFETCH(QString, planName);
        QFETCH(int, fakePlan);
        QFETCH(QByteArray, key);
        m_fake->setPlan(FakePlan(fakePlan));
        m_fake->setApiKeys({QString::fromLatin1(key)});
        QByteArray out;
        QCOMPARE(loginWithKey(key,
                              {QStringLiteral("--preset"), preset, QStringLiteral("--base-url"),
                               m_fake->apiBaseUrl().toString()},
                              &out),
                 0);
        QVERIFY2(out.contains(planName.toUtf8()), out.constData());
        // The Coding Plan has no model list: its key was checked with one tiny chat request.
        const bool coding = FakePlan(fakePlan) == FakePlan::CodingPlan;
        QCOMPARE(m_fake->counters().chatRequests, coding ? 1 : 0);
        QCOMPARE(m_fake->counters().modelsRequests, coding ? 0 : 1);
        const Credentials c = storedCredentials();
        QCOMPARE(c.preset, planId);
        QCOMPARE(c.baseUrl, m_fake->apiBaseUrl());

        const QJsonObject plan = statusJson().value(QStringLiteral("plan")).toObject();
        QCOMPARE(plan.value(QStringLiteral("id")).toString(), planId);
        QCOMPARE(plan.value(QStringLiteral("name")).toString(), planName);
        TestProcess status(m_env);
        status.startBridge({QStringLiteral("status")});
        QCOMPARE(status.finish(30000), 0);
        QVERIFY2(status.output().contains(QByteArray("Plan:     " + planName.toUtf8())),
                 status.output().constData());
    }

    void codingPlanAgentCheckAcceptsTheKey()
    {
        m_fake->setPlan(FakePlan::CodingPlan);
        m_fake->setApiKeys({QStringLiteral("sk-sp-good-key")});
        m_fake->setCodingAgents({QStringLiteral("opencode/")});
        QByteArray out;
        QCOMPARE(loginWithKey("sk-sp-good-key",
                              {QStringLiteral("--preset"), QStringLiteral("coding-plan-global"),
                               QStringLiteral("--base-url"), m_fake->apiBaseUrl().toString()},
                              &out),
                 0);
        QVERIFY2(out.contains("only available for Coding Agents"), out.constData());
        QCOMPARE(storedCredentials().preset, QStringLiteral("coding-plan-global"));
    }

    void otherPlansKeyGetsAHintFirst()
    {
        m_fake->setPlan(FakePlan::CodingPlan);
        m_fake->setApiKeys({QStringLiteral("sk-sp-good-key"), QStringLiteral("sk-payg-key")});
        QByteArray out;
        QCOMPARE(loginWithKey("sk-payg-key",
                              {QStringLiteral("--preset"), QStringLiteral("coding-plan-china"),
                               QStringLiteral("--base-url"), m_fake->apiBaseUrl().toString()},
                              &out),
                 2);
        const qsizetype hint = out.indexOf("Coding Plan (China) keys start with \"sk-sp-\"");
        QVERIFY2(hint >= 0, out.constData());
        QVERIFY(hint < out.indexOf("Checking the key"));
        QVERIFY(out.contains("refused"));
        QVERIFY(!out.contains("sk-payg-key"));
        QCOMPARE(storedCredentials().method, AuthMethod::None);
    }

    void badArguments()
    {
        QByteArray out;
        QCOMPARE(
            loginWithKey("sk-good-key", {QStringLiteral("--preset"), QStringLiteral("mars")}, &out),
            64);
        QVERIFY(out.contains("coding-plan-global"));
        QCOMPARE(loginWithKey(
                     "sk-good-key",
                     {QStringLiteral("--base-url"), QStringLiteral("http://example.com/v1")}, &out),
                 64); // a key never goes out over plain http
        QCOMPARE(
            loginWithKey("", {QStringLiteral("--base-url"), m_fake->apiBaseUrl().toString()}, &out),
            64);
        QVERIFY(out.contains("standard input"));
        QCOMPARE(m_fake->counters().modelsRequests, 0);
    }

    void acceptedKeyServesThroughTheProxy()
    {
        QByteArray out;
        QCOMPARE(loginWithKey("sk-good-key",
                              {QStringLiteral("--base-url"), m_fake->apiBaseUrl().toString()},
                              &out),
                 0);
        const Credentials c = storedCredentials();
        QCOMPARE(c.method, AuthMethod::ApiKey);
        QCOMPARE(c.apiKey, QStringLiteral("sk-good-key"));
        QByteArray raw;
        const QJsonObject status = statusJson(&raw);
        QCOMPARE(status.value(QStringLiteral("state")).toString(), QStringLiteral("signed_in"));
        QCOMPARE(status.value(QStringLiteral("method")).toString(), QStringLiteral("api_key"));
        QCOMPARE(status.value(QStringLiteral("preset")).toString(), QStringLiteral("custom"));
        QVERIFY(!raw.contains("sk-good-key"));
        QVERIFY(m_home->filesContaining("sk-good-key").isEmpty());

        TestProcess serve(m_env);
        serve.startBridge({QStringLiteral("serve")});
        QVERIFY(serve.waitForOutput("listening on"));

        const Answer coder = request(QStringLiteral("/v1/chat/completions"),
                                     chatBody(QStringLiteral("alibaba/coder-model")));
        QVERIFY2(coder.status == 200, coder.body.constData());
        FakeChatRequest up = m_fake->lastChatRequest();
        QCOMPARE(up.bearerToken, QByteArray("sk-good-key"));
        QCOMPARE(up.model(), QStringLiteral("qwen3-coder-plus"));
        QVERIFY(up.header("x-dashscope-authtype").isEmpty());
        // The client's own identification goes on, with the bridge's after it.
        QCOMPARE(up.header("user-agent"),
                 QByteArray("opencode/1.18.33 QwenBridge/" QWEN_BRIDGE_VERSION));

        QCOMPARE(request(QStringLiteral("/v1/chat/completions"),
                         chatBody(QStringLiteral("vision-model")))
                     .status,
                 200);
        QCOMPARE(m_fake->lastChatRequest().model(), QStringLiteral("qwen3-vl-plus"));
        QCOMPARE(
            request(QStringLiteral("/v1/chat/completions"), chatBody(QStringLiteral("qwen3-max")))
                .status,
            200);
        QCOMPARE(m_fake->lastChatRequest().model(), QStringLiteral("qwen3-max"));

        const Answer models = request(QStringLiteral("/v1/models"));
        QCOMPARE(models.status, 200);
        QVERIFY(models.body.contains("qwen3-coder-plus")); // the upstream's own list
        QVERIFY(!serve.output().contains("sk-good-key"));
    }

    void switchingWithoutRestart()
    {
        // OAuth first, through the real device flow in the terminal.
        m_fake->setAutoApproveAfterPolls(0);
        m_fake->setPollInterval(1);
        TestProcess login(m_env);
        login.startBridge({QStringLiteral("login"), QStringLiteral("--no-browser")});
        QCOMPARE(login.finish(60000), 0);

        TestProcess serve(m_env);
        serve.startBridge({QStringLiteral("serve")});
        QVERIFY(serve.waitForOutput("listening on"));
        QCOMPARE(
            request(QStringLiteral("/v1/chat/completions"), chatBody(QStringLiteral("coder-model")))
                .status,
            200);
        QCOMPARE(m_fake->lastChatRequest().tokenKind, FakeTokenKind::OAuthLive);

        // The OAuth quota is gone: the answer and `status` point to an API key.
        m_fake->failNextChats(FakeChatFault::QuotaExceeded, 1);
        const Answer quota = request(QStringLiteral("/v1/chat/completions"),
                                     chatBody(QStringLiteral("coder-model")));
        QCOMPARE(quota.status, 429);
        QVERIFY2(quota.body.contains("API key") && quota.body.contains("login --api-key"),
                 quota.body.constData());
        QJsonObject status = statusJson();
        QVERIFY(status.value(QStringLiteral("quota_exhausted")).toBool());
        QVERIFY(
            status.value(QStringLiteral("message")).toString().contains(QStringLiteral("API key")));

        // Switch to a key while it runs: same proxy, same local key, no restart.
        QCOMPARE(loginWithKey("sk-good-key",
                              {QStringLiteral("--base-url"), m_fake->apiBaseUrl().toString()},
                              nullptr),
                 0);
        QTRY_COMPARE_WITH_TIMEOUT(
            request(QStringLiteral("/v1/chat/completions"), chatBody(QStringLiteral("coder-model")))
                .status,
            200, 20000);
        QCOMPARE(m_fake->lastChatRequest().bearerToken, QByteArray("sk-good-key"));
        status = statusJson();
        QCOMPARE(status.value(QStringLiteral("method")).toString(), QStringLiteral("api_key"));
        QVERIFY(!status.value(QStringLiteral("quota_exhausted")).toBool());

        // And back to OAuth.
        TestProcess again(m_env);
        again.startBridge({QStringLiteral("login"), QStringLiteral("--no-browser")});
        const int againRc = again.finish(60000);
        QVERIFY2(againRc == 0, again.output().constData());
        QTRY_COMPARE_WITH_TIMEOUT(
            request(QStringLiteral("/v1/chat/completions"), chatBody(QStringLiteral("coder-model")))
                .status,
            200, 20000);
        QCOMPARE(m_fake->lastChatRequest().tokenKind, FakeTokenKind::OAuthLive);
        QCOMPARE(m_fake->lastChatRequest().model(), QStringLiteral("coder-model"));
        QVERIFY(serve.state() == QProcess::Running); // never restarted
    }
};

QTEST_GUILESS_MAIN(TestApiKeyLogin)
#include "tst_apikeylogin.moc"
