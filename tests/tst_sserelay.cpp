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
        QVERIFY(relay.feed("data: " + huge).isEmpty());
        QVERIFY(relay.hasError());
        QVERIFY(relay.feed("\n\ndata: [DONE]\n\n").isEmpty());
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
