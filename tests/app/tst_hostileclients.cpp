#include "fakeqwenservice.h"
#include "testhome.h"
#include "testprocess.h"
#include "testtokens.h"

#include "credentials/credentialstore.h"
#include "proxy/localkey.h"
#include "settings/settings.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

// Hostile and broken clients against the real `qwen-bridge serve`: each gets a 4xx or a
// closed connection, and the proxy goes on serving everyone else.
class TestHostileClients : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestHome> m_home;
    std::unique_ptr<FakeQwenService> m_fake;
    std::unique_ptr<TestProcess> m_serve;
    quint16 m_port = 0;
    QByteArray m_localKey;

    // Sends raw bytes, returns what came back until the server closed or went quiet.
    QByteArray exchange(const QByteArray &bytes, int quietMs = 3000)
    {
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, m_port);
        if (!s.waitForConnected(5000))
            return "NO CONNECTION";
        s.write(bytes);
        QByteArray got;
        QElapsedTimer quiet;
        quiet.start();
        while (quiet.elapsed() < quietMs && s.state() == QAbstractSocket::ConnectedState) {
            QTest::qWait(10);
            if (s.bytesAvailable()) {
                got += s.readAll();
                quiet.restart();
            }
        }
        got += s.readAll();
        return got;
    }

    QByteArray status(const QByteArray &response) { return response.left(12); }

    // The proxy still answers a well-formed request.
    bool stillServing()
    {
        const QByteArray r =
            exchange("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) +
                         "\r\nConnection: close\r\n\r\n",
                     5000);
        return r.startsWith("HTTP/1.1 200") && r.contains("\"state\"");
    }

    QByteArray host() const { return "Host: 127.0.0.1:" + QByteArray::number(m_port) + "\r\n"; }

private Q_SLOTS:
    void initTestCase()
    {
        m_home = std::make_unique<TestHome>();
        m_fake = std::make_unique<FakeQwenService>();
        QVERIFY(m_fake->start());
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        m_port = probe.serverPort();
        probe.close();
        qputenv("QWEN_BRIDGE_API_URL", m_fake->apiBaseUrl().toString().toUtf8());
        qputenv("QWEN_BRIDGE_OAUTH_URL", m_fake->baseUrl().toString().toUtf8());
        QNetworkAccessManager nam;
        const TokenSet tokens = signInThroughDeviceFlow(*m_fake, &nam);
        QVERIFY(!tokens.accessToken.isEmpty());
        Settings settings;
        CredentialStore store(settings);
        bool saved = false;
        store.save(Credentials::fromTokens(tokens),
                   [&](const KeychainResult &r) { saved = r.ok(); });
        QTRY_VERIFY(saved);
        LocalKey key(store.keychain());
        bool loaded = false;
        key.load([&](const KeychainResult &r) { loaded = r.ok(); });
        QTRY_VERIFY(loaded);
        m_localKey = key.value().toLatin1();

        QProcessEnvironment env = m_home->environment();
        env.insert(QStringLiteral("QWEN_BRIDGE_PORT"), QString::number(m_port));
        m_serve = std::make_unique<TestProcess>(env);
        m_serve->startBridge({QStringLiteral("serve")});
        QVERIFY(m_serve->waitForOutput("listening on"));
    }
    void cleanupTestCase()
    {
        m_serve.reset();
        m_fake.reset();
        m_home.reset();
    }
    void cleanup() { QVERIFY2(stillServing(), "the proxy stopped serving"); }

    void malformedRequestLines_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("no version") << QByteArray("GET /health\r\n\r\n");
        QTest::newRow("bad version") << QByteArray("GET /health HTTP/9.9\r\n\r\n");
        QTest::newRow("spaces") << QByteArray("GET  /health  HTTP/1.1\r\n\r\n");
        QTest::newRow("no method") << QByteArray(" /health HTTP/1.1\r\n\r\n");
        QTest::newRow("control chars") << QByteArray("GE\x01T /health HTTP/1.1\r\n\r\n");
        QTest::newRow("header without colon") << QByteArray("GET /health HTTP/1.1\r\nHost\r\n\r\n");
    }
    void malformedRequestLines()
    {
        QFETCH(QByteArray, bytes);
        const QByteArray r = exchange(bytes);
        QVERIFY2(r.isEmpty() || r.startsWith("HTTP/1.1 4") || r.startsWith("HTTP/1.1 5"),
                 r.constData());
        QVERIFY(!r.startsWith("HTTP/1.1 200"));
    }

    void contentLengths_data()
    {
        QTest::addColumn<QByteArray>("length");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("negative") << QByteArray("-1") << QByteArray("HTTP/1.1 400");
        QTest::newRow("garbage") << QByteArray("12abc") << QByteArray("HTTP/1.1 400");
        QTest::newRow("huge") << QByteArray("99999999999999999999999") << QByteArray("HTTP/1.1 4");
        QTest::newRow("over the limit") << QByteArray("900000000") << QByteArray("HTTP/1.1 413");
    }
    void contentLengths()
    {
        QFETCH(QByteArray, length);
        QFETCH(QByteArray, expected);
        const QByteArray r =
            exchange("POST /v1/chat/completions HTTP/1.1\r\n" + host() + "Authorization: Bearer " +
                     m_localKey + "\r\nContent-Length: " + length + "\r\n\r\n{}");
        QVERIFY2(r.startsWith(expected), r.constData());
    }

    void badChunkSizes()
    {
        for (const QByteArray &chunk :
             {QByteArray("zz\r\nabc\r\n0\r\n\r\n"), QByteArray("fffffffffffffffffff\r\nx\r\n"),
              QByteArray("-5\r\nabcde\r\n0\r\n\r\n")}) {
            const QByteArray r = exchange("POST /v1/chat/completions HTTP/1.1\r\n" + host() +
                                          "Authorization: Bearer " + m_localKey +
                                          "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk);
            QVERIFY2(r.startsWith("HTTP/1.1 4"), r.constData());
        }
    }

    void oversizedHeadersAndUrl()
    {
        QByteArray r = exchange("GET /health HTTP/1.1\r\n" + host() +
                                "X-Big: " + QByteArray(200 * 1024, 'a') + "\r\n\r\n");
        QVERIFY2(r.startsWith("HTTP/1.1 431"), r.left(200).constData());
        r = exchange("GET /" + QByteArray(100 * 1024, 'u') + " HTTP/1.1\r\n" + host() + "\r\n");
        QVERIFY2(r.startsWith("HTTP/1.1 414") || r.startsWith("HTTP/1.1 431"),
                 r.left(200).constData());
    }

    void binaryGarbage()
    {
        QByteArray junk(64 * 1024, Qt::Uninitialized);
        for (int i = 0; i < junk.size(); ++i)
            junk[i] = char((i * 7919 + 13) & 0xff);
        const QByteArray r = exchange(junk);
        QVERIFY(r.isEmpty() || r.startsWith("HTTP/1.1 4"));
    }

    // A byte at a time: others are served meanwhile, and it is cut off within the header
    // timeout (10 s) rather than holding its connection for ever.
    void slowLoris()
    {
        QTcpSocket slow;
        slow.connectToHost(QHostAddress::LocalHost, m_port);
        QVERIFY(slow.waitForConnected(5000));
        const QByteArray request =
            "GET /health HTTP/1.1\r\n" + host() + "X-Slow: " + QByteArray(400, 's');
        QElapsedTimer t;
        t.start();
        int sent = 0;
        bool othersServed = false;
        while (slow.state() == QAbstractSocket::ConnectedState && t.elapsed() < 30000) {
            if (sent < request.size())
                slow.write(request.mid(sent++, 1));
            QTest::qWait(50);
            if (!othersServed && t.elapsed() > 1000)
                othersServed = stillServing();
        }
        QVERIFY(othersServed);
        QVERIFY2(slow.state() != QAbstractSocket::ConnectedState,
                 "the slow client was never cut off");
        QVERIFY2(t.elapsed() < 20000, "cut off much later than the header timeout");
    }

    void thousandConnectionsOpenedAndDropped()
    {
        for (int round = 0; round < 10; ++round) {
            QList<QTcpSocket *> sockets;
            for (int i = 0; i < 100; ++i) {
                auto *s = new QTcpSocket(this);
                s->connectToHost(QHostAddress::LocalHost, m_port);
                sockets << s;
            }
            QTRY_VERIFY(std::all_of(sockets.cbegin(), sockets.cend(), [](QTcpSocket *s) {
                return s->state() == QAbstractSocket::ConnectedState ||
                       s->state() == QAbstractSocket::UnconnectedState;
            }));
            for (QTcpSocket *s : std::as_const(sockets)) {
                if (round % 2)
                    s->write("GET /heal");
                s->abort();
                s->deleteLater();
            }
        }
        QTest::qWait(200);
    }

    void pipelinedRequestsInOrder()
    {
        const QByteArray one = "GET /health HTTP/1.1\r\n" + host() + "\r\n";
        const QByteArray two =
            "GET /nope HTTP/1.1\r\n" + host() + "Authorization: Bearer " + m_localKey + "\r\n\r\n";
        const QByteArray three = "GET /health HTTP/1.1\r\n" + host() + "Connection: close\r\n\r\n";
        const QByteArray r = exchange(one + two + three);
        const int first = r.indexOf("HTTP/1.1 200");
        const int second = r.indexOf("HTTP/1.1 404");
        const int third = r.indexOf("HTTP/1.1 200", second);
        QVERIFY2(first == 0 && second > first && third > second, r.constData());
    }

    // The client leaves in the middle of a stream: the upstream request is aborted.
    void clientGoneMidStream()
    {
        m_fake->setStreamEventCount(200);
        m_fake->setStreamEventDelayMs(50);
        const int goneBefore = m_fake->counters().streamsClientGone;
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, m_port);
        QVERIFY(s.waitForConnected(5000));
        const QByteArray body =
            R"({"model":"coder-model","stream":true,"messages":[{"role":"user","content":"hi"}]})";
        s.write("POST /v1/chat/completions HTTP/1.1\r\n" + host() + "Authorization: Bearer " +
                m_localKey + "\r\nContent-Type: application/json\r\nContent-Length: " +
                QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QByteArray got;
        QTRY_VERIFY_WITH_TIMEOUT((got += s.readAll()).count("data: ") >= 3, 20000);
        QCOMPARE(m_fake->counters().activeStreams, 1);
        s.abort();
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->counters().activeStreams, 0, 20000);
        QCOMPARE(m_fake->counters().streamsClientGone, goneBefore + 1);
        m_fake->setStreamEventCount(5);
        m_fake->setStreamEventDelayMs(0);
    }
};

QTEST_GUILESS_MAIN(TestHostileClients)
#include "tst_hostileclients.moc"
