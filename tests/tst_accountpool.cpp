// AccountPool with two credentials on two fake plans, through the real proxy: a Coding Plan
// key (the default credential, first) and a pay-as-you-go key ("payg"). Failover happens
// before an answer starts and never shows the client the first failure; states and order
// survive a restart; removing a credential while it serves breaks nothing.
#include "bridge/bridgeservice.h"
#include "credentials/accountstore.h"
#include "credentials/credentialstore.h"
#include "fakeqwenservice.h"
#include "proxy/localkey.h"
#include "proxy/proxyserver.h"
#include "proxy/upstreamcontext.h"
#include "session/accountpool.h"
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

#include <algorithm>
#include <memory>
#include <vector>

namespace {

constexpr int WaitMs = 60000; // generous for a busy machine; never reached when passing
const QString kCodingKey = QStringLiteral("sk-sp-coding-key");
const QString kPaygKey = QStringLiteral("sk-payg-key");

// A raw client of the proxy, one request per connection.
class Client
{
public:
    Client(quint16 port, const QByteArray &key, bool stream,
           const QString &model = QStringLiteral("coder-model"))
    {
        const QByteArray body =
            QJsonDocument(QJsonObject{{QStringLiteral("model"), model},
                                      {QStringLiteral("stream"), stream},
                                      {QStringLiteral("messages"),
                                       QJsonArray{QJsonObject{
                                           {QStringLiteral("role"), QStringLiteral("user")},
                                           {QStringLiteral("content"), QStringLiteral("Hi")}}}}})
                .toJson(QJsonDocument::Compact);
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" +
                       QByteArray::number(port) + "\r\nAuthorization: Bearer " + key +
                       "\r\nUser-Agent: opencode/1.0\r\nConnection: close\r\n"
                       "Content-Type: application/json\r\nContent-Length: " +
                       QByteArray::number(body.size()) + "\r\n\r\n" + body);
    }
    QByteArray received()
    {
        m_data += m_socket.readAll();
        return m_data;
    }
    bool done()
    {
        received();
        return m_socket.state() == QAbstractSocket::UnconnectedState;
    }
    int status() { return received().mid(9, 3).toInt(); }
    bool hasHeaders() { return received().contains("\r\n\r\n"); }

private:
    QTcpSocket m_socket;
    QByteArray m_data;
};

int countOf(const QByteArray &haystack, const QByteArray &needle)
{
    int n = 0;
    for (qsizetype at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1))
        ++n;
    return n;
}

} // namespace

class TestAccountPool : public QObject
{
    Q_OBJECT

    TestHome m_home;
    FakeQwenService m_coding; // Coding Plan, the default credential
    FakeQwenService m_payg;   // pay-as-you-go, "payg"
    std::unique_ptr<BridgeService> m_bridge;
    quint16 m_port = 0;
    QByteArray m_key;

    AccountPool *pool() const { return m_bridge->accounts(); }
    void startBridge();
    void store(const QString &name, const Credentials &c);
    AccountStore::Listing listing();
    void resetStates();
    QByteArray ask(bool stream, const QString &model = QStringLiteral("coder-model"),
                   int *status = nullptr);
    AccountInfo info(const QString &name) const;

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void fillFirstUsesTheFirst();
    void windowUsedUpMovesTheRequestToTheSecond();
    void rateLimitCoolsForRetryAfter();
    void twoServerErrorsInARowMoveOn();
    void oneServerErrorStaysOnTheFirst();
    void everyCredentialUsedUpNamesTheEarliestReset();
    void aModelOnlyOneCredentialHasGoesThere();
    void roundRobinTakesTurns();
    void sixtyFourStreamsWhileTheFirstRunsOut();
    void orderAndStatesSurviveARestart();
    void removingACredentialWhileItServes();
};

void TestAccountPool::initTestCase()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
             "No D-Bus session: run the tests through ./scripts/test, which starts "
             "gnome-keyring on a private bus");
    QVERIFY(m_home.isValid());
    QVERIFY(m_coding.start(0));
    QVERIFY(m_payg.start(0));
    m_coding.setPlan(FakePlan::CodingPlan);
    m_coding.setApiKeys({kCodingKey});
    m_coding.setCodingAgents({QStringLiteral("opencode/")});
    m_payg.setPlan(FakePlan::PayAsYouGo);
    m_payg.setApiKeys({kPaygKey});
    m_port = freeLoopbackPort();
    qputenv("QWEN_BRIDGE_PORT", QByteArray::number(m_port));
    qunsetenv("QWEN_BRIDGE_ROUTING");

    Credentials coding;
    coding.method = AuthMethod::ApiKey;
    coding.apiKey = kCodingKey;
    coding.preset = QStringLiteral("coding-plan-global");
    coding.baseUrl = m_coding.apiBaseUrl();
    {
        // As a single sign-in of an earlier version left it: the default entry, no index.
        Settings settings;
        CredentialStore def(settings);
        bool saved = false;
        def.save(coding, [&](const KeychainResult &r) { saved = r.ok(); });
        QTRY_VERIFY(saved);
    }
    QCOMPARE(listing().index.names(), QStringList{QStringLiteral("default")});
    Credentials payg;
    payg.method = AuthMethod::ApiKey;
    payg.apiKey = kPaygKey;
    payg.preset = QStringLiteral("payg-singapore");
    payg.baseUrl = m_payg.apiBaseUrl();
    store(QStringLiteral("payg"), payg);
    QCOMPARE(listing().index.names(),
             (QStringList{QStringLiteral("default"), QStringLiteral("payg")}));
    startBridge();
}

void TestAccountPool::startBridge()
{
    m_bridge = std::make_unique<BridgeService>();
    QSignalSpy started(m_bridge.get(), &BridgeService::proxyStarted);
    m_bridge->start();
    QTRY_VERIFY_WITH_TIMEOUT(!started.isEmpty(), WaitMs);
    m_key = m_bridge->localKey()->value().toLatin1();
    QTRY_COMPARE_WITH_TIMEOUT(pool()->size(), 2, WaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(pool()->session(QStringLiteral("payg")) &&
                                 pool()->session(QStringLiteral("payg"))->state() ==
                                     SessionState::SignedIn &&
                                 m_bridge->session()->state() == SessionState::SignedIn,
                             WaitMs);
}

void TestAccountPool::cleanupTestCase()
{
    m_bridge.reset();
    QTRY_COMPARE(KeychainStore::jobsInFlight(), 0);
}

void TestAccountPool::init()
{
    m_coding.reset();
    m_payg.reset();
    qunsetenv("QWEN_BRIDGE_ROUTING");
    resetStates();
}

void TestAccountPool::store(const QString &name, const Credentials &c)
{
    Settings settings;
    AccountStore accounts(settings);
    std::optional<AccountStore::Result> result;
    accounts.put(name, c, [&](const AccountStore::Result &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY2(result->ok(), qPrintable(result->message()));
}

AccountStore::Listing TestAccountPool::listing()
{
    Settings settings;
    AccountStore accounts(settings);
    std::optional<AccountStore::Listing> listing;
    accounts.list([&](const AccountStore::Listing &l) { listing = l; });
    if (!QTest::qWaitFor([&] { return listing.has_value(); }, WaitMs))
        return {};
    return *listing;
}

// Each case starts with both credentials usable, the default first, and nothing served yet.
void TestAccountPool::resetStates()
{
    if (!m_bridge)
        return;
    for (const QString &name : {QStringLiteral("default"), QStringLiteral("payg")})
        pool()->reportSuccess(name);
    // Serving the default again, as fill first does from the start.
    pool()->reportSuccess(QStringLiteral("default"));
}

QByteArray TestAccountPool::ask(bool stream, const QString &model, int *status)
{
    Client c(m_port, m_key, stream, model);
    if (!QTest::qWaitFor([&] { return c.done(); }, WaitMs))
        return {};
    if (status)
        *status = c.status();
    return c.received();
}

AccountInfo TestAccountPool::info(const QString &name) const
{
    const QList<AccountInfo> list = pool()->accounts();
    for (const AccountInfo &i : list) {
        if (i.name == name)
            return i;
    }
    return {};
}

void TestAccountPool::fillFirstUsesTheFirst()
{
    for (int i = 0; i < 3; ++i) {
        int status = 0;
        ask(i % 2 == 0, QStringLiteral("coder-model"), &status);
        QCOMPARE(status, 200);
    }
    QCOMPARE(m_coding.counters().chatRequests, 3);
    QCOMPARE(m_payg.counters().chatRequests, 0);
    QCOMPARE(pool()->servingName(), QStringLiteral("default"));
    QVERIFY(info(QStringLiteral("default")).serving);
    QCOMPARE(info(QStringLiteral("payg")).stateName(), QStringLiteral("usable"));
}

void TestAccountPool::windowUsedUpMovesTheRequestToTheSecond()
{
    QSignalSpy switched(m_bridge.get(), &BridgeService::accountSwitched);
    QSignalSpy quota(m_bridge.get(), &BridgeService::quotaExhausted);
    m_coding.failNextChats(FakeChatFault::HourQuota, 100);
    for (bool stream : {true, false}) {
        int status = 0;
        const QByteArray answer = ask(stream, QStringLiteral("coder-model"), &status);
        // The client never sees the first credential's 429.
        QCOMPARE(status, 200);
        QVERIFY2(answer.contains("Hello from the fake Qwen service.") ||
                     answer.contains("data: [DONE]"),
                 answer.constData());
        QVERIFY(!answer.contains("quota"));
    }
    // The first request tried the Coding Plan once; the second went straight to payg.
    QCOMPARE(m_coding.counters().chatRequests, 1);
    QCOMPARE(m_payg.counters().chatRequests, 2);
    QCOMPARE(m_payg.lastChatRequest().bearerToken, kPaygKey.toLatin1());
    // payg's own model for the alias (its plan's coder model), not the Coding Plan's rules.
    QCOMPARE(m_payg.lastChatRequest().model(), QStringLiteral("qwen3-coder-plus"));

    const AccountInfo def = info(QStringLiteral("default"));
    QCOMPARE(def.stateName(), QStringLiteral("exhausted"));
    QVERIFY(def.until > QDateTime::currentDateTimeUtc());
    QVERIFY(def.reason.contains(QLatin1String("hour allocated quota exceeded")));
    QVERIFY(!def.serving);
    const AccountInfo payg = info(QStringLiteral("payg"));
    QCOMPARE(payg.stateName(), QStringLiteral("usable"));
    QVERIFY(payg.serving);
    // One notice for the switch, and none of an exhausted quota: requests go on.
    QCOMPARE(switched.size(), 1);
    QCOMPARE(switched.first().at(0).toString(), QStringLiteral("default"));
    QCOMPARE(switched.first().at(1).toString(), QStringLiteral("payg"));
    QCOMPARE(quota.size(), 0);

    // The usage meter knows which credential served each request.
    UsageStore *usage = m_bridge->usage();
    usage->flush();
    const QDateTime from = QDateTime::currentDateTime().addSecs(-600);
    const QList<ModelUsage> byCredential = usage->byCredential(from, from.addSecs(3600));
    auto served = [&](const QString &name) {
        for (const ModelUsage &u : byCredential) {
            if (u.model == name)
                return u.totals.succeeded;
        }
        return qint64(0);
    };
    QVERIFY(served(QStringLiteral("payg")) >= 2);

    // The control channel's status names the serving credential.
    QCOMPARE(pool()->servingName(), QStringLiteral("payg"));
}

void TestAccountPool::rateLimitCoolsForRetryAfter()
{
    m_coding.failNextChats(FakeChatFault::RateLimited, 1, 7);
    const QDateTime before = QDateTime::currentDateTimeUtc();
    int status = 0;
    ask(true, QStringLiteral("coder-model"), &status);
    QCOMPARE(status, 200);
    QCOMPARE(m_coding.counters().chatRequests, 1);
    QCOMPARE(m_payg.counters().chatRequests, 1);
    const AccountInfo def = info(QStringLiteral("default"));
    QCOMPARE(def.stateName(), QStringLiteral("cooling"));
    // For as long as Retry-After said (7 s), give or take the request's own time.
    QVERIFY(def.until >= before.addSecs(6));
    QVERIFY(def.until <= QDateTime::currentDateTimeUtc().addSecs(8));
    // While it cools, requests go to payg without trying the first.
    ask(false, QStringLiteral("coder-model"), &status);
    QCOMPARE(status, 200);
    QCOMPARE(m_coding.counters().chatRequests, 1);
    QCOMPARE(m_payg.counters().chatRequests, 2);
}

void TestAccountPool::twoServerErrorsInARowMoveOn()
{
    m_bridge->proxy()->upstream()->setRetryDelayMs(10);
    m_coding.failNextChats(FakeChatFault::ServerError, 2, 503);
    int status = 0;
    const QByteArray answer = ask(true, QStringLiteral("coder-model"), &status);
    QCOMPARE(status, 200);
    QVERIFY(answer.contains("data: [DONE]"));
    QCOMPARE(m_coding.counters().chatRequests, 2);
    QCOMPARE(m_payg.counters().chatRequests, 1);
    QCOMPARE(info(QStringLiteral("default")).stateName(), QStringLiteral("cooling"));
}

void TestAccountPool::oneServerErrorStaysOnTheFirst()
{
    m_bridge->proxy()->upstream()->setRetryDelayMs(10);
    m_coding.failNextChats(FakeChatFault::ServerError, 1, 502);
    int status = 0;
    ask(true, QStringLiteral("coder-model"), &status);
    QCOMPARE(status, 200);
    QCOMPARE(m_coding.counters().chatRequests, 2); // the failure, then the answer
    QCOMPARE(m_payg.counters().chatRequests, 0);
    QCOMPARE(info(QStringLiteral("default")).stateName(), QStringLiteral("usable"));
}

void TestAccountPool::everyCredentialUsedUpNamesTheEarliestReset()
{
    m_coding.failNextChats(FakeChatFault::WeekQuota, 100);
    m_payg.failNextChats(FakeChatFault::QuotaExceeded, 100);
    QSignalSpy quota(m_bridge.get(), &BridgeService::quotaExhausted);
    int status = 0;
    const QByteArray answer = ask(false, QStringLiteral("coder-model"), &status);
    QCOMPARE(status, 429);
    QVERIFY2(answer.contains("all_credentials_exhausted"), answer.constData());
    QVERIFY(answer.contains("Retry-After: "));
    QCOMPARE(info(QStringLiteral("default")).stateName(), QStringLiteral("exhausted"));
    QCOMPARE(info(QStringLiteral("payg")).stateName(), QStringLiteral("exhausted"));
    // payg's reset is unknown (a guess of minutes), the week's is days away: payg is first.
    const QString message = QJsonDocument::fromJson(answer.mid(answer.indexOf("\r\n\r\n") + 4))
                                .object()
                                .value(QLatin1String("error"))
                                .toObject()
                                .value(QLatin1String("message"))
                                .toString();
    QVERIFY2(message.contains(QLatin1String("\"payg\"")), qPrintable(message));
    QTRY_VERIFY(!quota.isEmpty());

    // While both rest, a request tries the one that comes back first, once.
    const int codingBefore = m_coding.counters().chatRequests;
    const int paygBefore = m_payg.counters().chatRequests;
    ask(false, QStringLiteral("coder-model"), &status);
    QCOMPARE(status, 429);
    QCOMPARE(m_coding.counters().chatRequests, codingBefore);
    QCOMPARE(m_payg.counters().chatRequests, paygBefore + 1);
}

void TestAccountPool::aModelOnlyOneCredentialHasGoesThere()
{
    // MiniMax-M2.5 is on the Coding Plan only, qwen3-max on pay-as-you-go only.
    int status = 0;
    ask(false, QStringLiteral("qwen3-max"), &status);
    QCOMPARE(status, 200);
    QCOMPARE(m_payg.counters().chatRequests, 1);
    QCOMPARE(m_coding.counters().chatRequests, 0);
    ask(false, QStringLiteral("MiniMax-M2.5"), &status);
    QCOMPARE(status, 200);
    QCOMPARE(m_coding.counters().chatRequests, 1);
    QCOMPARE(m_coding.lastChatRequest().model(), QStringLiteral("MiniMax-M2.5"));
}

void TestAccountPool::roundRobinTakesTurns()
{
    qputenv("QWEN_BRIDGE_ROUTING", "round_robin");
    QSignalSpy switched(m_bridge.get(), &BridgeService::accountSwitched);
    for (int i = 0; i < 6; ++i) {
        int status = 0;
        ask(false, QStringLiteral("coder-model"), &status);
        QCOMPARE(status, 200);
    }
    QCOMPARE(m_coding.counters().chatRequests, 3);
    QCOMPARE(m_payg.counters().chatRequests, 3);
    QCOMPARE(switched.size(), 0); // taking turns is no news
}

void TestAccountPool::sixtyFourStreamsWhileTheFirstRunsOut()
{
    constexpr int Streams = 64;
    m_coding.setStreamEventCount(20);
    m_coding.setStreamEventDelayMs(5);
    m_payg.setStreamEventCount(20);
    m_payg.setStreamEventDelayMs(5);
    std::vector<std::unique_ptr<Client>> clients;
    // Half start on the Coding Plan; then its window runs out while they stream, and the
    // other half arrive.
    for (int i = 0; i < Streams / 2; ++i)
        clients.push_back(std::make_unique<Client>(m_port, m_key, true));
    QTRY_COMPARE_WITH_TIMEOUT(m_coding.counters().chatRequests, Streams / 2, WaitMs);
    m_coding.failNextChats(FakeChatFault::HourQuota, 1000);
    for (int i = 0; i < Streams / 2; ++i)
        clients.push_back(std::make_unique<Client>(m_port, m_key, true));
    QVERIFY(waitFor([&] {
        return std::all_of(clients.begin(), clients.end(), [](const auto &c) { return c->done(); });
    }));
    // Every stream whole, exactly once: one 200, one [DONE], no error event.
    for (auto &c : clients) {
        const QByteArray got = c->received();
        QCOMPARE(c->status(), 200);
        QCOMPARE(countOf(got, "data: [DONE]"), 1);
        QCOMPARE(countOf(got, "HTTP/1.1 "), 1);
        QVERIFY(!got.contains("\"error\""));
    }
    QCOMPARE(m_coding.counters().streamsCompleted + m_payg.counters().streamsCompleted, Streams);
    QCOMPARE(m_coding.counters().streamsCompleted, Streams / 2);
    QCOMPARE(m_payg.counters().streamsCompleted, Streams / 2);
    QTRY_COMPARE_WITH_TIMEOUT(m_bridge->proxy()->upstream()->activeCount(), 0, WaitMs);
}

void TestAccountPool::orderAndStatesSurviveARestart()
{
    m_coding.failNextChats(FakeChatFault::WeekQuota, 100);
    int status = 0;
    ask(false, QStringLiteral("coder-model"), &status);
    QCOMPARE(status, 200);
    const AccountInfo before = info(QStringLiteral("default"));
    QCOMPARE(before.stateName(), QStringLiteral("exhausted"));
    // The order as `accounts order payg default` would leave it.
    {
        Settings settings;
        AccountStore accounts(settings);
        std::optional<AccountStore::Result> result;
        accounts.reorder({QStringLiteral("payg")},
                         [&](const AccountStore::Result &r) { result = r; });
        QTRY_VERIFY(result.has_value());
        QVERIFY(result->ok());
    }
    // The states reach the keychain off the request path: wait for them there.
    QTRY_VERIFY_WITH_TIMEOUT(
        listing().index.entries.value(1).route == AccountIndex::Route::Exhausted, WaitMs);

    m_bridge.reset();
    QTRY_COMPARE(KeychainStore::jobsInFlight(), 0);
    startBridge();
    QTRY_COMPARE_WITH_TIMEOUT(pool()->accounts().first().name, QStringLiteral("payg"), WaitMs);
    const AccountInfo after = info(QStringLiteral("default"));
    QCOMPARE(after.position, 2);
    QCOMPARE(after.stateName(), QStringLiteral("exhausted"));
    QCOMPARE(after.until.toSecsSinceEpoch(), before.until.toSecsSinceEpoch());
    QCOMPARE(after.reason, before.reason);
    m_coding.reset();
    ask(false, QStringLiteral("coder-model"), &status);
    QCOMPARE(status, 200);
    QCOMPARE(m_coding.counters().chatRequests, 0);

    // Back to the order the other cases expect.
    Settings settings;
    AccountStore accounts(settings);
    std::optional<AccountStore::Result> result;
    accounts.use(QStringLiteral("default"), [&](const AccountStore::Result &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    m_bridge->reloadAccounts();
    QTRY_COMPARE_WITH_TIMEOUT(pool()->accounts().first().name, QStringLiteral("default"), WaitMs);
    QTRY_VERIFY(m_bridge->session()->state() == SessionState::SignedIn);
}

void TestAccountPool::removingACredentialWhileItServes()
{
    // payg serves a stream that holds its events.
    m_coding.failNextChats(FakeChatFault::HourQuota, 1);
    m_payg.setStreamsPaused(true);
    Client streaming(m_port, m_key, true);
    QTRY_COMPARE_WITH_TIMEOUT(m_payg.counters().activeStreams, 1, WaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(streaming.hasHeaders(), WaitMs);

    {
        Settings settings;
        AccountStore accounts(settings);
        std::optional<AccountStore::Result> result;
        accounts.remove(QStringLiteral("payg"), [&](const AccountStore::Result &r) { result = r; });
        QTRY_VERIFY(result.has_value());
        QVERIFY(result->ok());
    }
    m_bridge->reloadAccounts();
    QTRY_COMPARE_WITH_TIMEOUT(pool()->size(), 1, WaitMs);
    // The stream under way finishes whole.
    m_payg.setStreamsPaused(false);
    QTRY_VERIFY_WITH_TIMEOUT(streaming.done(), WaitMs);
    QCOMPARE(streaming.status(), 200);
    QCOMPARE(countOf(streaming.received(), "data: [DONE]"), 1);
    // The next request has only the default credential left (its window used up: tried,
    // and its own answer comes back).
    int status = 0;
    const int paygBefore = m_payg.counters().chatRequests;
    ask(false, QStringLiteral("coder-model"), &status);
    QCOMPARE(status, 200);
    QCOMPARE(m_payg.counters().chatRequests, paygBefore);
    QVERIFY(listing().index.names() == QStringList{QStringLiteral("default")});
    // The secret went with it.
    Settings settings;
    CredentialStore gone(settings, AccountIndex::keyFor(QStringLiteral("payg")));
    std::optional<CredentialStore::LoadResult> read;
    gone.load([&](const CredentialStore::LoadResult &r) { read = r; });
    QTRY_VERIFY(read.has_value());
    QCOMPARE(read->keychain.error, KeychainError::NotFound);

    // Put it back for any case that runs after.
    Credentials payg;
    payg.method = AuthMethod::ApiKey;
    payg.apiKey = kPaygKey;
    payg.preset = QStringLiteral("payg-singapore");
    payg.baseUrl = m_payg.apiBaseUrl();
    store(QStringLiteral("payg"), payg);
    m_bridge->reloadAccounts();
    QTRY_COMPARE_WITH_TIMEOUT(pool()->size(), 2, WaitMs);
}

QTEST_GUILESS_MAIN(TestAccountPool)
#include "tst_accountpool.moc"
