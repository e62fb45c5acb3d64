// UpstreamWarmer: after a sign-in, a wake from sleep (the process's WallClockWatch says
// the wall clock jumped) or a network change, the pool's warm connection is opened or
// renewed, and only while someone has used the upstream lately. Nothing is timed.
#include "http/httpclient.h"
#include "proxy/upstreamwarmer.h"
#include "util/wallclockwatch.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

namespace {

constexpr int WaitMs = 30000;

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
    void nothingToRenewWhenUnused();
    void networkChangeRenews();
};

void TestUpstreamWarmer::keepsWarmForHalfAnHour()
{
    HttpClient client;
    UpstreamWarmer warmer(&client);
    QCOMPARE(client.keepWarmMs(), 30 * 60 * 1000);
}

void TestUpstreamWarmer::signInWarmsTheFallbackOrigin()
{
    Server server;
    HttpClient client;
    UpstreamWarmer warmer(&client);
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
    UpstreamWarmer warmer(&client);
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
    UpstreamWarmer warmer(&client);
    request(client, server.url());
    QCOMPARE(server.connections(), 1);
    QSignalSpy ready(&client, &HttpClient::warmConnectionReady);
    // A night asleep: the process's watch says so.
    Q_EMIT WallClockWatch::instance()->jumped();
    QCOMPARE(warmer.renewals(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, WaitMs);
    QCOMPARE(server.connections(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(server.sockets().first()->state(), QAbstractSocket::UnconnectedState,
                              WaitMs);
    QCOMPARE(client.idleConnectionCount(), 1);
}

void TestUpstreamWarmer::nothingToRenewWhenUnused()
{
    Server server;
    HttpClient client;
    UpstreamWarmer warmer(&client);
    Q_EMIT WallClockWatch::instance()->jumped();
    warmer.networkChanged();
    QCOMPARE(warmer.renewals(), 0);
    QCOMPARE(server.connections(), 0);
}

void TestUpstreamWarmer::networkChangeRenews()
{
    Server server;
    HttpClient client;
    UpstreamWarmer warmer(&client);
    request(client, server.url());
    QSignalSpy ready(&client, &HttpClient::warmConnectionReady);
    warmer.networkChanged();
    QCOMPARE(warmer.renewals(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, WaitMs);
    QCOMPARE(server.connections(), 2);
}

QTEST_GUILESS_MAIN(TestUpstreamWarmer)
#include "tst_upstreamwarmer.moc"
