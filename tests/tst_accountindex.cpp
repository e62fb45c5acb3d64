// AccountIndex: names, order and routing states of several credentials, as tables.
#include "credentials/accountindex.h"

#include <QTest>
#include <QTimeZone>

namespace {
AccountIndex indexOf(const QStringList &names)
{
    AccountIndex index;
    for (const QString &n : names)
        index.add(n);
    return index;
}
} // namespace

class TestAccountIndex : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void names_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("ok");
        QTest::newRow("word") << "work" << true;
        QTest::newRow("default") << "default" << true;
        QTest::newRow("dashes dots underscores") << "coding-plan_2.pro" << true;
        QTest::newRow("digit first") << "2nd" << true;
        QTest::newRow("32 characters") << QString(32, QLatin1Char('a')) << true;
        QTest::newRow("33 characters") << QString(33, QLatin1Char('a')) << false;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("space") << "my key" << false;
        QTest::newRow("slash") << "a/b" << false;
        QTest::newRow("dash first") << "-x" << false;
        QTest::newRow("dot first") << ".hidden" << false;
        QTest::newRow("underscore first") << "_x" << false;
        QTest::newRow("a newline at the end") << "work\n" << false;
        QTest::newRow("upper case and digits") << "Team7" << true;
        QTest::newRow("non-ASCII") << QStringLiteral("clé") << false;
        QTest::newRow("the index's own entry") << "accounts" << false;
    }
    void names()
    {
        QFETCH(QString, name);
        QFETCH(bool, ok);
        QCOMPARE(AccountIndex::checkName(name).isEmpty(), ok);
    }

    void keychainEntries()
    {
        // The default credential stays where earlier versions kept it.
        QCOMPARE(AccountIndex::keyFor(QStringLiteral("default")), QStringLiteral("default"));
        QCOMPARE(AccountIndex::keyFor(QStringLiteral("payg")), QStringLiteral("account/payg"));
        QVERIFY(AccountIndex::keyFor(QStringLiteral("accounts")) !=
                QLatin1String(AccountIndex::kIndexKey));
    }

    void edits_data()
    {
        QTest::addColumn<QStringList>("start");
        QTest::addColumn<QString>("edit");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("after");
        QTest::addColumn<bool>("ok");
        const QStringList abc{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
        QTest::newRow("use the last")
            << abc << "use" << QStringList{"c"} << QStringList{"c", "a", "b"} << true;
        QTest::newRow("use the first") << abc << "use" << QStringList{"a"} << abc << true;
        QTest::newRow("use unknown") << abc << "use" << QStringList{"x"} << abc << false;
        QTest::newRow("remove middle")
            << abc << "remove" << QStringList{"b"} << QStringList{"a", "c"} << true;
        QTest::newRow("remove unknown") << abc << "remove" << QStringList{"x"} << abc << false;
        QTest::newRow("order all")
            << abc << "order" << QStringList{"c", "b", "a"} << QStringList{"c", "b", "a"} << true;
        QTest::newRow("order some: the rest keep theirs")
            << abc << "order" << QStringList{"c"} << QStringList{"c", "a", "b"} << true;
        QTest::newRow("order two of three")
            << abc << "order" << QStringList{"b", "a"} << QStringList{"b", "a", "c"} << true;
        QTest::newRow("order unknown") << abc << "order" << QStringList{"c", "x"} << abc << false;
        QTest::newRow("order twice") << abc << "order" << QStringList{"c", "c"} << abc << false;
        QTest::newRow("rename keeps the place")
            << abc << "rename" << QStringList{"b", "z"} << QStringList{"a", "z", "c"} << true;
        QTest::newRow("rename to a taken name")
            << abc << "rename" << QStringList{"b", "c"} << abc << false;
        QTest::newRow("rename to a bad name")
            << abc << "rename" << QStringList{"b", "no good"} << abc << false;
        QTest::newRow("rename unknown") << abc << "rename" << QStringList{"x", "y"} << abc << false;
        QTest::newRow("add new at the end")
            << abc << "add" << QStringList{"d"} << QStringList{"a", "b", "c", "d"} << true;
        QTest::newRow("add known keeps its place")
            << abc << "add" << QStringList{"a"} << abc << true;
    }
    void edits()
    {
        QFETCH(QStringList, start);
        QFETCH(QString, edit);
        QFETCH(QStringList, args);
        QFETCH(QStringList, after);
        QFETCH(bool, ok);
        AccountIndex index = indexOf(start);
        bool done = false;
        if (edit == QLatin1String("use"))
            done = index.use(args.at(0));
        else if (edit == QLatin1String("remove"))
            done = index.remove(args.at(0));
        else if (edit == QLatin1String("order"))
            done = index.reorder(args).isEmpty();
        else if (edit == QLatin1String("rename"))
            done = index.rename(args.at(0), args.at(1)).isEmpty();
        else if (edit == QLatin1String("add")) {
            index.add(args.at(0));
            done = true;
        }
        QCOMPARE(done, ok);
        QCOMPARE(index.names(), after);
    }

    void statesEndOnTheirOwn()
    {
        const QDateTime now = QDateTime(QDate(2026, 12, 2), QTime(12, 0), QTimeZone::utc());
        AccountIndex index = indexOf({QStringLiteral("a")});
        index.setRoute(QStringLiteral("a"), AccountIndex::Route::Exhausted, now.addSecs(60),
                       QStringLiteral("used up"));
        const AccountIndex::Entry e = index.entries.first();
        QCOMPARE(e.routeAt(now), AccountIndex::Route::Exhausted);
        QCOMPARE(e.routeAt(now.addSecs(59)), AccountIndex::Route::Exhausted);
        QCOMPARE(e.routeAt(now.addSecs(60)), AccountIndex::Route::Usable);
        // Needing a sign-in does not pass with time.
        index.setRoute(QStringLiteral("a"), AccountIndex::Route::NeedsSignIn, {},
                       QStringLiteral("x"));
        QCOMPARE(index.entries.first().routeAt(now.addYears(1)), AccountIndex::Route::NeedsSignIn);
        // A new key under the same name starts over.
        index.add(QStringLiteral("a"));
        QCOMPARE(index.entries.first().route, AccountIndex::Route::Usable);
        QVERIFY(index.entries.first().reason.isEmpty());
    }

    void jsonRoundTrip()
    {
        const QDateTime until = QDateTime(QDate(2026, 12, 2), QTime(14, 20), QTimeZone::utc());
        AccountIndex index =
            indexOf({QStringLiteral("default"), QStringLiteral("payg"), QStringLiteral("spare")});
        index.setRoute(QStringLiteral("default"), AccountIndex::Route::Exhausted, until,
                       QStringLiteral("hour quota"));
        index.setRoute(QStringLiteral("spare"), AccountIndex::Route::Cooling, until.addSecs(30),
                       QStringLiteral("429"));
        const AccountIndex back = AccountIndex::fromJson(index.toJson());
        QCOMPARE(back.names(), index.names());
        QCOMPARE(back.entries.at(0).route, AccountIndex::Route::Exhausted);
        QCOMPARE(back.entries.at(0).until, until);
        QCOMPARE(back.entries.at(0).reason, QStringLiteral("hour quota"));
        QCOMPARE(back.entries.at(1).route, AccountIndex::Route::Usable);
        QCOMPARE(back.entries.at(2).route, AccountIndex::Route::Cooling);
        // The index holds no secret, only names and states.
        QVERIFY(!index.toJson().contains("sk-"));
    }

    void brokenJsonReadsAsEmptyOrPartial()
    {
        QVERIFY(AccountIndex::fromJson("not json").entries.isEmpty());
        QVERIFY(AccountIndex::fromJson("{}").entries.isEmpty());
        const AccountIndex partial = AccountIndex::fromJson(
            R"({"accounts":[{"name":"ok"},{"name":"bad name"},{"name":"ok"},{"x":1},{"name":"b","state":"weird"}]})");
        QCOMPARE(partial.names(), (QStringList{QStringLiteral("ok"), QStringLiteral("b")}));
        QCOMPARE(partial.entries.at(1).route, AccountIndex::Route::Usable);
    }
};

QTEST_GUILESS_MAIN(TestAccountIndex)
#include "tst_accountindex.moc"
