// UpstreamWarmer: after a sign-in, a wake from sleep (the wall clock jumped past the
// monotonic one) or a network change, the pool's warm connection is opened or renewed,
// and only while someone has used the upstream lately. The clock is a fake; nothing is
// timed.
#include "http/httpclient.h"
#include "proxy/upstreamwarmer.h"
#include "session/clock.h"
#include "util/minuteticker.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

namespace {

constexpr int WaitMs = 30000;

class FakeClock : public Clock
{
public:
    QDateTime now = QDateTime(QDate(2026, 3, 1), QTime(9, 0), Qt::UTC);
    QDateTime nowUtc() const override { return now; }
};

// Accepts connections and answers every request with a tiny 200.
class Server : public QObject
{
public:
    Server()
    {
        connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                ++m_connections;
                m_sockets << s;
                connect(s, &QTcpSocket::readyRead, s, [s] {
                    if (s->readAll().contains("\r\n\r\n"))
                        s->write("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx");
                });
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    QUrl url() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/v1/chat").arg(m_server.serverPort()));
    }
    int connections() const { return m_connections; }
    QList<QTcpSocket *> sockets() const { return m_sockets; }

private:
    QTcpServer m_server;
    int m_connections = 0;
    QList<QTcpSocket *> m_sockets;
};

void request(HttpClient &client, const QUrl &url)
{
    HttpClientRequest r;
    r.url = url;
    std::unique_ptr<HttpClientReply> reply(client.send(r));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), WaitMs);
}

} // namespace

class TestUpstreamWarmer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keepsWarmForHalfAnHour();
    void signInWarmsTheFallbackOrigin();
    void signInWarmsTheOriginLastUsed();
    void clockJumpRenewsTheConnection();
    void noJumpNoRenewal();
    void nothingToRenewWhenUnused();
    void networkChangeRenews();
    void minuteTickChecksTheClock();
};

void TestUpstreamWarmer::keepsWarmForHalfAnHour()
{
    HttpClient client;
    FakeClock clock;
    UpstreamWarmer warmer(&client, &clock);
    QCOMPARE(client.keepWarmMs(), 30 * 60 * 1000);
}

void TestUpstreamWarmer::signInWarmsTheFallbackOrigin()
{
    Server server;
    HttpClient client;
    FakeClock clock;
    UpstreamWarmer warmer(&client, &clock);
    QSignalSpy ready(&client, &HttpClient::warmConnectionReady);
    warmer.signedIn(); // no origin known: nothing
    warmer.setFallbackOrigin(server.url());
    warmer.signedIn();
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, WaitMs);
    // The first call had nowhere to connect to; the second opened the one connection.
    QCOMPARE(server.connections(), 1);
    QVERIFY(client.isKeepingWarm());
}

void TestUpstreamWarmer::signInWarmsTheOriginLastUsed()
{
    Server used, fallback;
    HttpClient client;
    FakeClock clock;
    UpstreamWarmer warmer(&client, &clock);
    warmer.setFallbackOrigin(fallback.url());
    request(client, used.url());
    client.closeIdleConnections();
    QSignalSpy ready(&client, &HttpClient::warmConnectionReady);
    warmer.signedIn();
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, WaitMs);
    QCOMPARE(used.connections(), 2);
    QCOMPARE(fallback.connections(), 0);
}

void TestUpstreamWarmer::clockJumpRenewsTheConnection()
{
    Server server;
    HttpClient client;
    FakeClock clock;
    UpstreamWarmer warmer(&client, &clock);
    request(client, server.url());
    QCOMPARE(server.connections(), 1);
    clock.now = clock.now.addSecs(8 * 3600); // a night asleep: monotonic time stood still
    QSignalSpy ready(&client, &HttpClient::warmConnectionReady);
    warmer.checkClock();
    QCOMPARE(warmer.renewals(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, WaitMs);
    QCOMPARE(server.connections(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(server.sockets().first()->state(), QAbstractSocket::UnconnectedState,
                              WaitMs);
    QCOMPARE(client.idleConnectionCount(), 1);
}

void TestUpstreamWarmer::noJumpNoRenewal()
{
    Server server;
    HttpClient client;
    FakeClock clock;
    UpstreamWarmer warmer(&client, &clock);
    request(client, server.url());
    warmer.checkClock();
    QCOMPARE(warmer.renewals(), 0);
    QCOMPARE(server.connections(), 1);
}

void TestUpstreamWarmer::nothingToRenewWhenUnused()
{
    Server server;
    HttpClient client;
    FakeClock clock;
    UpstreamWarmer warmer(&client, &clock);
    clock.now = clock.now.addSecs(3600);
    warmer.checkClock();
    warmer.networkChanged();
    QCOMPARE(warmer.renewals(), 0);
    QCOMPARE(server.connections(), 0);
}

void TestUpstreamWarmer::networkChangeRenews()
{
    Server server;
    HttpClient client;
    FakeClock clock;
    UpstreamWarmer warmer(&client, &clock);
    request(client, server.url());
    QSignalSpy ready(&client, &HttpClient::warmConnectionReady);
    warmer.networkChanged();
    QCOMPARE(warmer.renewals(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, WaitMs);
    QCOMPARE(server.connections(), 2);
}

void TestUpstreamWarmer::minuteTickChecksTheClock()
{
    Server server;
    HttpClient client;
    FakeClock clock;
    UpstreamWarmer warmer(&client, &clock);
    request(client, server.url());
    clock.now = clock.now.addSecs(3600);
    MinuteTicker::instance()->setIntervalMs(10);
    QTRY_COMPARE_WITH_TIMEOUT(warmer.renewals(), 1, WaitMs);
    MinuteTicker::instance()->setIntervalMs(60 * 1000);
}

QTEST_GUILESS_MAIN(TestUpstreamWarmer)
#include "tst_upstreamwarmer.moc"
