// The command-line modes' event dispatcher, installed for the whole test as `qwen-bridge`
// installs it: timers, socket notifiers, posted events from other threads, GLib's main
// context, and the keychain (libsecret answers through GLib) on top of it.

#include "credentials/keychainstore.h"
#include "testwait.h"
#include "util/epolleventdispatcher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>
#include <QTimer>
#include <QUuid>

#include <glib.h>

#include <atomic>
#include <memory>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace {

EpollEventDispatcher *dispatcher()
{
    return qobject_cast<EpollEventDispatcher *>(QCoreApplication::eventDispatcher());
}

// A connected pair of local sockets, closed at the end of the test.
struct SocketPair
{
    int fd[2] = {-1, -1};
    SocketPair() { socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fd); }
    ~SocketPair()
    {
        for (int f : fd) {
            if (f >= 0)
                ::close(f);
        }
    }
    void send(const char *text) const { QCOMPARE_GE(::write(fd[1], text, strlen(text)), 1); }
    QByteArray drain() const
    {
        char buf[256];
        QByteArray all;
        ssize_t n;
        while ((n = ::read(fd[0], buf, sizeof buf)) > 0)
            all.append(buf, n);
        return all;
    }
};

// Processes whatever is ready now without waiting, a few times over.
void spin()
{
    for (int i = 0; i < 5; ++i)
        QCoreApplication::processEvents();
}

// Runs loop until something quits it; a guard timer ends it after guardMs so that a broken
// wake-up fails the test instead of hanging it. True if the loop ended before the guard.
bool execGuarded(QEventLoop &loop, int guardMs = 60000)
{
    bool timedOut = false;
    QTimer guard;
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, &loop, [&] {
        timedOut = true;
        loop.quit();
    });
    guard.start(guardMs);
    loop.exec();
    return !timedOut;
}

// A write notifier on fd fires, once switched on (a socket with room is writable at once).
bool becomesWritable(int fd)
{
    int writable = 0;
    QSocketNotifier writer(fd, QSocketNotifier::Write);
    QObject::connect(&writer, &QSocketNotifier::activated, &writer, [&] {
        ++writable;
        writer.setEnabled(false);
    });
    return waitFor([&] { return writable == 1; });
}

class Recorder : public QObject
{
public:
    QList<int> fired;
    std::function<void(int)> onTimer;

protected:
    void timerEvent(QTimerEvent *event) override
    {
        fired.append(event->timerId());
        if (onTimer)
            onTimer(event->timerId());
    }
};

} // namespace

class TestEpollEventDispatcher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void installed();
    void singleShotTimersFireInDeadlineOrder();
    void timerFiresNoEarlierThanAsked();
    void repeatingTimerStopsWhenStopped();
    void timerInfo();
    void timerStoppedByAnotherHandlerDoesNotFire();
    void zeroTimerDoesNotStarveTheRest();
    void nestedLoopDoesNotReenterARunningTimer();
    void deletedObjectLosesItsTimers();
    void readNotifier();
    void disabledNotifierIsQuiet();
    void hangUpWakesTheReader();
    void regularFileIsAlwaysReady();
    void replacedSocketGetsNoStaleReadiness();
    void notifierSwitchedOnAndOffInOnePassCostsNothing();
    void acceptedConnectionIsReadInTheSamePass();
    void tcpRoundTrip();
    void postedEventFromAnotherThreadWakesTheLoop();
    void quitFromAnotherThread();
    void noWakeUpIsLostUnderManyPosts();
    void glibSourcesRun();
    void glibCallFromAnotherThreadWakesTheLoop();
    void keychainRoundTrip();
};

void TestEpollEventDispatcher::installed()
{
    QVERIFY2(dispatcher(), "the test's main() installs EpollEventDispatcher");
}

void TestEpollEventDispatcher::singleShotTimersFireInDeadlineOrder()
{
    QList<int> order;
    QTimer::singleShot(60, this, [&] { order << 60; });
    QTimer::singleShot(20, this, [&] { order << 20; });
    QTimer::singleShot(40, this, [&] { order << 40; });
    QVERIFY(waitFor([&] { return order.size() == 3; }));
    QCOMPARE(order, (QList<int>{20, 40, 60}));
}

void TestEpollEventDispatcher::timerFiresNoEarlierThanAsked()
{
    QElapsedTimer clock;
    clock.start();
    qint64 firedAfter = -1;
    QTimer::singleShot(50, Qt::PreciseTimer, this, [&] { firedAfter = clock.elapsed(); });
    QVERIFY(waitFor([&] { return firedAfter >= 0; }));
    QVERIFY2(firedAfter >= 50, qPrintable(QString::number(firedAfter)));
}

void TestEpollEventDispatcher::repeatingTimerStopsWhenStopped()
{
    QTimer timer;
    timer.setInterval(5);
    int ticks = 0;
    connect(&timer, &QTimer::timeout, this, [&] {
        if (++ticks == 5)
            timer.stop();
    });
    timer.start();
    QVERIFY(waitFor([&] { return ticks == 5; }));
    QTest::qWait(60);
    QCOMPARE(ticks, 5);
}

void TestEpollEventDispatcher::timerInfo()
{
    QObject owner;
    const int id = owner.startTimer(200);
    QVERIFY(id > 0);
    const int left = dispatcher()->remainingTime(id);
    QVERIFY2(left > 0 && left <= 200, qPrintable(QString::number(left)));
    const auto timers = dispatcher()->registeredTimers(&owner);
    QCOMPARE(timers.size(), 1);
    QCOMPARE(timers.first().timerId, id);
    QCOMPARE(timers.first().interval, 200);
    owner.killTimer(id);
    QCOMPARE(dispatcher()->remainingTime(id), -1);
    QVERIFY(dispatcher()->registeredTimers(&owner).isEmpty());
}

void TestEpollEventDispatcher::timerStoppedByAnotherHandlerDoesNotFire()
{
    // Both are due in the same pass; whichever fires first stops both.
    Recorder recorder;
    const int a = recorder.startTimer(10);
    const int b = recorder.startTimer(10);
    recorder.onTimer = [&](int) {
        recorder.killTimer(a);
        recorder.killTimer(b);
    };
    QTest::qSleep(20); // both overdue before the loop looks
    spin();
    QTest::qWait(50);
    QCOMPARE(recorder.fired.size(), 1);
}

void TestEpollEventDispatcher::zeroTimerDoesNotStarveTheRest()
{
    QTimer busy;
    busy.setInterval(0);
    int spins = 0;
    connect(&busy, &QTimer::timeout, this, [&] { ++spins; });
    busy.start();
    bool timerFired = false, posted = false;
    QTimer::singleShot(30, this, [&] { timerFired = true; });
    QMetaObject::invokeMethod(
        this, [&] { posted = true; }, Qt::QueuedConnection);
    SocketPair pair;
    int reads = 0;
    QSocketNotifier notifier(pair.fd[0], QSocketNotifier::Read);
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        pair.drain();
        ++reads;
    });
    pair.send("x");
    QVERIFY(waitFor([&] { return timerFired && posted && reads == 1; }));
    QVERIFY(spins > 1);
}

void TestEpollEventDispatcher::nestedLoopDoesNotReenterARunningTimer()
{
    QTimer outer;
    outer.setInterval(5);
    int depth = 0, maxDepth = 0, runs = 0;
    connect(&outer, &QTimer::timeout, this, [&] {
        ++depth;
        maxDepth = qMax(maxDepth, depth);
        ++runs;
        if (runs == 1) {
            // Long enough for the repeating timer to come due several times.
            QEventLoop nested;
            QTimer::singleShot(40, &nested, &QEventLoop::quit);
            nested.exec();
        }
        --depth;
    });
    outer.start();
    QVERIFY(waitFor([&] { return runs >= 3; }));
    outer.stop();
    QCOMPARE(maxDepth, 1);
}

void TestEpollEventDispatcher::deletedObjectLosesItsTimers()
{
    auto *owner = new Recorder;
    owner->startTimer(5);
    owner->startTimer(7);
    QCOMPARE(dispatcher()->registeredTimers(owner).size(), 2);
    delete owner; // would crash on the next pass if its timers were left behind
    QTest::qWait(30);
}

void TestEpollEventDispatcher::readNotifier()
{
    SocketPair pair;
    QByteArray got;
    QSocketNotifier notifier(pair.fd[0], QSocketNotifier::Read);
    connect(&notifier, &QSocketNotifier::activated, this, [&] { got += pair.drain(); });
    const int before = dispatcher()->watchedSockets();
    pair.send("hello");
    QVERIFY(waitFor([&] { return got == "hello"; }));
    pair.send(" again");
    QVERIFY(waitFor([&] { return got == "hello again"; }));
    QCOMPARE(dispatcher()->watchedSockets(), before);
    notifier.setEnabled(false);
    QCOMPARE(dispatcher()->watchedSockets(), before - 1);
}

void TestEpollEventDispatcher::disabledNotifierIsQuiet()
{
    SocketPair pair;
    int activations = 0;
    QSocketNotifier notifier(pair.fd[0], QSocketNotifier::Read);
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        ++activations;
        pair.drain();
    });
    notifier.setEnabled(false);
    pair.send("waiting");
    QTest::qWait(30);
    QCOMPARE(activations, 0);
    notifier.setEnabled(true);
    QVERIFY(waitFor([&] { return activations == 1; }));
    // Write notifier on the other end: a socket with room is writable at once.
    QVERIFY(becomesWritable(pair.fd[1]));
}

void TestEpollEventDispatcher::hangUpWakesTheReader()
{
    SocketPair pair;
    bool sawEnd = false;
    QSocketNotifier notifier(pair.fd[0], QSocketNotifier::Read);
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        char c;
        if (::read(pair.fd[0], &c, 1) == 0) {
            sawEnd = true;
            notifier.setEnabled(false);
        }
    });
    ::close(pair.fd[1]);
    pair.fd[1] = -1;
    QVERIFY(waitFor([&] { return sawEnd; }));
}

void TestEpollEventDispatcher::regularFileIsAlwaysReady()
{
    // epoll refuses regular files (stdin redirected from one, say); poll() calls them
    // always ready, and a notifier on one must fire here too.
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write("from a file");
    file.flush();
    QVERIFY(file.seek(0));
    QByteArray got;
    QSocketNotifier notifier(file.handle(), QSocketNotifier::Read);
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        char buf[64];
        const ssize_t n = ::read(file.handle(), buf, sizeof buf);
        if (n > 0)
            got.append(buf, n);
        else
            notifier.setEnabled(false); // at the end: stop, or it fires every pass
    });
    QVERIFY(waitFor([&] { return !notifier.isEnabled(); }));
    QCOMPARE(got, QByteArray("from a file"));
    // Disabled, it no longer keeps the loop from sleeping: a timer still comes on time.
    bool fired = false;
    QTimer::singleShot(20, this, [&] { fired = true; });
    QVERIFY(waitFor([&] { return fired; }));
}

void TestEpollEventDispatcher::replacedSocketGetsNoStaleReadiness()
{
    // Two sockets ready in one pass. The first handler closes the second socket and puts
    // a fresh one (nothing to read) under the same number with a new notifier: the
    // readiness epoll reported for the old socket must not reach the new notifier.
    SocketPair a, b, fresh;
    auto na = std::make_unique<QSocketNotifier>(a.fd[0], QSocketNotifier::Read);
    auto nb = std::make_unique<QSocketNotifier>(b.fd[0], QSocketNotifier::Read);
    std::unique_ptr<QSocketNotifier> replacement;
    int replacementHits = 0, firstHits = 0;
    auto swapOther = [&](SocketPair &other, std::unique_ptr<QSocketNotifier> &otherNotifier) {
        ++firstHits;
        na->setEnabled(false);
        nb->setEnabled(false);
        const int number = other.fd[0];
        otherNotifier.reset();
        QCOMPARE(::dup2(fresh.fd[0], number), number); // closes the old socket
        replacement = std::make_unique<QSocketNotifier>(number, QSocketNotifier::Read);
        connect(replacement.get(), &QSocketNotifier::activated, this, [&] { ++replacementHits; });
    };
    connect(na.get(), &QSocketNotifier::activated, this, [&] { swapOther(b, nb); });
    connect(nb.get(), &QSocketNotifier::activated, this, [&] { swapOther(a, na); });
    a.send("1");
    b.send("2");
    QVERIFY(waitFor([&] { return firstHits > 0; }));
    QTest::qWait(30);
    QCOMPARE(firstHits, 1);
    QCOMPARE(replacementHits, 0);
    // The new socket is watched for real: data on it does arrive.
    fresh.send("3");
    QVERIFY(waitFor([&] { return replacementHits > 0; }));
    replacement.reset();
}

void TestEpollEventDispatcher::notifierSwitchedOnAndOffInOnePassCostsNothing()
{
    SocketPair pair;
    QSocketNotifier reader(pair.fd[0], QSocketNotifier::Read);
    spin(); // the reader is in the kernel's set now
    const quint64 before = dispatcher()->epollControlCalls();
    {
        // What QAbstractSocket does around a write that goes out at once.
        QSocketNotifier writer(pair.fd[0], QSocketNotifier::Write);
        writer.setEnabled(false);
        writer.setEnabled(true);
    }
    spin();
    QCOMPARE(dispatcher()->epollControlCalls(), before);
    // A change that lasts reaches the kernel once, and works.
    QVERIFY(becomesWritable(pair.fd[0]));
    QVERIFY(dispatcher()->epollControlCalls() > before);
}

void TestEpollEventDispatcher::acceptedConnectionIsReadInTheSamePass()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QByteArray got;
    connect(&server, &QTcpServer::newConnection, this, [&] {
        QTcpSocket *peer = server.nextPendingConnection();
        connect(peer, &QTcpSocket::readyRead, this, [&got, peer] { got += peer->readAll(); });
    });
    // A plain blocking client: connected and its request sent before the loop looks.
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server.serverPort());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QCOMPARE(::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
    QCOMPARE(::send(fd, "GET / HTTP/1.1\r\n\r\n", 18, 0), ssize_t(18));
    QTest::qSleep(20);                 // both have surely reached the server's side
    QCoreApplication::processEvents(); // one pass: accept and read
    QCOMPARE(got, QByteArray("GET / HTTP/1.1\r\n\r\n"));
    ::close(fd);
}

void TestEpollEventDispatcher::tcpRoundTrip()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QTcpSocket *peer = nullptr;
    connect(&server, &QTcpServer::newConnection, this, [&] {
        peer = server.nextPendingConnection();
        connect(peer, &QTcpSocket::readyRead, peer, [peer] { peer->write(peer->readAll()); });
    });
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QVERIFY(client.waitForConnected(10000) || client.state() == QTcpSocket::ConnectedState);
    // Several MB: both ends fill their buffers and wait for write notifications.
    QByteArray payload(8 * 1024 * 1024, 'q');
    for (int i = 0; i < payload.size(); i += 4096)
        payload[i] = char('a' + (i / 4096) % 26);
    QByteArray echoed;
    connect(&client, &QTcpSocket::readyRead, this, [&] { echoed += client.readAll(); });
    client.write(payload);
    QVERIFY(waitFor([&] { return echoed.size() >= payload.size(); }));
    QVERIFY(echoed == payload);
    client.disconnectFromHost();
    QVERIFY(waitFor([&] { return peer && peer->state() == QTcpSocket::UnconnectedState; }));
}

void TestEpollEventDispatcher::postedEventFromAnotherThreadWakesTheLoop()
{
    // No timer and no socket: only the posted event can end the wait.
    QEventLoop loop;
    bool ran = false;
    std::thread poster([&] {
        QThread::msleep(30);
        QMetaObject::invokeMethod(
            &loop,
            [&] {
                ran = true;
                loop.quit();
            },
            Qt::QueuedConnection);
    });
    // Not only that it ran: the guard's own pass would deliver it too.
    QVERIFY2(execGuarded(loop), "the posted event did not wake the loop");
    poster.join();
    QVERIFY(ran);
}

void TestEpollEventDispatcher::quitFromAnotherThread()
{
    QEventLoop loop;
    std::thread quitter([&] {
        QThread::msleep(30);
        loop.quit(); // thread-safe: wakes the dispatcher
    });
    const bool quitInTime = execGuarded(loop);
    quitter.join();
    QVERIFY(quitInTime);
}

void TestEpollEventDispatcher::noWakeUpIsLostUnderManyPosts()
{
    // Two threads post in bursts while the loop drains its wake-up: a wake-up that lands
    // between the loop's read and its reset must not leave the loop asleep for good. No
    // timer runs here, so only the wake-ups can bring each burst in.
    constexpr int PerThread = 4000;
    std::atomic<int> delivered{0};
    QEventLoop loop;
    auto poster = [&] {
        for (int i = 0; i < PerThread; ++i) {
            QMetaObject::invokeMethod(
                &loop,
                [&] {
                    if (++delivered == 2 * PerThread)
                        loop.quit();
                },
                Qt::QueuedConnection);
            if (i % 50 == 0)
                std::this_thread::yield();
        }
    };
    std::thread a(poster), b(poster);
    const bool allInTime = execGuarded(loop, 20000);
    a.join();
    b.join();
    QVERIFY2(allInTime, qPrintable(QStringLiteral("%1 of %2 delivered before the guard")
                                       .arg(delivered.load())
                                       .arg(2 * PerThread)));
}

void TestEpollEventDispatcher::glibSourcesRun()
{
    static int idles = 0, timeouts = 0;
    idles = timeouts = 0;
    g_idle_add(
        [](gpointer) -> gboolean {
            ++idles;
            return G_SOURCE_REMOVE;
        },
        nullptr);
    g_timeout_add(
        20,
        [](gpointer) -> gboolean {
            ++timeouts;
            return timeouts < 3 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
        },
        nullptr);
    QVERIFY(waitFor([&] { return idles == 1 && timeouts == 3; }));
    QTest::qWait(50);
    QCOMPARE(timeouts, 3);
}

void TestEpollEventDispatcher::glibCallFromAnotherThreadWakesTheLoop()
{
    // How GDBus (and so libsecret) hands an answer to this thread.
    static std::atomic<bool> ran{false};
    static std::atomic<QThread *> ranOn{nullptr};
    static QEventLoop *loop = nullptr;
    ran = false;
    ranOn = nullptr;
    QEventLoop waiting;
    loop = &waiting;
    std::thread caller([] {
        g_usleep(30000);
        g_main_context_invoke(
            g_main_context_default(),
            [](gpointer) -> gboolean {
                ranOn = QThread::currentThread();
                ran = true;
                loop->quit();
                return G_SOURCE_REMOVE;
            },
            nullptr);
    });
    // Not only that it ran: the guard's own pass would run it too.
    const bool wokenInTime = execGuarded(waiting);
    caller.join();
    loop = nullptr;
    QVERIFY2(wokenInTime, "the call from another thread did not wake the loop");
    QVERIFY(ran);
    // In this thread, where libsecret's callbacks expect to run, never in the caller's.
    QCOMPARE(ranOn.load(), QThread::currentThread());
}

void TestEpollEventDispatcher::keychainRoundTrip()
{
    // The real Secret Service that scripts/test starts on a private bus.
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
             "run inside scripts/test's session: gnome-keyring on a private bus");
    KeychainStore store(QStringLiteral("qwen-bridge-test-dispatcher"));
    const QString key = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QByteArray secret = QUuid::createUuid().toByteArray();
    bool wrote = false, read = false, removed = false;
    KeychainResult result;
    store.write(key, secret, [&](const KeychainResult &r) {
        result = r;
        wrote = true;
    });
    QVERIFY(waitFor([&] { return wrote; }));
    QVERIFY2(result.ok(), qPrintable(result.message));
    store.read(key, [&](const KeychainResult &r) {
        result = r;
        read = true;
    });
    QVERIFY(waitFor([&] { return read; }));
    QVERIFY2(result.ok(), qPrintable(result.message));
    QVERIFY(result.data == secret);
    store.remove(key, [&](const KeychainResult &r) {
        result = r;
        removed = true;
    });
    QVERIFY(waitFor([&] { return removed; }));
    QVERIFY2(result.ok(), qPrintable(result.message));
}

int main(int argc, char **argv)
{
    // As app/main.cpp does for the command-line modes: before the application exists.
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    TestEpollEventDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolleventdispatcher.moc"
