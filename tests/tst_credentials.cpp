#include "credentials/credentials.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

class TestCredentials : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void oauthRoundTrip()
    {
        TokenSet t;
        t.accessToken = QStringLiteral("access-1");
        t.refreshToken = QStringLiteral("refresh-1");
        t.tokenType = QStringLiteral("Bearer");
        t.resourceUrl = QStringLiteral("portal.qwen.ai");
        t.expiresAt = QDateTime::fromMSecsSinceEpoch(1'800'000'000'123, Qt::UTC);
        const Credentials c = Credentials::fromTokens(t);
        QString error;
        const Credentials back = Credentials::fromJson(c.toJson(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(back.method, AuthMethod::OAuth);
        QCOMPARE(back.accessToken, t.accessToken);
        QCOMPARE(back.refreshToken, t.refreshToken);
        QCOMPARE(back.resourceUrl, t.resourceUrl);
        QCOMPARE(back.expiresAt, t.expiresAt);
        QCOMPARE(back.tokens().refreshToken, t.refreshToken);
    }
    // A refused refresh token is remembered as "sign in again", in a field that what
    // earlier versions stored lacks (and reads as "not refused").
    void signInRequiredMark()
    {
        TokenSet t;
        t.accessToken = QStringLiteral("access-1");
        t.refreshToken = QStringLiteral("refresh-1");
        t.expiresAt = QDateTime::fromMSecsSinceEpoch(1'800'000'000'000, Qt::UTC);
        Credentials c = Credentials::fromTokens(t);
        QVERIFY(!c.signInRequired);
        QVERIFY(!c.toJson().contains("sign_in_required"));
        QVERIFY(!Credentials::fromJson(c.toJson()).signInRequired);

        c.signInRequired = true;
        c.refreshToken.clear();
        const Credentials back = Credentials::fromJson(c.toJson());
        QVERIFY(back.isValid());
        QVERIFY(back.signInRequired);
        QVERIFY(back.refreshToken.isEmpty());

        const QByteArray earlier = R"({"version":1,"method":"oauth","access_token":"a",)"
                                   R"("refresh_token":"r","token_type":"Bearer",)"
                                   R"("expiry_date":1800000000000,"resource_url":""})";
        const Credentials old = Credentials::fromJson(earlier);
        QVERIFY(old.isValid());
        QVERIFY(!old.signInRequired);
        QCOMPARE(old.refreshToken, QStringLiteral("r"));
    }
    void apiKeyRoundTrip()
    {
        Credentials c;
        c.method = AuthMethod::ApiKey;
        c.apiKey = QStringLiteral("sk-test");
        c.preset = QStringLiteral("coding-intl");
        c.baseUrl = QUrl(QStringLiteral("https://coding-intl.dashscope.aliyuncs.com/v1"));
        const Credentials back = Credentials::fromJson(c.toJson());
        QCOMPARE(back.method, AuthMethod::ApiKey);
        QCOMPARE(back.apiKey, c.apiKey);
        QCOMPARE(back.preset, c.preset);
        QCOMPARE(back.baseUrl, c.baseUrl);
        QVERIFY(!c.toJson().contains("refresh_token"));
    }
    void rejects_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("not json") << QByteArray("{oops");
        QTest::newRow("array") << QByteArray("[1,2]");
        QTest::newRow("no method") << QByteArray(R"({"access_token":"a","expiry_date":1})");
        QTest::newRow("unknown method") << QByteArray(R"({"method":"magic"})");
        QTest::newRow("oauth without token")
            << QByteArray(R"({"method":"oauth","refresh_token":"r","expiry_date":1})");
        QTest::newRow("oauth without expiry")
            << QByteArray(R"({"method":"oauth","access_token":"a"})");
        QTest::newRow("key without base") << QByteArray(R"({"method":"api_key","api_key":"k"})");
        QTest::newRow("key relative base")
            << QByteArray(R"({"method":"api_key","api_key":"k","base_url":"v1"})");
    }
    void rejects()
    {
        QFETCH(QByteArray, json);
        QString error;
        const Credentials c = Credentials::fromJson(json, &error);
        QVERIFY(!c.isValid());
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCredentials)
#include "tst_credentials.moc"
