#include "http/chunkeddecoder.h"

#include <QRandomGenerator>
#include <QTest>

using Result = ChunkedDecoder::Result;
using Error = ChunkedDecoder::Error;

Q_DECLARE_METATYPE(ChunkedDecoder::Error)

namespace {

struct Outcome
{
    Result result = Result::NeedMore;
    Error error = Error::None;
    QByteArray body;
    qsizetype consumed = 0;
};

// Feeds input in pieces whose sizes come from split(); stops at Done or Error as a
// caller would. Returns the combined outcome.
template<typename Split>
Outcome decode(const QByteArray &input, qint64 maxBody, int maxTrailer, Split split)
{
    ChunkedDecoder decoder(maxBody, maxTrailer);
    Outcome out;
    qsizetype pos = 0;
    while (pos < input.size()) {
        const qsizetype len = std::min<qsizetype>(split(pos), input.size() - pos);
        qsizetype used = -1;
        out.result = decoder.feed(QByteArrayView(input).sliced(pos, len), &out.body, &used);
        if (used < 0 || used > len)
            qFatal("consumed out of range");
        pos += used;
        if (out.result != Result::NeedMore)
            break;
        if (used != len)
            qFatal("decoder left bytes unread while needing more");
    }
    out.consumed = pos;
    out.error = decoder.error();
    return out;
}

} // namespace

class tst_ChunkedDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decode_data();
    void decode();
    void stopsAtEndOfMessage();
    void feedAfterDoneOrError();
    void resetStartsOver();
    void nullBodyOnlyCounts();
    void randomInputIsSplitInvariant();
};

void tst_ChunkedDecoder::decode_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qint64>("maxBody");
    QTest::addColumn<int>("maxTrailer");
    QTest::addColumn<int>("result"); // 0 need more, 1 done, 2 error
    QTest::addColumn<ChunkedDecoder::Error>("error");
    QTest::addColumn<QByteArray>("body");

    const qint64 big = 1 << 20;
    const int trailers = 1024;
    auto ok = [&](const char *name, const QByteArray &in, const QByteArray &body) {
        QTest::newRow(name) << in << big << trailers << 1 << Error::None << body;
    };
    auto bad = [&](const char *name, const QByteArray &in, Error e, qint64 maxBody = 1 << 20,
                   int maxTrailer = 1024) {
        QTest::newRow(name) << in << maxBody << maxTrailer << 2 << e << QByteArray();
    };

    ok("one chunk", "5\r\nhello\r\n0\r\n\r\n", "hello");
    ok("two chunks", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world");
    ok("upper hex", "A\r\n0123456789\r\n0\r\n\r\n", "0123456789");
    ok("lower hex", "a\r\n0123456789\r\n0\r\n\r\n", "0123456789");
    ok("leading zeros", "0005\r\nhello\r\n000\r\n\r\n", "hello");
    ok("many leading zeros", QByteArray(40, '0') + "5\r\nhello\r\n0\r\n\r\n", "hello");
    ok("extensions", "5;name=value;flag\r\nhello\r\n0;last=\"x y\"\r\n\r\n", "hello");
    ok("space before extension", "5 \t;ext\r\nhello\r\n0\r\n\r\n", "hello");
    ok("trailing space", "5 \r\nhello\r\n0\r\n\r\n", "hello");
    ok("trailers dropped", "5\r\nhello\r\n0\r\nX-Sum: abc\r\nX-Other: 1\r\n\r\n", "hello");
    ok("bare LF", "5\nhello\n0\nX-T: 1\n\n", "hello");
    ok("empty body", "0\r\n\r\n", "");
    ok("binary payload", QByteArray("3\r\n\0\r\n\r\n0\r\n\r\n", 13), QByteArray("\0\r\n", 3));
    ok("max 15 digits zero-padded", "00000000000000000000001\r\nx\r\n0\r\n\r\n", "x");
    QTest::newRow("exactly at limit")
        << QByteArray("5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n") << qint64(10) << trailers << 1
        << Error::None << QByteArray("helloworld");

    QTest::newRow("incomplete size")
        << QByteArray("5") << big << trailers << 0 << Error::None << QByteArray();
    QTest::newRow("incomplete data")
        << QByteArray("5\r\nhel") << big << trailers << 0 << Error::None << QByteArray("hel");
    QTest::newRow("incomplete trailer")
        << QByteArray("0\r\nX: 1\r\n") << big << trailers << 0 << Error::None << QByteArray();

    bad("no digits", "\r\n", Error::Malformed);
    bad("extension without size", ";ext\r\n", Error::Malformed);
    bad("not hex", "g\r\n", Error::Malformed);
    bad("negative", "-5\r\nhello\r\n", Error::Malformed);
    bad("0x prefix", "0x5\r\nhello\r\n", Error::Malformed);
    bad("two numbers", "5 5\r\nhello\r\n", Error::Malformed);
    bad("CR without LF", "5\rhello", Error::Malformed);
    bad("data not followed by CRLF", "5\r\nhelloX\r\n0\r\n\r\n", Error::Malformed);
    bad("data followed by CR junk", "5\r\nhello\rX", Error::Malformed);
    bad("size overflow 16 digits", "1000000000000000\r\n", Error::Malformed);
    bad("size overflow 20 f", "ffffffffffffffffffff\r\n", Error::Malformed);
    bad("control in extension", QByteArray("5;a\0b\r\nhello\r\n", 14), Error::Malformed);
    bad("folded trailer", "0\r\n folded\r\n\r\n", Error::Malformed);
    bad("trailer with empty name", "0\r\n: x\r\n\r\n", Error::Malformed);
    bad("CR in trailer", "0\r\nX: a\rb\r\n\r\n", Error::Malformed);
    bad("final CR without LF", "0\r\n\rX", Error::Malformed);
    bad("size line too long", "5;" + QByteArray(ChunkedDecoder::MaxSizeLineBytes, 'x') + "\r\n",
        Error::Malformed);
    bad("chunk over limit", "b\r\n", Error::BodyTooLarge, 10);
    bad("sum over limit", "6\r\nhello!\r\n6\r\n", Error::BodyTooLarge, 10);
    bad("15 digits over limit", "fffffffffffffff\r\n", Error::BodyTooLarge);
    bad("trailers too large", "0\r\nX-Long: " + QByteArray(100, 'a') + "\r\n\r\n",
        Error::TrailersTooLarge, 1 << 20, 32);
}

void tst_ChunkedDecoder::decode()
{
    QFETCH(QByteArray, input);
    QFETCH(qint64, maxBody);
    QFETCH(int, maxTrailer);
    QFETCH(int, result);
    QFETCH(ChunkedDecoder::Error, error);
    QFETCH(QByteArray, body);

    const Result expected = result == 0   ? Result::NeedMore
                            : result == 1 ? Result::Done
                                          : Result::Error;
    const Outcome whole =
        ::decode(input, maxBody, maxTrailer, [&](qsizetype) { return input.size(); });
    QCOMPARE(int(whole.result), int(expected));
    QCOMPARE(whole.error, error);
    if (expected != Result::Error)
        QCOMPARE(whole.body, body);
    if (expected == Result::Done)
        QCOMPARE(whole.consumed, input.size());

    // Byte at a time and every two-piece split must give the same answer.
    const Outcome bytes = ::decode(input, maxBody, maxTrailer, [](qsizetype) { return 1; });
    QCOMPARE(int(bytes.result), int(expected));
    QCOMPARE(bytes.error, error);
    QCOMPARE(bytes.body, whole.body);
    QCOMPARE(bytes.consumed, whole.consumed);
    for (qsizetype cut = 1; cut < input.size(); ++cut) {
        const Outcome split = ::decode(input, maxBody, maxTrailer, [&](qsizetype pos) {
            return pos < cut ? cut - pos : input.size();
        });
        QCOMPARE(int(split.result), int(expected));
        QCOMPARE(split.body, whole.body);
        QCOMPARE(split.consumed, whole.consumed);
    }
}

void tst_ChunkedDecoder::stopsAtEndOfMessage()
{
    const QByteArray message = "5\r\nhello\r\n0\r\nX: 1\r\n\r\n";
    const QByteArray next = "GET / HTTP/1.1\r\n\r\n";
    ChunkedDecoder decoder;
    QByteArray body;
    qsizetype used = 0;
    QCOMPARE(decoder.feed(QByteArray(message + next), &body, &used), Result::Done);
    QCOMPARE(used, message.size());
    QCOMPARE(body, QByteArray("hello"));
    QVERIFY(decoder.isDone());
    QCOMPARE(decoder.decodedBytes(), 5);
}

void tst_ChunkedDecoder::feedAfterDoneOrError()
{
    ChunkedDecoder decoder;
    QByteArray body;
    qsizetype used = -1;
    QCOMPARE(decoder.feed("0\r\n\r\n", &body, &used), Result::Done);
    QCOMPARE(decoder.feed("5\r\nhello", &body, &used), Result::Done);
    QCOMPARE(used, 0);

    ChunkedDecoder broken;
    QCOMPARE(broken.feed("zz", &body, &used), Result::Error);
    QCOMPARE(used, 1);
    QVERIFY(broken.hasError());
    QCOMPARE(broken.feed("5\r\n", &body, &used), Result::Error);
    QCOMPARE(used, 0);
}

void tst_ChunkedDecoder::resetStartsOver()
{
    ChunkedDecoder decoder(4);
    QByteArray body;
    QCOMPARE(decoder.feed("5\r\n", &body), Result::Error);
    QCOMPARE(decoder.error(), Error::BodyTooLarge);
    decoder.reset();
    QVERIFY(!decoder.hasError());
    QCOMPARE(decoder.feed("4\r\nabcd\r\n0\r\n\r\n", &body), Result::Done);
    QCOMPARE(body, QByteArray("abcd"));
}

void tst_ChunkedDecoder::nullBodyOnlyCounts()
{
    ChunkedDecoder decoder;
    QCOMPARE(decoder.feed("3\r\nabc\r\n0\r\n\r\n", nullptr), Result::Done);
    QCOMPARE(decoder.decodedBytes(), 3);
}

void tst_ChunkedDecoder::randomInputIsSplitInvariant()
{
    // Noise built from the grammar's own pieces reaches the deep states; the answer must
    // not depend on how the bytes were split, and nothing may crash.
    static const char *const pieces[] = {"0", "5", "a",    "F",     "\r", "\n", ";", " ",
                                         "x", ":", "\r\n", "hello", "\t", "ff", "\0"};
    QRandomGenerator rng(20240601);
    for (int round = 0; round < 400; ++round) {
        QByteArray input;
        const int count = int(rng.bounded(1, 40));
        for (int i = 0; i < count; ++i) {
            const char *p = pieces[rng.bounded(int(std::size(pieces)))];
            input.append(p, *p ? qsizetype(std::strlen(p)) : 1);
        }
        const Outcome whole = ::decode(input, 64, 64, [&](qsizetype) { return input.size(); });
        const Outcome bytes = ::decode(input, 64, 64, [](qsizetype) { return 1; });
        QRandomGenerator splitRng(round);
        const Outcome random =
            ::decode(input, 64, 64, [&](qsizetype) { return qsizetype(splitRng.bounded(1, 8)); });
        QCOMPARE(int(bytes.result), int(whole.result));
        QCOMPARE(int(random.result), int(whole.result));
        QCOMPARE(bytes.error, whole.error);
        QCOMPARE(bytes.consumed, whole.consumed);
        QCOMPARE(random.consumed, whole.consumed);
        QCOMPARE(bytes.body, whole.body);
    }
}

QTEST_GUILESS_MAIN(tst_ChunkedDecoder)
#include "tst_chunkeddecoder.moc"
