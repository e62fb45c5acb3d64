#include "http/sseparser.h"

#include <QTest>

namespace {

struct Parsed
{
    QList<SseEvent> events;
    QByteArray remainder;
    bool error = false;
};

template<typename Split>
Parsed run(const QByteArray &input, Split split, qsizetype max = SseParser::DefaultMaxBufferedBytes)
{
    SseParser parser(max);
    Parsed out;
    qsizetype pos = 0;
    while (pos < input.size()) {
        const qsizetype len = std::min<qsizetype>(split(pos), input.size() - pos);
        out.events += parser.feed(QByteArrayView(input).sliced(pos, len));
        pos += len;
    }
    out.error = parser.hasError();
    out.remainder = parser.takeRemainder();
    return out;
}

QByteArray joinRaw(const Parsed &p)
{
    QByteArray all;
    for (const SseEvent &e : p.events)
        all += e.raw;
    return all + p.remainder;
}

// "event|data" per event, to compare the parsed view across splits.
QStringList summary(const Parsed &p)
{
    QStringList out;
    for (const SseEvent &e : p.events) {
        out << QString::fromUtf8(e.event + '|' + (e.hasData ? e.data : QByteArray("<none>")) + '|' +
                                 (e.hasId ? e.id : QByteArray("<none>")) + '|' +
                                 QByteArray::number(e.retryMs));
    }
    return out;
}

} // namespace

class tst_SseParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void events_data();
    void events();
    void crlfSplitAcrossFeeds();
    void eventReturnedAsSoonAsComplete();
    void openAiStream();
    void commentOnlyEvent();
    void bufferLimit();
    void completeEventsDoNotCountAgainstLimit();
    void byteAtATimeLargeStream();
    void takeRemainderResets();
};

void tst_SseParser::events_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("parsed"); // event|data|id|retry
    QTest::addColumn<QList<QByteArray>>("raws");
    QTest::addColumn<QByteArray>("remainder");

    using L = QList<QByteArray>;
    QTest::newRow("one event") << QByteArray("data: hello\n\n") << QStringList{"|hello|<none>|-1"}
                               << L{"data: hello\n\n"} << QByteArray();
    QTest::newRow("multi-line data")
        << QByteArray("data: a\ndata: b\n\n") << QStringList{"|a\nb|<none>|-1"}
        << L{"data: a\ndata: b\n\n"} << QByteArray();
    QTest::newRow("crlf") << QByteArray("data: x\r\n\r\ndata: y\r\n\r\n")
                          << QStringList{"|x|<none>|-1", "|y|<none>|-1"}
                          << L{"data: x\r\n\r\n", "data: y\r\n\r\n"} << QByteArray();
    QTest::newRow("cr only") << QByteArray("data: x\r\rdata: y\r\r")
                             << QStringList{"|x|<none>|-1", "|y|<none>|-1"}
                             << L{"data: x\r\r", "data: y\r\r"} << QByteArray();
    QTest::newRow("mixed endings")
        << QByteArray("data: a\r\ndata: b\rdata: c\n\r\n") << QStringList{"|a\nb\nc|<none>|-1"}
        << L{"data: a\r\ndata: b\rdata: c\n\r\n"} << QByteArray();
    QTest::newRow("event name") << QByteArray("event: ping\ndata: {}\n\n")
                                << QStringList{"ping|{}|<none>|-1"}
                                << L{"event: ping\ndata: {}\n\n"} << QByteArray();
    QTest::newRow("no space after colon") << QByteArray("data:x\n\n") << QStringList{"|x|<none>|-1"}
                                          << L{"data:x\n\n"} << QByteArray();
    QTest::newRow("only one space stripped")
        << QByteArray("data:  x \n\n") << QStringList{"| x |<none>|-1"} << L{"data:  x \n\n"}
        << QByteArray();
    QTest::newRow("field without colon")
        << QByteArray("data\n\n") << QStringList{"||<none>|-1"} << L{"data\n\n"} << QByteArray();
    QTest::newRow("empty data lines")
        << QByteArray("data:\ndata:\n\n") << QStringList{"|\n|<none>|-1"} << L{"data:\ndata:\n\n"}
        << QByteArray();
    QTest::newRow("id and retry") << QByteArray("id: 7\nretry: 1500\ndata: z\n\n")
                                  << QStringList{"|z|7|1500"}
                                  << L{"id: 7\nretry: 1500\ndata: z\n\n"} << QByteArray();
    QTest::newRow("bad retry ignored")
        << QByteArray("retry: 1s\ndata: z\n\n") << QStringList{"|z|<none>|-1"}
        << L{"retry: 1s\ndata: z\n\n"} << QByteArray();
    QTest::newRow("unknown field ignored")
        << QByteArray("foo: bar\ndata: y\n\n") << QStringList{"|y|<none>|-1"}
        << L{"foo: bar\ndata: y\n\n"} << QByteArray();
    QTest::newRow("comment then data")
        << QByteArray(": hi\ndata: y\n\n") << QStringList{"|y|<none>|-1"} << L{": hi\ndata: y\n\n"}
        << QByteArray();
    QTest::newRow("leading blank lines kept in front")
        << QByteArray("\n\r\ndata: a\n\n") << QStringList{"|a|<none>|-1"} << L{"\n\r\ndata: a\n\n"}
        << QByteArray();
    QTest::newRow("several events in one piece")
        << QByteArray("data: 1\n\ndata: 2\n\nevent: e\ndata: 3\n\n")
        << QStringList{"|1|<none>|-1", "|2|<none>|-1", "e|3|<none>|-1"}
        << L{"data: 1\n\n", "data: 2\n\n", "event: e\ndata: 3\n\n"} << QByteArray();
    QTest::newRow("remainder") << QByteArray("data: a\n\ndata: b\n") << QStringList{"|a|<none>|-1"}
                               << L{"data: a\n\n"} << QByteArray("data: b\n");
    QTest::newRow("remainder without line end")
        << QByteArray("data: a\n\ndata: [DO") << QStringList{"|a|<none>|-1"} << L{"data: a\n\n"}
        << QByteArray("data: [DO");
    QTest::newRow("trailing blank lines")
        << QByteArray("data: a\n\n\n\n") << QStringList{"|a|<none>|-1"} << L{"data: a\n\n"}
        << QByteArray("\n\n");
    QTest::newRow("bom") << QByteArray("\xEF\xBB\xBF"
                                       "data: a\n\n")
                         << QStringList{"|a|<none>|-1"}
                         << L{"\xEF\xBB\xBF"
                              "data: a\n\n"}
                         << QByteArray();
    QTest::newRow("utf8 and colon in value")
        << QByteArray("data: {\"t\":\"caf\xc3\xa9: ok\"}\n\n")
        << QStringList{QString::fromUtf8("|{\"t\":\"caf\xc3\xa9: ok\"}|<none>|-1")}
        << L{"data: {\"t\":\"caf\xc3\xa9: ok\"}\n\n"} << QByteArray();
}

void tst_SseParser::events()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, parsed);
    QFETCH(QList<QByteArray>, raws);
    QFETCH(QByteArray, remainder);

    const Parsed whole = run(input, [&](qsizetype) { return input.size(); });
    QCOMPARE(summary(whole), parsed);
    QList<QByteArray> gotRaws;
    for (const SseEvent &e : whole.events)
        gotRaws << e.raw;
    QCOMPARE(gotRaws, raws);
    QCOMPARE(whole.remainder, remainder);
    QVERIFY(!whole.error);

    // Any split gives the same events and, joined, the very same bytes. Only where an
    // event ends in a lone CR may the LF that follows move to the next event's raw.
    auto check = [&](const Parsed &p) {
        QCOMPARE(summary(p), parsed);
        QCOMPARE(joinRaw(p), input);
    };
    check(run(input, [](qsizetype) { return 1; }));
    for (qsizetype cut = 1; cut < input.size(); ++cut)
        check(run(input, [&](qsizetype pos) { return pos < cut ? cut - pos : 1 << 30; }));
}

void tst_SseParser::crlfSplitAcrossFeeds()
{
    SseParser parser;
    QList<SseEvent> first = parser.feed("data: x\r\n\r");
    QCOMPARE(first.size(), 1); // not held back waiting for a possible LF
    QCOMPARE(first.at(0).raw, QByteArray("data: x\r\n\r"));
    QList<SseEvent> second = parser.feed("\ndata: y\r\n\r\n");
    QCOMPARE(second.size(), 1);
    QCOMPARE(second.at(0).data, QByteArray("y"));
    QCOMPARE(second.at(0).raw, QByteArray("\ndata: y\r\n\r\n"));
    QVERIFY(parser.takeRemainder().isEmpty());
}

void tst_SseParser::eventReturnedAsSoonAsComplete()
{
    SseParser parser;
    QVERIFY(parser.feed("data: {\"a\":1}\n").isEmpty());
    const QList<SseEvent> events = parser.feed("\ndata: {\"a\"");
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.at(0).data, QByteArray("{\"a\":1}"));
    QCOMPARE(parser.bufferedBytes(), QByteArrayView("data: {\"a\"").size());
}

void tst_SseParser::openAiStream()
{
    const QByteArray stream = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n"
                              "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                              "data: [DONE]\n\n";
    SseParser parser;
    const QList<SseEvent> events = parser.feed(stream);
    QCOMPARE(events.size(), 3);
    QVERIFY(!events.at(0).isDone());
    QVERIFY(events.at(2).isDone());
    QVERIFY(events.at(0).data.startsWith("{\"choices\""));
}

void tst_SseParser::commentOnlyEvent()
{
    SseParser parser;
    const QList<SseEvent> events = parser.feed(": keep-alive\n\n");
    QCOMPARE(events.size(), 1);
    QVERIFY(events.at(0).isCommentOnly());
    QVERIFY(!events.at(0).hasData);
    QCOMPARE(events.at(0).raw, QByteArray(": keep-alive\n\n"));
}

void tst_SseParser::bufferLimit()
{
    SseParser parser(100);
    QVERIFY(parser.feed(QByteArray(60, 'a')).isEmpty());
    QVERIFY(!parser.hasError());
    QVERIFY(parser.feed(QByteArray(60, 'a')).isEmpty());
    QVERIFY(parser.hasError());
    QVERIFY(!parser.errorString().isEmpty());
    QCOMPARE(parser.bufferedBytes(), 0);
    QVERIFY(parser.feed("\n\ndata: x\n\n").isEmpty()); // ignored after the error
    parser.reset();
    QVERIFY(!parser.hasError());
    QCOMPARE(parser.feed("data: x\n\n").size(), 1);
}

void tst_SseParser::completeEventsDoNotCountAgainstLimit()
{
    SseParser parser(64);
    QByteArray many;
    for (int i = 0; i < 100; ++i)
        many += "data: " + QByteArray::number(i) + "\n\n";
    QCOMPARE(parser.feed(many).size(), 100);
    QVERIFY(!parser.hasError());
}

void tst_SseParser::byteAtATimeLargeStream()
{
    // Two megabytes a byte at a time: a parser that rescans its buffer would not finish.
    QByteArray stream;
    const QByteArray event = "data: " + QByteArray(1000, 'x') + "\n\n";
    while (stream.size() < 2 * 1024 * 1024)
        stream += event;
    SseParser parser;
    qsizetype count = 0;
    for (char c : std::as_const(stream))
        count += parser.feed(QByteArrayView(&c, 1)).size();
    QCOMPARE(count, stream.size() / event.size());

    // One huge event arriving a byte at a time, below the limit.
    QByteArray huge = "data: " + QByteArray(3 * 1024 * 1024, 'y') + "\n\n";
    SseParser big;
    QList<SseEvent> got;
    for (char c : std::as_const(huge))
        got += big.feed(QByteArrayView(&c, 1));
    QCOMPARE(got.size(), 1);
    QCOMPARE(got.at(0).raw, huge);
}

void tst_SseParser::takeRemainderResets()
{
    SseParser parser;
    parser.feed("event: x\ndata: partial");
    QCOMPARE(parser.takeRemainder(), QByteArray("event: x\ndata: partial"));
    QCOMPARE(parser.bufferedBytes(), 0);
    // The half-read event must not leak into the next stream.
    const QList<SseEvent> events = parser.feed("data: fresh\n\n");
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.at(0).event, QByteArray());
    QCOMPARE(events.at(0).data, QByteArray("fresh"));
}

QTEST_GUILESS_MAIN(tst_SseParser)
#include "tst_sseparser.moc"
