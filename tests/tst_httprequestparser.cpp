#include "http/httprequestparser.h"

#include <QRandomGenerator>
#include <QTest>

using Result = HttpRequestParser::Result;
using State = HttpRequestParser::State;

namespace {

struct Outcome
{
    Result result = Result::NeedMore;
    int status = 0;
    qsizetype consumed = 0;
    HttpRequest request;
    bool keepAlive = false;
    bool expectsContinue = false;
};

HttpRequestParser::Limits smallLimits()
{
    HttpRequestParser::Limits l;
    l.maxHeaderBytes = 1024;
    l.maxBodyBytes = 64;
    l.maxHeaderCount = 16;
    return l;
}

// Feeds input in pieces from split() until the parser has an answer.
template<typename Split>
Outcome parse(const QByteArray &input, const HttpRequestParser::Limits &limits, Split split)
{
    HttpRequestParser parser(limits);
    Outcome out;
    qsizetype pos = 0;
    while (pos < input.size()) {
        const qsizetype len = std::min<qsizetype>(split(pos), input.size() - pos);
        qsizetype used = -1;
        out.result = parser.feed(QByteArrayView(input).sliced(pos, len), &used);
        if (used < 0 || used > len)
            qFatal("consumed out of range");
        pos += used;
        if (out.result != Result::NeedMore)
            break;
        if (used != len)
            qFatal("parser left bytes unread while needing more");
    }
    out.consumed = pos;
    out.status = parser.errorStatus();
    out.keepAlive = parser.keepAlive();
    out.expectsContinue = parser.expectsContinue();
    if (out.result == Result::Complete)
        out.request = parser.takeRequest();
    return out;
}

Outcome parseWhole(const QByteArray &input,
                   const HttpRequestParser::Limits &limits = HttpRequestParser::Limits())
{
    return parse(input, limits, [&](qsizetype) { return input.size(); });
}

} // namespace

class tst_HttpRequestParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void outcome_data();
    void outcome();
    void requestFields();
    void connectionSemantics_data();
    void connectionSemantics();
    void pipelinedRequests();
    void expectContinueStopsAfterHeaders();
    void garbageRefusedBeforeLineEnd();
    void leadingEmptyLinesDoNotStartRequest();
    void largeContentLengthReservesNothing();
    void errorFieldsAreSafe();
    void limitsApplyFromNextRequest();
    void randomInputIsSplitInvariant();
};

void tst_HttpRequestParser::outcome_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("status"); // 0 complete, -1 need more, else error status
    QTest::addColumn<QByteArray>("body");

    auto row = [](const char *name, const QByteArray &in, int status, const QByteArray &body = {}) {
        QTest::newRow(name) << in << status << body;
    };
    const QByteArray h = "Host: 127.0.0.1\r\n";

    row("simple get", "GET / HTTP/1.1\r\n" + h + "\r\n", 0);
    row("http 1.0 no host", "GET / HTTP/1.0\r\n\r\n", 0);
    row("bare LF", "GET / HTTP/1.1\nHost: x\n\n", 0);
    row("leading empty lines", "\r\n\r\nGET / HTTP/1.1\r\n" + h + "\r\n", 0);
    row("content-length body", "POST /v1 HTTP/1.1\r\n" + h + "Content-Length: 5\r\n\r\nhello", 0,
        "hello");
    row("content-length zero", "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 0);
    row("content-length leading zeros", "POST / HTTP/1.1\r\nContent-Length: 0003\r\n\r\nabc", 0,
        "abc");
    row("repeated equal content-length",
        "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 0, "abc");
    row("chunked body",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n1\r\n!\r\n0\r\n"
        "X-Trailer: 1\r\n\r\n",
        0, "hello!");
    row("chunked mixed case", "POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n", 0);
    row("http 1.2 treated as 1.x", "GET / HTTP/1.2\r\n\r\n", 0);
    row("body at limit", "POST / HTTP/1.1\r\nContent-Length: 64\r\n\r\n" + QByteArray(64, 'b'), 0,
        QByteArray(64, 'b'));
    row("expect continue", "POST / HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\nx",
        0, "x");
    row("unknown expect in 1.0 ignored", "GET / HTTP/1.0\r\nExpect: foo\r\n\r\n", 0);
    row("obs-text in value", "GET / HTTP/1.1\r\nX-Name: caf\xc3\xa9\r\n\r\n", 0);

    row("incomplete head", "GET / HTTP/1.1\r\nHost: x\r\n", -1);
    row("incomplete body", "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc", -1);

    row("cl and te", "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        400);
    row("te and cl", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
        400);
    row("negative cl", "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400);
    row("plus cl", "POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\n", 400);
    row("garbage cl", "POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400);
    row("empty cl", "POST / HTTP/1.1\r\nContent-Length:\r\n\r\n", 400);
    row("list cl", "POST / HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\n", 400);
    row("conflicting cl", "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400);
    row("huge cl", "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999999\r\n\r\n", 413);
    row("cl over limit", "POST / HTTP/1.1\r\nContent-Length: 65\r\n\r\n", 413);
    row("chunked over limit",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n" + QByteArray(65, 'x'), 413);
    row("chunked malformed", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400);
    row("te gzip", "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501);
    row("te gzip chunked", "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501);
    row("te chunked twice",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 501);
    row("te empty", "POST / HTTP/1.1\r\nTransfer-Encoding: \r\n\r\n", 400);
    row("te in 1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400);
    row("http 2", "GET / HTTP/2.0\r\n\r\n", 505);
    row("http 0.9 style", "GET / HTTP/0.9\r\n\r\n", 505);
    row("h2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505);
    row("lowercase version", "GET / http/1.1\r\n\r\n", 400);
    row("long version", "GET / HTTP/1.10\r\n\r\n", 400);
    row("missing version", "GET /\r\n\r\n", 400);
    row("extra part", "GET / HTTP/1.1 x\r\n\r\n", 400);
    row("double space", "GET  / HTTP/1.1\r\n\r\n", 400);
    row("leading space", " GET / HTTP/1.1\r\n\r\n", 400);
    row("bad method char", "GE(T / HTTP/1.1\r\n\r\n", 400);
    row("space in target", "GET /a b HTTP/1.1\r\n\r\n", 400);
    row("obs-text in target", "GET /caf\xc3\xa9 HTTP/1.1\r\n\r\n", 400);
    row("CR inside request line", "GET /\r HTTP/1.1\r\n\r\n", 400);
    row("header without colon", "GET / HTTP/1.1\r\nHost\r\n\r\n", 400);
    row("space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400);
    row("empty header name", "GET / HTTP/1.1\r\n: x\r\n\r\n", 400);
    row("obs-fold", "GET / HTTP/1.1\r\nX-A: 1\r\n  continued\r\n\r\n", 400);
    row("control in value", QByteArray("GET / HTTP/1.1\r\nX-A: a\x01z\r\n\r\n"), 400);
    row("NUL in value", QByteArray("GET / HTTP/1.1\r\nX-A: a\0z\r\n\r\n", 28), 400);
    row("bare CR in header", "GET / HTTP/1.1\r\nX-A: a\rb\r\n\r\n", 400);
    row("two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
    row("unknown expect", "POST / HTTP/1.1\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\nx", 417);
    row("expect with too large body",
        "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 1000\r\n\r\n", 413);
    row("headers too large", "GET / HTTP/1.1\r\nX-Big: " + QByteArray(1100, 'a') + "\r\n\r\n", 431);
    row("request line too long", "GET /" + QByteArray(1100, 'a') + " HTTP/1.1\r\n\r\n", 414);
    row("too many headers", "GET / HTTP/1.1\r\n" + QByteArray("X-A: 1\r\n").repeated(17) + "\r\n",
        431);
    row("endless empty lines", QByteArray("\r\n").repeated(600), 431);
    row("binary garbage", QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11), 400);
}

void tst_HttpRequestParser::outcome()
{
    QFETCH(QByteArray, input);
    QFETCH(int, status);
    QFETCH(QByteArray, body);

    const Result expected = status == 0    ? Result::Complete
                            : status == -1 ? Result::NeedMore
                                           : Result::Error;
    const HttpRequestParser::Limits limits = smallLimits();
    const Outcome whole = parse(input, limits, [&](qsizetype) { return input.size(); });
    QCOMPARE(int(whole.result), int(expected));
    if (expected == Result::Error)
        QCOMPARE(whole.status, status);
    if (expected == Result::Complete) {
        QCOMPARE(whole.request.body, body);
        QCOMPARE(whole.consumed, input.size());
    }

    const Outcome bytes = parse(input, limits, [](qsizetype) { return 1; });
    QCOMPARE(int(bytes.result), int(expected));
    QCOMPARE(bytes.status, whole.status);
    if (expected != Result::Error) // after an error the position is of no use
        QCOMPARE(bytes.consumed, whole.consumed);
    QCOMPARE(bytes.request.body, whole.request.body);
    QCOMPARE(bytes.request.headers, whole.request.headers);
    for (qsizetype cut = 1; cut < input.size(); cut += std::max<qsizetype>(1, input.size() / 50)) {
        const Outcome split =
            parse(input, limits, [&](qsizetype pos) { return pos < cut ? cut - pos : 1 << 30; });
        QCOMPARE(int(split.result), int(expected));
        QCOMPARE(split.status, whole.status);
        QCOMPARE(split.request.body, whole.request.body);
    }
}

void tst_HttpRequestParser::requestFields()
{
    const Outcome o =
        parseWhole("PUT /v1/chat/completions?x=1&y=%20 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                   "X-Mixed-Case:   spaced value \t\r\nAccept: */*\r\nContent-Length: 2\r\n\r\n{}");
    QCOMPARE(o.result, Result::Complete);
    const HttpRequest &r = o.request;
    QCOMPARE(r.method, QByteArray("PUT"));
    QCOMPARE(r.target, QByteArray("/v1/chat/completions?x=1&y=%20"));
    QCOMPARE(r.path, QByteArray("/v1/chat/completions"));
    QCOMPARE(r.query, QByteArray("x=1&y=%20"));
    QCOMPARE(r.minorVersion, 1);
    QCOMPARE(r.headers.size(), 4);
    QCOMPARE(r.headers.at(1).first, QByteArray("x-mixed-case"));
    QCOMPARE(r.header("X-MIXED-CASE"), QByteArray("spaced value"));
    QCOMPARE(r.header("host"), QByteArray("127.0.0.1:8080"));
    QVERIFY(r.hasHeader("accept"));
    QVERIFY(!r.hasHeader("origin"));
    QCOMPARE(r.body, QByteArray("{}"));

    const Outcome noQuery = parseWhole("GET /only?\r\n\r\n");
    QCOMPARE(noQuery.result, Result::Error); // missing version
    const Outcome emptyQuery = parseWhole("GET /only? HTTP/1.0\r\n\r\n");
    QCOMPARE(emptyQuery.request.path, QByteArray("/only"));
    QCOMPARE(emptyQuery.request.query, QByteArray());
    QCOMPARE(emptyQuery.request.minorVersion, 0);
}

void tst_HttpRequestParser::connectionSemantics_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("keepAlive");
    QTest::newRow("1.1 default") << QByteArray("GET / HTTP/1.1\r\n\r\n") << true;
    QTest::newRow("1.1 close") << QByteArray("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
                               << false;
    QTest::newRow("1.1 Close in list")
        << QByteArray("GET / HTTP/1.1\r\nConnection: TE, Close\r\n\r\n") << false;
    QTest::newRow("1.0 default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false;
    QTest::newRow("1.0 keep-alive")
        << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") << true;
    QTest::newRow("1.0 keep-alive and close")
        << QByteArray("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n") << false;
}

void tst_HttpRequestParser::connectionSemantics()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, keepAlive);
    const Outcome o = parseWhole(input);
    QCOMPARE(o.result, Result::Complete);
    QCOMPARE(o.keepAlive, keepAlive);
}

void tst_HttpRequestParser::pipelinedRequests()
{
    const QByteArray a = "POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc";
    const QByteArray b =
        "POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n";
    const QByteArray c = "GET /c HTTP/1.1\r\n\r\n";
    const QByteArray all = a + "\r\n" + b + c; // a stray CRLF between requests is allowed

    HttpRequestParser parser;
    QByteArrayView rest(all);
    QList<QByteArray> paths, bodies;
    while (!rest.isEmpty()) {
        qsizetype used = 0;
        const Result r = parser.feed(rest, &used);
        rest = rest.sliced(used);
        if (r == Result::NeedMore) {
            QVERIFY(rest.isEmpty());
            break;
        }
        QCOMPARE(r, Result::Complete);
        // A complete request blocks further input until it is taken.
        QCOMPARE(parser.feed(rest, &used), Result::Complete);
        QCOMPARE(used, 0);
        const HttpRequest req = parser.takeRequest();
        paths << req.path;
        bodies << req.body;
    }
    QCOMPARE(paths, (QList<QByteArray>{"/a", "/b", "/c"}));
    QCOMPARE(bodies, (QList<QByteArray>{"abc", "de", ""}));
    QCOMPARE(parser.state(), State::Idle);
}

void tst_HttpRequestParser::expectContinueStopsAfterHeaders()
{
    HttpRequestParser parser;
    const QByteArray head = "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n";
    qsizetype used = 0;
    QCOMPARE(parser.feed(head, &used), Result::NeedMore);
    QCOMPARE(used, head.size());
    QVERIFY(parser.headersComplete());
    QCOMPARE(parser.state(), State::Body);
    QVERIFY(parser.expectsContinue());
    QCOMPARE(parser.contentLength(), 4);
    QCOMPARE(parser.feed("body", &used), Result::Complete);
    QCOMPARE(parser.takeRequest().body, QByteArray("body"));
    QVERIFY(!parser.expectsContinue());
}

void tst_HttpRequestParser::garbageRefusedBeforeLineEnd()
{
    // A TLS ClientHello or random noise never reaches the header timeout.
    HttpRequestParser parser;
    qsizetype used = 0;
    QCOMPARE(parser.feed(QByteArray("\x16\x03\x01", 3), &used), Result::Error);
    QCOMPARE(parser.errorStatus(), 400);

    HttpRequestParser parser2;
    QCOMPARE(parser2.feed("GET / HTTX", &used), Result::Error);
    QCOMPARE(parser2.errorStatus(), 400);

    HttpRequestParser parser3;
    QCOMPARE(parser3.feed("GET /\x7f", &used), Result::Error);
}

void tst_HttpRequestParser::leadingEmptyLinesDoNotStartRequest()
{
    HttpRequestParser parser;
    QCOMPARE(parser.feed("\r\n\r\n"), Result::NeedMore);
    QVERIFY(!parser.hasStarted());
    QCOMPARE(parser.state(), State::Idle);
    QCOMPARE(parser.feed("G"), Result::NeedMore);
    QVERIFY(parser.hasStarted());
    QVERIFY(!parser.headersComplete());
}

void tst_HttpRequestParser::largeContentLengthReservesNothing()
{
    HttpRequestParser::Limits limits;
    limits.maxBodyBytes = qint64(1) << 40;
    HttpRequestParser parser(limits);
    QCOMPARE(parser.feed("POST / HTTP/1.1\r\nContent-Length: 1000000000000\r\n\r\n0123456789"),
             Result::NeedMore);
    QCOMPARE(parser.request().body, QByteArray("0123456789"));
    QVERIFY(parser.request().body.capacity() < 4096);

    // Byte-at-a-time growth stays amortised (capacity doubles) and ends at the exact size.
    HttpRequestParser exact;
    exact.feed("POST / HTTP/1.1\r\nContent-Length: 100000\r\n\r\n");
    const QByteArray payload(100000, 'p');
    int reallocations = 0;
    const char *last = nullptr;
    for (char ch : payload) {
        exact.feed(QByteArrayView(&ch, 1));
        if (exact.request().body.constData() != last) {
            ++reallocations;
            last = exact.request().body.constData();
        }
    }
    QCOMPARE(exact.state(), State::Complete);
    QVERIFY2(reallocations < 40, QByteArray::number(reallocations));
    QCOMPARE(exact.request().body.capacity(), 100000);
    QCOMPARE(exact.takeRequest().body, payload);
}

void tst_HttpRequestParser::errorFieldsAreSafe()
{
    HttpRequestParser parser;
    QCOMPARE(parser.feed("POST /secret?key=abc HTTP/1.1\r\nAuthorization: Bearer sk-123\r\n"
                         "Content-Length: x\r\n\r\n"),
             Result::Error);
    QCOMPARE(parser.errorStatus(), 400);
    QVERIFY(!parser.errorCode().isEmpty());
    QVERIFY(!parser.errorMessage().contains("sk-123"));
    QVERIFY(!parser.errorMessage().contains("secret"));
    // Stuck until reset.
    QCOMPARE(parser.feed("GET / HTTP/1.1\r\n\r\n"), Result::Error);
    parser.reset();
    QCOMPARE(parser.feed("GET / HTTP/1.1\r\n\r\n"), Result::Complete);
}

void tst_HttpRequestParser::limitsApplyFromNextRequest()
{
    HttpRequestParser parser;
    QCOMPARE(parser.feed("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n"), Result::NeedMore);
    HttpRequestParser::Limits tight;
    tight.maxBodyBytes = 5;
    parser.setLimits(tight);
    QCOMPARE(parser.feed("0123456789"), Result::Complete);
    parser.takeRequest();
    QCOMPARE(parser.feed("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n"), Result::Error);
    QCOMPARE(parser.errorStatus(), 413);
}

void tst_HttpRequestParser::randomInputIsSplitInvariant()
{
    static const char *const pieces[] = {"GET",
                                         "POST",
                                         " ",
                                         "/",
                                         "HTTP/1.1",
                                         "HTTP/1.0",
                                         "\r\n",
                                         "\n",
                                         "\r",
                                         ":",
                                         "Host",
                                         "Content-Length",
                                         "Transfer-Encoding",
                                         "chunked",
                                         "5",
                                         "0",
                                         "hello",
                                         "Expect",
                                         "100-continue",
                                         "\t",
                                         ",",
                                         "Connection",
                                         "close",
                                         "\x01",
                                         "\xff"};
    QRandomGenerator rng(77);
    const HttpRequestParser::Limits limits = smallLimits();
    for (int round = 0; round < 1500; ++round) {
        QByteArray input;
        if (rng.bounded(2))
            input = "POST / HTTP/1.1\r\n";
        const int count = int(rng.bounded(1, 40));
        for (int i = 0; i < count; ++i)
            input += pieces[rng.bounded(int(std::size(pieces)))];
        const Outcome whole = parse(input, limits, [&](qsizetype) { return input.size(); });
        const Outcome bytes = parse(input, limits, [](qsizetype) { return 1; });
        QCOMPARE(int(bytes.result), int(whole.result));
        QCOMPARE(bytes.status, whole.status);
        if (whole.result != Result::Error)
            QCOMPARE(bytes.consumed, whole.consumed);
        QCOMPARE(bytes.request.headers, whole.request.headers);
        QCOMPARE(bytes.request.body, whole.request.body);
    }
}

QTEST_GUILESS_MAIN(tst_HttpRequestParser)
#include "tst_httprequestparser.moc"
