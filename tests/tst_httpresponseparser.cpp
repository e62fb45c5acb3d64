// HttpResponseParser on its own: a table of answers, each fed whole, byte by byte and in
// random pieces, with the status, headers, framing, body and error it must give.
#include "http/httpresponseparser.h"

#include <QRandomGenerator>
#include <QTest>

using State = HttpResponseParser::State;
using Error = HttpResponseParser::Error;
using Framing = HttpResponseParser::Framing;

Q_DECLARE_METATYPE(HttpResponseParser::State)
Q_DECLARE_METATYPE(HttpResponseParser::Error)
Q_DECLARE_METATYPE(HttpResponseParser::Framing)

namespace {

struct Outcome
{
    State state = State::Head;
    Error error = Error::None;
    int status = 0;
    HttpHeaders headers;
    Framing framing = Framing::None;
    bool keepAlive = false;
    int interim = 0;
    QByteArray body;
    qsizetype consumed = 0;

    bool operator==(const Outcome &o) const
    {
        return state == o.state && error == o.error && status == o.status && headers == o.headers &&
               framing == o.framing && keepAlive == o.keepAlive && interim == o.interim &&
               body == o.body && consumed == o.consumed;
    }
};

// Feeds input in pieces whose sizes come from split() as a reply would, then ends the input
// when closeAfter is set.
template<typename Split>
Outcome parse(const QByteArray &input, bool toHead, bool closeAfter, Split split,
              qsizetype maxHead = 64 * 1024)
{
    HttpResponseParser parser(maxHead);
    parser.reset(toHead);
    Outcome out;
    qsizetype pos = 0;
    while (pos < input.size()) {
        const qsizetype len = std::min<qsizetype>(split(pos), input.size() - pos);
        const qsizetype used = parser.feed(QByteArrayView(input).sliced(pos, len), &out.body);
        if (used < 0 || used > len)
            qFatal("consumed out of range");
        pos += used;
        if (parser.state() == State::Done || parser.state() == State::Failed)
            break;
        if (used != len)
            qFatal("the parser left bytes unread while it needed more");
    }
    if (closeAfter)
        parser.finishInput();
    out.consumed = pos;
    out.state = parser.state();
    out.error = parser.error();
    if (parser.headComplete()) {
        out.status = parser.status();
        out.headers = parser.headers();
        out.framing = parser.framing();
        out.keepAlive = parser.keepAlive();
    }
    out.interim = parser.interimResponses();
    return out;
}

} // namespace

class tst_HttpResponseParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void table_data();
    void table();
    void stopsAtEndOfResponse();
    void maxBodyHoldsBackTheRest();
    void headLimit();
    void resetForNextResponse();
};

void tst_HttpResponseParser::table_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("toHead");     // the request was HEAD
    QTest::addColumn<bool>("closeAfter"); // the connection ends after the input
    QTest::addColumn<HttpResponseParser::State>("state");
    QTest::addColumn<HttpResponseParser::Error>("error");
    QTest::addColumn<int>("status");
    QTest::addColumn<HttpResponseParser::Framing>("framing");
    QTest::addColumn<bool>("keepAlive");
    QTest::addColumn<QByteArray>("body");

    auto ok = [](const char *name, const QByteArray &in, int status, Framing framing,
                 bool keepAlive, const QByteArray &body, bool closeAfter = false,
                 bool toHead = false) {
        QTest::newRow(name) << in << toHead << closeAfter << State::Done << Error::None << status
                            << framing << keepAlive << body;
    };
    auto bad = [](const char *name, const QByteArray &in, Error e) {
        QTest::newRow(name) << in << false << false << State::Failed << e << 0 << Framing::None
                            << false << QByteArray();
    };

    ok("content-length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 200, Framing::Length,
       true, "hello");
    ok("no reason phrase", "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nhi", 200, Framing::Length,
       true, "hi");
    ok("bare LF", "HTTP/1.1 201 Created\nContent-Length: 2\n\nhi", 201, Framing::Length, true,
       "hi");
    ok("length zero", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 200, Framing::None, true, "");
    ok("repeated equal length",
       "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 200, Framing::Length,
       true, "abc");
    ok("chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
       200, Framing::Chunked, true, "hello");
    ok("chunked wins over length",
       "HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
       "3;x=y\r\nabc\r\n0\r\nTrailer: t\r\n\r\n",
       200, Framing::Chunked, true, "abc");
    ok("until close", "HTTP/1.1 200 OK\r\n\r\nall of it", 200, Framing::UntilClose, false,
       "all of it", true);
    ok("other coding until close", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz", 200,
       Framing::UntilClose, false, "zz", true);
    ok("connection close",
       "HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 1\r\n\r\nx", 200,
       Framing::Length, false, "x");
    ok("http/1.0", "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", 200, Framing::Length, false,
       "x");
    ok("http/1.0 keep-alive",
       "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nx", 200,
       Framing::Length, true, "x");
    ok("interim answers skipped",
       "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
       "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
       200, Framing::Length, true, "ok");
    ok("no content", "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n", 204, Framing::None,
       true, "");
    ok("not modified", "HTTP/1.1 304 Not Modified\r\n\r\n", 304, Framing::None, true, "");
    ok("answer to HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", 200, Framing::None, true,
       "", false, true);
    ok("folded header", "HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\nContent-Length: 0\r\n\r\n", 200,
       Framing::None, true, "");

    QTest::newRow("cut short") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc")
                               << false << true << State::Body << Error::None << 200
                               << Framing::Length << true << QByteArray("abc");
    QTest::newRow("head not ended")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Le") << false << true << State::Head
        << Error::None << 0 << Framing::None << false << QByteArray();

    bad("not http", "SSH-2.0-OpenSSH_9.2\r\n\r\n", Error::NotHttp);
    bad("http/2 preface", "HTTP/2 200\r\n\r\n", Error::NotHttp);
    bad("http/1.2", "HTTP/1.2 200 OK\r\n\r\n", Error::NotHttp);
    bad("status glued to reason", "HTTP/1.1 200OK\r\n\r\n", Error::NotHttp);
    bad("leading blank line", "\r\nHTTP/1.1 200 OK\r\n\r\n", Error::NotHttp);
    bad("letters in status", "HTTP/1.1 2x0 OK\r\n\r\n", Error::BadStatus);
    bad("status below 100", "HTTP/1.1 099 Odd\r\n\r\n", Error::BadStatus);
    bad("no colon", "HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", Error::MalformedHeader);
    bad("space in name", "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", Error::MalformedHeader);
    bad("empty name", "HTTP/1.1 200 OK\r\n: x\r\n\r\n", Error::MalformedHeader);
    bad("fold first", "HTTP/1.1 200 OK\r\n folded\r\n\r\n", Error::MalformedHeader);
    bad("switching protocols", "HTTP/1.1 101 Switching Protocols\r\n\r\n",
        Error::SwitchedProtocols);
    bad("negative length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        Error::BadContentLength);
    bad("lengths disagree", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        Error::BadContentLength);
    bad("length too long", "HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456789\r\n\r\n",
        Error::BadContentLength);
    bad("broken chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        Error::MalformedChunkedBody);
}

void tst_HttpResponseParser::table()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, toHead);
    QFETCH(bool, closeAfter);

    const Outcome whole = parse(input, toHead, closeAfter, [&](qsizetype) { return input.size(); });
    QTEST(whole.state, "state");
    QTEST(whole.error, "error");
    QTEST(whole.status, "status");
    QTEST(whole.framing, "framing");
    QTEST(whole.keepAlive, "keepAlive");
    QTEST(whole.body, "body");
    if (whole.state == State::Done)
        QCOMPARE(whole.consumed, input.size());

    const Outcome bytes = parse(input, toHead, closeAfter, [](qsizetype) { return 1; });
    QVERIFY(bytes == whole);
    for (int round = 0; round < 50; ++round) {
        const Outcome pieces = parse(input, toHead, closeAfter, [](qsizetype) {
            return qsizetype(QRandomGenerator::global()->bounded(1, 12));
        });
        QVERIFY(pieces == whole);
    }
}

void tst_HttpResponseParser::stopsAtEndOfResponse()
{
    // A pooled connection: the next answer's bytes are left for the caller.
    const QByteArray first = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    const QByteArray chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    for (const QByteArray &answer : {first, chunked}) {
        HttpResponseParser parser;
        QByteArray body;
        const QByteArray input = answer + "HTTP/1.1 204 No Content\r\n\r\n";
        QCOMPARE(parser.feed(input, &body), answer.size());
        QCOMPARE(parser.state(), State::Done);
        QCOMPARE(parser.feed("more", &body), 0);
        QVERIFY(!parser.finishInput());
        QCOMPARE(parser.state(), State::Done);
    }
}

void tst_HttpResponseParser::maxBodyHoldsBackTheRest()
{
    const QByteArray head = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";
    HttpResponseParser parser;
    QByteArray body;
    QCOMPARE(parser.feed(QByteArray(head + "0123456789"), &body, 4), head.size() + 4);
    QCOMPARE(body, QByteArray("0123"));
    QCOMPARE(parser.state(), State::Body);
    QCOMPARE(parser.feed("456789", &body, 0), 0);
    QCOMPARE(parser.feed("456789", &body, 6), 6);
    QCOMPARE(body, QByteArray("0123456789"));
    QCOMPARE(parser.state(), State::Done);

    HttpResponseParser chunked;
    body.clear();
    const QByteArray chunkedHead = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    const qsizetype used =
        chunked.feed(QByteArray(chunkedHead + "a\r\n0123456789\r\n0\r\n\r\n"), &body, 3);
    // The size line costs budget but gives no payload; the payload stops at the budget.
    QCOMPARE(used, chunkedHead.size() + 6);
    QCOMPARE(body, QByteArray("012"));
    QCOMPARE(chunked.state(), State::Body);
}

void tst_HttpResponseParser::headLimit()
{
    const QByteArray head = "HTTP/1.1 204 No Content\r\nX: 12345\r\n\r\n";
    QCOMPARE(parse(
                 head, false, false, [&](qsizetype) { return head.size(); }, head.size())
                 .state,
             State::Done);
    const Outcome over = parse(
        head, false, false, [](qsizetype) { return 1; }, head.size() - 1);
    QCOMPARE(over.state, State::Failed);
    QCOMPARE(over.error, Error::HeadTooLarge);

    // Never more than the limit is kept, however much arrives without a blank line.
    HttpResponseParser parser(16);
    QByteArray body;
    QCOMPARE(parser.feed(QByteArray(1000, 'x'), &body), 17);
    QCOMPARE(parser.error(), Error::HeadTooLarge);
}

void tst_HttpResponseParser::resetForNextResponse()
{
    HttpResponseParser parser;
    QByteArray body;
    parser.feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nX-A: 1\r\n\r\n", &body);
    QCOMPARE(parser.interimResponses(), 1);
    QCOMPARE(parser.status(), 404);
    QCOMPARE(parser.framing(), Framing::UntilClose);
    QVERIFY(parser.finishInput());
    parser.reset(true);
    QCOMPARE(parser.state(), State::Head);
    QCOMPARE(parser.interimResponses(), 0);
    QVERIFY(parser.headers().isEmpty());
    parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n", &body);
    QCOMPARE(parser.state(), State::Done);
    QCOMPARE(parser.framing(), Framing::None);
    QCOMPARE(parser.header("X-A"), QByteArray());
}

QTEST_GUILESS_MAIN(tst_HttpResponseParser)
#include "tst_httpresponseparser.moc"
