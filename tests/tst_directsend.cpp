// sendDirect(): bytes straight to a plain socket's descriptor, only when Qt has nothing
// queued, and no more than the kernel takes.

#include "http/directsend.h"
#include "testwait.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

class TestDirectSend : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void sendsWhenNothingIsQueued();
    void leavesEverythingToQtWhenBytesAreQueued();
    void stopsWhenTheKernelIsFull();
    void unconnectedSocketSendsNothing();

private:
    QTcpServer m_server;
    std::unique_ptr<QTcpSocket> m_client;
    QTcpSocket *m_peer = nullptr;
    QByteArray m_received;
};

void TestDirectSend::init()
{
    QVERIFY(m_server.listen(QHostAddress::LocalHost));
    m_client = std::make_unique<QTcpSocket>();
    m_client->connectToHost(QHostAddress::LocalHost, m_server.serverPort());
    QVERIFY(waitFor([&] { return m_server.hasPendingConnections(); }));
    m_peer = m_server.nextPendingConnection();
    QVERIFY(waitFor([&] { return m_client->state() == QAbstractSocket::ConnectedState; }));
    m_received.clear();
}

void TestDirectSend::cleanup()
{
    m_client.reset();
    delete m_peer;
    m_peer = nullptr;
    m_server.close();
}

void TestDirectSend::sendsWhenNothingIsQueued()
{
    QCOMPARE(sendDirect(m_client.get(), "hello"), qsizetype(5));
    QCOMPARE(m_client->bytesToWrite(), qint64(0)); // nothing went through Qt's buffer
    QVERIFY(waitFor([&] {
        m_received += m_peer->readAll();
        return m_received == "hello";
    }));
}

void TestDirectSend::leavesEverythingToQtWhenBytesAreQueued()
{
    m_client->write("first "); // queued until the event loop turns
    QCOMPARE(m_client->bytesToWrite(), qint64(6));
    QCOMPARE(sendDirect(m_client.get(), "second"), qsizetype(0));
    m_client->write("second");
    QVERIFY(waitFor([&] {
        m_received += m_peer->readAll();
        return m_received.size() >= 12;
    }));
    QCOMPARE(m_received, QByteArray("first second"));
}

void TestDirectSend::stopsWhenTheKernelIsFull()
{
    // The peer reads nothing: the kernel takes its buffers' worth and no more, at once.
    const QByteArray big(64 * 1024 * 1024, 'x');
    const qsizetype sent = sendDirect(m_client.get(), big);
    QVERIFY(sent > 0);
    QVERIFY2(sent < big.size(), qPrintable(QString::number(sent)));
    m_client->write(big.constData() + sent, big.size() - sent);
    qint64 total = 0;
    QVERIFY(waitFor([&] {
        total += m_peer->readAll().size();
        return total == big.size();
    }));
}

void TestDirectSend::unconnectedSocketSendsNothing()
{
    QTcpSocket unconnected;
    QCOMPARE(sendDirect(&unconnected, "nobody"), qsizetype(0));
}

QTEST_GUILESS_MAIN(TestDirectSend)
#include "tst_directsend.moc"
