// bench_rttrelay: a TCP relay that makes a loopback server look far away. Every connection
// pays one round trip before anything passes (the TCP handshake to a distant server), then
// every chunk waits half a round trip in each direction. Bytes pass unchanged, so a TLS
// handshake through it costs its real number of round trips. For bench/run's warm-upstream
// measure, where `tc netem` is not available (no sch_netem, or no network namespace).
//
//   bench_rttrelay --listen PORT --to PORT --rtt-ms 50
//
// Prints "listening on PORT" once ready.

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <cstdio>
#include <deque>

namespace {

QElapsedTimer g_clock;

// One direction of a connection: chunks wait until their time, then go out in order.
class Lane : public QObject
{
public:
    Lane(QTcpSocket *to, QObject *parent)
        : QObject(parent)
        , m_to(to)
    {
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, &Lane::deliver);
    }

    void push(qint64 dueMs, QByteArray bytes)
    {
        m_queue.push_back({dueMs, std::move(bytes)});
        if (!m_timer.isActive())
            arm();
    }

    bool idle() const { return m_queue.empty(); }

private:
    struct Chunk
    {
        qint64 dueMs;
        QByteArray bytes;
    };

    void arm()
    {
        if (m_queue.empty())
            return;
        m_timer.start(int(qMax<qint64>(0, m_queue.front().dueMs - g_clock.elapsed())));
    }

    void deliver()
    {
        const qint64 now = g_clock.elapsed();
        while (!m_queue.empty() && m_queue.front().dueMs <= now) {
            m_to->write(m_queue.front().bytes);
            m_queue.pop_front();
        }
        m_to->flush();
        arm();
    }

    QTcpSocket *m_to;
    std::deque<Chunk> m_queue;
    QTimer m_timer;
};

class Pair : public QObject
{
public:
    Pair(QTcpSocket *client, quint16 upstreamPort, int rttMs, QObject *parent)
        : QObject(parent)
        , m_client(client)
        , m_upstream(new QTcpSocket(this))
        , m_rttMs(rttMs)
        , m_openAtMs(g_clock.elapsed() + rttMs)
    {
        client->setParent(this);
        client->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_toUpstream = new Lane(m_upstream, this);
        m_toClient = new Lane(client, this);
        connect(client, &QTcpSocket::readyRead, this, [this] {
            m_toUpstream->push(qMax(m_openAtMs, g_clock.elapsed() + m_rttMs / 2),
                               m_client->readAll());
        });
        connect(m_upstream, &QTcpSocket::readyRead, this, [this] {
            m_toClient->push(g_clock.elapsed() + m_rttMs / 2, m_upstream->readAll());
        });
        connect(m_upstream, &QTcpSocket::connected, this,
                [this] { m_upstream->setSocketOption(QAbstractSocket::LowDelayOption, 1); });
        // Either end closing closes both, after what is in flight has had its delay.
        connect(client, &QTcpSocket::disconnected, this, [this] { closeLater(); });
        connect(m_upstream, &QTcpSocket::disconnected, this, [this] { closeLater(); });
        connect(client, &QTcpSocket::errorOccurred, this, [this] { closeLater(); });
        connect(m_upstream, &QTcpSocket::errorOccurred, this, [this] { closeLater(); });
        m_upstream->connectToHost(QHostAddress::LocalHost, upstreamPort);
    }

private:
    void closeLater()
    {
        if (m_closing)
            return;
        m_closing = true;
        QTimer::singleShot(m_rttMs, this, [this] {
            m_client->disconnectFromHost();
            m_upstream->disconnectFromHost();
            deleteLater();
        });
    }

    QTcpSocket *m_client;
    QTcpSocket *m_upstream;
    Lane *m_toUpstream = nullptr;
    Lane *m_toClient = nullptr;
    int m_rttMs;
    qint64 m_openAtMs;
    bool m_closing = false;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Relays 127.0.0.1:LISTEN to 127.0.0.1:TO with a round-trip time added."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("listen"), QStringLiteral("Port to listen on (0: any)."),
         QStringLiteral("PORT"), QStringLiteral("0")},
        {QStringLiteral("to"), QStringLiteral("Port to relay to."), QStringLiteral("PORT")},
        {QStringLiteral("rtt-ms"), QStringLiteral("Round-trip time to add."), QStringLiteral("MS"),
         QStringLiteral("50")},
    });
    parser.process(app);
    g_clock.start();
    const int rtt = qBound(0, parser.value(QStringLiteral("rtt-ms")).toInt(), 10000);
    const quint16 to = quint16(parser.value(QStringLiteral("to")).toUInt());
    QTcpServer server;
    if (to == 0 || !server.listen(QHostAddress::LocalHost,
                                  quint16(parser.value(QStringLiteral("listen")).toUInt()))) {
        std::fprintf(stderr, "bench_rttrelay: cannot listen, or no --to\n");
        return 2;
    }
    QObject::connect(&server, &QTcpServer::pendingConnectionAvailable, &server, [&] {
        while (QTcpSocket *s = server.nextPendingConnection())
            new Pair(s, to, rtt, &server);
    });
    std::printf("listening on %u\n", unsigned(server.serverPort()));
    std::fflush(stdout);
    return app.exec();
}
