#include "http/httpserver.h"
#include "testwait.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

namespace {

constexpr int WaitMs = 20000; // generous: the machine may be busy; never reached when passing

struct Reply
{
    int status = 0;
    HttpHeaders headers; // lower-cased names
    QByteArray body;
    QList<QByteArray> chunks; // chunked bodies: each chunk as sent

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first == name)
                return h.second;
        }
        return {};
    }
    bool hasHeader(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first == name)
                return true;
        }
        return false;
    }
    QJsonObject error() const
    {
        return QJsonDocument::fromJson(body).object().value("error").toObject();
    }
};

// A small independent reader of HTTP/1.1 responses, so the server is not checked with
// its own code. Returns bytes used, 0 when incomplete, -1 on a malformed response.
qsizetype parseReply(const QByteArray &buf, Reply *out, bool peerClosed)
{
    const qsizetype headEnd = buf.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return 0;
    const QList<QByteArray> lines = buf.left(headEnd).split('\n');
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    if (statusLine.size() < 2 || !statusLine.at(0).startsWith("HTTP/1."))
        return -1;
    Reply r;
    r.status = statusLine.at(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return -1;
        r.headers.append({line.left(colon).toLower(), line.mid(colon + 1).trimmed()});
    }
    qsizetype pos = headEnd + 4;
    if (r.status < 200 || r.status == 204 || r.status == 304) {
        *out = r;
        return pos;
    }
    if (r.header("transfer-encoding").toLower() == "chunked") {
        while (true) {
            const qsizetype lineEnd = buf.indexOf("\r\n", pos);
            if (lineEnd < 0)
                return 0;
            bool ok = false;
            const qsizetype size =
                buf.mid(pos, lineEnd - pos).split(';').first().toLongLong(&ok, 16);
            if (!ok)
                return -1;
            pos = lineEnd + 2;
            if (size == 0) {
                if (buf.size() < pos + 2)
                    return 0;
                if (buf.mid(pos, 2) != "\r\n")
                    return -1;
                *out = r;
                return pos + 2;
            }
            if (buf.size() < pos + size + 2)
                return 0;
            r.chunks.append(buf.mid(pos, size));
            r.body += r.chunks.last();
            if (buf.mid(pos + size, 2) != "\r\n")
                return -1;
            pos += size + 2;
        }
    }
    if (r.hasHeader("content-length")) {
        const qsizetype length = r.header("content-length").toLongLong();
        if (buf.size() < pos + length)
            return 0;
        r.body = buf.mid(pos, length);
        *out = r;
        return pos + length;
    }
    if (!peerClosed)
        return 0; // delimited by close
    r.body = buf.mid(pos);
    *out = r;
    return buf.size();
}

// A test client: collects everything the server sends.
class Client : public QObject
{
public:
    explicit Client(quint16 port, qint64 readBufferSize = 0)
    {
        if (readBufferSize > 0)
            socket.setReadBufferSize(readBufferSize);
        connect(&socket, &QIODevice::readyRead, this, [this] {
            if (autoRead)
                received += socket.readAll();
        });
        connect(&socket, &QAbstractSocket::disconnected, this, [this] { closed = true; });
        connect(&socket, &QAbstractSocket::errorOccurred, this, [this] {
            received += socket.readAll();
            if (socket.state() != QAbstractSocket::ConnectedState)
                closed = true;
        });
        socket.connectToHost(QHostAddress::LocalHost, port);
    }

    bool waitConnected()
    {
        return waitFor([this] {
                   return socket.state() == QAbstractSocket::ConnectedState || closed;
               }) &&
               !closed;
    }
    void send(const QByteArray &bytes) { socket.write(bytes); }
    void readNow() { received += socket.readAll(); }

    // The next complete response, skipping interim 1xx ones unless asked for.
    bool next(Reply *reply, bool keepInterim = false)
    {
        qsizetype used = 0;
        const bool ok = waitFor([&] {
            Reply r;
            used = parseReply(received, &r, closed);
            if (used > 0 && r.status < 200 && !keepInterim) {
                received.remove(0, used);
                used = 0;
                return false;
            }
            if (used != 0)
                *reply = r;
            return used != 0 || (closed && socket.bytesAvailable() == 0);
        });
        if (!ok || used <= 0)
            return false;
        received.remove(0, used);
        return true;
    }
    bool waitClosed(int timeoutMs = WaitMs)
    {
        return waitFor([this] { return closed; }, timeoutMs);
    }

    QTcpSocket socket;
    QByteArray received;
    bool closed = false;
    bool autoRead = true;
};

QByteArray get(const QByteArray &path, const QByteArray &extra = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
}

QByteArray post(const QByteArray &path, const QByteArray &body, const QByteArray &extra = {})
{
    return "POST " + path +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\n" + extra + "\r\n" + body;
}

} // namespace

class tst_HttpServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void listenAndClose();
    void keepAliveTwoRequests();
    void connectionCloseHonoured();
    void http10();
    void pipelinedRequestsInOrder();
    void pipelinedAnsweredInsideSlot();
    void contentLengthBody();
    void largeBodyAcceptedByDefault();
    void chunkedBody();
    void bothContentLengthAndChunked();
    void badContentLength_data();
    void badContentLength();
    void oversizedHeaders();
    void hugeUrl();
    void bodyOverLimit();
    void chunkedBodyOverLimit();
    void expectContinue();
    void expectContinueTooLarge();
    void expectUnknown();
    void binaryGarbage();
    void slowLorisCutOffWhileOthersServed();
    void bodyTimeout();
    void idleTimeoutCloses();
    void longStreamNotCutByTimers();
    void maxConnections();
    void streamingChunkByChunk();
    void responseHeaders();
    void headRequestHasNoBody();
    void clientGoneWhenClientAborts();
    void lateWritesAreIgnored();
    void backpressureAndDrained();
    void noReadingWhileResponding();
    void manyConnectionsOpenedAndDropped();
    void destroyServerWithOpenConnections();
    void responseDeletedByHandler();

private:
    void startServer(const HttpServerLimits &limits = HttpServerLimits());
    std::unique_ptr<HttpServer> server;
    QList<QPointer<HttpResponse>> pending;
    QList<HttpRequest> requests;
    std::function<void(const HttpRequest &, HttpResponse *)> handler;
};

void tst_HttpServer::initTestCase()
{
    // One debug line per request drowns the output; QT_LOGGING_RULES can turn it back on.
    QLoggingCategory::setFilterRules(QStringLiteral("qwenbridge.http.debug=false"));
}

void tst_HttpServer::init()
{
    pending.clear();
    requests.clear();
    // Default: echo the path and the body.
    handler = [](const HttpRequest &req, HttpResponse *resp) {
        resp->send(200, req.path + "|" + req.body, "text/plain");
    };
}

void tst_HttpServer::cleanup()
{
    server.reset();
}

void tst_HttpServer::startServer(const HttpServerLimits &limits)
{
    server = std::make_unique<HttpServer>();
    server->setLimits(limits);
    connect(server.get(), &HttpServer::requestReceived, this,
            [this](const HttpRequest &req, HttpResponse *resp) {
                requests.append(req);
                pending.append(resp);
                if (handler)
                    handler(req, resp);
            });
    QVERIFY(server->listen(QHostAddress::LocalHost, 0));
    QVERIFY(server->serverPort() != 0);
}

void tst_HttpServer::listenAndClose()
{
    startServer();
    QVERIFY(server->isListening());
    QCOMPARE(server->serverAddress(), QHostAddress(QHostAddress::LocalHost));
    const quint16 port = server->serverPort();

    HttpServer second;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("cannot listen"));
    QVERIFY(!second.listen(QHostAddress::LocalHost, port));
    QVERIFY(!second.errorString().isEmpty());
    QCOMPARE(second.serverError(), QAbstractSocket::AddressInUseError);

    server->close();
    QVERIFY(!server->isListening());
    Client c(port);
    QVERIFY(!c.waitConnected());
}

void tst_HttpServer::keepAliveTwoRequests()
{
    startServer();
    Client c(server->serverPort());
    QVERIFY(c.waitConnected());
    c.send(get("/one"));
    Reply r;
    QVERIFY(c.next(&r));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("/one|"));
    QVERIFY(!r.hasHeader("connection"));
    c.send(post("/two", "payload"));
    QVERIFY(c.next(&r));
    QCOMPARE(r.body, QByteArray("/two|payload"));
    QVERIFY(!c.closed);
    QCOMPARE(server->connectionCount(), 1);
    QCOMPARE(requests.size(), 2);
    QCOMPARE(requests.at(0).peerAddress, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(requests.at(0).localPort, server->serverPort());
}

void tst_HttpServer::connectionCloseHonoured()
{
    startServer();
    Client c(server->serverPort());
    c.send(get("/bye", "Connection: close\r\n"));
    Reply r;
    QVERIFY(c.next(&r));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("connection"), QByteArray("close"));
    QVERIFY(c.waitClosed());
    QTRY_COMPARE_WITH_TIMEOUT(server->connectionCount(), 0, WaitMs);
}

void tst_HttpServer::http10()
{
    startServer();
    Client keep(server->serverPort());
    keep.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    Reply r;
    QVERIFY(keep.next(&r));
    QCOMPARE(r.header("connection").toLower(), QByteArray("keep-alive"));
    keep.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    QVERIFY(keep.next(&r));
    QCOMPARE(r.body, QByteArray("/b|"));
    QVERIFY(!keep.closed);

    Client once(server->serverPort());
    once.send("GET /c HTTP/1.0\r\n\r\n");
    QVERIFY(once.next(&r));
    QCOMPARE(r.header("connection"), QByteArray("close"));
    QVERIFY(once.waitClosed());

    // A stream to an HTTP/1.0 client is delimited by closing, not chunked.
    handler = [](const HttpRequest &, HttpResponse *resp) {
        resp->beginStream(200, "text/event-stream");
        resp->write("data: 1\n\n");
        resp->write("data: 2\n\n");
        resp->end();
    };
    Client stream(server->serverPort());
    stream.send("GET /s HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    QVERIFY(stream.waitClosed());
    QVERIFY(stream.next(&r));
    QVERIFY(!r.hasHeader("transfer-encoding"));
    QCOMPARE(r.body, QByteArray("data: 1\n\ndata: 2\n\n"));
}

void tst_HttpServer::pipelinedRequestsInOrder()
{
    handler = nullptr; // answered by the test, later and out of order
    startServer();
    Client c(server->serverPort());
    c.send(get("/1") + post("/2", "two") + get("/3"));
    QTRY_COMPARE_WITH_TIMEOUT(requests.size(), 1, WaitMs);
    // All three arrived together; the next one must wait for this answer.
    QCoreApplication::processEvents();
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.at(0).path, QByteArray("/1"));

    QPointer<HttpResponse> first = pending.at(0);
    first->beginStream(200, "text/plain");
    first->write("first");
    QCoreApplication::processEvents();
    QCOMPARE(requests.size(), 1); // streaming is still answering the first
    first->end();

    QTRY_COMPARE_WITH_TIMEOUT(requests.size(), 2, WaitMs);
    QCOMPARE(requests.at(1).body, QByteArray("two"));
    pending.at(1)->send(200, "second");
    QTRY_COMPARE_WITH_TIMEOUT(requests.size(), 3, WaitMs);
    QCOMPARE(requests.at(2).path, QByteArray("/3"));
    pending.at(2)->send(200, "third");

    Reply r;
    QVERIFY(c.next(&r));
    QCOMPARE(r.body, QByteArray("first"));
    QVERIFY(c.next(&r));
    QCOMPARE(r.body, QByteArray("second"));
    QVERIFY(c.next(&r));
    QCOMPARE(r.body, QByteArray("third"));
    QTRY_VERIFY_WITH_TIMEOUT(!first, WaitMs); // deleted after completion
}

void tst_HttpServer::pipelinedAnsweredInsideSlot()
{
    startServer();
    Client c(server->serverPort());
    QByteArray all;
    for (int i = 0; i < 50; ++i)
        all += post("/p" + QByteArray::number(i), QByteArray::number(i * i));
    c.send(all);
    for (int i = 0; i < 50; ++i) {
        Reply r;
        QVERIFY(c.next(&r));
        QCOMPARE(r.body, "/p" + QByteArray::number(i) + "|" + QByteArray::number(i * i));
    }
}

void tst_HttpServer::contentLengthBody()
{
    handler = [](const HttpRequest &req, HttpResponse *resp) {
        resp->send(200, req.body, "application/octet-stream");
    };
    startServer();
    QByteArray body(100 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < body.size(); ++i)
        body[i] = char((i * 7919) & 0xff);
    Client c(server->serverPort());
    c.send(post("/bin", body));
    Reply r;
    QVERIFY(c.next(&r));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body.size(), body.size());
    QVERIFY(r.body == body);
}

void tst_HttpServer::largeBodyAcceptedByDefault()
{
    handler = [](const HttpRequest &req, HttpResponse *resp) {
        resp->send(200, QCryptographicHash::hash(req.body, QCryptographicHash::Sha1).toHex());
    };
    startServer(); // default limits: OpenCode sends large contexts
    const QByteArray body(33 * 1024 * 1024, 'c');
    Client c(server->serverPort());
    c.send(post("/big", body));
    Reply r;
    QVERIFY(c.next(&r));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QCryptographicHash::hash(body, QCryptographicHash::Sha1).toHex());
}

void tst_HttpServer::chunkedBody()
{
    startServer();
    Client c(server->serverPort());
    c.send("POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
           "5;ext=1\r\nhello\r\n6;a;b=\"c\"\r\n world\r\n0\r\nX-Checksum: 42\r\nX-More: 1\r\n\r\n" +
           get("/after"));
    Reply r;
    QVERIFY(c.next(&r));
    QCOMPARE(r.body, QByteArray("/chunked|hello world"));
    QVERIFY(c.next(&r));
    QCOMPARE(r.body, QByteArray("/after|"));
}

void tst_HttpServer::bothContentLengthAndChunked()
{
    startServer();
    Client c(server->serverPort());
    c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
           "0\r\n\r\n");
    Reply r;
    QVERIFY(c.next(&r));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.header("connection"), QByteArray("close"));
    QCOMPARE(r.header("content-type"), QByteArray("application/json"));
    QCOMPARE(r.error().value("type").toString(), QStringLiteral("invalid_request_error"));
    QVERIFY(!r.error().value("message").toString().isEmpty());
    QVERIFY(!r.error().value("code").toString().isEmpty());
    QVERIFY(c.waitClosed());
    QVERIFY(requests.isEmpty());
}

void tst_HttpServer::badContentLength_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("status");
    QTest::newRow("negative") << QByteArray("-1") << 400;
    QTest::newRow("garbage") << QByteArray("abc") << 400;
    QTest::newRow("list") << QByteArray("1, 2") << 400;
    QTest::newRow("huge") << QByteArray("99999999999999999999999999999") << 413;
    QTest::newRow("over limit") << QByteArray::number(qint64(1) << 40) << 413;
}

void tst_HttpServer::badContentLength()
{
    QFETCH(QByteArray, value);
    QFETCH(int, status);
    startServer();
    Client c(server->serverPort());
    c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + value + "\r\n\r\n");
    Reply r;
    QVERIFY(c.next(&r));
    QCOMPARE(r.status, status);
    QVERIFY(c.waitClosed());
}

void tst_HttpServer::oversizedHeaders()
{
    HttpServerLimits limits;
    limits.maxHeaderBytes = 8 * 1024;
    startServer(limits);
    Client c(server->serverPort());
    QByteArray headers;
    for (int i = 0; i < 200; ++i)
        headers += "X-Filler-" + QByteArray::number(i) + ": " + QByteArray(60, 'v') + "\r\n";
    c.send(get("/", headers));
    Reply r;
    QVERIFY(c.next(&r));
    QCOMPARE(r.status, 431);
    QCOMPARE(r.error().value("type").toString(), QStringLiteral("invalid_request_error"));
    QVERIFY(c.waitClosed());
}

void tst_HttpServer::hugeUrl()
{
    startServer();
    Client c(server->serverPort());
    c.send(get("/" + QByteArray(100 * 1024, 'u')));
    Reply r;
    QVERIFY(c.next(&r));
    QVERIFY2(r.status == 414 || r.status == 431, QByteArray::number(r.status));
    QVERIFY(c.waitClosed());
}

void tst_HttpServer::bodyOverLimit()
{
    HttpServerLimits limits;
    limits.maxBodyBytes = 1024 * 1024;
    startServer(limits);
    Client c(server->serverPort());
    // The whole body is sent anyway: the answer must still reach the client (the server
    // drains instead of resetting the connection).
    c.send(post("/", QByteArray(2 * 1024 * 1024, 'b')));
    Reply r;
    QVERIFY(c.next(&r));
    QCOMPARE(r.status, 413);
    QVERIFY(c.waitClosed());
    QVERIFY(requests.isEmpty());

    Client exact(server->serverPort());
    exact.send(post("/exact", QByteArray(1024 * 1024, 'e')));
    QVERIFY(exact.next(&r));
    QCOMPARE(r.status, 200);
}

void tst_HttpServer::chunkedBodyOverLimit()
{
    HttpServerLimits limits;
    limits.maxBodyBytes = 1000;
    startServer(limits);
    Client c(server->serverPort());
    c.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 3; ++i)
        c.send("1f4\r\n" + QByteArray(500, 'z') + "\r\n");
    Reply r;
    QVERIFY(c.next(&r));
    QCOMPARE(r.status, 413);
    QVERIFY(c.waitClosed());
}

void tst_HttpServer::expectContinue()
{
    startServer();
    Client c(server->serverPort());
    c.send("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    Reply r;
    QVERIFY(c.next(&r, true));
    QCOMPARE(r.status, 100);
    QVERIFY(requests.isEmpty());
    c.send("hello");
    QVERIFY(c.next(&r));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("/e|hello"));

    // Same connection, again: the interim answer is per request.
    c.send("POST /f HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    QVERIFY(c.next(&r, true));
    QCOMPARE(r.status, 100);
    c.send("ok");
    QVERIFY(c.next(&r));
    QCOMPARE(r.body, QByteArray("/f|ok"));
}

void tst_HttpServer::expectContinueTooLarge()
{
    HttpServerLimits limits;
    limits.maxBodyBytes = 100;
    startServer(limits);
    Client c(server->serverPort());
    c.send("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 101\r\n\r\n");
    Reply r;
    QVERIFY(c.next(&r, true));
    QCOMPARE(r.status, 413); // and no 100 Continue before it
    QVERIFY(c.waitClosed());
}

void tst_HttpServer::expectUnknown()
{
    startServer();
    Client c(server->serverPort());
    c.send("POST / HTTP/1.1\r\nHost: x\r\nExpect: magic\r\nContent-Length: 1\r\n\r\n");
    Reply r;
    QVERIFY(c.next(&r, true));
    QCOMPARE(r.status, 417);
    QVERIFY(c.waitClosed());
}

void tst_HttpServer::binaryGarbage()
{
    startServer();
    Client c(server->serverPort());
    QByteArray noise(4096, Qt::Uninitialized);
    for (qsizetype i = 0; i < noise.size(); ++i)
        noise[i] = char((i * 131 + 17) & 0xff);
    noise[0] = '\x16'; // like a TLS ClientHello
    c.send(noise);
    Reply r;
    QVERIFY(c.next(&r));
    QCOMPARE(r.status, 400);
    QVERIFY(c.waitClosed());
    QVERIFY(requests.isEmpty());
}

void tst_HttpServer::slowLorisCutOffWhileOthersServed()
{
    HttpServerLimits limits;
    limits.headerTimeoutMs = 300;
    startServer(limits);

    Client loris(server->serverPort());
    QVERIFY(loris.waitConnected());
    const QByteArray drip =
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + QByteArray(10000, 'a');
    int sent = 0;
    QTimer dripper;
    connect(&dripper, &QTimer::timeout, this, [&] {
        if (loris.socket.state() == QAbstractSocket::ConnectedState && sent < drip.size())
            loris.send(drip.mid(sent++, 1));
    });
    dripper.start(20);

    // Meanwhile another client is served normally.
    Client other(server->serverPort());
    other.send(get("/fast"));
    Reply r;
    QVERIFY(other.next(&r));
    QCOMPARE(r.body, QByteArray("/fast|"));

    Reply cut;
    QVERIFY(loris.next(&cut));
    QCOMPARE(cut.status, 408);
    QVERIFY(loris.waitClosed());
    QVERIFY(requests.size() == 1);
    QVERIFY(sent < drip.size());

    // Still serving.
    other.send(get("/again"));
    QVERIFY(other.next(&r));
    QCOMPARE(r.body, QByteArray("/again|"));
}

void tst_HttpServer::bodyTimeout()
{
    HttpServerLimits limits;
    limits.bodyTimeoutMs = 300;
    startServer(limits);
    Client c(server->serverPort());
    c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
    Reply r;
    QVERIFY(c.next(&r));
    QCOMPARE(r.status, 408);
    QVERIFY(c.waitClosed());
}

void tst_HttpServer::idleTimeoutCloses()
{
    HttpServerLimits limits;
    limits.idleTimeoutMs = 300;
    startServer(limits);
    Client c(server->serverPort());
    c.send(get("/"));
    Reply r;
    QVERIFY(c.next(&r));
    QVERIFY(c.waitClosed());
    QTRY_COMPARE_WITH_TIMEOUT(server->connectionCount(), 0, WaitMs);

    // A connection that never sends anything is idle too.
    Client silent(server->serverPort());
    QVERIFY(silent.waitClosed());
}

void tst_HttpServer::longStreamNotCutByTimers()
{
    HttpServerLimits limits;
    limits.idleTimeoutMs = 100;
    limits.headerTimeoutMs = 100;
    limits.bodyTimeoutMs = 100;
    startServer(limits);

    // The stream lasts many times longer than every timeout; each step waits for the
    // client to have seen the previous event, so the pace follows the machine.
    int step = 0;
    QPointer<HttpResponse> resp;
    handler = [&](const HttpRequest &, HttpResponse *r) {
        resp = r;
        r->beginStream(200, "text/event-stream");
    };
    Client c(server->serverPort());
    c.send(get("/stream"));
    QTRY_VERIFY_WITH_TIMEOUT(resp, WaitMs);
    QElapsedTimer elapsed;
    elapsed.start();
    while (elapsed.elapsed() < 1000) {
        const QByteArray event = "data: " + QByteArray::number(step) + "\n\n";
        QVERIFY(resp && resp->isConnected());
        resp->write(event);
        QTRY_VERIFY_WITH_TIMEOUT(c.received.contains(event), WaitMs);
        ++step;
        QTest::qWait(20);
    }
    resp->end();
    Reply r;
    QVERIFY(c.next(&r));
    QCOMPARE(r.chunks.size(), step);
    QVERIFY(!c.closed);
}

void tst_HttpServer::maxConnections()
{
    HttpServerLimits limits;
    limits.maxConnections = 2;
    startServer(limits);
    Client a(server->serverPort());
    Client b(server->serverPort());
    QVERIFY(a.waitConnected());
    QVERIFY(b.waitConnected());
    QTRY_COMPARE_WITH_TIMEOUT(server->connectionCount(), 2, WaitMs);

    Client extra(server->serverPort());
    QVERIFY(extra.waitClosed());
    QVERIFY(!extra.received.startsWith("HTTP/1.1 2"));
    QCOMPARE(server->connectionCount(), 2);

    Reply r;
    a.send(get("/a"));
    QVERIFY(a.next(&r));
    QCOMPARE(r.status, 200);

    // A slot frees up once a client leaves.
    b.socket.abort();
    QTRY_COMPARE_WITH_TIMEOUT(server->connectionCount(), 1, WaitMs);
    Client later(server->serverPort());
    later.send(get("/later"));
    QVERIFY(later.next(&r));
    QCOMPARE(r.body, QByteArray("/later|"));
}

void tst_HttpServer::streamingChunkByChunk()
{
    QPointer<HttpResponse> resp;
    handler = [&](const HttpRequest &, HttpResponse *r) {
        resp = r;
        r->beginStream(200, "text/event-stream", {{"Cache-Control", "no-cache"}});
        r->write("data: 1\n\n");
    };
    startServer();
    Client c(server->serverPort());
    c.send(get("/v1/chat/completions"));
    // The first event arrives while the response is still open.
    QTRY_VERIFY_WITH_TIMEOUT(c.received.contains("data: 1\n\n"), WaitMs);
    QVERIFY(resp && !resp->isFinished() && resp->headersSent());
    QVERIFY(!c.received.contains("data: 2"));
    resp->write(QByteArray()); // ignored, must not end the stream
    resp->write("data: 2\n\n");
    QTRY_VERIFY_WITH_TIMEOUT(c.received.contains("data: 2\n\n"), WaitMs);
    resp->write(QByteArray(100 * 1024, 'L')); // a large chunk goes out unsplit
    resp->end();
    QVERIFY(resp->isFinished());
    Reply r;
    QVERIFY(c.next(&r));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("transfer-encoding"), QByteArray("chunked"));
    QCOMPARE(r.header("content-type"), QByteArray("text/event-stream"));
    QCOMPARE(r.header("cache-control"), QByteArray("no-cache"));
    QCOMPARE(r.chunks,
             (QList<QByteArray>{"data: 1\n\n", "data: 2\n\n", QByteArray(100 * 1024, 'L')}));

    // The connection is reused after a stream.
    handler = [](const HttpRequest &req, HttpResponse *r) { r->send(200, req.path); };
    c.send(get("/next"));
    QVERIFY(c.next(&r));
    QCOMPARE(r.body, QByteArray("/next"));
}

void tst_HttpServer::responseHeaders()
{
    handler = [](const HttpRequest &, HttpResponse *r) {
        r->send(201, "{}", "application/json",
                {{"X-Ok", "1"},
                 {"Access-Control-Allow-Origin", "*"},
                 {"Content-Length", "999"},
                 {"Transfer-Encoding", "chunked"},
                 {"Connection", "keep-alive"},
                 {"X-Injected", "a\r\nSet-Cookie: x=1"},
                 {"Bad Name", "v"}});
    };
    startServer();
    Client c(server->serverPort());
    c.send(get("/"));
    Reply r;
    QVERIFY(c.next(&r));
    QCOMPARE(r.status, 201);
    QCOMPARE(r.header("x-ok"), QByteArray("1"));
    QCOMPARE(r.header("content-length"), QByteArray("2"));
    QCOMPARE(r.header("content-type"), QByteArray("application/json"));
    for (const auto &h : std::as_const(r.headers)) {
        QVERIFY2(!h.first.startsWith("access-control-"), h.first);
        QVERIFY2(h.first != "set-cookie" && h.first != "x-injected" &&
                     h.first != "transfer-encoding" && h.first != "connection",
                 h.first);
    }
    QCOMPARE(r.body, QByteArray("{}"));

    // 204 carries neither body nor length.
    handler = [](const HttpRequest &, HttpResponse *resp) { resp->send(204, "ignored"); };
    c.send(get("/empty"));
    QVERIFY(c.next(&r));
    QCOMPARE(r.status, 204);
    QVERIFY(!r.hasHeader("content-length"));
    c.send(get("/again"));
    QVERIFY(c.next(&r));
    QCOMPARE(r.status, 204);
    QVERIFY(c.received.isEmpty());
    QCOMPARE(HttpResponse::reasonPhrase(404), QByteArray("Not Found"));
}

void tst_HttpServer::headRequestHasNoBody()
{
    startServer();
    Client c(server->serverPort());
    c.send("HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n" + get("/g"));
    QTRY_VERIFY_WITH_TIMEOUT(c.received.contains("/g|"), WaitMs);
    const qsizetype second = c.received.indexOf("HTTP/1.1", 1);
    QVERIFY(second > 0);
    const QByteArray headReply = c.received.left(second);
    QVERIFY(headReply.endsWith("\r\n\r\n"));
    QVERIFY(headReply.contains("Content-Length: 3\r\n"));
}

void tst_HttpServer::clientGoneWhenClientAborts()
{
    QPointer<HttpResponse> resp;
    handler = [&](const HttpRequest &, HttpResponse *r) {
        resp = r;
        r->beginStream(200, "text/event-stream");
        r->write("data: 1\n\n");
    };
    startServer();
    Client c(server->serverPort());
    c.send(get("/stream"));
    QTRY_VERIFY_WITH_TIMEOUT(resp, WaitMs);
    QSignalSpy gone(resp.data(), &HttpResponse::clientGone);
    QTRY_VERIFY_WITH_TIMEOUT(c.received.contains("data: 1"), WaitMs);
    c.socket.abort();
    QVERIFY(gone.count() == 1 || gone.wait(WaitMs));
    QCOMPARE(gone.count(), 1);
    QVERIFY(!resp || !resp->isConnected());
    QTRY_VERIFY_WITH_TIMEOUT(!resp, WaitMs); // deleted later
    QTRY_COMPARE_WITH_TIMEOUT(server->connectionCount(), 0, WaitMs);
}

void tst_HttpServer::lateWritesAreIgnored()
{
    handler = [](const HttpRequest &, HttpResponse *r) { r->beginStream(200, "text/plain"); };
    startServer();
    Client c(server->serverPort());
    c.send(get("/"));
    QTRY_COMPARE_WITH_TIMEOUT(pending.size(), 1, WaitMs);
    HttpResponse *raw = pending.first();
    QSignalSpy gone(raw, &HttpResponse::clientGone);
    c.socket.close();
    QVERIFY(gone.count() == 1 || gone.wait(WaitMs));
    // Between the signal and deletion the object is still usable and inert.
    QVERIFY(!raw->isConnected());
    QCOMPARE(raw->bytesPending(), 0);
    QVERIFY(!raw->isBackpressured());
    raw->write("late");
    raw->end();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("send\\(\\) after"));
    raw->send(200, "late");
    QTRY_VERIFY_WITH_TIMEOUT(pending.first().isNull(), WaitMs);
    // A handler keeping a QPointer sees null from here on.
}

void tst_HttpServer::backpressureAndDrained()
{
    HttpServerLimits limits;
    limits.writeHighWaterBytes = 256 * 1024;
    limits.writeLowWaterBytes = 64 * 1024;
    QPointer<HttpResponse> resp;
    handler = [&](const HttpRequest &, HttpResponse *r) {
        resp = r;
        r->beginStream(200, "application/octet-stream");
    };
    startServer(limits);

    // This client's Qt buffer is tiny and it does not read: the kernel buffers fill,
    // then the server's own.
    Client c(server->serverPort(), 16 * 1024);
    c.autoRead = false;
    c.send(get("/firehose"));
    QTRY_VERIFY_WITH_TIMEOUT(resp, WaitMs);
    QSignalSpy drained(resp.data(), &HttpResponse::drained);

    const QByteArray block(64 * 1024, 'x');
    qint64 written = 0;
    QTimer pump;
    connect(&pump, &QTimer::timeout, this, [&] {
        if (resp && !resp->isBackpressured() && written < qint64(1) << 30) {
            resp->write(block);
            written += block.size();
        }
    });
    pump.start(0);
    QTRY_VERIFY_WITH_TIMEOUT(resp->isBackpressured(), 60000);
    pump.stop();
    QVERIFY(written > limits.writeHighWaterBytes);
    drained.clear(); // the kernel may have taken some earlier rounds on its own

    // The client starts reading: the server's buffer drains.
    qint64 got = 0;
    connect(&c.socket, &QIODevice::readyRead, this, [&] { got += c.socket.readAll().size(); });
    got += c.socket.readAll().size();
    QVERIFY(drained.count() > 0 || drained.wait(WaitMs));
    QVERIFY(!resp->isBackpressured());
    QVERIFY(resp->bytesPending() < limits.writeLowWaterBytes);
    resp->end();
    QTRY_VERIFY_WITH_TIMEOUT(got > written, WaitMs);
}

void tst_HttpServer::noReadingWhileResponding()
{
    // While a response is open the server leaves the client's next bytes unread, so a
    // huge pipelined upload is held back by TCP flow control instead of buffered.
    handler = nullptr;
    startServer();
    Client c(server->serverPort());
    c.send(get("/first"));
    QTRY_COMPARE_WITH_TIMEOUT(requests.size(), 1, WaitMs);
    const QByteArray big(64 * 1024 * 1024 - 1024, 'p');
    c.send(post("/second", big));
    // The client cannot get rid of all of it while the server does not read.
    QTRY_VERIFY_WITH_TIMEOUT(c.socket.bytesToWrite() < qint64(big.size()), WaitMs);
    for (int i = 0; i < 20; ++i)
        QCoreApplication::processEvents();
    QVERIFY(c.socket.bytesToWrite() > 0);
    QCOMPARE(requests.size(), 1);

    pending.first()->send(200, "one");
    QTRY_COMPARE_WITH_TIMEOUT(requests.size(), 2, WaitMs);
    QCOMPARE(requests.at(1).body.size(), big.size());
    pending.at(1)->send(200, "two");
    Reply r;
    QVERIFY(c.next(&r));
    QCOMPARE(r.body, QByteArray("one"));
    QVERIFY(c.next(&r));
    QCOMPARE(r.body, QByteArray("two"));
}

void tst_HttpServer::manyConnectionsOpenedAndDropped()
{
    startServer();
    const quint16 port = server->serverPort();
    int rounds = 0;
    for (int batch = 0; batch < 10; ++batch) {
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        for (int i = 0; i < 100; ++i) {
            auto s = std::make_unique<QTcpSocket>();
            s->connectToHost(QHostAddress::LocalHost, port);
            sockets.push_back(std::move(s));
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(sockets.begin(), sockets.end(),
                                             [](const auto &s) {
                                                 return s->state() ==
                                                        QAbstractSocket::ConnectedState;
                                             }),
                                 WaitMs);
        for (size_t i = 0; i < sockets.size(); ++i) {
            // A mix of silent, half-sent and complete requests, all dropped abruptly.
            if (i % 3 == 1)
                sockets[i]->write("POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc");
            else if (i % 3 == 2)
                sockets[i]->write(get("/x"));
            sockets[i]->flush();
        }
        QCoreApplication::processEvents();
        for (auto &s : sockets) {
            if (rounds++ % 2)
                s->abort();
            else
                s->disconnectFromHost();
        }
    }
    QTRY_COMPARE_WITH_TIMEOUT(server->connectionCount(), 0, 60000);

    Client c(port);
    c.send(get("/alive"));
    Reply r;
    QVERIFY(c.next(&r));
    QCOMPARE(r.body, QByteArray("/alive|"));
}

void tst_HttpServer::destroyServerWithOpenConnections()
{
    QPointer<HttpResponse> streaming;
    handler = [&](const HttpRequest &req, HttpResponse *r) {
        if (req.path == "/stream") {
            streaming = r;
            r->beginStream(200, "text/event-stream");
            r->write("data: 1\n\n");
        }
        // "/wait" is left unanswered
    };
    startServer();
    Client a(server->serverPort());
    Client b(server->serverPort());
    Client idle(server->serverPort());
    Client partial(server->serverPort());
    a.send(get("/stream"));
    b.send(get("/wait"));
    partial.send("GET / HTTP/1.1\r\nHo");
    QVERIFY(idle.waitConnected());
    QTRY_COMPARE_WITH_TIMEOUT(requests.size(), 2, WaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(server->connectionCount(), 4, WaitMs);
    QVERIFY(streaming);
    QSignalSpy gone(streaming.data(), &HttpResponse::clientGone);
    QPointer<HttpResponse> unanswered = pending.at(1);

    server.reset();
    QCOMPARE(gone.count(), 1);
    QVERIFY(!streaming);
    QVERIFY(!unanswered);
    QVERIFY(a.waitClosed());
    QVERIFY(b.waitClosed());
    QVERIFY(idle.waitClosed());
    QVERIFY(partial.waitClosed());
}

void tst_HttpServer::responseDeletedByHandler()
{
    handler = [](const HttpRequest &, HttpResponse *r) { delete r; };
    startServer();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("deleted before it was finished"));
    Client c(server->serverPort());
    c.send(get("/"));
    Reply r;
    QVERIFY(c.next(&r));
    QCOMPARE(r.status, 500);
    QVERIFY(c.waitClosed());
}

QTEST_GUILESS_MAIN(tst_HttpServer)
#include "tst_httpserver.moc"
