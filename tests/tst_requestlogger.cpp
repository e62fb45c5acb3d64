// RequestLogger: ENABLE_PLUGIN_REQUEST_LOGGING writes one JSON file per request stage,
// with every secret redacted and the folder kept under a size cap. Checked on its own and
// through the running proxy, where the real secrets (local key, access and refresh tokens,
// an API key) are searched for in every file written.
#include "bridge/bridgeservice.h"
#include "fakeqwenservice.h"
#include "oauth/deviceauthorization.h"
#include "proxy/localkey.h"
#include "proxy/proxyserver.h"
#include "proxy/requestlogger.h"
#include "proxy/upstreamcontext.h"
#include "session/sessionmanager.h"
#include "settings/settings.h"
#include "testhome.h"
#include "testtokens.h"
#include "testwait.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>

namespace {

constexpr int WaitMs = 30000;

QStringList logFiles(const QString &dir)
{
    return QDir(dir).entryList({QStringLiteral("request-*.json")}, QDir::Files, QDir::Name);
}

qint64 folderBytes(const QString &dir)
{
    qint64 total = 0;
    const QFileInfoList infos = QDir(dir).entryInfoList(QDir::Files);
    for (const QFileInfo &fi : infos)
        total += fi.size();
    return total;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Sends one request over a fresh connection and returns the whole raw answer.
QByteArray exchange(quint16 port, const QByteArray &request)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    socket.write(request);
    QByteArray data;
    waitFor([&] {
        data += socket.readAll();
        const qsizetype head = data.indexOf("\r\n\r\n");
        if (head < 0)
            return false;
        if (data.left(head).toLower().contains("transfer-encoding: chunked"))
            return data.endsWith("\r\n0\r\n\r\n");
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("(?i)content-length: *(\\d+)"))
                .match(QString::fromLatin1(data.left(head)));
        return m.hasMatch() && data.size() >= head + 4 + m.captured(1).toLongLong();
    });
    return data;
}

} // namespace

class TestRequestLogger : public QObject
{
    Q_OBJECT

    TestHome m_home;

private Q_SLOTS:
    void initTestCase();

    // on its own
    void redactsHeaders();
    void redactsJson();
    void bodyForLog();
    void oneFilePerStage();
    void disabledWritesNothing();
    void numbersGoOnFromEarlierRuns();
    void perFileCap();
    void sizeCapDeletesOldestFirst();
    void oversizedFolderTrimmedOnFirstWrite();

    // through the proxy
    void proxyWritesRedactedFiles();
};

void TestRequestLogger::initTestCase()
{
    QVERIFY(m_home.isValid());
}

void TestRequestLogger::redactsHeaders()
{
    const QJsonObject o = RequestLogger::redactHeaders({{"Authorization", "Bearer qb-secret-1"},
                                                        {"X-Api-Key", "sk-secret-2"},
                                                        {"Cookie", "s=secret-3"},
                                                        {"Proxy-Authorization", "Basic c2VjcmV0"},
                                                        {"X-Auth-Token", "secret-4"},
                                                        {"Content-Type", "application/json"},
                                                        {"Host", "127.0.0.1:1234"}});
    const QByteArray text = QJsonDocument(o).toJson();
    for (const char *secret : {"qb-secret-1", "sk-secret-2", "secret-3", "c2VjcmV0", "secret-4"})
        QVERIFY2(!text.contains(secret), secret);
    QCOMPARE(o.value(QLatin1String("authorization")).toString(), QStringLiteral("[redacted]"));
    QCOMPARE(o.value(QLatin1String("content-type")).toString(), QStringLiteral("application/json"));
    QCOMPARE(o.value(QLatin1String("host")).toString(), QStringLiteral("127.0.0.1:1234"));
}

void TestRequestLogger::redactsJson()
{
    const QJsonObject in = QJsonDocument::fromJson(R"({
        "access_token": "at-secret", "refresh_token": "rt-secret", "apiKey": "sk-secret",
        "client_secret": "cs-secret", "password": "pw-secret", "id_token": 12345,
        "api_keys": ["sk-list-1", "sk-list-2"], "token": {"value": "nested-secret"},
        "nested": {"deeper": [{"api_key": "sk-deep"}, {"text": "kept"}]},
        "model": "coder-model", "max_tokens": 4096, "stream": true,
        "usage": {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30}
    })")
                               .object();
    QVERIFY(!in.isEmpty());
    const QJsonObject out = RequestLogger::redactJson(in).toObject();
    const QByteArray text = QJsonDocument(out).toJson();
    for (const char *secret : {"at-secret", "rt-secret", "sk-secret", "cs-secret", "pw-secret",
                               "12345", "sk-list-1", "sk-list-2", "nested-secret", "sk-deep"})
        QVERIFY2(!text.contains(secret), secret);
    // What is not secret stays readable, token counts included.
    QCOMPARE(out.value(QLatin1String("model")).toString(), QStringLiteral("coder-model"));
    QCOMPARE(out.value(QLatin1String("max_tokens")).toInt(), 4096);
    QCOMPARE(out.value(QLatin1String("stream")).toBool(), true);
    QCOMPARE(
        out.value(QLatin1String("usage")).toObject().value(QLatin1String("total_tokens")).toInt(),
        30);
    QVERIFY(text.contains("kept"));
}

void TestRequestLogger::bodyForLog()
{
    const QJsonValue json =
        RequestLogger::bodyForLog(R"({"access_token":"at-secret","model":"m"})", 1024);
    QVERIFY(json.isObject());
    QVERIFY(!QJsonDocument(json.toObject()).toJson().contains("at-secret"));
    QCOMPARE(json.toObject().value(QLatin1String("model")).toString(), QStringLiteral("m"));

    // Not JSON: kept as text without anything that looks like a bearer credential.
    const QJsonValue text = RequestLogger::bodyForLog(
        "upstream said: Authorization: Bearer fake-at-abc.def_ghi and bearer\tother-secret", 1024);
    QVERIFY(text.isString());
    QVERIFY(!text.toString().contains(QStringLiteral("fake-at-abc")));
    QVERIFY(!text.toString().contains(QStringLiteral("other-secret")));
    QVERIFY(text.toString().contains(QStringLiteral("upstream said")));

    const QJsonValue big = RequestLogger::bodyForLog(QByteArray(4096, 'x'), 1024);
    QCOMPARE(big.toString(), QStringLiteral("[4096 bytes, too large to log]"));
}

void TestRequestLogger::oneFilePerStage()
{
    QTemporaryDir dir;
    const QString folder = dir.path() + QStringLiteral("/requests");
    RequestLogger logger(folder);
    logger.setEnabled(true);
    const quint64 id = logger.nextRequestId();
    QCOMPARE(id, quint64(1));
    logger.log(id, QStringLiteral("client-request"),
               {{QStringLiteral("headers"),
                 RequestLogger::redactHeaders({{"Authorization", "Bearer qb-secret"}})},
                {QStringLiteral("api_key"), QStringLiteral("sk-secret")}});
    logger.log(id, QStringLiteral("upstream-response"), {{QStringLiteral("status"), 200}});
    QCOMPARE(logFiles(folder), QStringList({QStringLiteral("request-1-client-request.json"),
                                            QStringLiteral("request-1-upstream-response.json")}));
    const QByteArray bytes = readFile(folder + QStringLiteral("/request-1-client-request.json"));
    QVERIFY(!bytes.contains("qb-secret"));
    QVERIFY(!bytes.contains("sk-secret"));
    const QJsonObject entry = QJsonDocument::fromJson(bytes).object();
    QCOMPARE(entry.value(QLatin1String("requestId")).toString(), QStringLiteral("1"));
    QCOMPARE(entry.value(QLatin1String("stage")).toString(), QStringLiteral("client-request"));
    QVERIFY(
        QDateTime::fromString(entry.value(QLatin1String("timestamp")).toString(), Qt::ISODateWithMs)
            .isValid());
    QVERIFY(entry.value(QLatin1String("data")).isObject());
    // Private to the user.
    QCOMPARE(QFileInfo(folder + QStringLiteral("/request-1-client-request.json")).permissions() &
                 (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther),
             QFile::Permissions());
    QCOMPARE(QFileInfo(folder).permissions() &
                 (QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther),
             QFile::Permissions());
}

void TestRequestLogger::disabledWritesNothing()
{
    QTemporaryDir dir;
    const QString folder = dir.path() + QStringLiteral("/requests");
    RequestLogger logger(folder);
    QVERIFY(!logger.isEnabled());
    QCOMPARE(logger.nextRequestIdIfEnabled(), quint64(0));
    logger.log(1, QStringLiteral("client-request"), {{QStringLiteral("x"), 1}});
    QVERIFY(!QFileInfo::exists(folder));
}

void TestRequestLogger::numbersGoOnFromEarlierRuns()
{
    QTemporaryDir dir;
    {
        RequestLogger earlier(dir.path());
        earlier.setEnabled(true);
        for (int i = 0; i < 12; ++i)
            earlier.log(earlier.nextRequestId(), QStringLiteral("error"), {});
    }
    RequestLogger later(dir.path());
    later.setEnabled(true);
    QCOMPARE(later.nextRequestId(), quint64(13));
    QCOMPARE(later.nextRequestIdIfEnabled(), quint64(14));
}

void TestRequestLogger::perFileCap()
{
    QTemporaryDir dir;
    RequestLogger logger(dir.path());
    logger.setEnabled(true);
    logger.setLimits(2048, 1024 * 1024);
    logger.log(1, QStringLiteral("upstream-response"),
               {{QStringLiteral("body"), QString(100000, QLatin1Char('z'))}});
    const QByteArray bytes =
        readFile(dir.path() + QStringLiteral("/request-1-upstream-response.json"));
    QVERIFY(bytes.size() <= 2048);
    const QJsonObject entry = QJsonDocument::fromJson(bytes).object();
    QCOMPARE(entry.value(QLatin1String("stage")).toString(), QStringLiteral("upstream-response"));
    QVERIFY(entry.value(QLatin1String("data")).toString().contains(QStringLiteral("per-file cap")));
}

void TestRequestLogger::sizeCapDeletesOldestFirst()
{
    QTemporaryDir dir;
    RequestLogger logger(dir.path());
    logger.setEnabled(true);
    const qint64 cap = 64 * 1024;
    logger.setLimits(4096, cap);
    const QString filler(900, QLatin1Char('f'));
    quint64 last = 0;
    for (int i = 0; i < 400; ++i) {
        last = logger.nextRequestId();
        logger.log(last, QStringLiteral("client-request"), {{QStringLiteral("body"), filler}});
        logger.log(last, QStringLiteral("upstream-response"), {{QStringLiteral("body"), filler}});
        QVERIFY2(folderBytes(dir.path()) <= cap, qPrintable(QString::number(i)));
    }
    // Written files were far more than the cap; what is left are the newest, complete.
    const QStringList names = logFiles(dir.path());
    QVERIFY(names.size() > 10);
    QList<quint64> ids;
    static const QRegularExpression number(QStringLiteral("^request-(\\d+)-"));
    for (const QString &name : names)
        ids << number.match(name).captured(1).toULongLong();
    std::sort(ids.begin(), ids.end());
    QCOMPARE(ids.last(), last);
    // No gaps: deletion went strictly from the oldest request on.
    const quint64 first = ids.first();
    QVERIFY(first > 1);
    QSet<quint64> distinct(ids.cbegin(), ids.cend());
    for (quint64 id = first + 1; id <= last; ++id)
        QVERIFY2(distinct.contains(id), qPrintable(QString::number(id)));
    for (quint64 id = first + 1; id <= last; ++id) {
        QVERIFY(QFileInfo::exists(
            dir.filePath(QStringLiteral("request-%1-client-request.json").arg(id))));
        QVERIFY(QFileInfo::exists(
            dir.filePath(QStringLiteral("request-%1-upstream-response.json").arg(id))));
    }
}

void TestRequestLogger::oversizedFolderTrimmedOnFirstWrite()
{
    QTemporaryDir dir;
    {
        RequestLogger earlier(dir.path());
        earlier.setEnabled(true);
        earlier.setLimits(64 * 1024, 16 * 1024 * 1024);
        const QString filler(8000, QLatin1Char('e'));
        for (int i = 0; i < 100; ++i)
            earlier.log(earlier.nextRequestId(), QStringLiteral("error"),
                        {{QStringLiteral("body"), filler}});
    }
    QVERIFY(folderBytes(dir.path()) > 512 * 1024);
    // A later run with a smaller cap does not wait before trimming.
    RequestLogger later(dir.path());
    later.setEnabled(true);
    later.setLimits(4096, 256 * 1024);
    const quint64 id = later.nextRequestId();
    later.log(id, QStringLiteral("error"), {});
    QVERIFY(folderBytes(dir.path()) <= 256 * 1024);
    QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("request-%1-error.json").arg(id))));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("request-1-error.json"))));
}

void TestRequestLogger::proxyWritesRedactedFiles()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
             "No D-Bus session: run the tests through ./scripts/test, which starts "
             "gnome-keyring on a private bus");
    FakeQwenService fake;
    QVERIFY(fake.start(0));
    const quint16 port = freeLoopbackPort();
    qputenv("QWEN_BRIDGE_OAUTH_URL", fake.baseUrl().toString().toLatin1());
    qputenv("QWEN_BRIDGE_API_URL", fake.apiBaseUrl().toString().toLatin1());
    qputenv("QWEN_BRIDGE_PORT", QByteArray::number(port));
    qputenv("ENABLE_PLUGIN_REQUEST_LOGGING", "1");
    const QString folder = Settings::requestLogDir();
    QVERIFY(folder.startsWith(m_home.stateDir()));

    BridgeService bridge;
    QSignalSpy started(&bridge, &BridgeService::proxyStarted);
    bridge.start();
    QTRY_VERIFY_WITH_TIMEOUT(started.size() == 1, WaitMs);
    QVERIFY(bridge.proxy()->requestLogger()->isEnabled());
    QCOMPARE(bridge.proxy()->requestLogger()->directory(), folder);
    QTRY_COMPARE_WITH_TIMEOUT(bridge.session()->state(), SessionState::SignedOut, WaitMs);

    // Signed in for real through the device flow, so the tokens are the service's own.
    fake.setSendInterval(false);
    fake.setAutoApproveAfterPolls(0);
    std::unique_ptr<DeviceAuthorization> flow(bridge.createDeviceAuthorization(nullptr));
    flow->setTiming(20, 20);
    auto tokens = std::make_shared<std::optional<TokenSet>>();
    connect(flow.get(), &DeviceAuthorization::succeeded, flow.get(),
            [tokens](const TokenSet &t) { *tokens = t; });
    flow->start();
    QTRY_VERIFY_WITH_TIMEOUT(tokens->has_value(), WaitMs);
    auto signedIn = std::make_shared<std::optional<bool>>();
    bridge.completeSignIn(**tokens, [signedIn](const ServiceError &e) { *signedIn = e.ok(); });
    QTRY_VERIFY_WITH_TIMEOUT(signedIn->has_value(), WaitMs);
    QVERIFY(**signedIn);

    QList<QByteArray> secrets{bridge.localKey()->value().toLatin1(),
                              (*tokens)->accessToken.toLatin1(), (*tokens)->refreshToken.toLatin1(),
                              "sk-client-body-secret"};
    const QByteArray key = secrets.first();
    auto chat = [&](bool stream) {
        const QByteArray body =
            QJsonDocument(
                QJsonObject{
                    {QStringLiteral("model"), QStringLiteral("coder-model")},
                    {QStringLiteral("stream"), stream},
                    {QStringLiteral("api_key"), QStringLiteral("sk-client-body-secret")},
                    {QStringLiteral("messages"),
                     QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                            {QStringLiteral("content"), QStringLiteral("Hi")}}}}})
                .toJson(QJsonDocument::Compact);
        return exchange(port, "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" +
                                  QByteArray::number(port) + "\r\nAuthorization: Bearer " + key +
                                  "\r\nX-Api-Key: " + key +
                                  "\r\nContent-Type: application/json\r\nContent-Length: " +
                                  QByteArray::number(body.size()) + "\r\n\r\n" + body);
    };

    QVERIFY(chat(false).startsWith("HTTP/1.1 200"));
    QVERIFY(chat(true).startsWith("HTTP/1.1 200"));
    // A 401 upstream: refresh and retry, so a second access and refresh token exist.
    fake.failNextChats(FakeChatFault::Unauthorized, 1);
    QVERIFY(chat(false).startsWith("HTTP/1.1 200"));
    QCOMPARE(fake.counters().refreshesIssued, 1);
    secrets << fake.lastAccessToken() << fake.lastRefreshToken();
    fake.failNextChats(FakeChatFault::RateLimited, 1);
    QVERIFY(chat(false).startsWith("HTTP/1.1 429"));
    QVERIFY(
        exchange(port, "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
                           "\r\nAuthorization: Bearer " + key + "\r\n\r\n")
            .startsWith("HTTP/1.1 200"));

    // An API key sign-in: that key must not reach the log either.
    const QString apiKey = QStringLiteral("sk-test-apikey-0123456789abcdef");
    fake.setApiKeys({apiKey});
    Credentials c;
    c.method = AuthMethod::ApiKey;
    c.apiKey = apiKey;
    c.baseUrl = fake.apiBaseUrl();
    c.preset = QStringLiteral("custom");
    auto apiSignedIn = std::make_shared<std::optional<bool>>();
    bridge.signIn(c, [apiSignedIn](const ServiceError &e) { *apiSignedIn = e.ok(); });
    QTRY_VERIFY_WITH_TIMEOUT(apiSignedIn->has_value(), WaitMs);
    QVERIFY(**apiSignedIn);
    secrets << apiKey.toLatin1();
    QVERIFY(chat(false).startsWith("HTTP/1.1 200"));
    QTRY_COMPARE_WITH_TIMEOUT(bridge.proxy()->upstream()->activeCount(), 0, WaitMs);

    // One file per request and stage, named request-<n>-<stage>.json.
    const QStringList names = logFiles(folder);
    QVERIFY(!names.isEmpty());
    static const QRegularExpression pattern(QStringLiteral("^request-(\\d+)-([a-z0-9-]+)\\.json$"));
    QSet<QString> stages;
    QSet<QString> requests;
    for (const QString &name : names) {
        const QRegularExpressionMatch m = pattern.match(name);
        QVERIFY2(m.hasMatch(), qPrintable(name));
        stages.insert(m.captured(2));
        requests.insert(m.captured(1));
        const QByteArray bytes = readFile(folder + QLatin1Char('/') + name);
        const QJsonObject entry = QJsonDocument::fromJson(bytes).object();
        QCOMPARE(entry.value(QLatin1String("requestId")).toString(), m.captured(1));
        QCOMPARE(entry.value(QLatin1String("stage")).toString(), m.captured(2));
        // No bearer credential of any kind, redacted or not, shows its value.
        static const QRegularExpression bearer(
            QStringLiteral("(?i)bearer\\s+(?!\\[redacted\\])\\S"));
        QVERIFY2(!bearer.match(QString::fromUtf8(bytes)).hasMatch(), qPrintable(name));
    }
    QCOMPARE(requests.size(), 6);
    for (const char *stage :
         {"client-request", "upstream-request", "upstream-response", "upstream-request-2", "error"})
        QVERIFY2(stages.contains(QLatin1String(stage)), stage);

    // The real secrets appear in no file at all, in the log folder or anywhere in HOME.
    for (const QByteArray &secret : std::as_const(secrets)) {
        QVERIFY(!secret.isEmpty());
        const QStringList hits = m_home.filesContaining(secret);
        QVERIFY2(hits.isEmpty(), qPrintable(QString::fromLatin1(secret.left(6)) +
                                            QStringLiteral("… in ") + hits.join(u' ')));
    }
    qunsetenv("ENABLE_PLUGIN_REQUEST_LOGGING");
}

QTEST_GUILESS_MAIN(TestRequestLogger)
#include "tst_requestlogger.moc"
