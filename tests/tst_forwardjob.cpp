// ForwardJob when clients go away at the worst moment: while the upstream delivers a whole
// stream in one read, a write to the client that has gone ends the job inside its own relay
// loop.
#include "bridge/bridgeservice.h"
#include "fakeqwenservice.h"
#include "http/httpclient.h"
#include "oauth/deviceauthorization.h"
#include "proxy/localkey.h"
#include "proxy/proxyserver.h"
#include "proxy/upstreamcontext.h"
#include "session/sessionmanager.h"
#include "settings/settings.h"
#include "testhome.h"
#include "testtokens.h"
#include "testwait.h"
#include "usage/usagestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <sys/socket.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

namespace {

constexpr int WaitMs = 60000; // generous for a busy machine; never reached when passing
constexpr int Clients = 32;
constexpr int Rounds = 8;
constexpr int BurstEvents = 300;

QByteArray chatBody(bool stream)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("model"), QStringLiteral("coder-model")},
                                     {QStringLiteral("stream"), stream},
                                     {QStringLiteral("messages"),
                                      QJsonArray{QJsonObject{
                                          {QStringLiteral("role"), QStringLiteral("user")},
                                          {QStringLiteral("content"), QStringLiteral("Hi")}}}}})
        .toJson(QJsonDocument::Compact);
}

// A raw client of the proxy that can leave rudely.
class Client
{
public:
    Client(quint16 port, const QByteArray &key, const QByteArray &pipelined = {})
    {
        const QByteArray body = chatBody(true);
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" +
                       QByteArray::number(port) + "\r\nAuthorization: Bearer " + key +
                       "\r\nContent-Type: application/json\r\nContent-Length: " +
                       QByteArray::number(body.size()) + "\r\n\r\n" + body + pipelined);
    }

    QByteArray received()
    {
        m_data += m_socket.readAll();
        return m_data;
    }
    bool hasHeaders() { return received().contains("\r\n\r\n"); }

    // Closes with a TCP reset: SO_LINGER with a zero timeout drops the connection at once.
    void reset()
    {
        const qintptr fd = m_socket.socketDescriptor();
        if (fd != -1) {
            linger l{1, 0};
            ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &l, sizeof l);
        }
        m_socket.abort();
    }
    void close() { m_socket.abort(); }

private:
    QTcpSocket m_socket;
    QByteArray m_data;
};

// A well-formed second request the proxy will only read after the first is answered. Its
// size fills the connection's read buffer, so the proxy stops watching the socket for
// input and learns that the client left only when it writes: the exact order of events
// that crashed the relay (a client reset noticed inside a write).
QByteArray bigPipelinedRequest(quint16 port)
{
    const QByteArray body(768 * 1024, 'x');
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
           "\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

} // namespace

class TestForwardJob : public QObject
{
    Q_OBJECT

    TestHome m_home;
    FakeQwenService m_fake;
    std::unique_ptr<BridgeService> m_bridge;
    quint16 m_port = 0;
    QByteArray m_key;

    UpstreamContext *upstream() const { return m_bridge->proxy()->upstream(); }
    void signIn();
    void proxyStillAnswers();

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void clientsResetWhileUpstreamBursts();
    void clientsCloseWhileUpstreamBursts();
    void clientsLeaveInTheMiddleOfAnEvent();
    void recordsEachChatRequestForTheUsageMeter();
    void recordsNothingWithTheMeterOff();
};

void TestForwardJob::initTestCase()
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

void TestForwardJob::cleanupTestCase()
{
    m_bridge.reset();
}

void TestForwardJob::init()
{
    m_fake.setStreamBurst(false);
    m_fake.setStreamEventDelayMs(0);
    m_fake.setStreamEventCount(5);
}

void TestForwardJob::signIn()
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

// After the storm: no job, no upstream stream left open, and a whole answer still comes.
void TestForwardJob::proxyStillAnswers()
{
    QTRY_COMPARE_WITH_TIMEOUT(upstream()->activeCount(), 0, WaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_fake.counters().activeStreams, 0, WaitMs);
    m_fake.setStreamBurst(false);
    m_fake.setStreamEventDelayMs(0);
    Client client(m_bridge->proxy()->port(), m_key);
    QVERIFY(waitFor([&] { return client.received().endsWith("\r\n0\r\n\r\n"); }));
    QVERIFY(client.received().startsWith("HTTP/1.1 200 "));
    QVERIFY(client.received().contains("data: [DONE]"));
}

void TestForwardJob::clientsResetWhileUpstreamBursts()
{
    m_fake.setStreamEventCount(BurstEvents);
    m_fake.setStreamBurst(true);
    // The burst leaves the upstream a moment after the headers, once the clients are gone.
    m_fake.setStreamEventDelayMs(50);
    const quint16 port = m_bridge->proxy()->port();
    const int completedBefore = m_fake.counters().streamsCompleted;
    for (int round = 0; round < Rounds; ++round) {
        std::vector<std::unique_ptr<Client>> clients;
        for (int i = 0; i < Clients; ++i)
            clients.push_back(std::make_unique<Client>(port, m_key, bigPipelinedRequest(port)));
        QVERIFY(waitFor([&] {
            return std::all_of(clients.begin(), clients.end(),
                               [](const auto &c) { return c->hasHeaders(); });
        }));
        for (auto &c : clients)
            c->reset();
        QTRY_COMPARE_WITH_TIMEOUT(upstream()->activeCount(), 0, WaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(m_fake.counters().activeStreams, 0, WaitMs);
    }
    // The upstream did send every burst: the writes that found the clients gone happened.
    QCOMPARE(m_fake.counters().streamsCompleted - completedBefore, Clients * Rounds);
    proxyStillAnswers();
}

void TestForwardJob::clientsCloseWhileUpstreamBursts()
{
    m_fake.setStreamEventCount(BurstEvents);
    m_fake.setStreamBurst(true);
    m_fake.setStreamEventDelayMs(50);
    const quint16 port = m_bridge->proxy()->port();
    for (int round = 0; round < Rounds; ++round) {
        std::vector<std::unique_ptr<Client>> clients;
        for (int i = 0; i < Clients; ++i)
            clients.push_back(std::make_unique<Client>(port, m_key, bigPipelinedRequest(port)));
        QVERIFY(waitFor([&] {
            return std::all_of(clients.begin(), clients.end(),
                               [](const auto &c) { return c->hasHeaders(); });
        }));
        for (auto &c : clients)
            c->close();
        QTRY_COMPARE_WITH_TIMEOUT(upstream()->activeCount(), 0, WaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(m_fake.counters().activeStreams, 0, WaitMs);
    }
    proxyStillAnswers();
}

// A person cancelling an answer: the client reads part of the stream and leaves while an
// event is only half read, with the rest of the stream still coming.
void TestForwardJob::clientsLeaveInTheMiddleOfAnEvent()
{
    m_fake.setStreamEventCount(BurstEvents);
    m_fake.setStreamEventDelayMs(1);
    const quint16 port = m_bridge->proxy()->port();
    for (int round = 0; round < Rounds; ++round) {
        std::vector<std::unique_ptr<Client>> clients;
        for (int i = 0; i < Clients; ++i)
            clients.push_back(std::make_unique<Client>(port, m_key));
        // Each has a few events; it stops reading halfway into the next and resets (the
        // unread bytes make the close a reset), or closes, every other one.
        QVERIFY(waitFor([&] {
            return std::all_of(clients.begin(), clients.end(),
                               [](const auto &c) { return c->received().count("data: {") >= 3; });
        }));
        for (int i = 0; i < Clients; ++i) {
            if (i % 2)
                clients[i]->reset();
            else
                clients[i]->close();
        }
        QTRY_COMPARE_WITH_TIMEOUT(upstream()->activeCount(), 0, WaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(m_fake.counters().activeStreams, 0, WaitMs);
    }
    proxyStillAnswers();
}

// One row per chat request with the upstream's token counts, for a stream (from its last
// chunk) and for a plain answer (from its body); never the content.
void TestForwardJob::recordsEachChatRequestForTheUsageMeter()
{
    UsageStore *store = m_bridge->usage();
    QVERIFY(store);
    store->flush();
    const QDateTime from = QDateTime::currentDateTime().addSecs(-1);
    const UsageTotals before = store->totals(from, from.addSecs(3600));
    const int requestsBefore = m_fake.chatRequests().size();
    const quint16 port = m_bridge->proxy()->port();

    Client stream(port, m_key);
    QVERIFY(waitFor([&] { return stream.received().endsWith("\r\n0\r\n\r\n"); }));
    // The client did not ask for usage: the proxy did, and kept the answer to itself.
    QVERIFY(m_fake.lastChatRequest()
                .json.value(QLatin1String("stream_options"))
                .toObject()
                .value(QLatin1String("include_usage"))
                .toBool());
    QVERIFY(stream.received().contains("data: [DONE]"));
    QVERIFY2(!stream.received().contains("\"usage\":{"), stream.received().constData());
    QTcpSocket plain;
    const QByteArray body = chatBody(false);
    plain.connectToHost(QHostAddress::LocalHost, port);
    plain.write(
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
        "\r\nAuthorization: Bearer " + m_key +
        "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
        "\r\n\r\n" + body);
    QByteArray answer;
    QVERIFY(waitFor([&] {
        answer += plain.readAll();
        return answer.contains("\"usage\"");
    }));
    QTRY_COMPARE_WITH_TIMEOUT(upstream()->activeCount(), 0, WaitMs);

    // What the fake reported for each of the two requests it received.
    qint64 prompt = 0;
    qint64 completion = 0;
    const QList<FakeChatRequest> requests = m_fake.chatRequests().mid(requestsBefore);
    QCOMPARE(requests.size(), 2);
    for (const FakeChatRequest &r : requests) {
        prompt += std::max(1, int(r.body.size() / 4));
        completion += std::max(1, int(m_fake.replyText().size() / 4));
    }
    store->flush();
    const UsageTotals after = store->totals(from, from.addSecs(3600));
    QCOMPARE(after.requests - before.requests, 2);
    QCOMPARE(after.succeeded - before.succeeded, 2);
    QCOMPARE(after.promptTokens - before.promptTokens, prompt);
    QCOMPARE(after.completionTokens - before.completionTokens, completion);
    const QList<ModelUsage> models = store->byModel(from, from.addSecs(3600));
    QVERIFY(!models.isEmpty());
    QCOMPARE(models.first().model, QStringLiteral("coder-model"));
}

// Off in Settings, the meter counts nothing new; the request is served as before. The same
// request with the meter on again is counted, so the first one could have been.
void TestForwardJob::recordsNothingWithTheMeterOff()
{
    UsageStore *store = m_bridge->usage();
    QVERIFY(store);
    const quint16 port = m_bridge->proxy()->port();
    auto countAfterOneStream = [&]() -> qint64 {
        const QDateTime from = QDateTime::currentDateTime().addSecs(-1);
        store->flush();
        const qint64 before = store->totals(from, from.addSecs(3600)).requests;
        Client stream(port, m_key);
        if (!waitFor([&] { return stream.received().endsWith("\r\n0\r\n\r\n"); }))
            return -1;
        if (!stream.received().contains("data: [DONE]"))
            return -1;
        if (!waitFor([&] { return upstream()->activeCount() == 0; }))
            return -1;
        store->flush();
        return store->totals(from, from.addSecs(3600)).requests - before;
    };
    {
        Settings settings;
        settings.setUsageRecording(false);
    }
    const qint64 whileOff = countAfterOneStream();
    {
        Settings settings;
        settings.setUsageRecording(true);
    }
    QCOMPARE(whileOff, qint64(0));
    QCOMPARE(countAfterOneStream(), qint64(1));
}

QTEST_GUILESS_MAIN(TestForwardJob)

#include "tst_forwardjob.moc"
