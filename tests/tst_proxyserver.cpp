// The local proxy as OpenCode meets it: a real BridgeService (settings, keychain, session,
// local key, proxy) listening on 127.0.0.1, in front of the fake Qwen service, driven over
// real sockets. Every refusal and every upstream failure of DESIGN.md "Data flow" 3 and
// issue 4 items 3 and 5 is exercised here against the running server.
#include "bridge/bridgeservice.h"
#include "fakeqwenservice.h"
#include "http/httpclient.h"
#include "http/httpserver.h"
#include "oauth/deviceauthorization.h"
#include "proxy/localkey.h"
#include "proxy/proxyserver.h"
#include "proxy/requestrewriter.h"
#include "proxy/upstreamcontext.h"
#include "session/sessionmanager.h"
#include "testhome.h"
#include "testtls.h"
#include "testtokens.h"
#include "testwait.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace {

using Header = QPair<QByteArray, QByteArray>;

constexpr int WaitMs = 30000; // generous for a busy machine; never reached when passing
constexpr int IdleTimeoutMs = 3000;
constexpr int ServerErrorAttempts = 3; // the first try and two retries (forwardjob.cpp)

const QString SignInSentence =
    QStringLiteral("Sign in again in Qwen Bridge or run `qwen-bridge login`");

// One HTTP/1.1 response as read off the wire by a parser independent of the server's.
struct RawResponse
{
    bool complete = false;
    int status = 0;
    HttpHeaders headers; // names lower-cased
    bool chunked = false;
    QList<QByteArray> chunks;
    QByteArray body; // de-chunked; for a chunked answer what has arrived so far
    qsizetype consumed = 0;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &h : headers) {
            if (name.compare(h.first, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
    bool hasHeader(QByteArrayView name) const
    {
        for (const auto &h : headers) {
            if (name.compare(h.first, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonObject error() const { return json().value(QLatin1String("error")).toObject(); }
    QString message() const { return error().value(QLatin1String("message")).toString(); }
    QString code() const { return error().value(QLatin1String("code")).toString(); }

    // The data of each complete Server-Sent Event in the body.
    QList<QByteArray> events() const
    {
        QList<QByteArray> out;
        const QList<QByteArray> blocks = body.split('\n');
        QByteArray data;
        for (const QByteArray &line : blocks) {
            if (line.isEmpty()) {
                if (!data.isEmpty())
                    out.append(data);
                data.clear();
            } else if (line.startsWith("data:")) {
                data += line.mid(5).trimmed();
            }
        }
        return out;
    }
};

RawResponse parseResponse(const QByteArray &data, bool peerClosed)
{
    RawResponse r;
    qsizetype pos = 0;
    for (;;) {
        const qsizetype end = data.indexOf("\r\n\r\n", pos);
        if (end < 0)
            return r;
        const QList<QByteArray> lines = data.mid(pos, end - pos).split('\n');
        r.status = lines.first().trimmed().split(' ').value(1).toInt();
        r.headers.clear();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                r.headers.append(
                    {line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
        }
        pos = end + 4;
        if (r.status >= 200)
            break;
    }
    r.chunked = r.header("transfer-encoding").toLower().contains("chunked");
    if (r.chunked) {
        for (;;) {
            const qsizetype lineEnd = data.indexOf("\r\n", pos);
            if (lineEnd < 0)
                break;
            bool ok = false;
            const qsizetype size =
                data.mid(pos, lineEnd - pos).split(';').first().trimmed().toLongLong(&ok, 16);
            if (!ok)
                break; // malformed: never complete
            if (size == 0) {
                if (data.mid(lineEnd + 2, 2) == "\r\n") {
                    r.complete = true;
                    r.consumed = lineEnd + 4;
                }
                break;
            }
            if (data.size() < lineEnd + 2 + size + 2)
                break;
            r.chunks.append(data.mid(lineEnd + 2, size));
            r.body += r.chunks.constLast();
            pos = lineEnd + 2 + size + 2;
        }
    } else if (r.hasHeader("content-length")) {
        const qsizetype length = r.header("content-length").toLongLong();
        r.body = data.mid(pos, length);
        r.complete = data.size() - pos >= length;
        r.consumed = pos + length;
    } else {
        r.body = data.mid(pos);
        r.complete = peerClosed;
        r.consumed = data.size();
    }
    return r;
}

QByteArray buildRequest(const QByteArray &method, const QByteArray &target,
                        const HttpHeaders &headers, const QByteArray &body = {})
{
    QByteArray out = method + ' ' + target + " HTTP/1.1\r\n";
    for (const auto &h : headers)
        out += h.first + ": " + h.second + "\r\n";
    if (!body.isEmpty() || method == "POST")
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n";
    out += body;
    return out;
}

// A raw TCP client, so that Host, Origin and framing are exactly what the test says.
class RawClient
{
public:
    explicit RawClient(quint16 port) { m_socket.connectToHost(QHostAddress::LocalHost, port); }

    QTcpSocket &socket() { return m_socket; }
    void send(const QByteArray &bytes) { m_socket.write(bytes); }
    RawResponse current()
    {
        m_data += m_socket.readAll();
        return parseResponse(m_data, m_socket.state() == QAbstractSocket::UnconnectedState);
    }
    bool waitForResponse(int timeoutMs = WaitMs)
    {
        return waitFor([this] { return current().complete; }, timeoutMs);
    }
    // Forgets the response just read, so the next one on this connection can be read.
    void takeResponse() { m_data.remove(0, current().consumed); }

private:
    QTcpSocket m_socket;
    QByteArray m_data;
};

// An upstream that answers every request with the same scripted bytes and then closes the
// connection in order (FIN, not a reset): for answers cut short in ways the fake does not do.
class ScriptedUpstream : public QObject
{
public:
    explicit ScriptedUpstream(QByteArray answer)
        : m_answer(std::move(answer))
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    QByteArray &in = m_pending[socket];
                    in += socket->readAll();
                    const qsizetype head = in.indexOf("\r\n\r\n");
                    if (head < 0)
                        return;
                    const QRegularExpressionMatch m =
                        QRegularExpression(QStringLiteral("(?i)content-length: *(\\d+)"))
                            .match(QString::fromLatin1(in.left(head)));
                    if (in.size() < head + 4 + (m.hasMatch() ? m.captured(1).toLongLong() : 0))
                        return;
                    ++requests;
                    m_pending.remove(socket);
                    socket->write(m_answer);
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }
    int requests = 0;

private:
    QTcpServer m_server;
    QByteArray m_answer;
    QHash<QTcpSocket *, QByteArray> m_pending;
};

// An SSE upstream that writes events as fast as its socket accepts them (never more than
// 256 KiB queued), up to `total` bytes, and counts what it wrote.
class GeneratingUpstream : public QObject
{
public:
    explicit GeneratingUpstream(qint64 total)
        : m_total(total)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *socket = m_server.nextPendingConnection();
            if (!socket || m_socket) {
                delete socket;
                return;
            }
            m_socket = socket;
            connect(socket, &QTcpSocket::readyRead, this, [this] {
                m_request += m_socket->readAll();
                const qsizetype head = m_request.indexOf("\r\n\r\n");
                if (m_started || head < 0)
                    return;
                const QRegularExpressionMatch m =
                    QRegularExpression(QStringLiteral("(?i)content-length: *(\\d+)"))
                        .match(QString::fromLatin1(m_request.left(head)));
                if (m_request.size() < head + 4 + (m.hasMatch() ? m.captured(1).toLongLong() : 0))
                    return;
                m_started = true;
                m_socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n");
                pump();
            });
            connect(socket, &QTcpSocket::bytesWritten, this, &GeneratingUpstream::pump);
            connect(socket, &QTcpSocket::disconnected, this, [this] { m_connected = false; });
            m_connected = true;
        });
        m_server.listen(QHostAddress::LocalHost, 0);
        m_progress.start();
    }

    static QByteArray eventData()
    {
        static const QByteArray data = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" +
                                       QByteArray(8000, 'g') + "\"}}]}";
        return data;
    }
    quint16 port() const { return m_server.serverPort(); }
    qint64 written() const { return m_written; }
    bool isConnected() const { return m_connected; }
    // How long nothing could be written because nobody downstream took it.
    qint64 stalledForMs() const { return m_started ? m_progress.elapsed() : 0; }

private:
    void pump()
    {
        static const QByteArray event = "data: " + eventData() + "\n\n";
        static const QByteArray piece =
            QByteArray::number(event.size(), 16) + "\r\n" + event + "\r\n";
        if (!m_socket || !m_started || !m_connected)
            return;
        bool wrote = false;
        while (m_socket->bytesToWrite() < 256 * 1024 && m_written < m_total) {
            m_socket->write(piece);
            m_written += piece.size();
            wrote = true;
        }
        if (wrote)
            m_progress.restart();
    }

    QTcpServer m_server;
    QPointer<QTcpSocket> m_socket;
    QByteArray m_request;
    qint64 m_total;
    qint64 m_written = 0;
    bool m_started = false;
    bool m_connected = false;
    QElapsedTimer m_progress;
};

QByteArray chunk(const QByteArray &data)
{
    return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}

QJsonObject chatBody(bool stream, const QString &model = QStringLiteral("coder-model"))
{
    return QJsonObject{
        {QStringLiteral("model"), model},
        {QStringLiteral("stream"), stream},
        {QStringLiteral("messages"),
         QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                {QStringLiteral("content"), QStringLiteral("You are OpenCode.")}},
                    QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                {QStringLiteral("content"), QStringLiteral("Hi")}}}}};
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// The assistant text carried by the content events of an SSE answer.
QString streamedText(const QList<QByteArray> &events)
{
    QString text;
    for (const QByteArray &e : events) {
        const QJsonArray choices =
            QJsonDocument::fromJson(e).object().value(QLatin1String("choices")).toArray();
        for (const QJsonValue &c : choices)
            text += c.toObject()
                        .value(QLatin1String("delta"))
                        .toObject()
                        .value(QLatin1String("content"))
                        .toString();
    }
    return text;
}

} // namespace

class TestProxyServer : public QObject
{
    Q_OBJECT

    TestHome m_home;
    FakeQwenService m_fake;
    std::unique_ptr<BridgeService> m_bridge;
    QNetworkAccessManager m_nam;
    quint16 m_port = 0;
    QByteArray m_key;
    QByteArray m_accessToken;
    QByteArray m_refreshToken;
    QStringList m_corsHeaders; // every Access-Control-* header any response carried

    QByteArray hostHeader() const { return "127.0.0.1:" + QByteArray::number(m_port); }
    HttpHeaders headers(bool withKey = true) const
    {
        HttpHeaders h{{"Host", hostHeader()}};
        if (withKey)
            h.append(Header{"Authorization", "Bearer " + m_key});
        return h;
    }
    void noteCors(const RawResponse &r)
    {
        for (const auto &h : r.headers) {
            if (h.first.startsWith("access-control-"))
                m_corsHeaders << QString::fromLatin1(h.first);
        }
    }
    RawResponse roundTrip(const QByteArray &request)
    {
        RawClient client(m_port);
        client.send(request);
        client.waitForResponse();
        const RawResponse r = client.current();
        noteCors(r);
        return r;
    }
    RawResponse postChat(const QJsonObject &body, const HttpHeaders &extra = {})
    {
        HttpHeaders h = headers();
        h.append(Header{"Content-Type", "application/json"});
        h.append(extra);
        return roundTrip(buildRequest("POST", "/v1/chat/completions", h, compact(body)));
    }
    int fakeChats() const { return m_fake.counters().chatRequests; }

    void signInWithDeviceFlow(const QString &resourceUrl = QString());
    void signInWith(const Credentials &credentials);

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    // access
    void missingKey();
    void wrongKey_data();
    void wrongKey();
    void bearerIsCaseInsensitive_data();
    void bearerIsCaseInsensitive();
    void hostMustBeLoopback_data();
    void hostMustBeLoopback();
    void loopbackHostsAccepted_data();
    void loopbackHostsAccepted();
    void originRefused_data();
    void originRefused();
    void preflightRefused();
    void unknownPath();
    void wrongMethod_data();
    void wrongMethod();
    void healthWithoutKey();
    void requestsTodayEndAtMidnight();
    void signedOut();
    void malformedBody_data();
    void malformedBody();

    // the HTTP/1.1 server under the proxy
    void keepAliveAndPipelining();
    void chunkedRequestBody();
    void oversizedHeaders();
    void oversizedBody();
    void slowHeadersAndIdleConnections();
    void connectionCap();
    void portTaken();
    void shutdownWithStreamsInFlight();

    // models
    void modelsOAuth();
    void apiKeyMode();
    void codingPlanKey();
    void codingPlanErrors_data();
    void codingPlanErrors();

    // what goes upstream
    void upstreamRequest_data();
    void upstreamRequest();
    void metadataPerRequest();
    void largeBodyAccepted();

    // streaming
    void streamsEventByEvent();
    void clientGoneAbortsUpstream();

    // upstream failures
    void unauthorizedRefreshesOnce_data();
    void unauthorizedRefreshesOnce();
    void unauthorizedTwice();
    void rateLimitPassesThrough_data();
    void rateLimitPassesThrough();
    void quotaExhausted_data();
    void quotaExhausted();
    void serverErrorRetried();
    void serverErrorRetriesAreLimited();
    void serverErrorStreamingNotRetried();
    void resetMidStream();
    void stallMidStream();
    void upstreamSilent_data();
    void upstreamSilent();
    void slowFirstByteWithinLimit();
    void slowClientHoldsUpstreamBack();
    void slowClientGetsTheWholeStream();
    void unauthorizedAndRefreshRejected();
    void unauthorizedAndRefreshFailsTransiently();
    void concurrentUnauthorizedShareOneRefresh();
    void oversizedEvent();
    void cutOffAnswers_data();
    void cutOffAnswers();
    void dnsFailure_data();
    void dnsFailure();
    void tlsFailure();
    void tlsSelfSignedUpstream();
    void connectionRefused();
    void connectTimeout();
};

void TestProxyServer::initTestCase()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
             "No D-Bus session: run the tests through ./scripts/test, which starts "
             "gnome-keyring on a private bus");
    QVERIFY(m_home.isValid());
    QVERIFY(m_fake.start(0));
    m_port = freeLoopbackPort();
    QVERIFY(m_port != 0);
    qputenv("QWEN_BRIDGE_OAUTH_URL", m_fake.baseUrl().toString().toLatin1());
    qputenv("QWEN_BRIDGE_API_URL", m_fake.apiBaseUrl().toString().toLatin1());
    qputenv("QWEN_BRIDGE_PORT", QByteArray::number(m_port));
    qputenv("QWEN_MODE", "1");
    qunsetenv("ENABLE_PLUGIN_REQUEST_LOGGING");
    m_home.setSetting(QStringLiteral("proxy/upstreamIdleTimeoutMs"), IdleTimeoutMs);

    m_bridge = std::make_unique<BridgeService>();
    QSignalSpy started(m_bridge.get(), &BridgeService::proxyStarted);
    QSignalSpy failed(m_bridge.get(), &BridgeService::proxyFailed);
    QSignalSpy keyFailed(m_bridge.get(), &BridgeService::localKeyFailed);
    m_bridge->start();
    QTRY_VERIFY_WITH_TIMEOUT(started.size() + failed.size() + keyFailed.size() > 0, WaitMs);
    QVERIFY2(failed.isEmpty(), qPrintable(m_bridge->proxyError()));
    QVERIFY(keyFailed.isEmpty());
    QCOMPARE(m_bridge->proxy()->port(), m_port);
    QCOMPARE(m_bridge->proxyUrl(), QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(m_port)));
    QCOMPARE(m_bridge->proxy()->upstream()->idleTimeoutMs(), IdleTimeoutMs);
    m_key = m_bridge->localKey()->value().toLatin1();
    QVERIFY(m_key.size() >= 22);
    QTRY_COMPARE_WITH_TIMEOUT(m_bridge->session()->state(), SessionState::SignedOut, WaitMs);
}

void TestProxyServer::cleanupTestCase()
{
    m_bridge.reset();
}

void TestProxyServer::init()
{
    m_fake.reset();
    m_fake.setStreamEventCount(5);
    m_fake.setStreamEventDelayMs(0);
    m_fake.setReplyText(QStringLiteral("Hello from the fake Qwen service."));
    m_fake.setApiKeys({});
    m_fake.setPlan(FakePlan::Any);
    m_bridge->proxy()->upstream()->setRetryDelayMs(100);
    signInWithDeviceFlow();
}

void TestProxyServer::cleanup()
{
    m_bridge->proxy()->upstream()->setIdleTimeoutMs(IdleTimeoutMs);
    m_fake.setStreamsPaused(false);
    // Every request has ended and let go of its upstream reply.
    QTRY_COMPARE_WITH_TIMEOUT(m_bridge->proxy()->upstream()->activeCount(), 0, WaitMs);
    QVERIFY2(m_corsHeaders.isEmpty(), qPrintable(m_corsHeaders.join(QLatin1Char(' '))));
}

void TestProxyServer::signInWithDeviceFlow(const QString &resourceUrl)
{
    m_fake.setSendInterval(false);
    m_fake.setAutoApproveAfterPolls(0);
    std::unique_ptr<DeviceAuthorization> flow(m_bridge->createDeviceAuthorization(nullptr));
    flow->setTiming(20, 20);
    auto tokens = std::make_shared<std::optional<TokenSet>>();
    auto failure = std::make_shared<QString>();
    connect(flow.get(), &DeviceAuthorization::succeeded, flow.get(),
            [tokens](const TokenSet &t) { *tokens = t; });
    connect(flow.get(), &DeviceAuthorization::failed, flow.get(),
            [failure](const AuthFailure &f) { *failure = f.message + QLatin1Char(' '); });
    flow->start();
    QTRY_VERIFY_WITH_TIMEOUT(tokens->has_value() || !failure->isEmpty(), WaitMs);
    QVERIFY2(tokens->has_value(), qPrintable(*failure));
    TokenSet t = **tokens;
    if (!resourceUrl.isNull())
        t.resourceUrl = resourceUrl;
    signInWith(Credentials::fromTokens(t));
    m_accessToken = t.accessToken.toLatin1();
    m_refreshToken = t.refreshToken.toLatin1();
    QVERIFY(!m_accessToken.isEmpty());
}

void TestProxyServer::signInWith(const Credentials &credentials)
{
    auto done = std::make_shared<std::optional<bool>>();
    auto message = std::make_shared<QString>();
    m_bridge->signIn(credentials, [done, message](const ServiceError &e) {
        *done = e.ok();
        *message = e.message;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done->has_value(), WaitMs);
    QVERIFY2(**done, qPrintable(*message));
    QCOMPARE(m_bridge->session()->state(), SessionState::SignedIn);
}

// --- access ----------------------------------------------------------------------------------

void TestProxyServer::missingKey()
{
    HttpHeaders h = headers(false);
    h.append(Header{"Content-Type", "application/json"});
    const RawResponse r =
        roundTrip(buildRequest("POST", "/v1/chat/completions", h, compact(chatBody(false))));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 401);
    QVERIFY(r.header("content-type").startsWith("application/json"));
    QCOMPARE(r.code(), QStringLiteral("invalid_local_key"));
    QCOMPARE(r.error().value(QLatin1String("type")).toString(),
             QStringLiteral("authentication_error"));
    QVERIFY(r.message().contains(QStringLiteral("local key")));
    // The models route is no different.
    const RawResponse m = roundTrip(buildRequest("GET", "/v1/models", headers(false)));
    QCOMPARE(m.status, 401);
    QCOMPARE(fakeChats(), 0);
    QCOMPARE(m_fake.counters().modelsRequests, 0);
}

void TestProxyServer::wrongKey_data()
{
    QTest::addColumn<QByteArray>("authorization");
    // Filled in wrongKey(): the key is only known once the bridge runs.
    QTest::newRow("other key") << QByteArray("Bearer qb-not-the-key-at-all-0123456789abcdef");
    QTest::newRow("key minus last char") << QByteArray("chop");
    QTest::newRow("key plus a char") << QByteArray("append");
    QTest::newRow("last char changed") << QByteArray("flip-last");
    QTest::newRow("first char changed") << QByteArray("flip-first");
    QTest::newRow("prefix only") << QByteArray("Bearer qb-");
    QTest::newRow("empty bearer") << QByteArray("Bearer ");
    QTest::newRow("no scheme") << QByteArray("bare");
    QTest::newRow("basic scheme") << QByteArray("basic");
    QTest::newRow("no space") << QByteArray("glued");
}

void TestProxyServer::wrongKey()
{
    QFETCH(QByteArray, authorization);
    QByteArray flipped = m_key;
    if (authorization == "chop") {
        authorization = "Bearer " + m_key.chopped(1);
    } else if (authorization == "append") {
        authorization = "Bearer " + m_key + "x";
    } else if (authorization == "flip-last") {
        flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
        authorization = "Bearer " + flipped;
    } else if (authorization == "flip-first") {
        flipped.front() = flipped.front() == 'A' ? 'B' : 'A';
        authorization = "Bearer " + flipped;
    } else if (authorization == "bare") {
        authorization = m_key;
    } else if (authorization == "basic") {
        authorization = "Basic " + m_key;
    } else if (authorization == "glued") {
        authorization = "Bearer" + m_key;
    }
    const RawResponse r = roundTrip(buildRequest("POST", "/v1/chat/completions",
                                                 {{"Host", hostHeader()},
                                                  {"Authorization", authorization},
                                                  {"Content-Type", "application/json"}},
                                                 compact(chatBody(true))));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 401);
    QCOMPARE(r.code(), QStringLiteral("invalid_local_key"));
    QVERIFY(!r.body.contains(m_key));
    QCOMPARE(fakeChats(), 0);
}

void TestProxyServer::bearerIsCaseInsensitive_data()
{
    QTest::addColumn<QByteArray>("scheme");
    QTest::newRow("Bearer") << QByteArray("Bearer ");
    QTest::newRow("bearer") << QByteArray("bearer ");
    QTest::newRow("BEARER") << QByteArray("BEARER ");
    QTest::newRow("bEaReR") << QByteArray("bEaReR ");
    QTest::newRow("extra spaces") << QByteArray("Bearer   ");
}

void TestProxyServer::bearerIsCaseInsensitive()
{
    QFETCH(QByteArray, scheme);
    const RawResponse r = roundTrip(buildRequest(
        "GET", "/v1/models", {{"Host", hostHeader()}, {"Authorization", scheme + m_key + "  "}}));
    QCOMPARE(r.status, 200);
    const RawResponse c = roundTrip(buildRequest("POST", "/v1/chat/completions",
                                                 {{"Host", hostHeader()},
                                                  {"Authorization", scheme + m_key},
                                                  {"Content-Type", "application/json"}},
                                                 compact(chatBody(false))));
    QCOMPARE(c.status, 200);
    QCOMPARE(fakeChats(), 1);
}

void TestProxyServer::hostMustBeLoopback_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<int>("portDelta"); // added to the proxy's port; -1: no port at all
    QTest::newRow("evil.example with our port") << QByteArray("evil.example") << 0;
    QTest::newRow("127.0.0.1 wrong port") << QByteArray("127.0.0.1") << 1;
    QTest::newRow("localhost wrong port") << QByteArray("localhost") << 1;
    QTest::newRow("127.0.0.1 without port") << QByteArray("127.0.0.1") << -1;
    QTest::newRow("localhost without port") << QByteArray("localhost") << -1;
    QTest::newRow("rebinding name") << QByteArray("127.0.0.1.nip.io") << 0;
    QTest::newRow("suffix") << QByteArray("localhost.evil.example") << 0;
    QTest::newRow("0.0.0.0") << QByteArray("0.0.0.0") << 0;
    QTest::newRow("empty") << QByteArray("") << -1;
    QTest::newRow("missing") << QByteArray("<none>") << -1;
}

void TestProxyServer::hostMustBeLoopback()
{
    QFETCH(QByteArray, host);
    QFETCH(int, portDelta);
    HttpHeaders h;
    if (host != "<none>")
        h.append(
            {"Host", portDelta < 0 ? host : host + ':' + QByteArray::number(m_port + portDelta)});
    h.append(Header{"Authorization", "Bearer " + m_key});
    h.append(Header{"Content-Type", "application/json"});
    const RawResponse chat =
        roundTrip(buildRequest("POST", "/v1/chat/completions", h, compact(chatBody(false))));
    QVERIFY(chat.complete);
    QCOMPARE(chat.status, 403);
    QCOMPARE(chat.code(), QStringLiteral("host_not_allowed"));
    QCOMPARE(chat.error().value(QLatin1String("type")).toString(),
             QStringLiteral("permission_error"));
    // Not even the state: a rebinding page must learn nothing.
    HttpHeaders noKey = h.mid(0, host == "<none>" ? 0 : 1);
    const RawResponse health = roundTrip(buildRequest("GET", "/health", noKey));
    QCOMPARE(health.status, 403);
    const RawResponse models = roundTrip(buildRequest("GET", "/v1/models", h));
    QCOMPARE(models.status, 403);
    QCOMPARE(fakeChats(), 0);
}

void TestProxyServer::loopbackHostsAccepted_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::newRow("127.0.0.1") << QByteArray("127.0.0.1");
    QTest::newRow("localhost") << QByteArray("localhost");
    QTest::newRow("LOCALHOST") << QByteArray("LOCALHOST");
    QTest::newRow("[::1]") << QByteArray("[::1]");
}

void TestProxyServer::loopbackHostsAccepted()
{
    QFETCH(QByteArray, host);
    const RawResponse r = roundTrip(buildRequest(
        "GET", "/v1/models",
        {{"Host", host + ':' + QByteArray::number(m_port)}, {"Authorization", "Bearer " + m_key}}));
    QCOMPARE(r.status, 200);
}

void TestProxyServer::originRefused_data()
{
    QTest::addColumn<QByteArray>("origin");
    QTest::newRow("foreign page") << QByteArray("http://evil.example");
    QTest::newRow("null") << QByteArray("null");
    QTest::newRow("empty") << QByteArray("");
    QTest::newRow("same origin") << QByteArray("http://127.0.0.1:PORT");
}

void TestProxyServer::originRefused()
{
    QFETCH(QByteArray, origin);
    origin.replace("PORT", QByteArray::number(m_port));
    HttpHeaders h = headers();
    h.append(Header{"Origin", origin});
    h.append(Header{"Content-Type", "application/json"});
    const RawResponse chat =
        roundTrip(buildRequest("POST", "/v1/chat/completions", h, compact(chatBody(false))));
    QVERIFY(chat.complete);
    QCOMPARE(chat.status, 403);
    QCOMPARE(chat.code(), QStringLiteral("origin_not_allowed"));
    QCOMPARE(roundTrip(buildRequest("GET", "/v1/models", h)).status, 403);
    // /health needs no key but is no page's business either.
    QCOMPARE(roundTrip(buildRequest("GET", "/health", {{"Host", hostHeader()}, {"Origin", origin}}))
                 .status,
             403);
    QCOMPARE(fakeChats(), 0);
}

void TestProxyServer::preflightRefused()
{
    const HttpHeaders preflight{{"Host", hostHeader()},
                                {"Origin", "http://evil.example"},
                                {"Access-Control-Request-Method", "POST"},
                                {"Access-Control-Request-Headers", "authorization,content-type"}};
    const RawResponse a = roundTrip(buildRequest("OPTIONS", "/v1/chat/completions", preflight));
    QCOMPARE(a.status, 403);
    // Without Origin, with and without the key: still no permission of any kind.
    const RawResponse b =
        roundTrip(buildRequest("OPTIONS", "/v1/chat/completions", headers(false)));
    QCOMPARE(b.status, 401);
    const RawResponse c = roundTrip(buildRequest("OPTIONS", "/v1/chat/completions", headers()));
    QCOMPARE(c.status, 405);
    const RawResponse d = roundTrip(buildRequest("OPTIONS", "*", headers()));
    QVERIFY(d.status >= 400);
    for (const RawResponse *r : {&a, &b, &c, &d}) {
        QVERIFY(r->complete);
        QVERIFY(!r->error().isEmpty());
        for (const auto &h : r->headers)
            QVERIFY2(!h.first.startsWith("access-control-"), h.first.constData());
    }
    QCOMPARE(fakeChats(), 0);
}

void TestProxyServer::unknownPath()
{
    for (const QByteArray &target :
         {QByteArray("/v1/unknown"), QByteArray("/"), QByteArray("/v1/embeddings"),
          QByteArray("/v1/chat/completions/extra"), QByteArray("/health/x")}) {
        const RawResponse r = roundTrip(buildRequest("GET", target, headers()));
        QVERIFY(r.complete);
        QCOMPARE(r.status, 404);
        QVERIFY(r.header("content-type").startsWith("application/json"));
        QCOMPARE(r.code(), QStringLiteral("not_found"));
        QCOMPARE(r.error().value(QLatin1String("type")).toString(),
                 QStringLiteral("invalid_request_error"));
        QVERIFY(r.message().contains(QStringLiteral("/v1/chat/completions")));
    }
    QCOMPARE(roundTrip(buildRequest("POST", "/v1/embeddings", headers(), "{}")).status, 404);
    QCOMPARE(fakeChats(), 0);
}

void TestProxyServer::wrongMethod_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::newRow("GET chat") << QByteArray("GET") << QByteArray("/v1/chat/completions");
    QTest::newRow("PUT chat") << QByteArray("PUT") << QByteArray("/v1/chat/completions");
    QTest::newRow("DELETE chat") << QByteArray("DELETE") << QByteArray("/v1/chat/completions");
    QTest::newRow("POST models") << QByteArray("POST") << QByteArray("/v1/models");
    QTest::newRow("DELETE models") << QByteArray("DELETE") << QByteArray("/v1/models");
}

void TestProxyServer::wrongMethod()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    const RawResponse r = roundTrip(buildRequest(
        method, target, headers(), method == "GET" || method == "DELETE" ? QByteArray() : "{}"));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 405);
    QCOMPARE(r.code(), QStringLiteral("method_not_allowed"));
    QVERIFY(r.message().contains(QString::fromLatin1(method)));
    QCOMPARE(fakeChats(), 0);
}

// "Requests today" read after midnight, before the day's first request: none yet.
void TestProxyServer::requestsTodayEndAtMidnight()
{
    ProxyStats stats;
    stats.day = QDate(2026, 5, 1);
    stats.requestsToday = 12;
    QCOMPARE(stats.requestsOn(QDate(2026, 5, 1)), quint64(12));
    QCOMPARE(stats.requestsOn(QDate(2026, 5, 2)), quint64(0));
    QCOMPARE(ProxyStats().requestsOn(QDate(2026, 5, 2)), quint64(0));
}

void TestProxyServer::healthWithoutKey()
{
    const RawResponse r = roundTrip(buildRequest("GET", "/health", headers(false)));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 200);
    const QJsonObject o = r.json();
    QCOMPARE(o.value(QLatin1String("status")).toString(), QStringLiteral("ok"));
    QCOMPARE(o.value(QLatin1String("state")).toString(), QStringLiteral("signed_in"));
    QCOMPARE(o.value(QLatin1String("method")).toString(), QStringLiteral("oauth"));
    QCOMPARE(o.value(QLatin1String("version")).toString(), QStringLiteral(QWEN_BRIDGE_VERSION));
    // State only: no secret of any kind.
    QVERIFY(!r.body.contains(m_key));
    QVERIFY(!r.body.contains(m_accessToken));
    QVERIFY(!r.body.contains(m_refreshToken));
    QVERIFY(!r.body.contains(m_fake.lastAccessToken()));
    QVERIFY(!r.body.contains("fake-at-"));
    QVERIFY(!r.body.contains("fake-rt-"));
    QVERIFY(!r.body.contains("qb-"));
    for (const auto &h : r.headers) {
        QVERIFY(!h.second.contains(m_key));
        QVERIFY(!h.second.contains(m_accessToken));
    }
    // The key changes nothing: still the same answer.
    QCOMPARE(roundTrip(buildRequest("GET", "/health", headers())).json(), o);
}

void TestProxyServer::signedOut()
{
    auto done = std::make_shared<bool>(false);
    m_bridge->signOut([done](const ServiceError &) { *done = true; });
    QTRY_VERIFY_WITH_TIMEOUT(*done, WaitMs);
    QCOMPARE(m_bridge->session()->state(), SessionState::SignedOut);

    for (bool stream : {false, true}) {
        const RawResponse r = postChat(chatBody(stream));
        QVERIFY(r.complete);
        QCOMPARE(r.status, 401);
        QVERIFY(r.header("content-type").startsWith("application/json"));
        QVERIFY2(r.message().contains(SignInSentence), qPrintable(r.message()));
        QCOMPARE(r.code(), QStringLiteral("sign_in_required"));
    }
    const RawResponse models = roundTrip(buildRequest("GET", "/v1/models", headers()));
    QCOMPARE(models.status, 401);
    QVERIFY(models.message().contains(SignInSentence));
    const RawResponse health = roundTrip(buildRequest("GET", "/health", headers(false)));
    QCOMPARE(health.json().value(QLatin1String("state")).toString(), QStringLiteral("signed_out"));
    QCOMPARE(fakeChats(), 0);
    QCOMPARE(m_fake.counters().modelsRequests, 0);
}

void TestProxyServer::malformedBody_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("param");
    QTest::newRow("not JSON") << QByteArray("{\"model\": \"coder-model\", \"messages\": [")
                              << QString();
    QTest::newRow("garbage") << QByteArray("\x01\x02 hello") << QString();
    QTest::newRow("empty") << QByteArray() << QString();
    QTest::newRow("array") << QByteArray("[1, 2, 3]") << QString();
    QTest::newRow("no model") << QByteArray("{\"messages\": []}") << QStringLiteral("model");
    QTest::newRow("model not a string")
        << QByteArray("{\"model\": 7, \"messages\": []}") << QStringLiteral("model");
    QTest::newRow("no messages") << QByteArray("{\"model\": \"coder-model\"}")
                                 << QStringLiteral("messages");
    QTest::newRow("messages not an array")
        << QByteArray("{\"model\": \"coder-model\", \"messages\": \"hi\"}")
        << QStringLiteral("messages");
}

void TestProxyServer::malformedBody()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, param);
    HttpHeaders h = headers();
    h.append(Header{"Content-Type", "application/json"});
    const RawResponse r = roundTrip(buildRequest("POST", "/v1/chat/completions", h, body));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 400);
    QVERIFY(r.header("content-type").startsWith("application/json"));
    QCOMPARE(r.error().value(QLatin1String("type")).toString(),
             QStringLiteral("invalid_request_error"));
    QVERIFY(!r.message().isEmpty());
    if (!param.isEmpty())
        QCOMPARE(r.error().value(QLatin1String("param")).toString(), param);
    QCOMPARE(fakeChats(), 0);
}

// --- the HTTP/1.1 server under the proxy ---------------------------------------------------

void TestProxyServer::keepAliveAndPipelining()
{
    RawClient client(m_port);
    HttpHeaders h = headers();
    h.append(Header{"Content-Type", "application/json"});
    // Three requests in one write: answered in order on the one connection.
    client.send(buildRequest("GET", "/v1/models", headers()) +
                buildRequest("POST", "/v1/chat/completions", h, compact(chatBody(true))) +
                buildRequest("POST", "/v1/chat/completions", h, compact(chatBody(false))));
    QVERIFY(client.waitForResponse());
    QCOMPARE(client.current().status, 200);
    QVERIFY(client.current().body.contains("coder-model"));
    client.takeResponse();
    QVERIFY(client.waitForResponse());
    QCOMPARE(client.current().status, 200);
    QCOMPARE(client.current().events().constLast(), QByteArray("[DONE]"));
    client.takeResponse();
    QVERIFY(client.waitForResponse());
    QCOMPARE(client.current().status, 200);
    QVERIFY(client.current().body.contains("chat.completion"));
    QCOMPARE(client.socket().state(), QAbstractSocket::ConnectedState);
    QCOMPARE(fakeChats(), 2);
}

void TestProxyServer::chunkedRequestBody()
{
    const QByteArray body = compact(chatBody(false, QStringLiteral("alibaba/qwen3-coder-plus")));
    QByteArray request = "POST /v1/chat/completions HTTP/1.1\r\nHost: " + hostHeader() +
                         "\r\nAuthorization: Bearer " + m_key +
                         "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (qsizetype at = 0; at < body.size(); at += 7)
        request += chunk(body.mid(at, 7));
    request += "0\r\n\r\n";
    const RawResponse r = roundTrip(request);
    QVERIFY(r.complete);
    QCOMPARE(r.status, 200);
    QCOMPARE(fakeChats(), 1);
    QCOMPARE(m_fake.lastChatRequest().model(), QStringLiteral("coder-model"));
}

void TestProxyServer::oversizedHeaders()
{
    HttpHeaders h = headers();
    h.append(Header{"X-Padding", QByteArray(70 * 1024, 'p')});
    const RawResponse r = roundTrip(buildRequest("GET", "/v1/models", h));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 431);
    QVERIFY(r.header("content-type").startsWith("application/json"));
    QVERIFY(!r.message().isEmpty());
}

void TestProxyServer::oversizedBody()
{
    // Refused from the declared length alone, before a byte of the body is read.
    RawClient client(m_port);
    client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: " + hostHeader() +
                "\r\nAuthorization: Bearer " + m_key +
                "\r\nContent-Type: application/json\r\nContent-Length: " +
                QByteArray::number(64 * 1024 * 1024 + 1) + "\r\n\r\n{\"model\":");
    QVERIFY(client.waitForResponse());
    const RawResponse r = client.current();
    noteCors(r);
    QCOMPARE(r.status, 413);
    QVERIFY(!r.message().isEmpty());
    QCOMPARE(fakeChats(), 0);
}

void TestProxyServer::slowHeadersAndIdleConnections()
{
    HttpServerLimits limits;
    limits.maxBodyBytes = 64 * 1024 * 1024;
    limits.headerTimeoutMs = 300;
    limits.idleTimeoutMs = 300;
    m_bridge->proxy()->setLimits(limits);
    // Headers that never finish: 408, and the connection is closed.
    RawClient slow(m_port);
    slow.send("GET /v1/models HTTP/1.1\r\nHost: " + hostHeader() + "\r\n");
    QVERIFY(slow.waitForResponse());
    QCOMPARE(slow.current().status, 408);
    QTRY_COMPARE_WITH_TIMEOUT(slow.socket().state(), QAbstractSocket::UnconnectedState, WaitMs);
    // A kept-alive connection with nothing more to do is closed after the idle time.
    RawClient idle(m_port);
    idle.send(buildRequest("GET", "/v1/models", headers()));
    QVERIFY(idle.waitForResponse());
    QCOMPARE(idle.current().status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(idle.socket().state(), QAbstractSocket::UnconnectedState, WaitMs);

    HttpServerLimits defaults;
    defaults.maxBodyBytes = 64 * 1024 * 1024;
    m_bridge->proxy()->setLimits(defaults);
}

void TestProxyServer::connectionCap()
{
    HttpServerLimits limits;
    limits.maxBodyBytes = 64 * 1024 * 1024;
    limits.maxConnections = 3;
    m_bridge->proxy()->setLimits(limits);
    std::vector<std::unique_ptr<RawClient>> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(std::make_unique<RawClient>(m_port));
        QTRY_COMPARE_WITH_TIMEOUT(held.back()->socket().state(), QAbstractSocket::ConnectedState,
                                  WaitMs);
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_bridge->proxy()->upstream()->activeCount(), 0, WaitMs);
    const RawResponse refused = roundTrip(buildRequest("GET", "/v1/models", headers()));
    QVERIFY(refused.complete);
    QCOMPARE(refused.status, 503);
    QCOMPARE(refused.code(), QStringLiteral("too_many_connections"));
    // Room again once one of them leaves.
    held.front()->socket().abort();
    held.erase(held.begin());
    QTest::qWait(100);
    QTRY_COMPARE_WITH_TIMEOUT(roundTrip(buildRequest("GET", "/v1/models", headers())).status, 200,
                              WaitMs);
    HttpServerLimits defaults;
    defaults.maxBodyBytes = 64 * 1024 * 1024;
    m_bridge->proxy()->setLimits(defaults);
}

void TestProxyServer::portTaken()
{
    // A second proxy on the same port is told why it cannot start.
    ProxyServer other(m_bridge->settings(), m_bridge->session(), m_bridge->localKey());
    QVERIFY(!other.start(m_port));
    QVERIFY(!other.isListening());
    QVERIFY2(other.errorString().contains(QStringLiteral("already in use")),
             qPrintable(other.errorString()));
    QVERIFY(other.errorString().contains(QString::number(m_port)));
    QVERIFY(other.errorString().contains(QStringLiteral("QWEN_BRIDGE_PORT")));
    // The running one is untouched.
    QCOMPARE(roundTrip(buildRequest("GET", "/v1/models", headers())).status, 200);
}

void TestProxyServer::shutdownWithStreamsInFlight()
{
    // A second proxy in front of the same session, destroyed while streams run through it:
    // no crash, every client is disconnected and every upstream request dropped.
    auto second = std::make_unique<ProxyServer>(m_bridge->settings(), m_bridge->session(),
                                                m_bridge->localKey());
    QVERIFY(second->start(0));
    const quint16 port = second->port();
    m_fake.setStreamsPaused(true);
    std::vector<std::unique_ptr<RawClient>> clients;
    const QByteArray body = compact(chatBody(true));
    for (int i = 0; i < 3; ++i) {
        clients.push_back(std::make_unique<RawClient>(port));
        clients.back()->send(buildRequest("POST", "/v1/chat/completions",
                                          {{"Host", "127.0.0.1:" + QByteArray::number(port)},
                                           {"Authorization", "Bearer " + m_key},
                                           {"Content-Type", "application/json"}},
                                          body));
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_fake.counters().activeStreams, 3, WaitMs);
    QCOMPARE(second->upstream()->activeCount(), 3);
    second.reset();
    QTRY_COMPARE_WITH_TIMEOUT(m_fake.counters().activeStreams, 0, WaitMs);
    QCOMPARE(m_fake.counters().streamsClientGone, 3);
    for (auto &c : clients)
        QTRY_COMPARE_WITH_TIMEOUT(c->socket().state(), QAbstractSocket::UnconnectedState, WaitMs);
}

// --- models -----------------------------------------------------------------------------------

void TestProxyServer::modelsOAuth()
{
    // Through an ordinary HTTP client, as OpenCode would ask.
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/models").arg(m_port)));
    request.setRawHeader("Authorization", "Bearer " + m_key);
    std::unique_ptr<QNetworkReply> reply(m_nam.get(request));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), WaitMs);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
    QCOMPARE(o.value(QLatin1String("object")).toString(), QStringLiteral("list"));
    QStringList ids;
    const QJsonArray data = o.value(QLatin1String("data")).toArray();
    for (const QJsonValue &m : data)
        ids << m.toObject().value(QLatin1String("id")).toString();
    QCOMPARE(ids, QStringList({QStringLiteral("coder-model"), QStringLiteral("vision-model")}));
}

void TestProxyServer::apiKeyMode()
{
    const QString apiKey = QStringLiteral("sk-test-0123456789abcdef0123456789abcdef");
    m_fake.setApiKeys({apiKey});
    Credentials c;
    c.method = AuthMethod::ApiKey;
    c.apiKey = apiKey;
    c.baseUrl = m_fake.apiBaseUrl();
    c.preset = QStringLiteral("custom");
    signInWith(c);

    // Models come from the service, with the key as bearer.
    const RawResponse models = roundTrip(buildRequest("GET", "/v1/models", headers()));
    QCOMPARE(models.status, 200);
    QCOMPARE(m_fake.counters().modelsRequests, 1);
    QVERIFY(models.body.contains("qwen3-coder-plus"));
    QVERIFY(!models.body.contains(apiKey.toLatin1()));

    const RawResponse chat = postChat(chatBody(false, QStringLiteral("alibaba/coder-model")));
    QCOMPARE(chat.status, 200);
    const FakeChatRequest up = m_fake.lastChatRequest();
    QCOMPARE(up.tokenKind, FakeTokenKind::ApiKey);
    QCOMPARE(up.bearerToken, apiKey.toLatin1());
    QCOMPARE(up.model(), QStringLiteral("qwen3-coder-plus"));
    // The OAuth-only headers are not sent with a key.
    QVERIFY(up.header("x-dashscope-authtype").isEmpty());
    QVERIFY(up.header("user-agent").startsWith("QwenBridge/"));

    // A refused key cannot be refreshed: one try, and a message about the key.
    m_fake.failNextChats(FakeChatFault::Unauthorized, 1);
    const RawResponse refused = postChat(chatBody(true));
    QVERIFY(refused.complete);
    QCOMPARE(refused.status, 401);
    QVERIFY2(refused.message().contains(QStringLiteral("API key")), qPrintable(refused.message()));
    QVERIFY(refused.message().contains(QStringLiteral("qwen-bridge login --api-key")));
    QCOMPARE(fakeChats(), 2);
    QCOMPARE(m_fake.counters().refreshRequests, 0);
    // The key is tried again on the next request.
    QCOMPARE(postChat(chatBody(false)).status, 200);
}

namespace {
const QByteArray kOpenCodeAgent =
    "opencode/1.18.33 ai-sdk/provider-utils/4.0.23 runtime/bun/1.3.14";
const QString kCodingKey = QStringLiteral("sk-sp-0123456789abcdef0123456789abcdef");
} // namespace

// A Coding Plan key (PROTOCOL.md §6): no model list upstream, the agent check, its aliases,
// and the thinking controls passed on.
void TestProxyServer::codingPlanKey()
{
    m_fake.setPlan(FakePlan::CodingPlan);
    m_fake.setApiKeys({kCodingKey});
    m_fake.setCodingAgents({QStringLiteral("opencode/")});
    Credentials c;
    c.method = AuthMethod::ApiKey;
    c.apiKey = kCodingKey;
    c.baseUrl = m_fake.apiBaseUrl();
    c.preset = QStringLiteral("coding-plan-global");
    signInWith(c);

    // The plan has no model list: the catalog answers, and nothing goes upstream.
    const RawResponse models = roundTrip(buildRequest("GET", "/v1/models", headers()));
    QCOMPARE(models.status, 200);
    QCOMPARE(m_fake.counters().modelsRequests, 0);
    QVERIFY(models.body.contains("\"MiniMax-M2.5\""));
    QVERIFY(models.body.contains("\"coder-model\""));

    QJsonObject body = chatBody(true, QStringLiteral("alibaba/vision-model"));
    body.insert(QStringLiteral("reasoning_effort"), QStringLiteral("high"));
    body.insert(QStringLiteral("thinking_budget"), 2048);
    const RawResponse chat = postChat(body, {{"User-Agent", kOpenCodeAgent}});
    QVERIFY(chat.complete);
    QCOMPARE(chat.status, 200);
    QVERIFY(chat.body.contains("\"reasoning_content\":\"Thinking"));
    QVERIFY(chat.body.contains("data: [DONE]"));
    const FakeChatRequest up = m_fake.lastChatRequest();
    QCOMPARE(up.model(), QStringLiteral("qwen3.5-plus")); // the plan's vision model
    QCOMPARE(up.json.value(QLatin1String("reasoning_effort")).toString(), QStringLiteral("high"));
    QCOMPARE(up.json.value(QLatin1String("thinking_budget")).toInt(), 2048);
    QCOMPARE(up.header("user-agent"), kOpenCodeAgent + " QwenBridge/" QWEN_BRIDGE_VERSION);
}

void TestProxyServer::codingPlanErrors_data()
{
    QTest::addColumn<bool>("inject"); // false: the plan's own rule answers
    QTest::addColumn<FakeChatFault>("fault");
    QTest::addColumn<QByteArray>("agent");
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("words");
    const FakeChatFault none = FakeChatFault::ServerError; // unused when not injected
    QTest::newRow("agent check") << false << none << QByteArray("curl/8.5.0") << "coder-model"
                                 << 403 << "coding_agents_only"
                                 << "Coding Plan (global) serves only coding agents";
    QTest::newRow("model of another plan")
        << false << none << kOpenCodeAgent << "qwen3-vl-plus" << 400 << "model_not_found"
        << "Its models are: qwen3-coder-plus, qwen3-coder-next";
    QTest::newRow("hour quota") << true << FakeChatFault::HourQuota << kOpenCodeAgent
                                << "coder-model" << 429 << "hour_quota_exceeded"
                                << "Coding Plan (global)'s short-term request quota";
    QTest::newRow("week quota") << true << FakeChatFault::WeekQuota << kOpenCodeAgent
                                << "coder-model" << 429 << "week_quota_exceeded"
                                << "Monday at 00:00 UTC+8";
    QTest::newRow("month quota") << true << FakeChatFault::MonthQuota << kOpenCodeAgent
                                 << "coder-model" << 429 << "month_quota_exceeded"
                                 << "monthly request quota";
    QTest::newRow("arrears") << true << FakeChatFault::Arrears << kOpenCodeAgent << "coder-model"
                             << 402 << "account_in_arrears"
                             << "overdue bill";
    QTest::newRow("free tier only") << true << FakeChatFault::FreeTierOnly << kOpenCodeAgent
                                    << "coder-model" << 403 << "free_tier_only"
                                    << "free quota of qwen3-coder-plus";
}

// Each of the plan's answers becomes its own sentence, streamed or not.
void TestProxyServer::codingPlanErrors()
{
    QFETCH(bool, inject);
    QFETCH(FakeChatFault, fault);
    QFETCH(QByteArray, agent);
    QFETCH(QString, model);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QString, words);
    m_fake.setPlan(FakePlan::CodingPlan);
    m_fake.setApiKeys({kCodingKey});
    Credentials c;
    c.method = AuthMethod::ApiKey;
    c.apiKey = kCodingKey;
    c.baseUrl = m_fake.apiBaseUrl();
    c.preset = QStringLiteral("coding-plan-global");
    signInWith(c);
    for (const bool stream : {false, true}) {
        if (inject)
            m_fake.failNextChats(fault, 1);
        const RawResponse r = postChat(chatBody(stream, model), {{"User-Agent", agent}});
        QVERIFY(r.complete);
        QCOMPARE(r.status, status);
        QCOMPARE(r.code(), code);
        QVERIFY2(r.message().contains(words), qPrintable(r.message()));
    }
}

// --- what goes upstream ------------------------------------------------------------------------

void TestProxyServer::upstreamRequest_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("expected");
    QTest::newRow("provider prefix") << "alibaba/qwen3-coder-plus"
                                     << "coder-model";
    QTest::newRow("coder-model") << "coder-model"
                                 << "coder-model";
    QTest::newRow("vision alias") << "alibaba/vision-model"
                                  << "vision-model";
    QTest::newRow("vl model") << "qwen3-vl-plus"
                              << "vision-model";
    QTest::newRow("anything else") << "gpt-4o"
                                   << "coder-model";
}

void TestProxyServer::upstreamRequest()
{
    QFETCH(QString, model);
    QFETCH(QString, expected);
    QJsonObject body = chatBody(false, model);
    body.insert(QStringLiteral("instructions"), QStringLiteral("drop me"));
    body.insert(QStringLiteral("reasoning_effort"), QStringLiteral("high"));
    body.insert(QStringLiteral("reasoning_summary"), QStringLiteral("auto"));
    body.insert(QStringLiteral("temperature"), 0.25);
    const RawResponse r = postChat(body, {{"X-Api-Key", m_key}, {"Cookie", "session=" + m_key}});
    QVERIFY(r.complete);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json()
                 .value(QLatin1String("choices"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QLatin1String("message"))
                 .toObject()
                 .value(QLatin1String("content"))
                 .toString(),
             QStringLiteral("Hello from the fake Qwen service."));
    QCOMPARE(fakeChats(), 1);

    const FakeChatRequest up = m_fake.lastChatRequest();
    // The account's access token, never the client's Authorization or any local key.
    QCOMPARE(up.tokenKind, FakeTokenKind::OAuthLive);
    QCOMPARE(up.bearerToken, m_accessToken);
    QCOMPARE(up.header("authorization"), "Bearer " + m_accessToken);
    for (const auto &h : up.headers) {
        QVERIFY2(!h.second.contains(m_key), h.first.constData());
        QVERIFY2(h.first != "x-api-key" && h.first != "cookie", h.first.constData());
    }
    QVERIFY(!up.body.contains(m_key));
    QCOMPARE(up.header("x-dashscope-authtype"), QByteArray("qwen-oauth"));
    QCOMPARE(up.header("x-dashscope-cachecontrol"), QByteArray("enable"));
    const QByteArray agent = "QwenBridge/" QWEN_BRIDGE_VERSION;
    QVERIFY2(up.header("user-agent").startsWith(agent), up.header("user-agent").constData());
    QVERIFY2(up.header("x-dashscope-useragent").startsWith(agent),
             up.header("x-dashscope-useragent").constData());
    QVERIFY(up.header("content-type").startsWith("application/json"));

    // The body, rewritten.
    QCOMPARE(up.model(), expected);
    QVERIFY(!up.json.contains(QLatin1String("instructions")));
    QVERIFY(!up.json.contains(QLatin1String("reasoning_effort")));
    QVERIFY(!up.json.contains(QLatin1String("reasoning_summary")));
    QCOMPARE(up.json.value(QLatin1String("temperature")).toDouble(), 0.25);
    const QJsonArray messages = up.json.value(QLatin1String("messages")).toArray();
    QCOMPARE(messages.size(), 2);
    const QJsonObject first = messages.at(0).toObject();
    QCOMPARE(first.value(QLatin1String("role")).toString(), QStringLiteral("system"));
    const QString system = first.value(QLatin1String("content")).toString();
    QVERIFY(system.startsWith(RequestRewriter::bridgePrompt()));
    QVERIFY(system.contains(QStringLiteral("You are OpenCode.")));
    QCOMPARE(messages.at(1).toObject().value(QLatin1String("role")).toString(),
             QStringLiteral("user"));
    const QJsonObject metadata = up.json.value(QLatin1String("metadata")).toObject();
    QVERIFY(!metadata.value(QLatin1String("sessionId")).toString().isEmpty());
    QVERIFY(!metadata.value(QLatin1String("promptId")).toString().isEmpty());
}

void TestProxyServer::metadataPerRequest()
{
    QCOMPARE(postChat(chatBody(false)).status, 200);
    QCOMPARE(postChat(chatBody(true)).status, 200);
    const QList<FakeChatRequest> ups = m_fake.chatRequests();
    QCOMPARE(ups.size(), 2);
    const QJsonObject a = ups.at(0).json.value(QLatin1String("metadata")).toObject();
    const QJsonObject b = ups.at(1).json.value(QLatin1String("metadata")).toObject();
    // One session for the life of the proxy, one prompt id per request.
    QCOMPARE(a.value(QLatin1String("sessionId")), b.value(QLatin1String("sessionId")));
    QVERIFY(a.value(QLatin1String("promptId")) != b.value(QLatin1String("promptId")));
    QCOMPARE(ups.at(1).header("accept"), QByteArray("text/event-stream"));
}

void TestProxyServer::largeBodyAccepted()
{
    // OpenCode sends whole projects as context: 32 MiB must pass, through a real client.
    const qsizetype size = 32 * 1024 * 1024;
    QJsonObject body = chatBody(false);
    QJsonArray messages = body.value(QLatin1String("messages")).toArray();
    messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                {QStringLiteral("content"), QString(size, QLatin1Char('x'))}});
    body.insert(QStringLiteral("messages"), messages);
    const QByteArray bytes = compact(body);
    QVERIFY(bytes.size() > size);
    // Parsing 32 MiB takes the fake a while on a busy machine: no idle timeout meanwhile.
    m_bridge->proxy()->upstream()->setIdleTimeoutMs(120000);

    QNetworkRequest request(
        QUrl(QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(m_port)));
    request.setRawHeader("Authorization", "Bearer " + m_key);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    std::unique_ptr<QNetworkReply> reply(m_nam.post(request, bytes));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 120000);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    QVERIFY2(status != 413, reply->readAll().constData());
    QCOMPARE(status, 200);
    QCOMPARE(fakeChats(), 1);
    QVERIFY(m_fake.lastChatRequest().body.size() > size);
}

// --- streaming ---------------------------------------------------------------------------------

void TestProxyServer::streamsEventByEvent()
{
    // Seven events (five pieces of text, the finish chunk, [DONE]) at least 250 ms apart.
    m_fake.setStreamEventDelayMs(250);
    RawClient client(m_port);
    HttpHeaders h = headers();
    h.append(Header{"Content-Type", "application/json"});
    client.send(buildRequest("POST", "/v1/chat/completions", h, compact(chatBody(true))));

    // The first events reach the client while upstream is still sending.
    QVERIFY(waitFor([&] { return client.current().events().size() >= 2; }));
    QCOMPARE(m_fake.counters().activeStreams, 1);
    QCOMPARE(m_fake.counters().streamsCompleted, 0);
    const RawResponse early = client.current();
    QVERIFY(!early.complete);
    QCOMPARE(early.status, 200);
    QVERIFY(early.header("content-type").startsWith("text/event-stream"));
    QVERIFY(early.chunked);

    QVERIFY(client.waitForResponse());
    const RawResponse r = client.current();
    noteCors(r);
    const QList<QByteArray> events = r.events();
    QCOMPARE(events.size(), 7);
    QCOMPARE(events.constLast(), QByteArray("[DONE]"));
    QCOMPARE(streamedText(events), QStringLiteral("Hello from the fake Qwen service."));
    // One chunk per event, none held back to be merged with the next.
    QCOMPARE(r.chunks.size(), 7);
    for (const QByteArray &chunk : r.chunks)
        QVERIFY(chunk.startsWith("data: ") && chunk.endsWith("\n\n"));
    QCOMPARE(m_fake.counters().streamsCompleted, 1);
}

void TestProxyServer::clientGoneAbortsUpstream()
{
    m_fake.setStreamEventCount(200);
    m_fake.setStreamEventDelayMs(50);
    {
        RawClient client(m_port);
        HttpHeaders h = headers();
        h.append(Header{"Content-Type", "application/json"});
        client.send(buildRequest("POST", "/v1/chat/completions", h, compact(chatBody(true))));
        QVERIFY(waitFor([&] { return client.current().events().size() >= 2; }));
        QCOMPARE(m_fake.counters().activeStreams, 1);
        QCOMPARE(m_bridge->proxy()->upstream()->activeCount(), 1);
        client.socket().abort();
    }
    // The proxy drops the upstream request at once: the fake sees its client leave.
    QTRY_COMPARE_WITH_TIMEOUT(m_fake.counters().streamsClientGone, 1, WaitMs);
    QCOMPARE(m_fake.counters().activeStreams, 0);
    QCOMPARE(m_fake.counters().streamsCompleted, 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_bridge->proxy()->upstream()->activeCount(), 0, WaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_bridge->proxy()->stats().activeRequests, 0, WaitMs);
}

// --- upstream failures -------------------------------------------------------------------------

void TestProxyServer::unauthorizedRefreshesOnce_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("plain") << false;
    QTest::newRow("stream") << true;
}

void TestProxyServer::unauthorizedRefreshesOnce()
{
    QFETCH(bool, stream);
    const int refreshes = m_fake.counters().refreshesIssued;
    m_fake.failNextChats(FakeChatFault::Unauthorized, 1);
    const RawResponse r = postChat(chatBody(stream));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 200);
    if (stream)
        QCOMPARE(r.events().constLast(), QByteArray("[DONE]"));
    QCOMPARE(m_fake.counters().refreshesIssued, refreshes + 1);
    const QList<FakeChatRequest> ups = m_fake.chatRequests();
    QCOMPARE(ups.size(), 2);
    QCOMPARE(ups.at(0).bearerToken, m_accessToken);
    QVERIFY(ups.at(1).bearerToken != m_accessToken);
    QCOMPARE(ups.at(1).bearerToken, m_fake.lastAccessToken());
    QCOMPARE(ups.at(1).tokenKind, FakeTokenKind::OAuthLive);
    // The same rewritten body both times.
    QCOMPARE(ups.at(1).body, ups.at(0).body);
    QCOMPARE(m_bridge->session()->state(), SessionState::SignedIn);
}

void TestProxyServer::unauthorizedTwice()
{
    const int refreshes = m_fake.counters().refreshesIssued;
    m_fake.failNextChats(FakeChatFault::Unauthorized, 2);
    const RawResponse r = postChat(chatBody(false));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 401);
    QVERIFY(r.header("content-type").startsWith("application/json"));
    QVERIFY2(r.message().contains(QStringLiteral("Sign in again")), qPrintable(r.message()));
    QVERIFY2(r.message().contains(QStringLiteral("qwen-bridge login")), qPrintable(r.message()));
    // Exactly one refresh and one retry, never a loop.
    QCOMPARE(fakeChats(), 2);
    QCOMPARE(m_fake.counters().refreshesIssued, refreshes + 1);
}

void TestProxyServer::rateLimitPassesThrough_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("plain") << false;
    QTest::newRow("stream") << true;
}

void TestProxyServer::rateLimitPassesThrough()
{
    QFETCH(bool, stream);
    QSignalSpy quota(m_bridge->proxy(), &ProxyServer::quotaExhausted);
    m_fake.failNextChats(FakeChatFault::RateLimited, 1, 7);
    const RawResponse r = postChat(chatBody(stream));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.header("retry-after"), QByteArray("7"));
    QCOMPARE(r.code(), QStringLiteral("rate_limit_exceeded"));
    QVERIFY2(r.message().contains(QStringLiteral("7 seconds")), qPrintable(r.message()));
    QCOMPARE(fakeChats(), 1); // not retried by the proxy: the client decides
    QCOMPARE(quota.size(), 0);
}

void TestProxyServer::quotaExhausted_data()
{
    QTest::addColumn<FakeChatFault>("fault");
    QTest::addColumn<bool>("stream");
    QTest::newRow("429 insufficient_quota") << FakeChatFault::QuotaExceeded << false;
    QTest::newRow("429 insufficient_quota, stream") << FakeChatFault::QuotaExceeded << true;
    QTest::newRow("403 insufficient_quota") << FakeChatFault::QuotaForbidden << false;
    QTest::newRow("403 insufficient_quota, stream") << FakeChatFault::QuotaForbidden << true;
}

void TestProxyServer::quotaExhausted()
{
    QFETCH(FakeChatFault, fault);
    QFETCH(bool, stream);
    QSignalSpy proxySignal(m_bridge->proxy(), &ProxyServer::quotaExhausted);
    QSignalSpy bridgeSignal(m_bridge.get(), &BridgeService::quotaExhausted);
    m_fake.failNextChats(fault, 1);
    const RawResponse r = postChat(chatBody(stream));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 429);
    QVERIFY(r.header("content-type").startsWith("application/json"));
    QCOMPARE(r.code(), QStringLiteral("insufficient_quota"));
    const QString message = r.message();
    QVERIFY2(message.contains(QStringLiteral("API key")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("Model Studio")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("Coding Plan")), qPrintable(message));
    QCOMPARE(proxySignal.size(), 1);
    QCOMPARE(proxySignal.first().first().toString(), message);
    QCOMPARE(bridgeSignal.size(), 1);
    QCOMPARE(fakeChats(), 1); // not retryable
}

void TestProxyServer::serverErrorRetried()
{
    m_fake.failNextChats(FakeChatFault::ServerError, ServerErrorAttempts - 1, 503);
    const RawResponse r = postChat(chatBody(false));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 200);
    QCOMPARE(fakeChats(), ServerErrorAttempts);
    QCOMPARE(m_fake.counters().injectedFaults, ServerErrorAttempts - 1);
}

void TestProxyServer::serverErrorRetriesAreLimited()
{
    m_fake.failNextChats(FakeChatFault::ServerError, ServerErrorAttempts + 2, 502);
    const RawResponse r = postChat(chatBody(false));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 502);
    QVERIFY(r.header("content-type").startsWith("application/json"));
    QVERIFY2(r.message().contains(QStringLiteral("HTTP 502")), qPrintable(r.message()));
    QCOMPARE(r.code(), QStringLiteral("upstream_error"));
    QCOMPARE(fakeChats(), ServerErrorAttempts);
}

void TestProxyServer::serverErrorStreamingNotRetried()
{
    m_fake.failNextChats(FakeChatFault::ServerError, 1, 503);
    const RawResponse r = postChat(chatBody(true));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 503);
    QVERIFY(r.header("content-type").startsWith("application/json"));
    QVERIFY(r.message().contains(QStringLiteral("HTTP 503")));
    QCOMPARE(fakeChats(), 1);
}

void TestProxyServer::resetMidStream()
{
    m_fake.setStreamEventCount(6);
    m_fake.setStreamEventDelayMs(400); // time for the proxy to take each event before the reset
    m_fake.failNextChats(FakeChatFault::ResetMidStream, 1, 2);
    RawClient client(m_port);
    HttpHeaders h = headers();
    h.append(Header{"Content-Type", "application/json"});
    client.send(buildRequest("POST", "/v1/chat/completions", h, compact(chatBody(true))));
    QVERIFY(client.waitForResponse());
    const RawResponse r = client.current();
    noteCors(r);
    QCOMPARE(r.status, 200);
    QVERIFY(r.chunked);
    QVERIFY(r.complete); // a clean end: the terminating chunk
    const QList<QByteArray> events = r.events();
    QCOMPARE(events.size(), 3);
    QVERIFY(!r.body.contains("[DONE]"));
    QCOMPARE(streamedText(events.mid(0, 2)).isEmpty(), false);
    const QJsonObject error =
        QJsonDocument::fromJson(events.at(2)).object().value(QLatin1String("error")).toObject();
    QCOMPARE(error.value(QLatin1String("code")).toString(), QStringLiteral("upstream_interrupted"));
    QVERIFY(error.value(QLatin1String("message")).toString().contains(QStringLiteral("Try again")));
    QCOMPARE(m_fake.counters().streamsAborted, 1);

    // The connection stays usable: the next request on it is answered.
    client.takeResponse();
    client.send(buildRequest("GET", "/v1/models", headers()));
    QVERIFY(client.waitForResponse());
    QCOMPARE(client.current().status, 200);
}

void TestProxyServer::stallMidStream()
{
    m_fake.setStreamEventCount(6);
    m_fake.failNextChats(FakeChatFault::StallMidStream, 1, 2);
    RawClient client(m_port);
    HttpHeaders h = headers();
    h.append(Header{"Content-Type", "application/json"});
    client.send(buildRequest("POST", "/v1/chat/completions", h, compact(chatBody(true))));
    QVERIFY(waitFor([&] { return client.current().events().size() >= 2; }));
    QVERIFY(!client.current().complete);
    // After the idle timeout (3 s here) the proxy gives up on the silent upstream.
    QVERIFY(client.waitForResponse(IdleTimeoutMs + WaitMs));
    const RawResponse r = client.current();
    noteCors(r);
    QCOMPARE(r.status, 200);
    const QList<QByteArray> events = r.events();
    QCOMPARE(events.size(), 3);
    const QJsonObject error =
        QJsonDocument::fromJson(events.at(2)).object().value(QLatin1String("error")).toObject();
    QCOMPARE(error.value(QLatin1String("code")).toString(), QStringLiteral("upstream_interrupted"));
    const QString message = error.value(QLatin1String("message")).toString();
    QVERIFY2(message.contains(QStringLiteral("stopped sending")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("3 seconds")), qPrintable(message));
    // And the stalled upstream request is closed, not left hanging.
    QTRY_COMPARE_WITH_TIMEOUT(m_fake.counters().activeStreams, 0, WaitMs);
    QCOMPARE(m_fake.counters().streamsClientGone, 1);
}

void TestProxyServer::upstreamSilent_data()
{
    QTest::addColumn<FakeChatFault>("fault");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<int>("status");
    QTest::newRow("no headers") << FakeChatFault::StallBeforeHeaders << false << 504;
    QTest::newRow("no headers, stream") << FakeChatFault::StallBeforeHeaders << true << 504;
    QTest::newRow("headers only") << FakeChatFault::StallAfterHeaders << false << 504;
    QTest::newRow("headers only, stream") << FakeChatFault::StallAfterHeaders << true << 200;
    // Half a JSON body, then silence: never passed on as if it were the answer.
    QTest::newRow("half a body") << FakeChatFault::StallMidStream << false << 504;
}

void TestProxyServer::upstreamSilent()
{
    QFETCH(FakeChatFault, fault);
    QFETCH(bool, stream);
    QFETCH(int, status);
    m_fake.failNextChats(fault, 1);
    const RawResponse r = postChat(chatBody(stream));
    QVERIFY(r.complete);
    QCOMPARE(r.status, status);
    QString message;
    if (status == 200) {
        // The stream had begun: the error comes as its only event, then a clean end.
        QVERIFY(r.chunked);
        const QList<QByteArray> events = r.events();
        QCOMPARE(events.size(), 1);
        const QJsonObject error = QJsonDocument::fromJson(events.first())
                                      .object()
                                      .value(QLatin1String("error"))
                                      .toObject();
        QCOMPARE(error.value(QLatin1String("code")).toString(),
                 QStringLiteral("upstream_interrupted"));
        message = error.value(QLatin1String("message")).toString();
    } else {
        QVERIFY(r.header("content-type").startsWith("application/json"));
        QCOMPARE(r.code(), QStringLiteral("upstream_timeout"));
        message = r.message();
        QVERIFY(!r.body.contains("chatcmpl-stalled"));
    }
    QVERIFY2(message.contains(QStringLiteral("3 seconds")), qPrintable(message));
    QCOMPARE(fakeChats(), 1); // a timeout is not retried
}

void TestProxyServer::slowFirstByteWithinLimit()
{
    // Slow but inside the idle timeout (3 s): answered normally.
    m_fake.failNextChats(FakeChatFault::SlowFirstByte, 1, 1000);
    const RawResponse r = postChat(chatBody(true));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.events().constLast(), QByteArray("[DONE]"));
}

void TestProxyServer::slowClientHoldsUpstreamBack()
{
    // An upstream that streams as fast as its socket takes it, made up on the fly so that
    // far more than every buffer on the way can hold (socket buffers may grow to tens of
    // MiB) costs no memory here.
    GeneratingUpstream upstream(qint64(256) * 1024 * 1024);
    QVERIFY(upstream.port() != 0);
    signInWithDeviceFlow(QStringLiteral("http://127.0.0.1:%1").arg(upstream.port()));

    QTcpSocket socket;
    socket.setReadBufferSize(16 * 1024);
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::ConnectedState, WaitMs);
    socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 64 * 1024);
    HttpHeaders h = headers();
    h.append(Header{"Content-Type", "application/json"});
    socket.write(buildRequest("POST", "/v1/chat/completions", h, compact(chatBody(true))));

    // The client reads nothing: the proxy stops reading upstream, and upstream has to wait.
    // Without that the proxy would take all 256 MiB into memory.
    QVERIFY(waitFor([&] { return upstream.stalledForMs() > 1000; }, 120000));
    const qint64 held = upstream.written();
    QVERIFY2(held < 96 * 1024 * 1024, qPrintable(QString::number(held)));
    // Held back longer than the idle timeout: a slow client is not a silent upstream.
    QTest::qWait(IdleTimeoutMs + 1000);
    QVERIFY2(upstream.written() < 96 * 1024 * 1024,
             qPrintable(QString::number(upstream.written())));
    QVERIFY(upstream.isConnected());
    QCOMPARE(m_bridge->proxy()->upstream()->activeCount(), 1);

    // Now read: the stream moves again, intact, with no error in it.
    socket.setReadBufferSize(0);
    QByteArray data;
    QVERIFY(waitFor(
        [&] {
            data += socket.readAll();
            return upstream.written() > held + 16 * 1024 * 1024;
        },
        120000));
    data += socket.readAll();
    const RawResponse r = parseResponse(data, false);
    QCOMPARE(r.status, 200);
    QVERIFY(r.chunked);
    const QList<QByteArray> events = r.events();
    QVERIFY(events.size() > 1000);
    for (const QByteArray &e : events)
        QVERIFY(e == GeneratingUpstream::eventData());
    QVERIFY(!data.contains("\"error\""));
    // The client leaves: the upstream connection goes with it.
    socket.abort();
    QTRY_VERIFY_WITH_TIMEOUT(!upstream.isConnected(), WaitMs);
}

void TestProxyServer::slowClientGetsTheWholeStream()
{
    // Upstream finishes long before the client has read: the tail is still delivered.
    const int events = 1024;
    const qsizetype textBytes = qsizetype(events) * 8 * 1024;
    m_fake.setStreamEventCount(events);
    m_fake.setReplyText(QString(textBytes, QLatin1Char('t')));
    QTcpSocket socket;
    socket.setReadBufferSize(16 * 1024);
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::ConnectedState, WaitMs);
    socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 64 * 1024);
    HttpHeaders h = headers();
    h.append(Header{"Content-Type", "application/json"});
    socket.write(buildRequest("POST", "/v1/chat/completions", h, compact(chatBody(true))));
    QByteArray data;
    QVERIFY(waitFor(
        [&] {
            data += socket.read(32 * 1024); // a little at a time
            QTest::qWait(5);
            return data.endsWith("\r\n0\r\n\r\n");
        },
        120000));
    const RawResponse r = parseResponse(data, false);
    QVERIFY(r.complete);
    const QList<QByteArray> received = r.events();
    QVERIFY2(!data.contains("\"error\""), data.right(400).constData());
    QCOMPARE(received.size(), events + 2);
    QCOMPARE(received.constLast(), QByteArray("[DONE]"));
    QCOMPARE(streamedText(received).size(), textBytes);
}

void TestProxyServer::unauthorizedAndRefreshRejected()
{
    // The refresh token is dead: the person has to sign in again, and is told how.
    m_fake.failNextChats(FakeChatFault::Unauthorized, 1);
    m_fake.rejectNextRefreshes(1);
    const RawResponse r = postChat(chatBody(true));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 401);
    QCOMPARE(r.code(), QStringLiteral("sign_in_required"));
    QVERIFY2(r.message().contains(SignInSentence), qPrintable(r.message()));
    QCOMPARE(fakeChats(), 1);
    QCOMPARE(m_fake.counters().refreshRequests, 1);
    QCOMPARE(m_bridge->session()->state(), SessionState::SignInRequired);
}

void TestProxyServer::unauthorizedAndRefreshFailsTransiently()
{
    m_bridge->session()->setBackoffLimits(60000, 60000); // no second try during the test
    m_fake.failNextChats(FakeChatFault::Unauthorized, 1);
    m_fake.failNextRefreshes(1, 503);
    const RawResponse r = postChat(chatBody(false));
    m_bridge->session()->setBackoffLimits(1000, 60000);
    QVERIFY(r.complete);
    QCOMPARE(r.status, 503);
    QCOMPARE(r.code(), QStringLiteral("session_offline"));
    QVERIFY2(r.message().contains(QStringLiteral("could not be renewed")), qPrintable(r.message()));
    QCOMPARE(fakeChats(), 1);
}

void TestProxyServer::concurrentUnauthorizedShareOneRefresh()
{
    // The token expires at the service before the bridge expected: every request that
    // carries it gets a 401, and all of them share one refresh.
    const int refreshes = m_fake.counters().refreshesIssued;
    const int n = 8;
    m_fake.expireAccessTokens();
    std::vector<std::unique_ptr<RawClient>> clients;
    HttpHeaders h = headers();
    h.append(Header{"Content-Type", "application/json"});
    for (int i = 0; i < n; ++i) {
        clients.push_back(std::make_unique<RawClient>(m_port));
        clients.back()->send(
            buildRequest("POST", "/v1/chat/completions", h, compact(chatBody(i % 2 == 0))));
    }
    for (auto &c : clients) {
        QVERIFY(c->waitForResponse());
        QCOMPARE(c->current().status, 200);
    }
    QCOMPARE(m_fake.counters().refreshesIssued, refreshes + 1);
    const int refused = m_fake.counters().expiredTokenRequests;
    QVERIFY(refused >= 1);
    // Each refused request was sent again once, with the new token.
    QCOMPARE(fakeChats(), n + refused);
    const QList<FakeChatRequest> ups = m_fake.chatRequests();
    int renewed = 0;
    for (const FakeChatRequest &up : ups) {
        if (up.tokenKind == FakeTokenKind::OAuthLive) {
            QCOMPARE(up.bearerToken, m_fake.lastAccessToken());
            ++renewed;
        }
    }
    QCOMPARE(renewed, n);
}

void TestProxyServer::oversizedEvent()
{
    // One event larger than the proxy holds (16 MiB): an error event, not unbounded memory.
    m_fake.setStreamEventCount(1);
    m_fake.setReplyText(QString(17 * 1024 * 1024, QLatin1Char('w')));
    m_bridge->proxy()->upstream()->setIdleTimeoutMs(120000); // building it takes the fake time
    const RawResponse r = postChat(chatBody(true));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 200);
    const QList<QByteArray> events = r.events();
    QCOMPARE(events.size(), 1);
    const QJsonObject error =
        QJsonDocument::fromJson(events.first()).object().value(QLatin1String("error")).toObject();
    QCOMPARE(error.value(QLatin1String("code")).toString(), QStringLiteral("event_too_large"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fake.counters().activeStreams, 0, WaitMs);
}

void TestProxyServer::cutOffAnswers_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<int>("events"); // of the upstream's, passed on before the error event
    const QByteArray sseHead = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n";
    const QByteArray event =
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n";
    QTest::newRow("stream, connection closed mid-body")
        << sseHead + chunk(event) + chunk(event) << true << 2;
    QTest::newRow("stream, closed inside an event")
        << sseHead + chunk(event) + chunk("data: {\"choi") << true << 1;
    QTest::newRow("stream, ended cleanly without [DONE]") << sseHead + chunk(event) + "0\r\n\r\n"
                                                          << true << 1;
    QTest::newRow("plain, chunked JSON cut off")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n") +
               chunk("{\"id\":\"chatcmpl-cut\",\"choices\":[")
        << false << 0;
    QTest::newRow("plain, shorter than Content-Length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                      "Content-Length: 500\r\n\r\n{\"id\":\"chatcmpl-cut\",")
        << false << 0;
}

void TestProxyServer::cutOffAnswers()
{
    QFETCH(QByteArray, answer);
    QFETCH(bool, stream);
    QFETCH(int, events);
    ScriptedUpstream upstream(answer);
    QVERIFY(upstream.port() != 0);
    signInWithDeviceFlow(QStringLiteral("http://127.0.0.1:%1").arg(upstream.port()));
    const RawResponse r = postChat(chatBody(stream));
    QVERIFY(r.complete);
    QVERIFY(upstream.requests >= 1);
    if (stream) {
        // What came is passed on, then an error event and a clean end: never a stream
        // that looks finished.
        QCOMPARE(r.status, 200);
        const QList<QByteArray> received = r.events();
        QCOMPARE(received.size(), events + 1);
        for (int i = 0; i < events; ++i)
            QVERIFY(received.at(i).contains("\"content\":\"Hi\""));
        const QJsonObject error = QJsonDocument::fromJson(received.constLast())
                                      .object()
                                      .value(QLatin1String("error"))
                                      .toObject();
        QCOMPARE(error.value(QLatin1String("code")).toString(),
                 QStringLiteral("upstream_interrupted"));
    } else {
        QCOMPARE(r.status, 502);
        QVERIFY(r.header("content-type").startsWith("application/json"));
        QVERIFY(!r.body.contains("chatcmpl-cut"));
        QVERIFY(!r.message().isEmpty());
    }
}

void TestProxyServer::dnsFailure_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("plain") << false;
    QTest::newRow("stream") << true;
}

void TestProxyServer::dnsFailure()
{
    QFETCH(bool, stream);
    // https: the URL policy sends a token over plain http only to this computer.
    signInWithDeviceFlow(QStringLiteral("https://nonexistent.invalid"));
    QCOMPARE(m_bridge->session()->apiBase().host(), QStringLiteral("nonexistent.invalid"));
    const RawResponse r = postChat(chatBody(stream));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 502);
    QVERIFY(r.header("content-type").startsWith("application/json"));
    QCOMPARE(r.code(), QStringLiteral("upstream_dns"));
    QVERIFY2(r.message().contains(QStringLiteral("nonexistent.invalid could not be resolved")),
             qPrintable(r.message()));
    QVERIFY(r.message().contains(QStringLiteral("DNS")));
    QCOMPARE(fakeChats(), 0);
}

void TestProxyServer::tlsFailure()
{
    // https:// to a port that speaks plain HTTP: the handshake fails.
    signInWithDeviceFlow(QStringLiteral("https://127.0.0.1:%1").arg(m_fake.port()));
    QCOMPARE(m_bridge->session()->apiBase().scheme(), QStringLiteral("https"));
    const RawResponse r = postChat(chatBody(false));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 502);
    QCOMPARE(r.code(), QStringLiteral("upstream_tls"));
    QVERIFY2(r.message().contains(QStringLiteral("secure connection")), qPrintable(r.message()));
    QCOMPARE(fakeChats(), 0);
}

void TestProxyServer::tlsSelfSignedUpstream()
{
    // A real TLS server whose certificate nobody vouches for.
    QSslServer upstream;
    upstream.setSslConfiguration(selfSignedServerConfiguration());
    QVERIFY(upstream.listen(QHostAddress::LocalHost, 0));
    int requestBytes = 0;
    connect(&upstream, &QSslServer::pendingConnectionAvailable, this, [&] {
        while (QTcpSocket *s = upstream.nextPendingConnection())
            connect(s, &QTcpSocket::readyRead, s,
                    [s, &requestBytes] { requestBytes += int(s->readAll().size()); });
    });

    for (bool stream : {false, true}) {
        signInWithDeviceFlow(QStringLiteral("https://127.0.0.1:%1").arg(upstream.serverPort()));
        const RawResponse r = postChat(chatBody(stream));
        QVERIFY(r.complete);
        QCOMPARE(r.status, 502);
        QCOMPARE(r.code(), QStringLiteral("upstream_tls"));
        QVERIFY2(r.message().contains(QStringLiteral("secure connection")),
                 qPrintable(r.message()));
        QVERIFY2(mentionsSelfSigned(r.message()), qPrintable(r.message()));
    }
    QCOMPARE(requestBytes, 0); // not a byte of the request (or its token) went out

    // Back on a trusted upstream, the next request works: no restart needed.
    signInWithDeviceFlow();
    const RawResponse after = postChat(chatBody(false));
    QCOMPARE(after.status, 200);
}

void TestProxyServer::connectionRefused()
{
    const quint16 closed = freeLoopbackPort();
    signInWithDeviceFlow(QStringLiteral("http://127.0.0.1:%1").arg(closed));
    const RawResponse r = postChat(chatBody(true));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 502);
    QCOMPARE(r.code(), QStringLiteral("upstream_unreachable"));
    QVERIFY2(r.message().contains(QStringLiteral("refused the connection")),
             qPrintable(r.message()));
}

void TestProxyServer::connectTimeout()
{
    // TCP connects, but the TLS handshake never completes.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    connect(&silent, &QTcpServer::pendingConnectionAvailable, this, [&silent] {
        while (QTcpSocket *s = silent.nextPendingConnection())
            connect(s, &QTcpSocket::readyRead, s, [s] { s->readAll(); });
    });
    signInWithDeviceFlow(QStringLiteral("https://127.0.0.1:%1").arg(silent.serverPort()));
    m_bridge->proxy()->upstream()->client()->setConnectTimeoutMs(300);
    for (bool stream : {false, true}) {
        const RawResponse r = postChat(chatBody(stream));
        QVERIFY(r.complete);
        QCOMPARE(r.status, 504);
        QCOMPARE(r.code(), QStringLiteral("upstream_connect_timeout"));
        QVERIFY2(r.message().contains(QStringLiteral("No connection to the Qwen API at 127.0.0.1")),
                 qPrintable(r.message()));
    }
}

QTEST_GUILESS_MAIN(TestProxyServer)
#include "tst_proxyserver.moc"
