#include "credentials/apikeycheck.h"
#include "fakeqwenservice.h"
#include "plans/plancatalog.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

namespace {
FakePlan fakePlanFor(const Plan &plan)
{
    switch (plan.group) {
    case Plan::Group::Coding:
        return FakePlan::CodingPlan;
    case Plan::Group::Token:
        return FakePlan::TokenPlan;
    case Plan::Group::PayAsYouGo:
        return FakePlan::PayAsYouGo;
    case Plan::Group::Custom:
        break;
    }
    return FakePlan::Any;
}

// A key of the plan's own kind.
QString goodKey(const Plan &plan)
{
    return plan.keyPrefix == QLatin1String("sk-sp-") ? QStringLiteral("sk-sp-good-0123")
                                                     : QStringLiteral("sk-good-0123");
}

struct Checked
{
    ApiKeyCheck::Outcome outcome = ApiKeyCheck::Outcome::Server;
    QString message;
};
} // namespace

class TestApiKeyCheck : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_fake = std::make_unique<FakeQwenService>();
        QVERIFY(m_fake->start());
        m_nam = std::make_unique<QNetworkAccessManager>();
        m_nam->setProxy(QNetworkProxy::NoProxy);
    }

    void cleanup()
    {
        m_nam.reset();
        m_fake.reset();
    }

    // Every plan of the catalog against a fake that behaves as that plan.
    void everyPlan_data()
    {
        QTest::addColumn<QString>("planId");
        QTest::addColumn<QString>("scenario");
        const QList<Plan> plans = PlanCatalog::instance().plans();
        for (const Plan &plan : plans) {
            for (const char *scenario : {"accepted", "refused", "agent check", "no /models"})
                QTest::addRow("%s, %s", qPrintable(plan.id), scenario) << plan.id << scenario;
        }
    }

    void everyPlan()
    {
        QFETCH(QString, planId);
        QFETCH(QString, scenario);
        const Plan plan = PlanCatalog::instance().plan(planId);
        m_fake->setPlan(fakePlanFor(plan));
        const QString key = goodKey(plan);
        m_fake->setApiKeys({key});
        QString sent = key;
        if (scenario == QLatin1String("refused"))
            sent = key + QStringLiteral("-revoked");
        if (scenario == QLatin1String("agent check"))
            m_fake->setCodingAgents({QStringLiteral("opencode/")}); // the check's own UA fails
        if (scenario == QLatin1String("no /models"))
            m_fake->setModelListAvailable(false);

        const Checked r = check(plan, sent);
        const FakeQwenCounters counters = m_fake->counters();
        if (scenario == QLatin1String("refused")) {
            QCOMPARE(r.outcome, ApiKeyCheck::Outcome::Refused);
            QVERIFY2(r.message.contains(QStringLiteral("127.0.0.1")), qPrintable(r.message));
            QVERIFY2(r.message.contains(QStringLiteral("plan and region")), qPrintable(r.message));
            QVERIFY(r.message.contains(plan.isCustom() ? QStringLiteral("custom endpoint")
                                                       : plan.name()));
            QVERIFY(!r.message.contains(sent));
            return;
        }
        QCOMPARE(r.outcome, ApiKeyCheck::Outcome::Accepted);
        const bool agentRefused =
            scenario == QLatin1String("agent check") && plan.group == Plan::Group::Coding;
        if (agentRefused) {
            QVERIFY2(r.message.contains(QStringLiteral("only available for Coding Agents")),
                     qPrintable(r.message));
        } else {
            QVERIFY2(r.message.isEmpty(), qPrintable(r.message));
        }
        // The model list where the plan has one and it answers; else one tiny chat request.
        const bool listed = plan.hasModelList && scenario != QLatin1String("no /models");
        QCOMPARE(counters.modelsRequests, plan.hasModelList ? 1 : 0);
        QCOMPARE(counters.chatRequests, listed ? 0 : 1);
        if (!listed) {
            const FakeChatRequest chat = m_fake->lastChatRequest();
            QCOMPARE(chat.model(), plan.checkModel);
            QCOMPARE(chat.json.value(QLatin1String("max_tokens")).toInt(), 1);
            QCOMPARE(chat.json.value(QLatin1String("stream")).toBool(true), false);
            QCOMPARE(chat.header("user-agent"), ApiKeyCheck::userAgent());
        }
    }

    void userAgentNamesACodingAgent()
    {
        const QByteArray agent = ApiKeyCheck::userAgent();
        QVERIFY(agent.startsWith("QwenBridge/" QWEN_BRIDGE_VERSION " ("));
        QVERIFY(agent.contains("coding agent"));
    }

    void otherPlansKeyIsRefusedWithAHint_data()
    {
        QTest::addColumn<QString>("planId");
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("status");
        QTest::addRow("payg key on the Coding Plan") << "coding-plan-global"
                                                     << "sk-good" << 401;
        QTest::addRow("plan key on pay-as-you-go") << "payg-singapore"
                                                   << "sk-sp-good" << 403;
    }

    void otherPlansKeyIsRefusedWithAHint()
    {
        QFETCH(QString, planId);
        QFETCH(QString, key);
        QFETCH(int, status);
        const Plan plan = PlanCatalog::instance().plan(planId);
        m_fake->setPlan(fakePlanFor(plan));
        m_fake->setApiKeys({QStringLiteral("sk-good"), QStringLiteral("sk-sp-good")});
        const Checked r = check(plan, key);
        QCOMPARE(r.outcome, ApiKeyCheck::Outcome::Refused);
        QVERIFY2(r.message.contains(QStringLiteral("HTTP %1").arg(status)), qPrintable(r.message));
        QVERIFY2(r.message.contains(PlanCatalog::keyPrefixHint(plan, key)), qPrintable(r.message));
        QVERIFY(!PlanCatalog::keyPrefixHint(plan, key).isEmpty());
    }

    void accountStatesAcceptTheKey_data()
    {
        QTest::addColumn<FakeChatFault>("fault");
        QTest::addColumn<QString>("said");
        QTest::addRow("hour quota") << FakeChatFault::HourQuota << "hour allocated quota exceeded";
        QTest::addRow("free tier only") << FakeChatFault::FreeTierOnly << "free tier";
        QTest::addRow("arrears") << FakeChatFault::Arrears << "good standing";
        QTest::addRow("model") << FakeChatFault::ModelNotSupported << "is not supported";
    }

    // The service judged the account or the request, so the key itself authenticated.
    void accountStatesAcceptTheKey()
    {
        QFETCH(FakeChatFault, fault);
        QFETCH(QString, said);
        const Plan plan = PlanCatalog::instance().plan(QStringLiteral("coding-plan-china"));
        m_fake->setPlan(FakePlan::CodingPlan);
        m_fake->setApiKeys({QStringLiteral("sk-sp-good")});
        m_fake->failNextChats(fault);
        const Checked r = check(plan, QStringLiteral("sk-sp-good"));
        QCOMPARE(r.outcome, ApiKeyCheck::Outcome::Accepted);
        QVERIFY2(r.message.contains(said), qPrintable(r.message));
    }

    void serverAndNetworkFailures()
    {
        const Plan plan = PlanCatalog::instance().plan(QStringLiteral("coding-plan-global"));
        m_fake->setPlan(FakePlan::CodingPlan);
        m_fake->setApiKeys({QStringLiteral("sk-sp-good")});
        m_fake->failNextChats(FakeChatFault::ServerError, 1, 503);
        Checked r = check(plan, QStringLiteral("sk-sp-good"));
        QCOMPARE(r.outcome, ApiKeyCheck::Outcome::Server);
        QVERIFY2(r.message.contains(QStringLiteral("HTTP 503")), qPrintable(r.message));

        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        r = check(plan, QStringLiteral("sk-sp-good"),
                  QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(port)));
        QCOMPARE(r.outcome, ApiKeyCheck::Outcome::Network);
    }

private:
    Checked check(const Plan &plan, const QString &key, const QUrl &base = {})
    {
        ApiKeyCheck check(m_nam.get());
        check.setTimeout(10000);
        QSignalSpy finished(&check, &ApiKeyCheck::finished);
        check.check(plan, base.isValid() ? base : m_fake->apiBaseUrl(), key);
        if (finished.isEmpty() && !finished.wait(15000))
            return {ApiKeyCheck::Outcome::Server, QStringLiteral("no answer")};
        return {finished.first().at(0).value<ApiKeyCheck::Outcome>(),
                finished.first().at(1).toString()};
    }

    std::unique_ptr<FakeQwenService> m_fake;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

QTEST_GUILESS_MAIN(TestApiKeyCheck)
#include "tst_apikeycheck.moc"
