#include "settings/settings.h"
#include "testhome.h"

#include <QDir>
#include <QTest>

#include <unistd.h>

class TestSettings : public QObject
{
    Q_OBJECT
    TestHome m_home;

private Q_SLOTS:
    void init()
    {
        for (const char *var : {"QWEN_BRIDGE_OAUTH_URL", "QWEN_BRIDGE_API_URL", "QWEN_BRIDGE_PORT",
                                "DEBUG_QWEN_PLUGIN", "ENABLE_PLUGIN_REQUEST_LOGGING"})
            qunsetenv(var);
    }

    void defaults()
    {
        Settings s;
        QCOMPARE(s.oauthBaseUrl(), QUrl(QStringLiteral("https://chat.qwen.ai")));
        QCOMPARE(s.clientId(), QStringLiteral("f0304373b74a44d2b584a3fb70ca9e56"));
        QCOMPARE(s.scope(), QStringLiteral("openid profile email model.completion"));
        QCOMPARE(s.apiFallbackUrl(), QUrl(QStringLiteral("https://portal.qwen.ai/v1")));
        QCOMPARE(s.port(), Settings::kDefaultPort);
        QVERIFY(!s.debugLogging());
        QVERIFY(!s.requestLogging());
        QCOMPARE(s.providerId(), QStringLiteral("alibaba"));
    }

    void fileThenEnvironment()
    {
        {
            Settings s;
            s.setOAuthBaseUrl(QUrl(QStringLiteral("https://oauth.example")));
            s.setClientId(QStringLiteral("my-client"));
            s.setPort(40000);
            s.setDebugLogging(true);
            s.sync();
        }
        QVERIFY(Settings::configFilePath().startsWith(m_home.configDir()));
        Settings s;
        QCOMPARE(s.oauthBaseUrl(), QUrl(QStringLiteral("https://oauth.example")));
        QCOMPARE(s.clientId(), QStringLiteral("my-client"));
        QCOMPARE(s.port(), quint16(40000));
        QVERIFY(s.debugLogging());

        qputenv("QWEN_BRIDGE_OAUTH_URL", "http://127.0.0.1:9");
        qputenv("QWEN_BRIDGE_API_URL", "http://127.0.0.1:9/v1");
        qputenv("QWEN_BRIDGE_PORT", "41000");
        qputenv("DEBUG_QWEN_PLUGIN", "0");
        qputenv("ENABLE_PLUGIN_REQUEST_LOGGING", "true");
        QCOMPARE(s.oauthBaseUrl(), QUrl(QStringLiteral("http://127.0.0.1:9")));
        QCOMPARE(s.apiFallbackUrl(), QUrl(QStringLiteral("http://127.0.0.1:9/v1")));
        QCOMPARE(s.port(), quint16(41000));
        QVERIFY(s.portFromEnvironment());
        QVERIFY(!s.debugLogging());
        QVERIFY(s.requestLogging());

        qputenv("QWEN_BRIDGE_PORT", "99999");
        QCOMPARE(s.port(), quint16(40000)); // out of range: ignored
        s.setOAuthBaseUrl({});
        s.setClientId({});
    }

    void oauthBaseUrlFollowsTheUrlPolicy_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("https") << "https://oauth.example" << true;
        QTest::newRow("http loopback") << "http://127.0.0.1:9" << true;
        QTest::newRow("http localhost") << "http://localhost:9" << true;
        QTest::newRow("http remote") << "http://oauth.example" << false;
        QTest::newRow("ftp") << "ftp://oauth.example" << false;
        QTest::newRow("no host") << "https://" << false;
        QTest::newRow("user") << "https://me@oauth.example" << false;
        QTest::newRow("query") << "https://oauth.example/?a=1" << false;
    }
    void oauthBaseUrlFollowsTheUrlPolicy()
    {
        QFETCH(QString, url);
        QFETCH(bool, accepted);
        const QUrl before(QStringLiteral("https://before.example"));
        Settings s;
        QVERIFY(s.setOAuthBaseUrl(before));
        QCOMPARE(s.setOAuthBaseUrl(QUrl(url)), accepted);
        // Refused: the stored value stays as it was.
        QCOMPARE(s.oauthBaseUrl(), accepted ? QUrl(url) : before);

        // From the environment, a refused address gives the default.
        qputenv("QWEN_BRIDGE_OAUTH_URL", url.toUtf8());
        QCOMPARE(s.oauthBaseUrl(),
                 accepted ? QUrl(url) : QUrl(QLatin1String(Settings::kDefaultOAuthBase)));
        qunsetenv("QWEN_BRIDGE_OAUTH_URL");
        QVERIFY(s.setOAuthBaseUrl({}));
        QCOMPARE(s.oauthBaseUrl(), QUrl(QLatin1String(Settings::kDefaultOAuthBase)));
    }

    void proxyBaseUrl_data()
    {
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("url");
        QTest::newRow("default") << int(Settings::kDefaultPort) << "http://127.0.0.1:38417/v1";
        QTest::newRow("low") << 1024 << "http://127.0.0.1:1024/v1";
        QTest::newRow("high") << 65535 << "http://127.0.0.1:65535/v1";
    }
    void proxyBaseUrl()
    {
        QFETCH(int, port);
        QFETCH(QString, url);
        QCOMPARE(Settings::proxyBaseUrl(quint16(port)), QUrl(url));
    }

    void paths()
    {
        QVERIFY(Settings::stateDir().startsWith(m_home.stateDir()));
        QVERIFY(Settings::runtimeDir().startsWith(m_home.runtimeDir()));
        QVERIFY(Settings::requestLogDir().startsWith(Settings::stateDir()));
    }

    // Without XDG_RUNTIME_DIR: a folder in the temp folder named by the numeric uid, not by
    // USER (which may be unset, shared or someone else's name); the demo has its own.
    void runtimeDirWithoutXdg()
    {
        const QByteArray saved = qgetenv("XDG_RUNTIME_DIR");
        const QByteArray savedUser = qgetenv("USER");
        qunsetenv("XDG_RUNTIME_DIR");
        qputenv("USER", "alice");
        const QString uid = QString::number(::geteuid());
        QCOMPARE(Settings::runtimeDir(), QDir::tempPath() + QStringLiteral("/qwen-bridge-") + uid);
        Settings::setDemoMode(true);
        QCOMPARE(Settings::runtimeDir(),
                 QDir::tempPath() + QStringLiteral("/qwen-bridge-demo-") + uid);
        Settings::setDemoMode(false);
        qunsetenv("USER");
        QCOMPARE(Settings::runtimeDir(), QDir::tempPath() + QStringLiteral("/qwen-bridge-") + uid);
        qputenv("XDG_RUNTIME_DIR", saved);
        qputenv("USER", savedUser);
    }

    void parseBool_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("value");
        QTest::addColumn<bool>("recognized");
        QTest::newRow("1") << QByteArray("1") << true << true;
        QTest::newRow("TRUE") << QByteArray("TRUE") << true << true;
        QTest::newRow("0") << QByteArray("0") << false << true;
        QTest::newRow("false") << QByteArray(" false ") << false << true;
        QTest::newRow("junk") << QByteArray("maybe") << true << false;
        QTest::newRow("empty") << QByteArray() << true << false;
    }
    void parseBool()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, value);
        QFETCH(bool, recognized);
        bool known = false;
        QCOMPARE(Settings::parseBool(text, true, &known), value);
        QCOMPARE(known, recognized);
    }
};

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
