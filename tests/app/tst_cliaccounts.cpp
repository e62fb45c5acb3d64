// `qwen-bridge accounts` and `login --name`: the names scripts will use, their JSON, the
// edits, the refusals, and a running `serve` taking the edits up.
#include "credentials/accountstore.h"
#include "credentials/credentialstore.h"
#include "fakeqwenservice.h"
#include "settings/settings.h"
#include "testhome.h"
#include "testprocess.h"
#include "testtokens.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryFile>
#include <QTest>

#include <memory>

class TestCliAccounts : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestHome> m_home;
    std::unique_ptr<FakeQwenService> m_coding;
    std::unique_ptr<FakeQwenService> m_payg;
    QProcessEnvironment m_env;

    int bridge(const QStringList &args, QByteArray *output = nullptr,
               const QByteArray &stdinText = {})
    {
        QTemporaryFile input;
        TestProcess p(m_env);
        if (!stdinText.isNull()) {
            input.open();
            input.write(stdinText + '\n');
            input.close();
            p.setStandardInputFile(input.fileName());
        }
        p.startBridge(args);
        const int code = p.finish(60000);
        if (output)
            *output = p.output();
        return code;
    }

    QJsonObject list()
    {
        QByteArray out;
        if (bridge({QStringLiteral("accounts"), QStringLiteral("list"), QStringLiteral("--json")},
                   &out) != 0)
            return {};
        return QJsonDocument::fromJson(out).object();
    }

    static QStringList names(const QJsonObject &listing)
    {
        QStringList n;
        const QJsonArray accounts = listing.value(QLatin1String("accounts")).toArray();
        for (const QJsonValue &a : accounts)
            n << a.toObject().value(QLatin1String("name")).toString();
        return n;
    }

    int addPayg(const QString &name, QByteArray *out = nullptr)
    {
        return bridge({QStringLiteral("login"), QStringLiteral("--api-key"),
                       QStringLiteral("--name"), name, QStringLiteral("--preset"),
                       QStringLiteral("payg-singapore"), QStringLiteral("--base-url"),
                       m_payg->apiBaseUrl().toString()},
                      out, "sk-payg-key");
    }

private Q_SLOTS:
    void init()
    {
        m_home = std::make_unique<TestHome>();
        m_coding = std::make_unique<FakeQwenService>();
        m_payg = std::make_unique<FakeQwenService>();
        QVERIFY(m_coding->start());
        QVERIFY(m_payg->start());
        m_coding->setPlan(FakePlan::CodingPlan);
        m_coding->setApiKeys({QStringLiteral("sk-sp-coding-key")});
        m_payg->setPlan(FakePlan::PayAsYouGo);
        m_payg->setApiKeys({QStringLiteral("sk-payg-key")});
        qputenv("QWEN_BRIDGE_PORT", QByteArray::number(freeLoopbackPort()));
        m_env = m_home->environment();
        // A single sign-in as earlier versions stored it: the default entry, no list.
        Credentials coding;
        coding.method = AuthMethod::ApiKey;
        coding.apiKey = QStringLiteral("sk-sp-coding-key");
        coding.preset = QStringLiteral("coding-plan-global");
        coding.baseUrl = m_coding->apiBaseUrl();
        Settings settings;
        CredentialStore store(settings);
        bool saved = false;
        store.save(coding, [&](const KeychainResult &r) { saved = r.ok(); });
        QTRY_VERIFY(saved);
    }
    void cleanup()
    {
        m_coding.reset();
        m_payg.reset();
        m_home.reset();
        QTRY_COMPARE(KeychainStore::jobsInFlight(), 0);
    }

    void aSingleSignInIsTheFirstCredential()
    {
        const QJsonObject l = list();
        QCOMPARE(l.value(QLatin1String("running")).toBool(true), false);
        QCOMPARE(l.value(QLatin1String("routing")).toString(), QStringLiteral("fill_first"));
        QCOMPARE(names(l), QStringList{QStringLiteral("default")});
        const QJsonObject def = l.value(QLatin1String("accounts")).toArray().first().toObject();
        QCOMPARE(def.value(QLatin1String("position")).toInt(), 1);
        QCOMPARE(def.value(QLatin1String("method")).toString(), QStringLiteral("api_key"));
        QCOMPARE(def.value(QLatin1String("plan")).toString(), QStringLiteral("coding-plan-global"));
        QCOMPARE(def.value(QLatin1String("state")).toString(), QStringLiteral("usable"));
        QCOMPARE(def.value(QLatin1String("serving")).toBool(), true);
        QCOMPARE(l.value(QLatin1String("serving")).toString(), QStringLiteral("default"));
        // The text form, for people, never shows a secret.
        QByteArray text;
        QCOMPARE(bridge({QStringLiteral("accounts")}, &text), 0);
        QVERIFY2(text.contains("1. default") && text.contains("Coding Plan"), text.constData());
        QVERIFY(!text.contains("sk-sp-coding-key"));
    }

    void loginWithANameAddsACredential()
    {
        QByteArray out;
        QCOMPARE(addPayg(QStringLiteral("payg"), &out), 0);
        QVERIFY2(out.contains("\"payg\""), out.constData());
        QCOMPARE(names(list()), (QStringList{QStringLiteral("default"), QStringLiteral("payg")}));
        const QJsonObject payg = list().value(QLatin1String("accounts")).toArray().at(1).toObject();
        QCOMPARE(payg.value(QLatin1String("plan")).toString(), QStringLiteral("payg-singapore"));
        QCOMPARE(payg.value(QLatin1String("state")).toString(), QStringLiteral("usable"));
        QCOMPARE(payg.value(QLatin1String("serving")).toBool(true), false);
        // The same name again replaces it, in its place.
        QCOMPARE(addPayg(QStringLiteral("payg")), 0);
        QCOMPARE(names(list()), (QStringList{QStringLiteral("default"), QStringLiteral("payg")}));
        // Without a name, the default credential is replaced; the others stay.
        QCOMPARE(bridge({QStringLiteral("login"), QStringLiteral("--api-key"),
                         QStringLiteral("--preset"), QStringLiteral("payg-singapore"),
                         QStringLiteral("--base-url"), m_payg->apiBaseUrl().toString()},
                        nullptr, "sk-payg-key"),
                 0);
        const QJsonObject after = list();
        QCOMPARE(names(after), (QStringList{QStringLiteral("default"), QStringLiteral("payg")}));
        QCOMPARE(after.value(QLatin1String("accounts"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QLatin1String("plan"))
                     .toString(),
                 QStringLiteral("payg-singapore"));
    }

    void badNamesAreRefusedBeforeAnythingHappens()
    {
        for (const QString &bad : {QStringLiteral("two words"), QStringLiteral("a/b"),
                                   QStringLiteral("accounts"), QString(40, QLatin1Char('x'))}) {
            QByteArray out;
            QCOMPARE(addPayg(bad, &out), 64);
            QVERIFY2(out.contains("cannot name a credential") || out.contains("reserved"),
                     out.constData());
        }
        QCOMPARE(m_payg->counters().chatRequests, 0); // no key check either
        QCOMPARE(names(list()), QStringList{QStringLiteral("default")});
    }

    void useOrderRenameRemove()
    {
        QCOMPARE(addPayg(QStringLiteral("payg")), 0);
        QCOMPARE(addPayg(QStringLiteral("spare")), 0);
        QByteArray out;
        QCOMPARE(
            bridge({QStringLiteral("accounts"), QStringLiteral("use"), QStringLiteral("spare")},
                   &out),
            0);
        QCOMPARE(names(list()), (QStringList{QStringLiteral("spare"), QStringLiteral("default"),
                                             QStringLiteral("payg")}));
        QCOMPARE(bridge({QStringLiteral("accounts"), QStringLiteral("order"),
                         QStringLiteral("payg"), QStringLiteral("default")}),
                 0);
        QCOMPARE(names(list()), (QStringList{QStringLiteral("payg"), QStringLiteral("default"),
                                             QStringLiteral("spare")}));
        QCOMPARE(bridge({QStringLiteral("accounts"), QStringLiteral("rename"),
                         QStringLiteral("spare"), QStringLiteral("backup")}),
                 0);
        QCOMPARE(names(list()), (QStringList{QStringLiteral("payg"), QStringLiteral("default"),
                                             QStringLiteral("backup")}));
        QCOMPARE(list()
                     .value(QLatin1String("accounts"))
                     .toArray()
                     .at(2)
                     .toObject()
                     .value(QLatin1String("plan"))
                     .toString(),
                 QStringLiteral("payg-singapore")); // the secret moved with the name
        QCOMPARE(bridge({QStringLiteral("accounts"), QStringLiteral("remove"),
                         QStringLiteral("backup")}),
                 0);
        QCOMPARE(names(list()), (QStringList{QStringLiteral("payg"), QStringLiteral("default")}));
        // Its secret is gone from the keychain too.
        Settings settings;
        CredentialStore gone(settings, AccountIndex::keyFor(QStringLiteral("backup")));
        std::optional<CredentialStore::LoadResult> read;
        gone.load([&](const CredentialStore::LoadResult &r) { read = r; });
        QTRY_VERIFY(read.has_value());
        QCOMPARE(read->keychain.error, KeychainError::NotFound);
    }

    void refusedEditsChangeNothing_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("says");
        QTest::newRow("use unknown")
            << QStringList{"accounts", "use", "nope"} << QByteArray("no credential named \"nope\"");
        QTest::newRow("remove unknown") << QStringList{"accounts", "remove", "nope"}
                                        << QByteArray("no credential named \"nope\"");
        QTest::newRow("order unknown") << QStringList{"accounts", "order", "default", "nope"}
                                       << QByteArray("no credential named \"nope\"");
        QTest::newRow("order twice")
            << QStringList{"accounts", "order", "payg", "payg"} << QByteArray("named twice");
        QTest::newRow("rename onto another")
            << QStringList{"accounts", "rename", "payg", "default"} << QByteArray("exists already");
        QTest::newRow("use without a name")
            << QStringList{"accounts", "use"} << QByteArray("Usage: qwen-bridge accounts");
        QTest::newRow("unknown action")
            << QStringList{"accounts", "juggle"} << QByteArray("Usage: qwen-bridge accounts");
    }
    void refusedEditsChangeNothing()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, says);
        QCOMPARE(addPayg(QStringLiteral("payg")), 0);
        QByteArray out;
        QCOMPARE(bridge(args, &out), 64);
        QVERIFY2(out.contains(says), out.constData());
        QCOMPARE(names(list()), (QStringList{QStringLiteral("default"), QStringLiteral("payg")}));
    }

    void aRunningServeTakesTheEditsUp()
    {
        QCOMPARE(addPayg(QStringLiteral("payg")), 0);
        TestProcess serve(m_env);
        serve.startBridge({QStringLiteral("serve")});
        QVERIFY(serve.waitForOutput("listening on"));
        QTRY_COMPARE_WITH_TIMEOUT(
            names(list()), (QStringList{QStringLiteral("default"), QStringLiteral("payg")}), 20000);
        QCOMPARE(list().value(QLatin1String("running")).toBool(), true);
        QByteArray out;
        QCOMPARE(bridge({QStringLiteral("accounts"), QStringLiteral("use"), QStringLiteral("payg")},
                        &out),
                 0);
        QVERIFY2(out.contains("running Qwen Bridge"), out.constData());
        // serve's own answer (it read the list again), not the keychain's.
        QTRY_COMPARE_WITH_TIMEOUT(
            names(list()), (QStringList{QStringLiteral("payg"), QStringLiteral("default")}), 20000);
        QByteArray status;
        QCOMPARE(bridge({QStringLiteral("status"), QStringLiteral("--json")}, &status), 0);
        const QJsonObject s = QJsonDocument::fromJson(status).object();
        QCOMPARE(s.value(QLatin1String("credentials")).toInt(), 2);
        QCOMPARE(s.value(QLatin1String("serving")).toString(), QStringLiteral("payg"));
        serve.terminate();
        QVERIFY(serve.finish(10000) >= 0);
    }
};

QTEST_GUILESS_MAIN(TestCliAccounts)
#include "tst_cliaccounts.moc"
