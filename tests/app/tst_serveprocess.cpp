#include "credentials/credentialstore.h"
#include "credentials/legacyimport.h"
#include "fakeqwenservice.h"
#include "proxy/localkey.h"
#include "settings/settings.h"
#include "testhome.h"
#include "testprocess.h"
#include "testtokens.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTest>

// The session as a person lives with it: the real `qwen-bridge serve` process against the
// fake, with short-lived tokens, kills, a second instance and terminal commands beside it.
class TestServeProcess : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestHome> m_home;
    std::unique_ptr<FakeQwenService> m_fake;
    QNetworkAccessManager m_nam;
    QProcessEnvironment m_env;
    quint16 m_port = 0;
    QString m_localKey;

    bool store(const Credentials &c)
    {
        Settings settings;
        CredentialStore store(settings);
        bool done = false;
        bool ok = false;
        store.save(c, [&](const KeychainResult &r) {
            ok = r.ok();
            done = true;
        });
        QDeadlineTimer deadline(20000);
        while (!done && !deadline.hasExpired())
            QTest::qWait(5);
        return ok;
    }

    // Signed in at the fake, stored with an expired access token so the first user must
    // refresh at once.
    bool storeExpiredSignIn()
    {
        TokenSet t = signInThroughDeviceFlow(*m_fake, &m_nam);
        if (t.refreshToken.isEmpty())
            return false;
        t.expiresAt = QDateTime::currentDateTimeUtc().addSecs(-60);
        return store(Credentials::fromTokens(t));
    }

    struct Answer
    {
        int status = 0;
        QByteArray body;
    };

    QNetworkReply *chat(bool stream)
    {
        QNetworkRequest r(
            QUrl(QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(m_port)));
        r.setRawHeader("Authorization", "Bearer " + m_localKey.toLatin1());
        r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QJsonObject body{
            {QStringLiteral("model"), QStringLiteral("alibaba/coder-model")},
            {QStringLiteral("stream"), stream},
            {QStringLiteral("messages"),
             QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                    {QStringLiteral("content"), QStringLiteral("hi")}}}}};
        return m_nam.post(r, QJsonDocument(body).toJson());
    }

    Answer wait(QNetworkReply *reply)
    {
        QDeadlineTimer deadline(30000);
        while (!reply->isFinished() && !deadline.hasExpired())
            QTest::qWait(5);
        Answer a;
        a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        a.body = reply->readAll();
        reply->deleteLater();
        return a;
    }

    QJsonObject statusJson()
    {
        TestProcess p(m_env);
        p.startBridge({QStringLiteral("status"), QStringLiteral("--json")});
        p.finish(30000);
        return QJsonDocument::fromJson(p.output()).object();
    }

private Q_SLOTS:
    void init()
    {
        m_home = std::make_unique<TestHome>();
        m_fake = std::make_unique<FakeQwenService>();
        QVERIFY(m_fake->start());
        m_port = freeLoopbackPort();
        qputenv("QWEN_BRIDGE_OAUTH_URL", m_fake->baseUrl().toString().toUtf8());
        qputenv("QWEN_BRIDGE_API_URL", m_fake->apiBaseUrl().toString().toUtf8());
        qputenv("QWEN_BRIDGE_PORT", QByteArray::number(m_port));
        m_env = m_home->environment();
        // The local key, made here first so the test and the process share it.
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

    // A 30-second token and requests in flight through two renewals: nothing ever goes
    // upstream with an expired token, and no rotated refresh token is used again.
    void thirtySecondTokenTwoCycles()
    {
        m_fake->setTokenLifetime(30);
        m_fake->setStreamEventDelayMs(50);
        QVERIFY(storeExpiredSignIn());
        TestProcess serve(m_env);
        serve.startBridge({QStringLiteral("serve")});
        QVERIFY2(serve.waitForOutput("listening on"), serve.output().constData());

        const int startRefreshes = m_fake->counters().refreshesIssued;
        QList<QNetworkReply *> inFlight;
        int ok = 0;
        QStringList failures;
        QDeadlineTimer deadline(150000);
        // The first refresh happens on load (expired token); two more by the timer.
        while (m_fake->counters().refreshesIssued - startRefreshes < 3 && !deadline.hasExpired()) {
            inFlight << chat(inFlight.size() % 2 == 0);
            QTest::qWait(250);
            for (auto it = inFlight.begin(); it != inFlight.end();) {
                if ((*it)->isFinished()) {
                    const Answer a = wait(*it);
                    if (a.status == 200)
                        ++ok;
                    else
                        failures << QString::number(a.status) + QLatin1Char(' ') +
                                        QString::fromUtf8(a.body);
                    it = inFlight.erase(it);
                } else {
                    ++it;
                }
            }
        }
        for (QNetworkReply *r : std::as_const(inFlight)) {
            const Answer a = wait(r);
            a.status == 200 ? ++ok : (failures << QString::number(a.status), 0);
        }
        QVERIFY2(!deadline.hasExpired(), "two renewals did not happen in time");
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
        QVERIFY(ok > 50);
        QCOMPARE(m_fake->counters().expiredTokenRequests, 0);
        QCOMPARE(m_fake->counters().deadRefreshTokenUses, 0);
        QCOMPARE(storedCredentials().refreshToken.toLatin1(), m_fake->lastRefreshToken());
    }

    // kill -9 at moments around the renewal and its keychain write: whatever is stored
    // afterwards is a pair the server still honours, and the next start carries on.
    void killNineAroundTheWrite()
    {
        const QList<int> delaysMs = {0, 1, 3, 8, 15, 30, 60, 120};
        for (int delay : delaysMs) {
            QVERIFY(storeExpiredSignIn());
            const QString before = storedCredentials().refreshToken;
            TestProcess serve(m_env);
            bool renewed = false;
            auto conn =
                connect(m_fake.get(), &FakeQwenService::refreshed, this, [&] { renewed = true; });
            serve.startBridge({QStringLiteral("serve")});
            QTRY_VERIFY_WITH_TIMEOUT(renewed, 20000); // the fake has answered the refresh
            QTest::qWait(delay);
            serve.killHard();
            disconnect(conn);
            const Credentials after = storedCredentials();
            QVERIFY2(after.isValid(),
                     qPrintable(QStringLiteral("nothing stored at %1 ms").arg(delay)));
            QVERIFY2(m_fake->isRefreshTokenLive(after.refreshToken.toLatin1()),
                     qPrintable(QStringLiteral("stored refresh token dead after kill at %1 ms "
                                               "(%2)")
                                    .arg(delay)
                                    .arg(after.refreshToken == before ? QStringLiteral("old")
                                                                      : QStringLiteral("new"))));
            // And the next start gets going with it.
            TestProcess again(m_env);
            again.startBridge({QStringLiteral("serve")});
            QVERIFY(again.waitForOutput("listening on"));
            const Answer a = wait(chat(false));
            QVERIFY2(a.status == 200, a.body.constData());
        }
        QCOMPARE(m_fake->counters().deadRefreshTokenUses, 0);
    }

    void oneOwnerAndTerminalCommands()
    {
        QVERIFY(storeExpiredSignIn());
        TestProcess first(m_env);
        first.startBridge({QStringLiteral("serve")});
        QVERIFY(first.waitForOutput("listening on"));
        QCOMPARE(wait(chat(false)).status, 200);

        // A second one refuses to take over the session.
        TestProcess second(m_env);
        second.startBridge({QStringLiteral("serve")});
        QCOMPARE(second.finish(30000), 1);
        QVERIFY2(second.output().contains("already runs"), second.output().constData());

        QJsonObject status = statusJson();
        QCOMPARE(status.value(QStringLiteral("state")).toString(), QStringLiteral("signed_in"));
        QVERIFY(status.value(QStringLiteral("app_running")).toBool());
        QVERIFY(status.value(QStringLiteral("proxy_running")).toBool());

        // logout in a terminal signs the running one out at once.
        TestProcess logout(m_env);
        logout.startBridge({QStringLiteral("logout")});
        QCOMPARE(logout.finish(), 0);
        QVERIFY(logout.output().contains("running Qwen Bridge signed out"));
        const Answer refused = wait(chat(false));
        QCOMPARE(refused.status, 401);
        QVERIFY(refused.body.contains("qwen-bridge login"));
        status = statusJson();
        QCOMPARE(status.value(QStringLiteral("state")).toString(), QStringLiteral("signed_out"));

        // login in a terminal while it runs: the running one uses it right away.
        m_fake->setAutoApproveAfterPolls(0);
        m_fake->setPollInterval(1);
        TestProcess login(m_env);
        login.startBridge({QStringLiteral("login"), QStringLiteral("--no-browser")});
        QCOMPARE(login.finish(60000), 0);
        QVERIFY(login.output().contains("now uses this sign-in"));
        QTRY_COMPARE_WITH_TIMEOUT(wait(chat(false)).status, 200, 20000);
    }

    // The refresh token is refused while `serve` runs. Once it has gone, a new process
    // still knows: `status` (JSON and text) and the next `serve` say "sign in again", not
    // "Signed in." with an expiry in the past, and nobody asks the server again. Before
    // that, an expired access token with a live refresh token is "renewed on the next use";
    // a new sign-in ends it all.
    void deadSessionStaysDeadAcrossProcesses()
    {
        QVERIFY(storeExpiredSignIn());
        QJsonObject status = statusJson();
        QCOMPARE(status.value(QStringLiteral("state")).toString(), QStringLiteral("signed_in"));
        QVERIFY(status.value(QStringLiteral("renews_on_next_use")).toBool());
        QVERIFY2(status.value(QStringLiteral("message"))
                     .toString()
                     .contains(QLatin1String("renews it on the next use")),
                 qPrintable(status.value(QStringLiteral("message")).toString()));

        m_fake->rejectNextRefreshes(1);
        {
            TestProcess serve(m_env);
            serve.startBridge({QStringLiteral("serve")});
            QVERIFY2(serve.waitForOutput("session has ended"), serve.output().constData());
            QTRY_VERIFY_WITH_TIMEOUT(storedCredentials().signInRequired, 20000);
            serve.terminate();
            QCOMPARE(serve.finish(30000), 0);
        }
        const Credentials marked = storedCredentials();
        QVERIFY(marked.refreshToken.isEmpty()); // the dead token is not kept
        const int refreshes = m_fake->counters().refreshRequests;

        status = statusJson();
        QCOMPARE(status.value(QStringLiteral("state")).toString(),
                 QStringLiteral("sign_in_required"));
        QVERIFY(!status.value(QStringLiteral("app_running")).toBool());
        QVERIFY(!status.value(QStringLiteral("renews_on_next_use")).toBool());
        QVERIFY(status.value(QStringLiteral("message"))
                    .toString()
                    .contains(QLatin1String("qwen-bridge login")));
        TestProcess text(m_env);
        text.startBridge({QStringLiteral("status")});
        QCOMPARE(text.finish(30000), 0);
        QVERIFY2(text.output().contains("sign_in_required"), text.output().constData());
        QVERIFY2(!text.output().contains("Signed in."), text.output().constData());

        {
            TestProcess serve(m_env);
            serve.startBridge({QStringLiteral("serve")});
            QVERIFY2(serve.waitForOutput("listening on"), serve.output().constData());
            QVERIFY2(serve.waitForOutput("session has ended"), serve.output().constData());
            const Answer refused = wait(chat(false));
            QCOMPARE(refused.status, 401);
            QVERIFY(refused.body.contains("qwen-bridge login"));
            QCOMPARE(statusJson().value(QStringLiteral("state")).toString(),
                     QStringLiteral("sign_in_required"));
        }
        QCOMPARE(m_fake->counters().refreshRequests, refreshes);

        m_fake->setAutoApproveAfterPolls(0);
        m_fake->setPollInterval(1);
        TestProcess login(m_env);
        login.startBridge({QStringLiteral("login"), QStringLiteral("--no-browser")});
        QCOMPARE(login.finish(60000), 0);
        QVERIFY(!storedCredentials().signInRequired);
        status = statusJson();
        QCOMPARE(status.value(QStringLiteral("state")).toString(), QStringLiteral("signed_in"));
        QVERIFY(!status.value(QStringLiteral("renews_on_next_use")).toBool());
    }

    void importBothFormats()
    {
        // The plugin's file: what the original plugin left behind.
        TokenSet t = signInThroughDeviceFlow(*m_fake, &m_nam);
        QVERIFY(!t.refreshToken.isEmpty());
        const QString plugin = LegacyImport::pluginTokenPath(m_home->path());
        QDir().mkpath(QFileInfo(plugin).absolutePath());
        const QByteArray pluginText =
            QJsonDocument(QJsonObject{{QStringLiteral("access_token"), t.accessToken},
                                      {QStringLiteral("refresh_token"), t.refreshToken},
                                      {QStringLiteral("expires"),
                                       QDateTime::currentMSecsSinceEpoch() - 1000}})
                .toJson();
        {
            QFile f(plugin);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(pluginText);
        }
        TestProcess noConfirm(m_env);
        noConfirm.startBridge({QStringLiteral("import")});
        QCOMPARE(noConfirm.finish(), 64); // not a terminal and no --yes: nothing done
        QCOMPARE(storedCredentials().method, AuthMethod::None);

        TestProcess import(m_env);
        import.startBridge({QStringLiteral("import"), QStringLiteral("--yes")});
        QCOMPARE(import.finish(), 0);
        QVERIFY(import.output().contains("signed out"));
        QCOMPARE(storedCredentials().refreshToken, t.refreshToken);
        QFile kept(plugin);
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), pluginText); // left untouched

        // It works: serve renews from the imported refresh token.
        TestProcess serve(m_env);
        serve.startBridge({QStringLiteral("serve")});
        QVERIFY(serve.waitForOutput("listening on"));
        QCOMPARE(wait(chat(false)).status, 200);
        serve.terminate();
        QCOMPARE(serve.finish(), 0);

        // Qwen Code's file, named explicitly, and deleted on request.
        TokenSet q = signInThroughDeviceFlow(*m_fake, &m_nam);
        const QString qwen = LegacyImport::qwenCodePath(m_home->path());
        QDir().mkpath(QFileInfo(qwen).absolutePath());
        {
            QFile f(qwen);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(
                QJsonDocument(
                    QJsonObject{{QStringLiteral("access_token"), q.accessToken},
                                {QStringLiteral("refresh_token"), q.refreshToken},
                                {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                                {QStringLiteral("expiry_date"), q.expiresAt.toMSecsSinceEpoch()}})
                    .toJson());
        }
        TestProcess import2(m_env);
        import2.startBridge({QStringLiteral("import"), QStringLiteral("--from"), qwen,
                             QStringLiteral("--yes"), QStringLiteral("--delete-original")});
        QCOMPARE(import2.finish(), 0);
        QCOMPARE(storedCredentials().refreshToken, q.refreshToken);
        QVERIFY(!QFile::exists(qwen));
    }

    // Without any keychain service: refused with a way out, then the explicit opt-in.
    void fileStorageOnlyAfterOptIn()
    {
        QProcessEnvironment env = m_env;
        env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        m_fake->setAutoApproveAfterPolls(0);
        m_fake->setPollInterval(1);

        TestProcess refused(env);
        refused.startBridge({QStringLiteral("login"), QStringLiteral("--no-browser")});
        QCOMPARE(refused.finish(), 5);
        QVERIFY(refused.output().contains("--allow-file-storage"));
        QCOMPARE(m_fake->counters().deviceCodeRequests, 0);
        const QString file =
            m_home->path() + QStringLiteral("/.local/share/qwen-bridge/credentials.json");
        QVERIFY(!QFile::exists(file));

        TestProcess login(env);
        login.startBridge({QStringLiteral("login"), QStringLiteral("--no-browser"),
                           QStringLiteral("--allow-file-storage")});
        QCOMPARE(login.finish(60000), 0);
        QVERIFY(QFile::exists(file));
        QCOMPARE(QFileInfo(file).permissions() & ~(QFile::ReadUser | QFile::WriteUser),
                 QFile::ReadOwner | QFile::WriteOwner);
        QCOMPARE(QFileInfo(QFileInfo(file).absolutePath()).permissions() &
                     (QFile::ReadGroup | QFile::ReadOther | QFile::ExeOther),
                 QFile::Permissions());

        TestProcess status(env);
        status.startBridge({QStringLiteral("status"), QStringLiteral("--json")});
        QCOMPARE(status.finish(), 0);
        const QJsonObject o = QJsonDocument::fromJson(status.output()).object();
        QCOMPARE(o.value(QStringLiteral("state")).toString(), QStringLiteral("signed_in"));
        QCOMPARE(o.value(QStringLiteral("storage")).toString(), QStringLiteral("file"));
        QCOMPARE(o.value(QStringLiteral("storage_path")).toString(), file);
    }
};

QTEST_GUILESS_MAIN(TestServeProcess)
#include "tst_serveprocess.moc"
