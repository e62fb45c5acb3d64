#include "usage/usagestore.h"

#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <cstdio>
#include <signal.h>

namespace {
UsageRecord makeRecord(qint64 timeMs, const QString &model, qint64 prompt, qint64 completion,
                       int status = 200)
{
    UsageRecord r;
    r.timeMs = timeMs;
    r.method = QStringLiteral("api_key");
    r.planId = QStringLiteral("coding-plan-global");
    r.credential = QStringLiteral("default");
    r.model = model;
    r.httpStatus = status;
    r.promptTokens = prompt;
    r.completionTokens = completion;
    r.cachedTokens = prompt / 2;
    r.reasoningTokens = completion / 4;
    r.firstByteMs = 120;
    r.durationMs = 900;
    return r;
}

qint64 countRows(const QString &path, const QString &sql)
{
    qint64 n = -1;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("peek"));
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(sql) && q.next())
                n = q.value(0).toLongLong();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("peek"));
    return n;
}

// The child of killDashNine: records one request a millisecond, numbered in its completion
// tokens, and says on stdout which number it recorded when; it runs until it is killed.
int recordUntilKilled(const QString &path)
{
    UsageStore store(path);
    if (!store.open())
        return 2;
    for (qint64 i = 1;; ++i) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        store.record(makeRecord(now, QStringLiteral("qwen3-coder-plus"), 1, i));
        if (i % 50 == 0) {
            std::printf("recorded %lld at %lld\n", static_cast<long long>(i),
                        static_cast<long long>(now));
            std::fflush(stdout);
        }
        QThread::msleep(1);
    }
}
} // namespace

class TestUsageStore : public QObject
{
    Q_OBJECT

private slots:
    void recordsFromManyThreads();
    void perDayAndByModel();
    void foldsOldRowsIntoDailyTotals();
    void replacesAFileThatIsNotADatabase();
    void replacesADamagedDatabase();
    void readerNeverCreatesTheFile();
    void dropsRecordsWhileTheFileIsLocked();
    void remembersTheUpstreamsExhaustion();
    void keepsCommittedRecordsAfterKill();
};

void TestUsageStore::recordsFromManyThreads()
{
    QTemporaryDir dir;
    UsageStore store(dir.filePath(QStringLiteral("usage.sqlite")));
    QVERIFY(store.open());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    constexpr int kThreads = 64;
    constexpr int kEach = 200;
    QList<QThread *> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.append(QThread::create([&store, now, t] {
            for (int i = 0; i < kEach; ++i)
                store.record(makeRecord(now - i, QStringLiteral("m%1").arg(t % 4), 10, 3));
        }));
        threads.last()->start();
    }
    for (QThread *thread : threads) {
        thread->wait();
        delete thread;
    }
    store.flush();
    const UsageTotals t = store.totals(QDateTime::fromMSecsSinceEpoch(now - kEach),
                                       QDateTime::fromMSecsSinceEpoch(now + 1));
    QCOMPARE(t.requests, qint64(kThreads * kEach));
    QCOMPARE(t.succeeded, qint64(kThreads * kEach));
    QCOMPARE(t.promptTokens, qint64(kThreads * kEach * 10));
    QCOMPARE(t.completionTokens, qint64(kThreads * kEach * 3));
    QCOMPARE(t.cachedTokens, qint64(kThreads * kEach * 5));
    QCOMPARE(
        store.byModel(QDateTime::fromMSecsSinceEpoch(0), QDateTime::fromMSecsSinceEpoch(now + 1))
            .size(),
        4);
}

void TestUsageStore::perDayAndByModel()
{
    QTemporaryDir dir;
    UsageStore store(dir.filePath(QStringLiteral("usage.sqlite")));
    QVERIFY(store.open());
    const QDate today = QDate::currentDate();
    const auto at = [](const QDate &d, int hour) {
        return QDateTime(d, QTime(hour, 30)).toMSecsSinceEpoch();
    };
    store.record(makeRecord(at(today, 0), QStringLiteral("a"), 100, 10));
    store.record(makeRecord(at(today, 23), QStringLiteral("b"), 200, 20));
    store.record(makeRecord(at(today.addDays(-2), 12), QStringLiteral("a"), 300, 30, 429));
    store.record(makeRecord(at(today.addDays(-9), 12), QStringLiteral("a"), 400, 40));
    store.flush();

    const QList<DailyUsage> days = store.perDay(today.addDays(-6), today);
    QCOMPARE(days.size(), 7);
    QCOMPARE(days.first().day, today.addDays(-6));
    QCOMPARE(days.last().day, today);
    QCOMPARE(days.last().totals.requests, qint64(2));
    QCOMPARE(days.last().totals.promptTokens, qint64(300));
    QCOMPARE(days.at(4).totals.requests, qint64(1));
    QCOMPARE(days.at(4).totals.succeeded, qint64(0));
    QCOMPARE(days.at(5).totals.requests, qint64(0));

    const QList<ModelUsage> models =
        store.byModel(today.addDays(-6).startOfDay(), today.addDays(1).startOfDay());
    QCOMPARE(models.size(), 2);
    QCOMPARE(models.first().model, QStringLiteral("a"));
    QCOMPARE(models.first().totals.requests, qint64(2));
    QCOMPARE(models.last().totals.completionTokens, qint64(20));
    QCOMPARE(store.latestPlanId(), QStringLiteral("coding-plan-global"));
    QCOMPARE(store
                 .totals(today.startOfDay(), today.addDays(1).startOfDay(),
                         QStringLiteral("token-plan-singapore"))
                 .requests,
             qint64(0));
}

void TestUsageStore::foldsOldRowsIntoDailyTotals()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("usage.sqlite"));
    UsageStore store(path);
    QVERIFY(store.open());
    const QDateTime now = QDateTime::currentDateTime();
    const QDate today = now.date();
    const auto at = [](const QDate &d, int hour) {
        return QDateTime(d, QTime(hour, 0)).toMSecsSinceEpoch();
    };
    const QDate old = today.addDays(-40);
    const QDate ancient = today.addDays(-401);
    store.record(makeRecord(at(old, 9), QStringLiteral("a"), 100, 10));
    store.record(makeRecord(at(old, 10), QStringLiteral("a"), 200, 20, 500));
    store.record(makeRecord(at(old, 11), QStringLiteral("b"), 400, 40));
    store.record(makeRecord(at(today.addDays(-10), 11), QStringLiteral("b"), 1, 1));
    store.record(makeRecord(at(ancient, 11), QStringLiteral("b"), 1, 1));
    store.flush();
    const QList<DailyUsage> before = store.perDay(old, today);

    store.compact(now);

    const qint64 cutoff = today.addDays(-UsageStore::kDetailDays).startOfDay().toMSecsSinceEpoch();
    QCOMPARE(
        countRows(path,
                  QStringLiteral("SELECT COUNT(*) FROM requests WHERE time_ms < %1").arg(cutoff)),
        qint64(0));
    QCOMPARE(countRows(path, QStringLiteral("SELECT COUNT(*) FROM requests")), qint64(1));
    QCOMPARE(countRows(path, QStringLiteral("SELECT COUNT(*) FROM daily")), qint64(2));

    const QList<DailyUsage> after = store.perDay(old, today);
    QCOMPARE(after.size(), before.size());
    for (int i = 0; i < after.size(); ++i) {
        QCOMPARE(after.at(i).totals.requests, before.at(i).totals.requests);
        QCOMPARE(after.at(i).totals.promptTokens, before.at(i).totals.promptTokens);
    }
    QCOMPARE(after.first().totals.requests, qint64(3));
    QCOMPARE(after.first().totals.succeeded, qint64(2));
    QCOMPARE(after.first().totals.completionTokens, qint64(70));
    QCOMPARE(after.first().totals.reasoningTokens, qint64(2 + 5 + 10));

    const QList<ModelUsage> models = store.byModel(old.startOfDay(), old.addDays(1).startOfDay());
    QCOMPARE(models.size(), 2);
    QCOMPARE(models.first().model, QStringLiteral("a"));
    QCOMPARE(models.first().totals.requests, qint64(2));
    // The 401-day-old total is gone; compacting again changes nothing.
    QCOMPARE(store.perDay(ancient, ancient).first().totals.requests, qint64(0));
    store.compact(now);
    QCOMPARE(store.perDay(old, old).first().totals.requests, qint64(3));
}

void TestUsageStore::replacesAFileThatIsNotADatabase()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("usage.sqlite"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(8192, 'x'));
    file.close();

    UsageStore store(path);
    QSignalSpy replaced(&store, &UsageStore::databaseReplaced);
    QVERIFY(store.open());
    // QSignalSpy counts in the writer thread, as the signal is sent.
    QTRY_COMPARE(replaced.count(), 1);
    const QStringList aside =
        QDir(dir.path()).entryList({QStringLiteral("usage.sqlite.corrupt-*")}, QDir::Files);
    QCOMPARE(aside.size(), 1);
    QVERIFY(replaced.first().first().toString().contains(aside.first()));
    QFile moved(dir.filePath(aside.first()));
    QVERIFY(moved.open(QIODevice::ReadOnly));
    QCOMPARE(moved.readAll(), QByteArray(8192, 'x'));

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    store.record(makeRecord(now, QStringLiteral("a"), 1, 1));
    store.flush();
    QCOMPARE(
        store.totals(QDateTime::fromMSecsSinceEpoch(now), QDateTime::fromMSecsSinceEpoch(now + 1))
            .requests,
        qint64(1));
}

void TestUsageStore::replacesADamagedDatabase()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("usage.sqlite"));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    {
        UsageStore store(path);
        QVERIFY(store.open());
        for (int i = 0; i < 5000; ++i)
            store.record(makeRecord(now - i, QStringLiteral("model-%1").arg(i), i, i));
    }
    // Scribble over the pages after the first: the header still says SQLite, the tree
    // does not hold together.
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.size() > 16384);
    file.seek(4096);
    file.write(QByteArray(int(file.size()) - 4096, '\x5a'));
    file.close();

    UsageStore store(path);
    QSignalSpy replaced(&store, &UsageStore::databaseReplaced);
    QVERIFY(store.open());
    // QSignalSpy counts in the writer thread, as the signal is sent.
    QTRY_COMPARE(replaced.count(), 1);
    QCOMPARE(
        QDir(dir.path()).entryList({QStringLiteral("usage.sqlite.corrupt-*")}, QDir::Files).size(),
        1);
    QCOMPARE(
        store.totals(QDateTime::fromMSecsSinceEpoch(0), QDateTime::fromMSecsSinceEpoch(now + 1))
            .requests,
        qint64(0));
}

void TestUsageStore::readerNeverCreatesTheFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("usage.sqlite"));
    UsageStore store(path);
    QVERIFY(!store.openForReading());
    QVERIFY(!QFile::exists(path));
    QCOMPARE(store.perDay(QDate::currentDate(), QDate::currentDate()).first().totals.requests,
             qint64(0));
    store.record(makeRecord(QDateTime::currentMSecsSinceEpoch(), QStringLiteral("a"), 1, 1));
    store.flush();
    QVERIFY(!QFile::exists(path));
}

void TestUsageStore::dropsRecordsWhileTheFileIsLocked()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("usage.sqlite"));
    UsageStore store(path);
    QVERIFY(store.open());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    {
        // Another program holds the write lock.
        QSqlDatabase other =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
        other.setDatabaseName(path);
        QVERIFY(other.open());
        QSqlQuery lock(other);
        QVERIFY(lock.exec(QStringLiteral("BEGIN IMMEDIATE")));

        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("usage records were dropped")));
        QTest::failOnWarning(QRegularExpression(QStringLiteral("usage records were dropped")));
        store.record(makeRecord(now, QStringLiteral("a"), 1, 1));
        store.flush();
        // One warning, however many batches fail.
        store.record(makeRecord(now + 1, QStringLiteral("a"), 1, 1));
        store.flush();
        QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
        lock.finish();
        other.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("locker"));
    // Dropped, not queued: once the lock is gone only new records arrive.
    store.record(makeRecord(now + 2, QStringLiteral("a"), 1, 1));
    store.flush();
    QCOMPARE(
        store.totals(QDateTime::fromMSecsSinceEpoch(now), QDateTime::fromMSecsSinceEpoch(now + 3))
            .requests,
        qint64(1));
}

void TestUsageStore::remembersTheUpstreamsExhaustion()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("usage.sqlite"));
    const QString plan = QStringLiteral("coding-plan-global");
    const QDateTime until = QDateTime::currentDateTime().addDays(2);
    {
        UsageStore store(path);
        QVERIFY(store.open());
        QVERIFY(!store.exhaustedUntil(plan, PlanWindows::Window::Week).isValid());
        store.markExhausted(plan, PlanWindows::Window::Week, until);
        store.markExhausted(plan, PlanWindows::Window::FiveHours,
                            QDateTime::currentDateTime().addSecs(-1));
        store.flush();
        QCOMPARE(store.exhaustedUntil(plan, PlanWindows::Window::Week).toMSecsSinceEpoch(),
                 until.toMSecsSinceEpoch());
        // Over already: nothing to show.
        QVERIFY(!store.exhaustedUntil(plan, PlanWindows::Window::FiveHours).isValid());
        QVERIFY(
            !store.exhaustedUntil(QStringLiteral("token-plan-singapore"), PlanWindows::Window::Week)
                 .isValid());
    }
    // Another process (the command line) reads it from the file.
    UsageStore reader(path);
    QVERIFY(reader.openForReading());
    QCOMPARE(reader.exhaustedUntil(plan, PlanWindows::Window::Week).toMSecsSinceEpoch(),
             until.toMSecsSinceEpoch());
}

void TestUsageStore::keepsCommittedRecordsAfterKill()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("usage.sqlite"));
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QCoreApplication::applicationFilePath(),
                {QStringLiteral("--record-until-killed"), path});
    QVERIFY(child.waitForStarted());

    // Let it record for a good two seconds (by its own count), then kill it mid-stream.
    QMap<qint64, qint64> recordedAt; // number → when the child recorded it
    QByteArray buffer;
    while (recordedAt.isEmpty() || recordedAt.lastKey() < 2000) {
        QVERIFY2(child.waitForReadyRead(60000), "the recording child said nothing");
        buffer += child.readAllStandardOutput();
        int eol;
        while ((eol = buffer.indexOf('\n')) >= 0) {
            const QList<QByteArray> words = buffer.left(eol).split(' ');
            buffer.remove(0, eol + 1);
            if (words.size() == 4)
                recordedAt.insert(words.at(1).toLongLong(), words.at(3).toLongLong());
        }
    }
    ::kill(pid_t(child.processId()), SIGKILL);
    const qint64 killedAt = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(child.waitForFinished());
    QCOMPARE(child.exitStatus(), QProcess::CrashExit);

    // Whatever it recorded more than a second before the kill is on disk.
    qint64 mustHave = 0;
    for (auto it = recordedAt.cbegin(); it != recordedAt.cend(); ++it) {
        if (it.value() <= killedAt - 1000)
            mustHave = it.key();
    }
    QVERIFY(mustHave > 0);
    const qint64 kept =
        countRows(path, QStringLiteral("SELECT MAX(completion_tokens) FROM requests"));
    QVERIFY2(kept >= mustHave, qPrintable(QStringLiteral("kept up to %1, recorded %2 a second "
                                                         "before the kill")
                                              .arg(kept)
                                              .arg(mustHave)));
    // Numbers arrive in order: nothing in the middle went missing.
    QCOMPARE(countRows(path, QStringLiteral("SELECT COUNT(*) FROM requests")), kept);

    UsageStore store(path);
    QSignalSpy replaced(&store, &UsageStore::databaseReplaced);
    QVERIFY(store.open());
    QCOMPARE(replaced.count(), 0);
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 3 && qstrcmp(argv[1], "--record-until-killed") == 0)
        return recordUntilKilled(QString::fromLocal8Bit(argv[2]));
    TestUsageStore test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_usagestore.moc"
