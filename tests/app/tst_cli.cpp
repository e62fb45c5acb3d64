// The real `qwen-bridge` executable, run as a person runs it, against the fake Qwen service
// in this process and the real keychain on the test session bus (DESIGN.md "Testing"):
// login with each of its endings and exit codes, status, logout, usage, and SIGINT.
// The fake lives on this process's event loop, so children are only ever waited for by
// spinning that loop (QTest::qWaitFor), never with QProcess::waitForFinished().

#include "credentials/credentialstore.h"
#include "fakeqwenservice.h"
#include "http/httpserver.h"
#include "qr/qrcode.h"
#include "testhome.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>
#include <QUrlQuery>

#include <csignal>
#include <memory>

namespace {

constexpr int kRunTimeout = 60000; // per child: generous, a busy two-core machine

quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

// One child process with its output collected as it comes.
class Child
{
public:
    Child()
    {
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process,
                         [this] { out += m_process.readAllStandardOutput(); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                         [this] { err += m_process.readAllStandardError(); });
    }
    ~Child()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            (void)QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; },
                                  5000);
        }
    }

    void start(const QStringList &args, const QProcessEnvironment &env)
    {
        m_process.setProcessEnvironment(env);
        m_process.setProgram(QStringLiteral(QWEN_BRIDGE_BINARY));
        m_process.setArguments(args);
        m_process.start(QIODevice::ReadOnly);
    }
    // Spins the event loop (the fake keeps answering) until the child ends.
    bool waitFinished(int ms = kRunTimeout)
    {
        const bool done =
            QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, ms);
        out += m_process.readAllStandardOutput();
        err += m_process.readAllStandardError();
        return done;
    }
    qint64 pid() const { return m_process.processId(); }
    int exitCode() const { return m_process.exitCode(); }
    QProcess::ExitStatus exitStatus() const { return m_process.exitStatus(); }

    QByteArray out;
    QByteArray err;

private:
    QProcess m_process;
};

struct Result
{
    bool finished = false;
    bool crashed = false;
    int exitCode = -1;
    QString out;
    QString err;
    QByteArray raw; // stdout and stderr as bytes, for secret searches

    QString describe() const
    {
        return QStringLiteral("finished=%1 crashed=%2 exit=%3\n--- stdout:\n%4\n--- stderr:\n%5")
            .arg(finished)
            .arg(crashed)
            .arg(exitCode)
            .arg(out, err);
    }
    QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
};

Result run(const QStringList &args, const QProcessEnvironment &env)
{
    Child child;
    child.start(args, env);
    Result r;
    r.finished = child.waitFinished();
    r.crashed = child.exitStatus() != QProcess::NormalExit;
    r.exitCode = r.finished && !r.crashed ? child.exitCode() : -1;
    r.out = QString::fromUtf8(child.out);
    r.err = QString::fromUtf8(child.err);
    r.raw = child.out + child.err;
    return r;
}

// Answers every request with one status, for what the fake has no switch for: a 5xx on
// the device code request.
class FailingServer
{
public:
    explicit FailingServer(int status)
    {
        QObject::connect(&m_server, &HttpServer::requestReceived, &m_server,
                         [this, status](const HttpRequest &, HttpResponse *response) {
                             ++requests;
                             response->send(status,
                                            QByteArrayLiteral("{\"error\":\"server_error\"}"));
                         });
    }
    bool start() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl baseUrl() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
    }
    int requests = 0;

private:
    HttpServer m_server;
};

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestHome> m_home;
    std::unique_ptr<FakeQwenService> m_fake;
    QUrl m_fakeUrl;
    quint16 m_proxyPort = 0; // nothing listens there: `status` must not find another bridge

    QProcessEnvironment env() const
    {
        QProcessEnvironment e = m_home->environment();
        e.insert(QStringLiteral("QWEN_BRIDGE_OAUTH_URL"), m_fakeUrl.toString());
        e.insert(QStringLiteral("QWEN_BRIDGE_API_URL"), m_fake->apiBaseUrl().toString());
        e.insert(QStringLiteral("QWEN_BRIDGE_PORT"), QString::number(m_proxyPort));
        e.remove(QStringLiteral("DEBUG_QWEN_PLUGIN"));
        e.remove(QStringLiteral("ENABLE_PLUGIN_REQUEST_LOGGING"));
        return e;
    }

    CredentialStore::LoadResult loadFromKeychain()
    {
        CredentialStore store(m_home->keychainService());
        CredentialStore::LoadResult result;
        bool done = false;
        store.load([&](const CredentialStore::LoadResult &r) {
            result = r;
            done = true;
        });
        if (!QTest::qWaitFor([&] { return done; }, 30000))
            result.keychain.message = QStringLiteral("the keychain never answered");
        return result;
    }

    // Asserts through QTest: check QTest::currentTestFailed() after calling.
    void expectState(const QString &state, int exitCode = 0)
    {
        const Result status = run({QStringLiteral("status"), QStringLiteral("--json")}, env());
        QVERIFY2(status.finished && status.exitCode == exitCode, qPrintable(status.describe()));
        QCOMPARE(status.json().value(QLatin1String("state")).toString(), state);
    }

    void signIn()
    {
        m_fake->setAutoApproveAfterPolls(0);
        const Result login = run({QStringLiteral("login"), QStringLiteral("--no-browser")}, env());
        QVERIFY2(login.finished && login.exitCode == 0, qPrintable(login.describe()));
        expectState(QStringLiteral("signed_in"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(QStringLiteral(QWEN_BRIDGE_BINARY)), QWEN_BRIDGE_BINARY);
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
                 "No D-Bus session: run the tests through ./scripts/test, which starts "
                 "gnome-keyring on a private bus");
    }

    void init()
    {
        m_home = std::make_unique<TestHome>();
        QVERIFY(m_home->isValid());
        m_fake = std::make_unique<FakeQwenService>();
        QVERIFY(m_fake->start(0));
        m_fake->setPollInterval(1); // the CLI polls at the server's interval: keep it short
        m_fakeUrl = m_fake->baseUrl();
        m_proxyPort = closedPort();
        QVERIFY(m_proxyPort != 0);
    }

    void cleanup()
    {
        m_fake.reset();
        m_home.reset();
    }

    // --- login -------------------------------------------------------------------------------

    void loginThenStatus_data()
    {
        QTest::addColumn<QString>("resourceUrl");
        QTest::addColumn<QString>("expectedApiBase"); // empty: QWEN_BRIDGE_API_URL
        QTest::addColumn<bool>("debugLogging");
        QTest::newRow("no resource_url: QWEN_BRIDGE_API_URL") << QString() << QString() << false;
        QTest::newRow("resource_url") << QStringLiteral("portal.example.test")
                                      << QStringLiteral("https://portal.example.test/v1") << false;
        QTest::newRow("debug logging on") << QString() << QString() << true;
    }
    void loginThenStatus()
    {
        QFETCH(QString, resourceUrl);
        QFETCH(QString, expectedApiBase);
        QFETCH(bool, debugLogging);
        if (!resourceUrl.isEmpty())
            m_fake->setResourceUrl(resourceUrl);
        if (expectedApiBase.isEmpty())
            expectedApiBase = m_fake->apiBaseUrl().toString();
        m_fake->setAutoApproveAfterPolls(1);
        QProcessEnvironment e = env();
        if (debugLogging)
            e.insert(QStringLiteral("DEBUG_QWEN_PLUGIN"), QStringLiteral("1"));

        const Result login = run({QStringLiteral("login"), QStringLiteral("--no-browser")}, e);
        QVERIFY2(login.finished && login.exitCode == 0, qPrintable(login.describe()));
        QCOMPARE(m_fake->counters().deviceCodeRequests, 1);
        QCOMPARE(m_fake->counters().tokensIssued, 1);

        // What the person needs: the address, the code, and a QR of the address.
        const QString userCode = m_fake->lastUserCode();
        QVERIFY2(login.out.contains(userCode), qPrintable(login.describe()));
        static const QRegularExpression urlPattern(
            QStringLiteral("(http://127\\.0\\.0\\.1:\\d+/authorize\\?\\S+)"));
        const QRegularExpressionMatch m = urlPattern.match(login.out);
        QVERIFY2(m.hasMatch(), qPrintable(login.describe()));
        const QString url = m.captured(1);
        QCOMPARE(QUrl(url).port(), int(m_fake->port()));
        const QUrlQuery query{QUrl(url)};
        QCOMPARE(query.queryItemValue(QStringLiteral("user_code")), userCode);
        QCOMPARE(query.allQueryItemValues(QStringLiteral("client")),
                 QStringList{QStringLiteral("qwen-code")});
        const QString qr = QrCode::encode(url.toUtf8()).toTerminalText(false);
        QVERIFY(qr.count(QLatin1Char('\n')) >= 10);
        QVERIFY2(login.out.contains(qr), qPrintable(login.describe()));
        QVERIFY2(login.out.contains(QLatin1String("Signed in")), qPrintable(login.describe()));

        const Result status = run({QStringLiteral("status"), QStringLiteral("--json")}, e);
        QVERIFY2(status.finished && status.exitCode == 0, qPrintable(status.describe()));
        const QJsonObject o = status.json();
        QVERIFY2(!o.isEmpty(), qPrintable(status.describe()));
        QCOMPARE(o.value(QLatin1String("state")).toString(), QStringLiteral("signed_in"));
        QCOMPARE(o.value(QLatin1String("method")).toString(), QStringLiteral("oauth"));
        QCOMPARE(o.value(QLatin1String("api_base")).toString(), expectedApiBase);
        const QString expiresAt = o.value(QLatin1String("expires_at")).toString();
        static const QRegularExpression iso8601(QStringLiteral(
            "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)$"));
        QVERIFY2(iso8601.match(expiresAt).hasMatch(), qPrintable(expiresAt));
        const QDateTime expiry = QDateTime::fromString(expiresAt, Qt::ISODate);
        QVERIFY(expiry.isValid());
        const qint64 left = QDateTime::currentDateTimeUtc().secsTo(expiry);
        QVERIFY2(left > 3600 - 300 && left <= 3600 + 5, qPrintable(QString::number(left)));

        const Result human = run({QStringLiteral("status")}, e);
        QVERIFY2(human.finished && human.exitCode == 0, qPrintable(human.describe()));
        QVERIFY(human.out.contains(QLatin1String("signed_in")));

        // The secrets: in the keychain, and nowhere else.
        const QByteArray access = m_fake->lastAccessToken();
        const QByteArray refresh = m_fake->lastRefreshToken();
        QVERIFY(!access.isEmpty() && !refresh.isEmpty());
        for (const Result *r : {&login, &status, &human}) {
            QVERIFY2(!r->raw.contains(access), "the access token was printed");
            QVERIFY2(!r->raw.contains(refresh), "the refresh token was printed");
        }
        QVERIFY2(m_home->filesContaining(access).isEmpty(),
                 qPrintable(m_home->filesContaining(access).join(QLatin1Char(' '))));
        QVERIFY2(m_home->filesContaining(refresh).isEmpty(),
                 qPrintable(m_home->filesContaining(refresh).join(QLatin1Char(' '))));
        const CredentialStore::LoadResult stored = loadFromKeychain();
        QVERIFY2(stored.keychain.ok(), qPrintable(stored.keychain.message));
        QCOMPARE(stored.credentials.method, AuthMethod::OAuth);
        QCOMPARE(stored.credentials.accessToken.toLatin1(), access);
        QCOMPARE(stored.credentials.refreshToken.toLatin1(), refresh);
    }

    // `login --name NAME`: an OAuth account next to the others, not the default sign-in.
    void loginWithANameAddsAnAccount()
    {
        m_fake->setAutoApproveAfterPolls(1);
        const Result login = run({QStringLiteral("login"), QStringLiteral("--no-browser"),
                                  QStringLiteral("--name"), QStringLiteral("work")},
                                 env());
        QVERIFY2(login.finished && login.exitCode == 0, qPrintable(login.describe()));
        QVERIFY2(login.out.contains(QLatin1String("\"work\"")), qPrintable(login.describe()));
        QCOMPARE(loadFromKeychain().keychain.error, KeychainError::NotFound); // default untouched
        const Result list = run({QStringLiteral("accounts"), QStringLiteral("--json")}, env());
        QVERIFY2(list.finished && list.exitCode == 0, qPrintable(list.describe()));
        const QJsonArray accounts = list.json().value(QLatin1String("accounts")).toArray();
        QCOMPARE(accounts.size(), 1);
        const QJsonObject work = accounts.first().toObject();
        QCOMPARE(work.value(QLatin1String("name")).toString(), QStringLiteral("work"));
        QCOMPARE(work.value(QLatin1String("method")).toString(), QStringLiteral("oauth"));
        QCOMPARE(work.value(QLatin1String("state")).toString(), QStringLiteral("usable"));
        QVERIFY(!list.raw.contains(m_fake->lastAccessToken()));
        // A bad name is refused before any sign-in starts.
        const int codes = m_fake->counters().deviceCodeRequests;
        const Result bad = run({QStringLiteral("login"), QStringLiteral("--no-browser"),
                                QStringLiteral("--name"), QStringLiteral("no good")},
                               env());
        QCOMPARE(bad.exitCode, 64);
        QCOMPARE(m_fake->counters().deviceCodeRequests, codes);
    }

    void loginRidesOutServerErrors()
    {
        // 5xx answers while polling are transient: the CLI says so and keeps going.
        m_fake->failNextPolls(2, 503);
        m_fake->setAutoApproveAfterPolls(0);
        const Result login = run({QStringLiteral("login"), QStringLiteral("--no-browser")}, env());
        QVERIFY2(login.finished && login.exitCode == 0, qPrintable(login.describe()));
        QVERIFY2(login.err.contains(QLatin1String("still trying")), qPrintable(login.describe()));
        QCOMPARE(m_fake->counters().tokenPolls, 3);
        expectState(QStringLiteral("signed_in"));
    }

    void browserOpensUnlessNoBrowser_data()
    {
        QTest::addColumn<bool>("noBrowser");
        QTest::newRow("login") << false;
        QTest::newRow("login --no-browser") << true;
    }
    void browserOpensUnlessNoBrowser()
    {
        QFETCH(bool, noBrowser);
        // A stand-in xdg-open first on PATH records what it was asked to open.
        const QString bin = m_home->path() + QStringLiteral("/bin");
        const QString marker = m_home->path() + QStringLiteral("/opened.txt");
        QVERIFY(QDir().mkpath(bin));
        QFile script(bin + QStringLiteral("/xdg-open"));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '" + marker.toLocal8Bit() + "'\n");
        script.close();
        QVERIFY(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        QProcessEnvironment e = env();
        e.insert(QStringLiteral("PATH"), bin + QLatin1Char(':') + e.value(QStringLiteral("PATH")));

        m_fake->setAutoApproveAfterPolls(1);
        QStringList args{QStringLiteral("login")};
        if (noBrowser)
            args << QStringLiteral("--no-browser");
        const Result login = run(args, e);
        QVERIFY2(login.finished && login.exitCode == 0, qPrintable(login.describe()));
        if (noBrowser) {
            // An opener the login had started would have started before the first poll,
            // more than a poll interval before this one: once this one has written, the
            // marker holds only its line.
            QVERIFY(QProcess::startDetached(script.fileName(), {QStringLiteral("probe")}));
            QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(marker), 10000);
            QFile f(marker);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), QByteArray("probe\n"));
        } else {
            QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(marker), 10000);
            QFile f(marker);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QUrl opened(QString::fromUtf8(f.readAll().trimmed()));
            QCOMPARE(QUrlQuery(opened).queryItemValue(QStringLiteral("user_code")),
                     m_fake->lastUserCode());
        }
    }

    void denied()
    {
        connect(m_fake.get(), &FakeQwenService::deviceCodeIssued, m_fake.get(),
                [this](const QString &userCode) { m_fake->deny(userCode); });
        const Result login = run({QStringLiteral("login"), QStringLiteral("--no-browser")}, env());
        QVERIFY2(login.finished && login.exitCode == 2, qPrintable(login.describe()));
        QVERIFY2(login.err.contains(QLatin1String("refused")), qPrintable(login.describe()));
        QVERIFY(login.err.trimmed().endsWith(QLatin1Char('.')));
        QVERIFY(!login.out.contains(QLatin1String("Signed in")));
        QCOMPARE(m_fake->counters().tokensIssued, 0);
        expectState(QStringLiteral("signed_out"));
    }

    void expired_data()
    {
        QTest::addColumn<bool>("serverSilent");
        QTest::newRow("server answers expired_token") << false;
        QTest::newRow("only the code's expires_in") << true;
    }
    void expired()
    {
        QFETCH(bool, serverSilent);
        if (serverSilent) {
            const qint64 frozen = QDateTime::currentMSecsSinceEpoch();
            m_fake->setClock([frozen] { return frozen; }); // never expires on its side
        }
        m_fake->setDeviceCodeLifetime(2);
        const Result login = run({QStringLiteral("login"), QStringLiteral("--no-browser")}, env());
        QVERIFY2(login.finished && login.exitCode == 3, qPrintable(login.describe()));
        QVERIFY2(login.err.contains(QLatin1String("expired")), qPrintable(login.describe()));
        QVERIFY2(login.err.contains(QLatin1String("again")), qPrintable(login.describe()));
        QCOMPARE(m_fake->counters().tokensIssued, 0);
        expectState(QStringLiteral("signed_out"));
    }

    void networkOrServerFailure_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("fake stopped") << "stopped"
                                      << "refused the connection";
        QTest::newRow("closed port") << "closed"
                                     << "refused the connection";
        QTest::newRow("HTTP 503 on the device code request") << "503"
                                                             << "HTTP 503";
        QTest::newRow("HTTP 500 on the device code request") << "500"
                                                             << "HTTP 500";
    }
    void networkOrServerFailure()
    {
        QFETCH(QString, how);
        QFETCH(QString, mentions);
        // The fake has no switch to fail the device code request: a server that answers
        // every request with that status stands in.
        std::unique_ptr<FailingServer> failing;
        if (how == QLatin1String("stopped")) {
            m_fake->stop();
        } else if (how == QLatin1String("closed")) {
            m_fakeUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closedPort()));
        } else {
            failing = std::make_unique<FailingServer>(how.toInt());
            QVERIFY(failing->start());
            m_fakeUrl = failing->baseUrl();
        }
        const Result login = run({QStringLiteral("login"), QStringLiteral("--no-browser")}, env());
        QVERIFY2(login.finished && login.exitCode == 4, qPrintable(login.describe()));
        QVERIFY2(login.err.contains(mentions), qPrintable(login.describe()));
        QVERIFY(!login.out.contains(QLatin1String("Signed in")));
        if (failing)
            QCOMPARE(failing->requests, 1);
        expectState(QStringLiteral("signed_out"));
    }

    // --- the keychain ------------------------------------------------------------------------

    void keychainUnavailable()
    {
        m_home->setSetting(QStringLiteral("keychain/timeoutMs"), 10000);
        QProcessEnvironment e = env();
        e.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        e.remove(QStringLiteral("DISPLAY"));
        e.remove(QStringLiteral("WAYLAND_DISPLAY"));
        m_fake->setAutoApproveAfterPolls(0);

        const Result login = run({QStringLiteral("login"), QStringLiteral("--no-browser")}, e);
        QVERIFY2(login.finished && login.exitCode == 5, qPrintable(login.describe()));
        // Before anything was asked of Qwen: nobody approves a sign-in that cannot be kept.
        QCOMPARE(m_fake->counters().deviceCodeRequests, 0);
        QVERIFY(!login.out.contains(QLatin1String("Contacting")));
        for (const char *needle : {"keychain", "Start", "GNOME Keyring", "KWallet"})
            QVERIFY2(login.err.contains(QLatin1String(needle), Qt::CaseInsensitive),
                     qPrintable(login.describe()));

        const Result status = run({QStringLiteral("status"), QStringLiteral("--json")}, e);
        QVERIFY2(status.finished && status.exitCode == 5, qPrintable(status.describe()));
        const QJsonObject o = status.json();
        QCOMPARE(o.value(QLatin1String("state")).toString(),
                 QStringLiteral("keychain_unavailable"));
        QCOMPARE(o.value(QLatin1String("keychain")).toString(), QStringLiteral("unavailable"));
        QVERIFY(o.value(QLatin1String("message")).toString().contains(QLatin1String("KWallet")));

        const Result logout = run({QStringLiteral("logout")}, e);
        QVERIFY2(logout.finished && logout.exitCode == 5, qPrintable(logout.describe()));
        QVERIFY(logout.err.contains(QLatin1String("GNOME Keyring")));
    }

    void keychainHangs()
    {
        // A "session bus" that accepts connections and never says a word.
        QLocalServer bus;
        const QString busPath = m_home->path() + QStringLiteral("/silent-bus");
        QVERIFY2(bus.listen(busPath), qPrintable(bus.errorString()));
        int connections = 0;
        connect(&bus, &QLocalServer::newConnection, &bus, [&] {
            while (bus.nextPendingConnection())
                ++connections; // kept open, as children of the server, until the end
        });
        m_home->setSetting(QStringLiteral("keychain/timeoutMs"), 1500);
        QProcessEnvironment e = env();
        e.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                 QStringLiteral("unix:path=") + busPath);
        m_fake->setAutoApproveAfterPolls(0);

        QElapsedTimer timer;
        timer.start();
        const Result login = run({QStringLiteral("login"), QStringLiteral("--no-browser")}, e);
        const qint64 took = timer.elapsed();
        QVERIFY2(login.finished && login.exitCode == 5, qPrintable(login.describe()));
        QVERIFY2(login.err.contains(QLatin1String("did not answer in time")),
                 qPrintable(login.describe()));
        QVERIFY(connections >= 1); // it really tried that bus
        QCOMPARE(m_fake->counters().deviceCodeRequests, 0);
        // Our own timeout from the settings, not QtKeychain's nor the 15 s default.
        QVERIFY2(took >= 1400 && took < 12000, qPrintable(QString::number(took)));

        const Result status = run({QStringLiteral("status"), QStringLiteral("--json")}, e);
        QVERIFY2(status.finished && status.exitCode == 5, qPrintable(status.describe()));
        QCOMPARE(status.json().value(QLatin1String("state")).toString(),
                 QStringLiteral("keychain_unavailable"));
    }

    void keychainWithoutGlibLoop()
    {
        // QT_NO_GLIB: Qt does not run GLib's loop, so libsecret's answer never arrives. The
        // message names the cause instead of "unlock your keyring".
        m_home->setSetting(QStringLiteral("keychain/timeoutMs"), 1500);
        QProcessEnvironment e = env();
        e.insert(QStringLiteral("QT_NO_GLIB"), QStringLiteral("1"));
        const Result status = run({QStringLiteral("status"), QStringLiteral("--json")}, e);
        QVERIFY2(status.finished && status.exitCode == 5, qPrintable(status.describe()));
        const QJsonObject o = status.json();
        QCOMPARE(o.value(QLatin1String("state")).toString(),
                 QStringLiteral("keychain_unavailable"));
        QVERIFY2(o.value(QLatin1String("message")).toString().contains(QLatin1String("QT_NO_GLIB")),
                 qPrintable(status.describe()));

        // Without it, the same keychain answers.
        e.remove(QStringLiteral("QT_NO_GLIB"));
        const Result again = run({QStringLiteral("status"), QStringLiteral("--json")}, e);
        QVERIFY2(again.finished, qPrintable(again.describe()));
        QCOMPARE(again.json().value(QLatin1String("keychain")).toString(),
                 QStringLiteral("available"));
    }

    // --- logout ------------------------------------------------------------------------------

    void logout()
    {
        signIn();
        if (QTest::currentTestFailed())
            return;
        const Result first = run({QStringLiteral("logout")}, env());
        QVERIFY2(first.finished && first.exitCode == 0, qPrintable(first.describe()));
        QVERIFY(first.out.contains(QLatin1String("Signed out")));
        expectState(QStringLiteral("signed_out"));
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(loadFromKeychain().keychain.error, KeychainError::NotFound);

        const Result second = run({QStringLiteral("logout")}, env());
        QVERIFY2(second.finished && second.exitCode == 0, qPrintable(second.describe()));
        expectState(QStringLiteral("signed_out"));
    }

    // --- usage -------------------------------------------------------------------------------

    void usage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<bool>("onStdout");
        QTest::addColumn<QString>("pattern");
        const QString version = QStringLiteral("^qwen-bridge \\d+\\.\\d+");
        const QString help = QStringLiteral("login \\[--no-browser\\][\\s\\S]*status "
                                            "\\[--json\\][\\s\\S]*logout[\\s\\S]*Exit codes");
        QTest::newRow("--version") << QStringList{"--version"} << 0 << true << version;
        QTest::newRow("-v") << QStringList{"-v"} << 0 << true << version;
        QTest::newRow("--help") << QStringList{"--help"} << 0 << true << help;
        QTest::newRow("-h") << QStringList{"-h"} << 0 << true << help;
        QTest::newRow("unknown command")
            << QStringList{"frobnicate"} << 64 << false << QStringLiteral("Unknown command");
        QTest::newRow("login, unknown option")
            << QStringList{"login", "--bogus"} << 64 << false << QStringLiteral("bogus");
        QTest::newRow("status, unknown option")
            << QStringList{"status", "--bogus"} << 64 << false << QStringLiteral("bogus");
    }
    void usage()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(bool, onStdout);
        QFETCH(QString, pattern);
        const Result r = run(args, env());
        QVERIFY2(r.finished && r.exitCode == exitCode, qPrintable(r.describe()));
        const QRegularExpression re(pattern);
        QVERIFY2(re.match(onStdout ? r.out : r.err).hasMatch(), qPrintable(r.describe()));
        QCOMPARE(m_fake->counters().deviceCodeRequests, 0);
    }

    // --- SIGINT ------------------------------------------------------------------------------

    void sigintCancelsLogin()
    {
        Child child;
        child.start({QStringLiteral("login"), QStringLiteral("--no-browser")}, env());
        QTRY_VERIFY_WITH_TIMEOUT(child.out.contains("Code:"), kRunTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_fake->counters().tokenPolls >= 1, kRunTimeout);
        QVERIFY(child.pid() > 0);
        QCOMPARE(::kill(pid_t(child.pid()), SIGINT), 0);
        QVERIFY(child.waitFinished());
        const QString err = QString::fromUtf8(child.err);
        QCOMPARE(child.exitStatus(), QProcess::NormalExit); // handled, not killed by it
        QVERIFY2(child.exitCode() == 130, qPrintable(err));
        QVERIFY2(err.contains(QLatin1String("Sign-in cancelled")), qPrintable(err));
        // Approving now changes nothing: the child stopped polling and stored nothing. The
        // child has exited; once the fake has read and closed every connection it had, no
        // poll of its can still arrive, so there is nothing left to wait for.
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->openConnections(), 0, kRunTimeout);
        m_fake->approve();
        QCOMPARE(m_fake->counters().tokensIssued, 0);
        QCOMPARE(loadFromKeychain().keychain.error, KeychainError::NotFound);
        expectState(QStringLiteral("signed_out"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
