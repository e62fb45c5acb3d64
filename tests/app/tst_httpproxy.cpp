// Qwen Bridge behind a forward HTTP proxy, with a real one: Debian's tinyproxy, started
// here on a free loopback port. The fake upstream serves only connections coming from the
// address tinyproxy binds its outgoing connections to (127.0.0.3), so the proxy is the only
// route: a request that went around it is refused, and a build that drops proxy support
// fails here. Covered: the device sign-in and the API-key check of the CLI, streaming chat
// through `serve`, no_proxy, the manual proxy of the settings with its password in the
// keychain, and the messages when the proxy is down or asks for authentication.
#include "bridge/bridgeservice.h"
#include "credentials/credentialstore.h"
#include "credentials/keychainstore.h"
#include "fakeqwenservice.h"
#include "plans/plancatalog.h"
#include "proxy/localkey.h"
#include "settings/settings.h"
#include "testhome.h"
#include "testprocess.h"
#include "testtokens.h"
#include "testwait.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>
#include <optional>

namespace {

constexpr int WaitMs = 30000; // generous for a busy machine; never reached when passing
const QHostAddress kProxyOutgoing(QStringLiteral("127.0.0.3"));
constexpr const char *kProxyUser = "bridge";
constexpr const char *kProxyPassword = "proxy-pw-5c1f";

// tinyproxy in the foreground with a configuration of its own, its pid and log files in a
// temporary folder.
class Tinyproxy
{
public:
    ~Tinyproxy() { stop(); }

    bool start(bool requireAuth)
    {
        const QString binary = QStandardPaths::findExecutable(QStringLiteral("tinyproxy"));
        if (binary.isEmpty() || !m_dir.isValid()) {
            qWarning("tinyproxy is missing (Debian package tinyproxy; scripts/lib/common.sh "
                     "installs it)");
            return false;
        }
        m_port = freeLoopbackPort();
        QByteArray config = "Port " + QByteArray::number(m_port) +
                            "\n"
                            "Listen 127.0.0.1\n"
                            "Bind " +
                            kProxyOutgoing.toString().toLatin1() +
                            "\n"
                            "Timeout 60\n"
                            "MaxClients 100\n"
                            "DisableViaHeader Yes\n"
                            "LogLevel Connect\n"
                            "LogFile \"" +
                            logPath().toUtf8() +
                            "\"\n"
                            "PidFile \"" +
                            m_dir.filePath(QStringLiteral("tinyproxy.pid")).toUtf8() + "\"\n";
        if (requireAuth)
            config += QByteArray("BasicAuth ") + kProxyUser + ' ' + kProxyPassword + '\n';
        QFile file(m_dir.filePath(QStringLiteral("tinyproxy.conf")));
        if (!file.open(QIODevice::WriteOnly) || file.write(config) != config.size())
            return false;
        file.close();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(binary, {QStringLiteral("-d"), QStringLiteral("-c"), file.fileName()});
        if (!m_process.waitForStarted(WaitMs))
            return false;
        return waitFor(
                   [this] {
                       if (m_process.state() != QProcess::Running)
                           return true;
                       QTcpSocket probe;
                       probe.connectToHost(QHostAddress::LocalHost, m_port);
                       return probe.waitForConnected(1000);
                   },
                   WaitMs) &&
               m_process.state() == QProcess::Running;
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(WaitMs))
            m_process.kill();
        m_process.waitForFinished(WaitMs);
    }

    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    QString logPath() const { return m_dir.filePath(QStringLiteral("tinyproxy.log")); }
    QByteArray log() const
    {
        QFile f(logPath());
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    // The proxy passed on a request or a tunnel to this host and port.
    bool carried(quint16 port) const
    {
        return waitFor(
            [&] { return log().contains(QByteArray("127.0.0.1:" + QByteArray::number(port))); },
            WaitMs);
    }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

const char *const kProxyVariables[] = {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                                       "all_proxy",  "ALL_PROXY",   "no_proxy",   "NO_PROXY",
                                       "ftp_proxy",  "FTP_PROXY"};

} // namespace

class TestHttpProxy : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestHome> m_home;
    std::unique_ptr<FakeQwenService> m_fake;
    QNetworkAccessManager m_nam; // the test's own requests to `serve`: always direct
    QProcessEnvironment m_env;
    quint16 m_port = 0;
    QString m_localKey;

    // The child's environment: the proxy variables set to these values and no others.
    QProcessEnvironment environment(const QString &proxy, const QString &noProxy = {}) const
    {
        QProcessEnvironment env = m_env;
        for (const char *name : kProxyVariables)
            env.remove(QLatin1String(name));
        if (!proxy.isEmpty()) {
            env.insert(QStringLiteral("http_proxy"), proxy);
            env.insert(QStringLiteral("https_proxy"), proxy);
        }
        if (!noProxy.isEmpty())
            env.insert(QStringLiteral("no_proxy"), noProxy);
        return env;
    }

    struct Run
    {
        int code = -1;
        QByteArray output;
    };

    Run bridge(const QProcessEnvironment &env, const QStringList &args,
               const QByteArray &input = {})
    {
        QTemporaryFile in;
        TestProcess p(env);
        if (!input.isEmpty()) {
            in.open();
            in.write(input + '\n');
            in.close();
            p.setStandardInputFile(in.fileName());
        }
        p.startBridge(args);
        Run r;
        r.code = p.finish(90000);
        r.output = p.output();
        return r;
    }

    Run deviceLogin(const QProcessEnvironment &env)
    {
        m_fake->setPollInterval(1);
        m_fake->setAutoApproveAfterPolls(1);
        return bridge(env, {QStringLiteral("login"), QStringLiteral("--no-browser")});
    }

    Run keyLogin(const QProcessEnvironment &env)
    {
        return bridge(env,
                      {QStringLiteral("login"), QStringLiteral("--api-key"),
                       QStringLiteral("--base-url"), m_fake->apiBaseUrl().toString()},
                      "sk-good-key");
    }

    bool storeKeySignIn()
    {
        Credentials c;
        c.method = AuthMethod::ApiKey;
        c.apiKey = QStringLiteral("sk-good-key");
        c.preset = PlanCatalog::customPlanId();
        c.baseUrl = m_fake->apiBaseUrl();
        Settings settings;
        CredentialStore store(settings);
        bool ok = false;
        bool done = false;
        store.save(c, [&](const KeychainResult &r) {
            ok = r.ok();
            done = true;
        });
        return waitFor([&] { return done; }, WaitMs) && ok;
    }

    struct Answer
    {
        int status = 0;
        QByteArray body;
        QString code;    // the OpenAI-style error's code
        QString message; // and its message
    };

    // One chat request to `serve`, streaming or not, read to the end.
    Answer chat(bool stream)
    {
        QNetworkRequest r(
            QUrl(QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(m_port)));
        r.setRawHeader("Authorization", "Bearer " + m_localKey.toLatin1());
        r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        const QJsonObject body{
            {QStringLiteral("model"), QStringLiteral("alibaba/coder-model")},
            {QStringLiteral("stream"), stream},
            {QStringLiteral("messages"),
             QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                    {QStringLiteral("content"), QStringLiteral("hi")}}}}};
        QNetworkReply *reply = m_nam.post(r, QJsonDocument(body).toJson());
        waitFor([reply] { return reply->isFinished(); }, WaitMs);
        Answer a;
        a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        a.body = reply->readAll();
        reply->deleteLater();
        const QJsonObject error =
            QJsonDocument::fromJson(a.body).object().value(QStringLiteral("error")).toObject();
        a.code = error.value(QStringLiteral("code")).toString();
        a.message = error.value(QStringLiteral("message")).toString();
        return a;
    }

    // `serve` with this environment, up and listening.
    std::unique_ptr<TestProcess> serve(const QProcessEnvironment &env)
    {
        auto p = std::make_unique<TestProcess>(env);
        p->startBridge({QStringLiteral("serve")});
        if (!p->waitForOutput("listening on", WaitMs))
            qWarning("serve did not start: %s", p->output().constData());
        return p;
    }

    QString refusedMessage(quint16 port) const
    {
        return QStringLiteral("The HTTP proxy 127.0.0.1:%1 refused the connection").arg(port);
    }
    QString authenticationMessage(quint16 port) const
    {
        return QStringLiteral("The HTTP proxy 127.0.0.1:%1 asks for authentication (407)")
            .arg(port);
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
        m_nam.setProxy(QNetworkProxy::NoProxy);
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

    void upstreamIsReachableOnlyThroughTheProxy()
    {
        // Without the proxy the fake turns the bridge away: what passes below went through.
        m_fake->setOnlyFrom(kProxyOutgoing);
        const Run r = keyLogin(environment({}));
        QVERIFY2(r.code != 0, r.output.constData());
        QVERIFY(m_fake->counters().refusedPeers > 0);
        QCOMPARE(m_fake->counters().modelsRequests, 0);
    }

    void deviceSignInThroughProxy()
    {
        Tinyproxy proxy;
        QVERIFY(proxy.start(false));
        m_fake->setOnlyFrom(kProxyOutgoing);
        const Run r = deviceLogin(environment(proxy.url()));
        QVERIFY2(r.code == 0 && r.output.contains("Signed in"), r.output.constData());
        QCOMPARE(m_fake->counters().tokensIssued, 1);
        QCOMPARE(m_fake->counters().refusedPeers, 0);
        QVERIFY2(proxy.carried(m_fake->port()), proxy.log().constData());
        QCOMPARE(storedCredentials().method, AuthMethod::OAuth);
    }

    void apiKeyCheckThroughProxy()
    {
        Tinyproxy proxy;
        QVERIFY(proxy.start(false));
        m_fake->setOnlyFrom(kProxyOutgoing);
        const Run r = keyLogin(environment(proxy.url()));
        QVERIFY2(r.code == 0, r.output.constData());
        QCOMPARE(m_fake->counters().modelsRequests, 1);
        QCOMPARE(m_fake->counters().refusedPeers, 0);
        QVERIFY2(proxy.carried(m_fake->port()), proxy.log().constData());
    }

    void streamingThroughServe()
    {
        Tinyproxy proxy;
        QVERIFY(proxy.start(false));
        QVERIFY(storeKeySignIn());
        m_fake->setOnlyFrom(kProxyOutgoing);
        auto server = serve(environment(proxy.url()));
        for (int i = 0; i < 3; ++i) {
            const Answer a = chat(true);
            QVERIFY2(a.status == 200, a.body.constData());
            QVERIFY2(a.body.contains("data: [DONE]"), a.body.constData());
        }
        const Answer plain = chat(false);
        QVERIFY2(plain.status == 200, plain.body.constData());
        QCOMPARE(m_fake->counters().streamsCompleted, 3);
        QCOMPARE(m_fake->counters().refusedPeers, 0);
        // The upstream leg is a CONNECT tunnel through the proxy.
        QVERIFY2(proxy.log().contains(
                     QByteArray("CONNECT 127.0.0.1:" + QByteArray::number(m_fake->port()))),
                 proxy.log().constData());
        server->terminate();
        QCOMPARE(server->finish(), 0);
    }

    void noProxyGoesDirect()
    {
        // The proxy variables name a proxy that is down; no_proxy sends these hosts past it.
        const quint16 down = freeLoopbackPort();
        const QProcessEnvironment env = environment(QStringLiteral("http://127.0.0.1:%1").arg(down),
                                                    QStringLiteral("127.0.0.1"));
        const Run key = keyLogin(env);
        QVERIFY2(key.code == 0, key.output.constData());
        const Run device = deviceLogin(env);
        QVERIFY2(device.code == 0, device.output.constData());
        QVERIFY(storeKeySignIn());
        auto server = serve(env);
        const Answer a = chat(true);
        QVERIFY2(a.status == 200 && a.body.contains("data: [DONE]"), a.body.constData());
        server->terminate();
        QCOMPARE(server->finish(), 0);
    }

    void proxyDownIsNamed()
    {
        const quint16 down = freeLoopbackPort();
        const QProcessEnvironment env =
            environment(QStringLiteral("http://127.0.0.1:%1").arg(down));
        const QString expected = refusedMessage(down);

        const Run key = keyLogin(env);
        QCOMPARE(key.code, 4);
        QVERIFY2(key.output.contains(expected.toUtf8()), key.output.constData());
        QVERIFY(key.output.contains("Nothing was stored"));

        const Run device = deviceLogin(env);
        QVERIFY(device.code != 0);
        QVERIFY2(device.output.contains(expected.toUtf8()), device.output.constData());

        QVERIFY(storeKeySignIn());
        auto server = serve(env);
        for (bool stream : {false, true}) {
            const Answer a = chat(stream);
            QCOMPARE(a.status, 502);
            QCOMPARE(a.code, QStringLiteral("upstream_proxy"));
            QVERIFY2(a.message.startsWith(expected), qPrintable(a.message));
        }
        QCOMPARE(m_fake->counters().chatRequests, 0);
        server->terminate();
        QCOMPARE(server->finish(), 0);
    }

    void proxyAuthenticationIsNamed()
    {
        Tinyproxy proxy;
        QVERIFY(proxy.start(true));
        m_fake->setOnlyFrom(kProxyOutgoing);
        const QProcessEnvironment env = environment(proxy.url());
        const QString expected = authenticationMessage(proxy.port());

        const Run key = keyLogin(env);
        QCOMPARE(key.code, 4);
        QVERIFY2(key.output.contains(expected.toUtf8()), key.output.constData());

        const Run device = deviceLogin(env);
        QVERIFY(device.code != 0);
        QVERIFY2(device.output.contains(expected.toUtf8()), device.output.constData());

        QVERIFY(storeKeySignIn());
        auto server = serve(env);
        for (bool stream : {false, true}) {
            const Answer a = chat(stream);
            QCOMPARE(a.status, 502);
            QCOMPARE(a.code, QStringLiteral("upstream_proxy"));
            QVERIFY2(a.message.startsWith(expected), qPrintable(a.message));
        }
        QCOMPARE(m_fake->counters().chatRequests, 0);
        server->terminate();
        QCOMPARE(server->finish(), 0);
    }

    void manualProxyWithPasswordInKeychain()
    {
        Tinyproxy proxy;
        QVERIFY(proxy.start(true));
        m_fake->setOnlyFrom(kProxyOutgoing);
        // Chosen in the settings, as the tray does it when the Settings dialog is accepted.
        {
            BridgeService service;
            std::optional<ServiceError> result;
            // An address that is no proxy is refused, and nothing is stored.
            service.saveNetworkProxy(NetworkProxy::Mode::Manual, QStringLiteral("ftp://nowhere"),
                                     QLatin1String(kProxyPassword),
                                     [&](const ServiceError &e) { result = e; });
            QVERIFY(waitFor([&] { return result.has_value(); }, WaitMs));
            QCOMPARE(result->kind, ServiceError::Kind::Refused);
            QVERIFY(!result->message.isEmpty());
            QCOMPARE(Settings().proxyMode(), QStringLiteral("system"));

            result.reset();
            service.saveNetworkProxy(NetworkProxy::Mode::Manual,
                                     QStringLiteral("http://%1@127.0.0.1:%2")
                                         .arg(QLatin1String(kProxyUser))
                                         .arg(proxy.port()),
                                     QLatin1String(kProxyPassword),
                                     [&](const ServiceError &e) { result = e; });
            QVERIFY(waitFor([&] { return result.has_value(); }, WaitMs));
            QVERIFY2(result->ok(), qPrintable(result->message));
        }
        QVERIFY(m_home->filesContaining(kProxyPassword).isEmpty());

        // No proxy variables at all: the settings alone send everything through the proxy.
        const QProcessEnvironment env = environment({});
        const Run key = keyLogin(env);
        QVERIFY2(key.code == 0, key.output.constData());
        const Run device = deviceLogin(env);
        QVERIFY2(device.code == 0, device.output.constData());
        QCOMPARE(m_fake->counters().refusedPeers, 0);

        auto server = serve(env);
        const Answer a = chat(true);
        QVERIFY2(a.status == 200 && a.body.contains("data: [DONE]"), a.body.constData());
        server->terminate();
        QCOMPARE(server->finish(), 0);

        const Run status = bridge(env, {QStringLiteral("status")});
        QVERIFY2(status.output.contains(
                     QStringLiteral("manual, 127.0.0.1:%1").arg(proxy.port()).toUtf8()),
                 status.output.constData());
        QVERIFY(!status.output.contains(kProxyPassword));
        QVERIFY(!status.output.contains(kProxyUser));
        QVERIFY(m_home->filesContaining(kProxyPassword).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHttpProxy)
#include "tst_httpproxy.moc"
