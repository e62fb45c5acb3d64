#include "testtokens.h"

#include "credentials/credentialstore.h"
#include "fakeqwenservice.h"
#include "oauth/deviceauthorization.h"
#include "settings/settings.h"

#include <QDeadlineTimer>
#include <QTcpServer>
#include <QTest>

TokenSet signInThroughDeviceFlow(FakeQwenService &fake, QNetworkAccessManager *nam)
{
    OAuthConfig config;
    config.baseUrl = fake.baseUrl();
    config.clientId = QStringLiteral("f0304373b74a44d2b584a3fb70ca9e56");
    config.scope = QStringLiteral("openid profile email model.completion");
    fake.setSendInterval(false);
    fake.setAutoApproveAfterPolls(0);
    DeviceAuthorization auth(nam, config);
    auth.setTiming(20, 20);
    TokenSet tokens;
    bool done = false;
    QObject::connect(&auth, &DeviceAuthorization::succeeded, [&](const TokenSet &t) {
        tokens = t;
        done = true;
    });
    QObject::connect(&auth, &DeviceAuthorization::failed,
                     [&](const AuthFailure &) { done = true; });
    auth.start();
    QDeadlineTimer deadline(20000);
    while (!done && !deadline.hasExpired())
        QTest::qWait(5);
    fake.setSendInterval(true);
    fake.setAutoApproveAfterPolls(-1);
    return tokens;
}

Credentials storedCredentials()
{
    Settings settings;
    CredentialStore store(settings);
    Credentials c;
    bool done = false;
    store.load([&](const CredentialStore::LoadResult &r) {
        c = r.credentials;
        done = true;
    });
    QDeadlineTimer deadline(20000);
    while (!done && !deadline.hasExpired())
        QTest::qWait(5);
    return c;
}

quint16 freeLoopbackPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}
