#include "bridge/statusreport.h"
#include "settings/settings.h"
#include "testhome.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace {
const QDateTime kNow(QDate(2026, 5, 1), QTime(12, 0), Qt::UTC);

CredentialStore::LoadResult stored(const QString &kind)
{
    CredentialStore::LoadResult r;
    if (kind == QLatin1String("none")) {
        r.keychain.error = KeychainError::NotFound;
    } else if (kind == QLatin1String("locked")) {
        r.keychain.error = KeychainError::AccessDenied;
        r.keychain.message = QStringLiteral("The keychain is locked.");
    } else if (kind.startsWith(QLatin1String("oauth"))) {
        r.credentials.method = AuthMethod::OAuth;
        r.credentials.accessToken = QStringLiteral("at-secret");
        r.credentials.refreshToken = QStringLiteral("rt-secret");
        r.credentials.resourceUrl = QStringLiteral("portal.qwen.ai");
        r.credentials.expiresAt =
            kind == QLatin1String("oauth-expired") ? kNow.addSecs(-60) : kNow.addSecs(3600);
    } else if (kind == QLatin1String("key")) {
        r.credentials.method = AuthMethod::ApiKey;
        r.credentials.apiKey = QStringLiteral("sk-secret");
        r.credentials.preset = QStringLiteral("coding-plan-global");
        r.credentials.baseUrl =
            QUrl(QStringLiteral("https://coding-intl.dashscope.aliyuncs.com/v1"));
    }
    return r;
}
} // namespace

class TestStatusReport : public QObject
{
    Q_OBJECT
    TestHome m_home;

private Q_SLOTS:
    void fromStored_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QJsonObject>("live"); // a running Qwen Bridge's answer
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("method");
        QTest::addColumn<bool>("quota");
        QTest::addColumn<QString>("message"); // a part of it
        QTest::addColumn<QString>("keychain");
        const QJsonObject none;
        const QJsonObject running{{QStringLiteral("state"), QStringLiteral("refreshing")},
                                  {QStringLiteral("proxy_url"), QStringLiteral("http://x/v1")},
                                  {QStringLiteral("pid"), 42}};
        QJsonObject quota = running;
        quota.insert(QStringLiteral("state"), QStringLiteral("signed_in"));
        quota.insert(QStringLiteral("quota_exhausted"), true);
        quota.insert(QStringLiteral("quota_message"), QStringLiteral("No quota left."));
        QJsonObject starting = running;
        starting.insert(QStringLiteral("state"), QStringLiteral("starting"));

        QTest::newRow("signed out") << "none" << none << "signed_out"
                                    << "none" << false << "qwen-bridge login"
                                    << "available";
        QTest::newRow("oauth") << "oauth" << none << "signed_in"
                               << "oauth" << false << "Signed in."
                               << "available";
        QTest::newRow("oauth expired") << "oauth-expired" << none << "signed_in"
                                       << "oauth" << false << "next use"
                                       << "available";
        QTest::newRow("api key") << "key" << none << "signed_in"
                                 << "api_key" << false << "Signed in."
                                 << "available";
        QTest::newRow("keychain locked") << "locked" << none << "keychain_unavailable"
                                         << "none" << false << "locked"
                                         << "unavailable";
        QTest::newRow("live state") << "oauth" << running << "refreshing"
                                    << "oauth" << false << "Signed in."
                                    << "available";
        QTest::newRow("live starting") << "oauth" << starting << "signed_in"
                                       << "oauth" << false << "Signed in."
                                       << "available";
        QTest::newRow("live keychain wins") << "locked" << running << "keychain_unavailable"
                                            << "none" << false << "locked"
                                            << "unavailable";
        QTest::newRow("live quota") << "oauth" << quota << "signed_in"
                                    << "oauth" << true << "No quota left."
                                    << "available";
    }
    void fromStored()
    {
        QFETCH(QString, kind);
        QFETCH(QJsonObject, live);
        QFETCH(QString, state);
        QFETCH(QString, method);
        QFETCH(bool, quota);
        QFETCH(QString, message);
        QFETCH(QString, keychain);
        const Settings settings;
        const StatusReport report = StatusReport::fromStored(settings, stored(kind), live, kNow);
        const QJsonObject o = report.toJson();
        QCOMPARE(o.value(QStringLiteral("state")).toString(), state);
        QCOMPARE(o.value(QStringLiteral("method")).toString(), method);
        QCOMPARE(o.value(QStringLiteral("quota_exhausted")).toBool(), quota);
        QVERIFY2(o.value(QStringLiteral("message")).toString().contains(message),
                 qPrintable(o.value(QStringLiteral("message")).toString()));
        QCOMPARE(o.value(QStringLiteral("keychain")).toString(), keychain);
        QCOMPARE(o.value(QStringLiteral("proxy_url")).toString(),
                 Settings::proxyBaseUrl(settings.port()).toString());
        QCOMPARE(o.value(QStringLiteral("app_running")).toBool(), !live.isEmpty());
        QCOMPARE(o.value(QStringLiteral("proxy_running")).toBool(), !live.isEmpty());
        if (!live.isEmpty())
            QCOMPARE(o.value(QStringLiteral("app_pid")).toInt(), 42);
        QCOMPARE(o.contains(QStringLiteral("expires_at")), method == QLatin1String("oauth"));
        QCOMPARE(o.contains(QStringLiteral("plan")), method == QLatin1String("api_key"));
        QCOMPARE(o.contains(QStringLiteral("api_base")), method != QLatin1String("none"));
        // Never a secret, in either form.
        const QString text =
            QString::fromUtf8(QJsonDocument(o).toJson()) + report.toText().join(QLatin1Char('\n'));
        QVERIFY(!text.contains(QLatin1String("secret")));
        QCOMPARE(report.toText().first(), QStringLiteral("State:    %1").arg(state));
        QCOMPARE(report.toText().last(), o.value(QStringLiteral("message")).toString());
    }

    void apiKeyPlan()
    {
        const StatusReport report =
            StatusReport::fromStored(Settings(), stored(QStringLiteral("key")), {}, kNow);
        const QJsonObject o = report.toJson();
        QCOMPARE(o.value(QStringLiteral("preset")).toString(),
                 QStringLiteral("coding-plan-global"));
        const QJsonObject plan = o.value(QStringLiteral("plan")).toObject();
        QCOMPARE(plan.value(QStringLiteral("id")).toString(), QStringLiteral("coding-plan-global"));
        QCOMPARE(plan.value(QStringLiteral("group")).toString(), QStringLiteral("coding"));
        QVERIFY(!o.value(QStringLiteral("preset_name")).toString().isEmpty());
        QCOMPARE(o.value(QStringLiteral("api_base")).toString(),
                 QStringLiteral("https://coding-intl.dashscope.aliyuncs.com/v1"));
        QVERIFY(report.toText()
                    .join(QLatin1Char('\n'))
                    .contains(QStringLiteral("(coding-plan-global)")));
    }
};

QTEST_GUILESS_MAIN(TestStatusReport)
#include "tst_statusreport.moc"
