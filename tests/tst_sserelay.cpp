#include "proxy/sserelay.h"

#include <QTest>

class TestSseRelay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Whatever arrives together leaves together, byte for byte, up to the last whole event.
    void burstComesOutAsOneBlock()
    {
        QByteArray stream;
        for (int i = 0; i < 300; ++i)
            stream += "data: {\"i\":" + QByteArray::number(i) + "}\n\n";
        stream += "data: [DONE]\n\n";
        SseRelay relay;
        const QByteArray out = relay.feed(stream);
        QCOMPARE(out, stream);
        QCOMPARE(relay.eventCount(), 301);
        QVERIFY(relay.sawDone());
        QVERIFY(relay.takeRemainder().isEmpty());
    }

    void splitsAnywhere_data()
    {
        QTest::addColumn<int>("step");
        for (int step : {1, 2, 3, 7, 16, 1000})
            QTest::addRow("step %d", step) << step;
    }

    void splitsAnywhere()
    {
        QFETCH(int, step);
        const QByteArray stream = "event: x\r\ndata: {\"a\":1}\r\n\r\n: keep-alive\n\ndata: "
                                  "{\"b\":2}\rdata: more\r\rdata: [DONE]\n\n";
        SseRelay relay;
        QByteArray out;
        for (int i = 0; i < stream.size(); i += step)
            out += relay.feed(QByteArrayView(stream).sliced(i, qMin(step, int(stream.size()) - i)));
        out += relay.takeRemainder();
        QCOMPARE(out, stream);
        QVERIFY(relay.sawDone());
    }

    void incompleteEventWaits()
    {
        SseRelay relay;
        QCOMPARE(relay.feed("data: {\"a\":1}\n\ndata: {\"b\""), QByteArray("data: {\"a\":1}\n\n"));
        QVERIFY(!relay.sawDone());
        QCOMPARE(relay.takeRemainder(), QByteArray("data: {\"b\""));
    }

    void oversizedEventIsAnError()
    {
        SseRelay relay;
        const QByteArray huge(SseParser::DefaultMaxBufferedBytes + 10, 'x');
        QVERIFY(relay.feed(QByteArray("data: " + huge)).isEmpty());
        QVERIFY(relay.hasError());
        QVERIFY(relay.feed("\n\ndata: [DONE]\n\n").isEmpty());
    }

    // OpenAI-style usage in the last chunk (stream_options.include_usage).
    void usageFromTheLastChunk_data()
    {
        QTest::addColumn<bool>("strip");
        QTest::newRow("client asked for usage") << false;
        QTest::newRow("proxy asked on the client's behalf") << true;
    }

    void usageFromTheLastChunk()
    {
        QFETCH(bool, strip);
        const QByteArray content =
            "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n";
        const QByteArray usage =
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":7,"
            "\"prompt_tokens_details\":{\"cached_tokens\":100},"
            "\"completion_tokens_details\":{\"reasoning_tokens\":3}}}\n\n";
        const QByteArray done = "data: [DONE]\n\n";
        SseRelay relay;
        relay.setStripUsageOnlyChunks(strip);
        QVERIFY(!relay.usage().reported);
        QCOMPARE(relay.feed(QByteArray(content + usage + done)),
                 strip ? QByteArray(content + done) : QByteArray(content + usage + done));
        QVERIFY(relay.usage().reported);
        QCOMPARE(relay.usage().promptTokens, 120);
        QCOMPARE(relay.usage().completionTokens, 7);
        QCOMPARE(relay.usage().cachedTokens, 100);
        QCOMPARE(relay.usage().reasoningTokens, 3);
        // One event at a time, too.
        relay.reset();
        QCOMPARE(relay.feed(usage), strip ? QByteArray() : usage);
        QCOMPARE(relay.usage().promptTokens, 120);
    }

    // Usage riding on a content chunk is the client's answer: never left out.
    void usageOnAContentChunkStays()
    {
        const QByteArray chunk = "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}],"
                                 "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}\n\n";
        SseRelay relay;
        relay.setStripUsageOnlyChunks(true);
        QCOMPARE(relay.feed(chunk), chunk);
        QCOMPARE(relay.usage().promptTokens, 5);
        QCOMPARE(relay.usage().cachedTokens, 0);
    }

    void resetForgetsTheLastAttempt()
    {
        SseRelay relay;
        relay.feed("data: [DONE]\n\ndata: x");
        relay.reset();
        QVERIFY(!relay.sawDone());
        QCOMPARE(relay.eventCount(), 0);
        QVERIFY(relay.takeRemainder().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSseRelay)
#include "tst_sserelay.moc"
