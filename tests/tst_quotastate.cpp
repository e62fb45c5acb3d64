#include "bridge/quotastate.h"
#include "session/clock.h"

#include <QSignalSpy>
#include <QTest>

namespace {
class TestClock : public Clock
{
public:
    QDateTime now = QDateTime(QDate(2026, 5, 1), QTime(12, 0), Qt::UTC);
    QDateTime nowUtc() const override { return now; }
};
} // namespace

class TestQuotaState : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void events_data()
    {
        // Space-separated events: "q" the upstream says the quota is gone (no window),
        // "qN" the same with a window that resets in N seconds, "s" another sign-in,
        // "a" the upstream answered a chat, "tN" N seconds pass and the state is checked.
        // Renewing a token is no event at all: nothing here can clear the state for it.
        QTest::addColumn<QString>("events");
        QTest::addColumn<bool>("exhausted");
        QTest::addColumn<int>("news"); // how many reports were news
        QTest::addColumn<int>("changes");
        QTest::newRow("nothing") << "" << false << 0 << 0;
        QTest::newRow("used up") << "q" << true << 1 << 1;
        QTest::newRow("said again") << "q q q" << true << 1 << 1;
        QTest::newRow("time passes without a window") << "q t100000" << true << 1 << 1;
        QTest::newRow("new sign-in") << "q s" << false << 1 << 2;
        QTest::newRow("answer") << "q a" << false << 1 << 2;
        QTest::newRow("again after an answer") << "q a q" << true << 2 << 3;
        QTest::newRow("before the reset") << "q60 t59" << true << 1 << 1;
        QTest::newRow("at the reset") << "q60 t60" << false << 1 << 2;
        QTest::newRow("later reset wins") << "q60 q120 t60" << true << 1 << 1;
        QTest::newRow("later reset passes") << "q60 q120 t120" << false << 1 << 2;
        QTest::newRow("earlier reset ignored") << "q120 q60 t60" << true << 1 << 1;
        QTest::newRow("windowless quota stays") << "q60 q t60" << true << 1 << 1;
        QTest::newRow("sign-in before reset") << "q60 s t60" << false << 1 << 2;
        QTest::newRow("clear when clear") << "s a t10" << false << 0 << 0;
    }
    void events()
    {
        QFETCH(QString, events);
        QFETCH(bool, exhausted);
        QFETCH(int, news);
        QFETCH(int, changes);
        TestClock clock;
        QuotaState state(&clock);
        QSignalSpy changed(&state, &QuotaState::changed);
        int newsSeen = 0;
        for (const QString &event : events.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            const int n = event.mid(1).toInt();
            switch (event.at(0).toLatin1()) {
            case 'q':
                newsSeen += state.report(QStringLiteral("Quota used up."),
                                         event.size() > 1 ? clock.now.addSecs(n) : QDateTime());
                break;
            case 's':
                state.signInReplaced();
                break;
            case 'a':
                state.upstreamAnswered();
                break;
            case 't':
                clock.now = clock.now.addSecs(n);
                state.checkNow();
                break;
            default:
                QFAIL(qPrintable(event));
            }
        }
        QCOMPARE(state.isExhausted(), exhausted);
        QCOMPARE(state.message().isEmpty(), !exhausted);
        QCOMPARE(newsSeen, news);
        QCOMPARE(changed.size(), changes);
        if (!changed.isEmpty())
            QCOMPARE(changed.last().at(0).toBool(), exhausted);
    }

    void theResetTimeEndsItByItself()
    {
        QuotaState state;
        QSignalSpy changed(&state, &QuotaState::changed);
        QVERIFY(state.report(QStringLiteral("Used up."),
                             QDateTime::currentDateTimeUtc().addMSecs(200)));
        QVERIFY(state.isExhausted());
        QTRY_VERIFY(!state.isExhausted());
        QCOMPARE(changed.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestQuotaState)
#include "tst_quotastate.moc"
