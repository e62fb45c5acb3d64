// UpstreamContext against the real proxy: 64 streams to one plain-HTTP upstream all flow
// at once (no six-per-host queue), and their connections are kept alive and reused.
#include "bridge/bridgeservice.h"
#include "fakeqwenservice.h"
#include "http/httpclient.h"
#include "oauth/deviceauthorization.h"
#include "proxy/localkey.h"
#include "proxy/proxyserver.h"
#include "proxy/upstreamcontext.h"
#include "session/sessionmanager.h"
#include "testhome.h"
#include "testtokens.h"
#include "testwait.h"
#include "usage/usagestore.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace {

constexpr int WaitMs = 60000; // generous for a busy machine; never reached when passing
constexpr int Streams = 64;

// A raw client of the proxy: QNetworkAccessManager on this side would queue its own
// requests past six, which is exactly what must not be measured.
class StreamClient
{
public:
    StreamClient(quint16 port, const QByteArray &key, bool stream)
    {
        const QByteArray body =
            QJsonDocument(QJsonObject{{QStringLiteral("model"), QStringLiteral("coder-model")},
                                      {QStringLiteral("stream"), stream},
                                      {QStringLiteral("messages"),
                                       QJsonArray{QJsonObject{
                                           {QStringLiteral("role"), QStringLiteral("user")},
                                           {QStringLiteral("content"), QStringLiteral("Hi")}}}}})
                .toJson(QJsonDocument::Compact);
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" +
                       QByteArray::number(port) + "\r\nAuthorization: Bearer " + key +
                       "\r\nContent-Type: application/json\r\nContent-Length: " +
                       QByteArray::number(body.size()) + "\r\n\r\n" + body);
    }

    QByteArray received()
    {
        m_data += m_socket.readAll();
        return m_data;
    }
    bool hasHeaders() { return received().contains("\r\n\r\n"); }
    bool isOk() { return received().startsWith("HTTP/1.1 200 "); }
    bool streamEnded() { return received().endsWith("\r\n0\r\n\r\n"); }
    void close() { m_socket.abort(); }

private:
    QTcpSocket m_socket;
    QByteArray m_data;
};

} // namespace

class TestUpstreamContext : public QObject
{
    Q_OBJECT

    TestHome m_home;
    FakeQwenService m_fake;
    std::unique_ptr<BridgeService> m_bridge;
    quint16 m_port = 0;
    QByteArray m_key;

    UpstreamContext *upstream() const { return m_bridge->proxy()->upstream(); }
    void signIn();

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void sixtyFourStreamsFlowAtOnce();
    void sixtyFourPlainRequestsInFlightAtOnce();
    void qwenModeIsLookedUpAgainWithinASecond();
};

void TestUpstreamContext::initTestCase()
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
    qunsetenv("ENABLE_PLUGIN_REQUEST_LOGGING");

    m_bridge = std::make_unique<BridgeService>();
    QSignalSpy started(m_bridge.get(), &BridgeService::proxyStarted);
    QSignalSpy failed(m_bridge.get(), &BridgeService::proxyFailed);
    QSignalSpy keyFailed(m_bridge.get(), &BridgeService::localKeyFailed);
    m_bridge->start();
    QTRY_VERIFY_WITH_TIMEOUT(started.size() + failed.size() + keyFailed.size() > 0, WaitMs);
    QVERIFY2(failed.isEmpty(), qPrintable(m_bridge->proxyError()));
    QVERIFY(keyFailed.isEmpty());
    m_key = m_bridge->localKey()->value().toLatin1();
    QTRY_COMPARE_WITH_TIMEOUT(m_bridge->session()->state(), SessionState::SignedOut, WaitMs);
    signIn();
}

void TestUpstreamContext::cleanupTestCase()
{
    m_bridge.reset();
}

void TestUpstreamContext::signIn()
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
    auto done = std::make_shared<std::optional<bool>>();
    m_bridge->completeSignIn(**tokens, [done](const ServiceError &e) { *done = e.ok(); });
    QTRY_VERIFY_WITH_TIMEOUT(done->has_value(), WaitMs);
    QVERIFY(**done);
}

// --- through the proxy --------------------------------------------------------------------------

void TestUpstreamContext::sixtyFourStreamsFlowAtOnce()
{
    m_fake.reset();
    signIn();
    m_fake.setStreamEventCount(5);
    // Every stream sends its headers, then holds its events until released.
    m_fake.setStreamsPaused(true);
    std::vector<std::unique_ptr<StreamClient>> clients;
    for (int i = 0; i < Streams; ++i)
        clients.push_back(std::make_unique<StreamClient>(m_bridge->proxy()->port(), m_key, true));

    // All 64 are open at the upstream at the same time: none waits in a queue.
    QTRY_COMPARE_WITH_TIMEOUT(m_fake.counters().activeStreams, Streams, WaitMs);
    QCOMPARE(m_fake.counters().maxActiveStreams, Streams);
    QCOMPARE(m_fake.counters().chatRequests, Streams);
    QCOMPARE(upstream()->activeCount(), Streams);
    // And each client already has its 200 and the start of its stream.
    QVERIFY(waitFor([&] {
        return std::all_of(clients.begin(), clients.end(),
                           [](const auto &c) { return c->hasHeaders(); });
    }));
    for (auto &c : clients) {
        QVERIFY(c->isOk());
        QVERIFY(!c->streamEnded());
    }

    UsageStore *usage = m_bridge->usage();
    usage->flush();
    const QDateTime from = QDateTime::currentDateTime().addSecs(-600);
    const UsageTotals before = usage->totals(from, from.addSecs(3600));
    m_fake.setStreamsPaused(false);
    QVERIFY(waitFor([&] {
        return std::all_of(clients.begin(), clients.end(),
                           [](const auto &c) { return c->streamEnded(); });
    }));
    for (auto &c : clients)
        QVERIFY(c->received().contains("data: [DONE]"));
    QCOMPARE(m_fake.counters().streamsCompleted, Streams);
    QTRY_COMPARE_WITH_TIMEOUT(upstream()->activeCount(), 0, WaitMs);
    // The usage meter has a row for each of the 64, with the tokens the upstream reported.
    usage->flush();
    const UsageTotals after = usage->totals(from, from.addSecs(3600));
    QCOMPARE(after.requests - before.requests, Streams);
    QCOMPARE(after.succeeded - before.succeeded, Streams);
    QVERIFY(after.completionTokens - before.completionTokens >= Streams);

    // Each connection went back to the keep-alive pool, and a second wave reuses them all.
    HttpClient *client = upstream()->client();
    QTRY_COMPARE_WITH_TIMEOUT(client->idleConnectionCount(), Streams, WaitMs);
    const quint64 opened = client->connectionsOpened();
    QVERIFY(opened >= quint64(Streams));
    m_fake.setStreamsPaused(true);
    clients.clear();
    for (int i = 0; i < Streams; ++i)
        clients.push_back(std::make_unique<StreamClient>(m_bridge->proxy()->port(), m_key, true));
    QTRY_COMPARE_WITH_TIMEOUT(m_fake.counters().activeStreams, Streams, WaitMs);
    QCOMPARE(client->connectionsOpened(), opened);
    QCOMPARE(client->idleConnectionCount(), 0);
    m_fake.setStreamsPaused(false);
    QVERIFY(waitFor([&] {
        return std::all_of(clients.begin(), clients.end(),
                           [](const auto &c) { return c->streamEnded(); });
    }));
    QTRY_COMPARE_WITH_TIMEOUT(upstream()->activeCount(), 0, WaitMs);
}

void TestUpstreamContext::sixtyFourPlainRequestsInFlightAtOnce()
{
    m_fake.reset();
    signIn();
    // Upstream reads each request and never answers: every one holds its connection.
    m_fake.failNextChats(FakeChatFault::StallBeforeHeaders, Streams);
    std::vector<std::unique_ptr<StreamClient>> clients;
    for (int i = 0; i < Streams; ++i)
        clients.push_back(std::make_unique<StreamClient>(m_bridge->proxy()->port(), m_key, false));
    QTRY_COMPARE_WITH_TIMEOUT(m_fake.counters().chatRequests, Streams, WaitMs);
    QCOMPARE(upstream()->activeCount(), Streams);
    const int trims = upstream()->memoryTrims();
    // The clients give up; every upstream request is dropped with them.
    for (auto &c : clients)
        c->close();
    QTRY_COMPARE_WITH_TIMEOUT(upstream()->activeCount(), 0, WaitMs);
    // Once quiet, the proxy hands the memory those requests used back to the system.
    QTRY_COMPARE_WITH_TIMEOUT(upstream()->memoryTrims(), trims + 1, WaitMs);
}

void TestUpstreamContext::qwenModeIsLookedUpAgainWithinASecond()
{
    // Read once for a burst of requests, not once each; a change still shows within a
    // second (the environment variable stands for any of its three sources here).
    UpstreamContext *upstream = m_bridge->proxy()->upstream();
    qputenv("QWEN_MODE", "0");
    QTRY_VERIFY_WITH_TIMEOUT(!upstream->qwenModeEnabled(), WaitMs);
    qputenv("QWEN_MODE", "1");
    QTRY_VERIFY_WITH_TIMEOUT(upstream->qwenModeEnabled(), WaitMs);
    qputenv("QWEN_MODE", "0");
    QTRY_VERIFY_WITH_TIMEOUT(!upstream->qwenModeEnabled(), WaitMs);
    qunsetenv("QWEN_MODE");
}

QTEST_GUILESS_MAIN(TestUpstreamContext)
#include "tst_upstreamcontext.moc"
