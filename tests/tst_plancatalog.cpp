#include "plans/plancatalog.h"

#include <QFile>
#include <QTest>

namespace {
QByteArray builtInText()
{
    QFile file(QStringLiteral(QWEN_BRIDGE_SOURCE_DIR "/core/plans/plans.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read plans.json");
    return file.readAll();
}

// JSON written with single quotes, for readable test data.
QByteArray json(const char *text)
{
    return QByteArray(text).replace('\'', '"');
}
} // namespace

class TestPlanCatalog : public QObject
{
    Q_OBJECT

private slots:
    void plans_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("group");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("baseUrl");
        QTest::addColumn<QString>("keyPrefix");
        QTest::addColumn<bool>("hasModelList");
        QTest::addColumn<QString>("coder");
        QTest::addColumn<QString>("vision");
        QTest::addRow("coding global") << "coding-plan-global"
                                       << "coding"
                                       << "Coding Plan (global)"
                                       << "https://coding-intl.dashscope.aliyuncs.com/v1"
                                       << "sk-sp-" << false << "qwen3-coder-plus"
                                       << "qwen3.5-plus";
        QTest::addRow("coding china") << "coding-plan-china"
                                      << "coding"
                                      << "Coding Plan (China)"
                                      << "https://coding.dashscope.aliyuncs.com/v1"
                                      << "sk-sp-" << false << "qwen3-coder-plus"
                                      << "qwen3.5-plus";
        QTest::addRow("token singapore")
            << "token-plan-singapore"
            << "token"
            << "Token Plan (Singapore)"
            << "https://token-plan.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1"
            << "sk-sp-" << true << "qwen3.7-max"
            << "qwen3.7-max";
        QTest::addRow("token beijing")
            << "token-plan-beijing"
            << "token"
            << "Token Plan (Beijing)"
            << "https://token-plan.cn-beijing.maas.aliyuncs.com/compatible-mode/v1"
            << "sk-sp-" << true << "qwen3.7-max"
            << "qwen3.7-max";
        QTest::addRow("payg singapore") << "payg-singapore"
                                        << "payg"
                                        << "Model Studio pay-as-you-go (Singapore)"
                                        << "https://dashscope-intl.aliyuncs.com/compatible-mode/v1"
                                        << "sk-" << true << "qwen3-coder-plus"
                                        << "qwen3-vl-plus";
        QTest::addRow("payg beijing") << "payg-beijing"
                                      << "payg"
                                      << "Model Studio pay-as-you-go (Beijing)"
                                      << "https://dashscope.aliyuncs.com/compatible-mode/v1"
                                      << "sk-" << true << "qwen3-coder-plus"
                                      << "qwen3-vl-plus";
        QTest::addRow("payg us") << "payg-us"
                                 << "payg"
                                 << "Model Studio pay-as-you-go (US, Virginia)"
                                 << "https://dashscope-us.aliyuncs.com/compatible-mode/v1"
                                 << "sk-" << true << "qwen3-coder-plus"
                                 << "qwen3-vl-plus";
        QTest::addRow("payg hong kong")
            << "payg-hongkong"
            << "payg"
            << "Model Studio pay-as-you-go (Hong Kong)"
            << "https://cn-hongkong.dashscope.aliyuncs.com/compatible-mode/v1"
            << "sk-" << true << "qwen3-coder-plus"
            << "qwen3-vl-plus";
        QTest::addRow("custom") << "custom"
                                << "custom"
                                << "Custom endpoint"
                                << ""
                                << "" << true << "qwen3-coder-plus"
                                << "qwen3-vl-plus";
    }

    void plans()
    {
        QFETCH(QString, id);
        QFETCH(QString, group);
        QFETCH(QString, name);
        QFETCH(QString, baseUrl);
        QFETCH(QString, keyPrefix);
        QFETCH(bool, hasModelList);
        QFETCH(QString, coder);
        QFETCH(QString, vision);
        const Plan p = PlanCatalog::instance().plan(id);
        QVERIFY(p.isValid());
        QCOMPARE(p.id, id);
        QCOMPARE(p.groupKey(), group);
        QCOMPARE(p.name(), name);
        QCOMPARE(p.baseUrl.toString(), baseUrl);
        QCOMPARE(p.keyPrefix, keyPrefix);
        QCOMPARE(p.hasModelList, hasModelList);
        QCOMPARE(p.coderModel, coder);
        QCOMPARE(p.visionModel, vision);
        QVERIFY(p.model(p.visionModel)->acceptsImages());
        QVERIFY(p.model(p.checkModel).has_value());
        QCOMPARE(p.keyPage.isEmpty(), p.isCustom());
        for (const PlanModel &m : p.models) {
            QVERIFY2(m.contextLimit > 0 && m.outputLimit > 0, qPrintable(m.id));
            QVERIFY2(m.input.contains(QLatin1String("text")), qPrintable(m.id));
            // Prices are estimates for pay-as-you-go only.
            QCOMPARE(m.inputUsdPerMillion.has_value(), p.group == Plan::Group::PayAsYouGo);
            QCOMPARE(m.outputUsdPerMillion.has_value(), p.group == Plan::Group::PayAsYouGo);
        }
    }

    void everyPlanIsListedOnce()
    {
        const QList<Plan> plans = PlanCatalog::instance().plans();
        QCOMPARE(plans.size(), 9);
        QCOMPARE(plans.first().id, QStringLiteral("coding-plan-global"));
        QCOMPARE(plans.last().id, PlanCatalog::customPlanId());
        QVERIFY(PlanCatalog::instance().plan(PlanCatalog::defaultPlanId()).isValid());
    }

    void codingPlanModels()
    {
        const Plan p = PlanCatalog::instance().plan(QStringLiteral("coding-plan-global"));
        QCOMPARE(p.modelIds(), (QStringList{"qwen3-coder-plus", "qwen3-coder-next", "qwen3.5-plus",
                                            "qwen3.6-plus", "qwen3.7-plus", "qwen3-max-2026-01-23",
                                            "glm-5", "glm-4.7", "kimi-k2.5", "MiniMax-M2.5"}));
        // Exact case: the upstream refuses "minimax-m2.5".
        QVERIFY(p.model(QStringLiteral("MiniMax-M2.5")).has_value());
        QVERIFY(!p.model(QStringLiteral("minimax-m2.5")).has_value());
        QVERIFY(!p.model(QStringLiteral("qwen3-vl-plus")).has_value());
        QCOMPARE(PlanCatalog::instance().plan(QStringLiteral("coding-plan-china")).modelIds(),
                 p.modelIds());
        const PlanModel plus = *p.model(QStringLiteral("qwen3.5-plus"));
        QCOMPARE(plus.input, (QStringList{"text", "image"}));
        QVERIFY(plus.reasoning);
        QVERIFY(!p.model(QStringLiteral("qwen3-coder-plus"))->acceptsImages());
    }

    void paygPrices()
    {
        const Plan p = PlanCatalog::instance().plan(QStringLiteral("payg-us"));
        const PlanModel coder = *p.model(QStringLiteral("qwen3-coder-plus"));
        QCOMPARE(*coder.inputUsdPerMillion, 1.0);
        QCOMPARE(*coder.outputUsdPerMillion, 5.0);
    }

    void oldPresetIds_data()
    {
        QTest::addColumn<QString>("old");
        QTest::addColumn<QString>("id");
        QTest::addRow("singapore") << "model-studio-singapore"
                                   << "payg-singapore";
        QTest::addRow("beijing") << "model-studio-beijing"
                                 << "payg-beijing";
        QTest::addRow("us") << "model-studio-us"
                            << "payg-us";
        QTest::addRow("hong kong") << "model-studio-hongkong"
                                   << "payg-hongkong";
        QTest::addRow("coding global") << "coding-plan-global"
                                       << "coding-plan-global";
        QTest::addRow("coding china") << "coding-plan-china"
                                      << "coding-plan-china";
        QTest::addRow("custom") << "custom"
                                << "custom";
    }

    void oldPresetIds()
    {
        QFETCH(QString, old);
        QFETCH(QString, id);
        QCOMPARE(PlanCatalog::instance().plan(old).id, id);
        QCOMPARE(PlanCatalog::instance().planForCredentials(old).id, id);
    }

    void unknownIds()
    {
        const PlanCatalog &catalog = PlanCatalog::instance();
        QVERIFY(!catalog.plan(QStringLiteral("nope")).isValid());
        QVERIFY(!catalog.plan(QString()).isValid());
        // Stored credentials of an unknown or empty id are a custom endpoint.
        QCOMPARE(catalog.planForCredentials(QStringLiteral("nope")).id,
                 PlanCatalog::customPlanId());
        QCOMPARE(catalog.displayName(QStringLiteral("nope"), QUrl("https://gw.example/v1")),
                 QStringLiteral("the custom endpoint gw.example"));
        QCOMPARE(catalog.displayName(QStringLiteral("model-studio-us"), QUrl()),
                 QStringLiteral("Model Studio pay-as-you-go (US, Virginia)"));
    }

    void keyPrefixHint_data()
    {
        QTest::addColumn<QString>("plan");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("hint"); // a part of it; empty: no hint
        QTest::addRow("coding key on coding") << "coding-plan-global"
                                              << "sk-sp-abc"
                                              << "";
        QTest::addRow("coding key on token") << "token-plan-beijing"
                                             << "sk-sp-abc"
                                             << "";
        QTest::addRow("payg key on payg") << "payg-us"
                                          << "sk-abc"
                                          << "";
        QTest::addRow("coding key on payg") << "payg-singapore"
                                            << "sk-sp-abc"
                                            << "belong to the Coding Plan or the Token Plan";
        QTest::addRow("payg key on coding") << "coding-plan-china"
                                            << "sk-abc"
                                            << "Coding Plan (China) keys start with \"sk-sp-\"";
        QTest::addRow("other key on payg") << "payg-us"
                                           << "abc"
                                           << "keys start with \"sk-\"";
        QTest::addRow("anything on custom") << "custom"
                                            << "abc"
                                            << "";
    }

    void keyPrefixHint()
    {
        QFETCH(QString, plan);
        QFETCH(QString, key);
        QFETCH(QString, hint);
        const QString text = PlanCatalog::keyPrefixHint(PlanCatalog::instance().plan(plan), key);
        if (hint.isEmpty()) {
            QVERIFY2(text.isEmpty(), qPrintable(text));
        } else {
            QVERIFY2(text.contains(hint), qPrintable(text));
            QVERIFY(!text.contains(QLatin1String("abc")));
        }
    }

    void overrideReplacesAndAddsModels()
    {
        const QByteArray over =
            json("{'plans': ["
                 "{'id': 'model-studio-us', 'coderModel': 'qwen4-coder',"
                 "'models': [{'id': 'qwen3-coder-plus', 'context': 500000},"
                 "{'id': 'qwen4-coder', 'name': 'Qwen4 Coder', 'context': 2000000,"
                 "'output': 65536, 'input': ['text'], 'reasoning': true,"
                 "'priceUsdPerMillion': {'input': 2, 'output': 8}}]}]}");
        QString error;
        const PlanCatalog catalog = PlanCatalog::fromJson(builtInText(), over, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const Plan us = catalog.plan(QStringLiteral("payg-us"));
        QCOMPARE(us.coderModel, QStringLiteral("qwen4-coder"));
        QCOMPARE(us.model(QStringLiteral("qwen3-coder-plus"))->contextLimit, 500000);
        // Fields the override leaves out stay.
        QCOMPARE(us.model(QStringLiteral("qwen3-coder-plus"))->outputLimit, 65536);
        QCOMPARE(us.model(QStringLiteral("qwen3-coder-plus"))->name,
                 QStringLiteral("Qwen3 Coder Plus"));
        QCOMPARE(*us.model(QStringLiteral("qwen4-coder"))->outputUsdPerMillion, 8.0);
        // Only that plan changed.
        QCOMPARE(catalog.plan(QStringLiteral("payg-beijing"))
                     .model(QStringLiteral("qwen3-coder-plus"))
                     ->contextLimit,
                 1000000);
        QVERIFY(!catalog.plan(QStringLiteral("payg-beijing"))
                     .model(QStringLiteral("qwen4-coder"))
                     .has_value());
    }

    void brokenOverrideIsIgnored_data()
    {
        QTest::addColumn<QByteArray>("over");
        QTest::addRow("not json") << QByteArray("{");
        QTest::addRow("unknown plan") << json("{'plans':[{'id':'nope','coderModel':'x'}]}");
        QTest::addRow("alias to a missing model")
            << json("{'plans':[{'id':'payg-us','coderModel':'nope'}]}");
        QTest::addRow("vision without images") << QByteArray(json(
            "{'plans':[{'id':'payg-us','models':[{'id':'qwen3-vl-plus','input':['text']}]}]}"));
        QTest::addRow("model without limits")
            << json("{'plans':[{'id':'payg-us','models':[{'id':'new'}]}]}");
    }

    void brokenOverrideIsIgnored()
    {
        QFETCH(QByteArray, over);
        QString error;
        const PlanCatalog catalog = PlanCatalog::fromJson(builtInText(), over, &error);
        QVERIFY(error.isEmpty());
        const Plan us = catalog.plan(QStringLiteral("payg-us"));
        const Plan builtIn = PlanCatalog::instance().plan(QStringLiteral("payg-us"));
        QCOMPARE(us.coderModel, builtIn.coderModel);
        QCOMPARE(us.modelIds(), builtIn.modelIds());
        QVERIFY(us.model(QStringLiteral("qwen3-vl-plus"))->acceptsImages());
    }

    void brokenCatalog_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("why");
        QTest::addRow("not json") << QByteArray("[") << "not a JSON object";
        QTest::addRow("vision without images")
            << json("{'plans':["
                    "{'id':'p','group':'payg','baseUrl':'https://x/v1','keyPrefix':'sk-',"
                    "'coderModel':'a','visionModel':'a','checkModel':'a',"
                    "'models':[{'id':'a','context':1,'output':1,'input':['text']}]}]}")
            << "takes no images";
        QTest::addRow("plain http")
            << json("{'plans':["
                    "{'id':'p','group':'payg','baseUrl':'http://x/v1','keyPrefix':'sk-',"
                    "'coderModel':'a','visionModel':'a','checkModel':'a',"
                    "'models':[{'id':'a','context':1,'output':1,'input':['text','image']}]}]}")
            << "no https base URL";
        QTest::addRow("modelsFrom later plan")
            << json("{'plans':[{'id':'p','group':'custom','modelsFrom':'q'}]}")
            << "not an earlier plan";
        QTest::addRow("unknown group")
            << json("{'plans':[{'id':'p','group':'free'}]}") << "unknown group";
    }

    void brokenCatalog()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, why);
        QString error;
        const PlanCatalog catalog = PlanCatalog::fromJson(text, {}, &error);
        QVERIFY(catalog.plans().isEmpty());
        QVERIFY2(error.contains(why), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestPlanCatalog)
#include "tst_plancatalog.moc"
