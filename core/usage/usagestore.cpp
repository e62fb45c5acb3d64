#include "usage/usagestore.h"

#include "util/logcategories.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QVariant>

#include <sqlite3.h>

namespace {
constexpr int kCompactEveryMs = 60 * 60 * 1000;
constexpr int kEarlyWriteBatch = 1000;
// A writer that finds the file locked gives up on the batch after this long instead of
// letting records pile up behind it.
constexpr const char *kConnectOptions = "QSQLITE_BUSY_TIMEOUT=250";

// The local date of a row, as SQLite computes it from the TZ the process runs in (the same
// rule QDateTime follows).
constexpr const char *kLocalDay = "date(time_ms / 1000, 'unixepoch', 'localtime')";

bool isCorruption(const QSqlError &error)
{
    // SQLITE_CORRUPT and SQLITE_NOTADB, also as extended codes.
    const int code = error.nativeErrorCode().toInt() & 0xff;
    return code == 11 || code == 26;
}

// The requests of a batch go in through SQLite's own interface, on the connection Qt SQL
// opened: QSqlQuery::bindValue formats a placeholder's name for every value it binds,
// which cost more than SQLite's insert itself (under load, a sixth of the proxy's work
// went to recording its requests).
bool insertRequests(const QSqlDatabase &db, const QList<UsageRecord> &batch, QSqlError *error)
{
    const QVariant handle = db.driver()->handle();
    sqlite3 *connection = handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0
                              ? *static_cast<sqlite3 *const *>(handle.constData())
                              : nullptr;
    auto fail = [&](int code) {
        *error =
            QSqlError(QStringLiteral("The usage database could not record requests"),
                      connection ? QString::fromUtf8(sqlite3_errmsg(connection))
                                 : QStringLiteral("no SQLite connection"),
                      QSqlError::StatementError,
                      QString::number(connection ? sqlite3_extended_errcode(connection) : code));
        return false;
    };
    if (!connection)
        return fail(SQLITE_MISUSE);
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v2(connection,
                           "INSERT INTO requests (time_ms, method, plan_id, credential, model,"
                           " status, error_kind, prompt_tokens, completion_tokens, cached_tokens,"
                           " reasoning_tokens, first_byte_ms, duration_ms)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &statement, nullptr) != SQLITE_OK)
        return fail(SQLITE_ERROR);
    auto text = [statement](int column, const QString &value) {
        // A null string goes in as an empty one: the columns are NOT NULL.
        const QByteArray utf8 = value.toUtf8();
        sqlite3_bind_text(statement, column, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
    };
    bool ok = true;
    for (const UsageRecord &r : batch) {
        sqlite3_bind_int64(statement, 1, r.timeMs);
        text(2, r.method);
        text(3, r.planId);
        text(4, r.credential);
        text(5, r.model);
        sqlite3_bind_int(statement, 6, r.httpStatus);
        text(7, r.errorKind);
        sqlite3_bind_int64(statement, 8, r.promptTokens);
        sqlite3_bind_int64(statement, 9, r.completionTokens);
        sqlite3_bind_int64(statement, 10, r.cachedTokens);
        sqlite3_bind_int64(statement, 11, r.reasoningTokens);
        sqlite3_bind_int(statement, 12, r.firstByteMs);
        sqlite3_bind_int(statement, 13, r.durationMs);
        const int stepped = sqlite3_step(statement);
        if (stepped != SQLITE_DONE) {
            ok = fail(stepped);
            break;
        }
        sqlite3_reset(statement);
    }
    sqlite3_finalize(statement);
    return ok;
}

bool exec(QSqlDatabase &db, const QString &sql, QSqlError *error = nullptr)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    if (error)
        *error = q.lastError();
    qCWarning(lcUsage) << "usage database:" << q.lastError().text();
    return false;
}

qint64 localDayStartMs(const QDate &day)
{
    return day.startOfDay().toMSecsSinceEpoch();
}
} // namespace

UsageTotals &UsageTotals::operator+=(const UsageTotals &o)
{
    requests += o.requests;
    succeeded += o.succeeded;
    promptTokens += o.promptTokens;
    completionTokens += o.completionTokens;
    cachedTokens += o.cachedTokens;
    reasoningTokens += o.reasoningTokens;
    return *this;
}

UsageStore::UsageStore(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_connectionPrefix(
          QStringLiteral("qwenbridge-usage-%1").arg(reinterpret_cast<quintptr>(this), 0, 16))
{}

UsageStore::~UsageStore()
{
    if (m_writer) {
        {
            QMutexLocker lock(&m_mutex);
            m_stop = true;
            m_wake.wakeAll();
        }
        m_writer->wait();
        delete m_writer;
    }
    const QString reader = m_connectionPrefix + QStringLiteral("-r");
    if (QSqlDatabase::contains(reader)) {
        QSqlDatabase::database(reader, false).close();
        QSqlDatabase::removeDatabase(reader);
    }
}

bool UsageStore::open()
{
    if (m_writer)
        return true;
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath())) {
        qCWarning(lcUsage) << "cannot create the folder of" << m_path << "- usage is not recorded";
        return false;
    }
    // The writer opens the file first (and replaces it when corrupt) so that the reader
    // below sees tables; the caller waits for that once, at start-up.
    m_writer = QThread::create([this] { writerLoop(); });
    m_writer->setObjectName(QStringLiteral("usage-writer"));
    {
        QMutexLocker lock(&m_mutex);
        m_writerRunning = true;
    }
    m_writer->start();
    flush();
    QMutexLocker lock(&m_mutex);
    const bool writing = m_writerRunning;
    lock.unlock();
    return writing && openForReading();
}

bool UsageStore::openForReading()
{
    if (!QFileInfo::exists(m_path))
        return false;
    const QString name = m_connectionPrefix + QStringLiteral("-r");
    QSqlDatabase db = QSqlDatabase::contains(name)
                          ? QSqlDatabase::database(name, false)
                          : QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    if (db.isOpen())
        return true;
    db.setDatabaseName(m_path);
    db.setConnectOptions(QLatin1String(kConnectOptions));
    if (!db.open()) {
        qCWarning(lcUsage) << "cannot read the usage database:" << db.lastError().text();
        return false;
    }
    return true;
}

void UsageStore::record(const UsageRecord &record)
{
    QMutexLocker lock(&m_mutex);
    if (!m_writerRunning || m_pending.size() >= kMaxPending) {
        if (!m_overflowWarned.exchange(true))
            qCWarning(lcUsage) << "the usage database is not keeping up or not open;"
                                  " requests are not counted until it is";
        return;
    }
    m_pending.append(record);
    ++m_recordedCount;
    // The first record starts the writer's interval; a burst wakes it early, so that the
    // cap above only bites when it is stuck.
    if (m_pending.size() == 1 || m_pending.size() % kEarlyWriteBatch == 0)
        m_wake.wakeAll();
}

void UsageStore::flush()
{
    QMutexLocker lock(&m_mutex);
    const quint64 target = m_recordedCount;
    const quint64 cycle = m_cycles;
    m_flushRequested = true;
    m_wake.wakeAll();
    // Done when a round of the writer that took the request has ended.
    while (m_writerRunning && (m_writtenCount < target || m_flushRequested || m_cycles == cycle))
        m_written.wait(&m_mutex);
}

void UsageStore::compact(const QDateTime &now)
{
    QMutexLocker lock(&m_mutex);
    if (!m_writerRunning)
        return;
    m_compactRequest = now;
    m_wake.wakeAll();
    while (m_writerRunning && m_compactRequest.isValid())
        m_written.wait(&m_mutex);
}

void UsageStore::writerLoop()
{
    const bool opened = openWriterConnection();
    QElapsedTimer sinceCompact;
    if (opened)
        compactNow(QDateTime::currentDateTime());
    sinceCompact.start();

    QMutexLocker lock(&m_mutex);
    if (!opened) {
        // Nothing will be written: record() drops from now on, with its one warning.
        m_writerRunning = false;
        m_pending.clear();
        m_written.wakeAll();
        return;
    }
    const auto asked = [this] { return m_stop || m_flushRequested || m_compactRequest.isValid(); };
    for (;;) {
        // Idle, the writer sleeps until the first record of a batch (or the next
        // compaction) instead of waking twice a second for nothing.
        if (!asked() && m_pending.isEmpty() && m_pendingMarks.isEmpty())
            m_wake.wait(&m_mutex, ulong(qMax<qint64>(0, kCompactEveryMs - sinceCompact.elapsed())));
        // Then it lets the batch gather for one interval: what was recorded is written
        // within kFlushIntervalMs.
        if (!asked() && m_pending.size() < kEarlyWriteBatch)
            m_wake.wait(&m_mutex, kFlushIntervalMs);
        const QList<UsageRecord> batch = std::exchange(m_pending, {});
        const QList<ExhaustionMark> marks = std::exchange(m_pendingMarks, {});
        m_flushRequested = false;
        const QDateTime compactAt = m_compactRequest;
        const bool stopping = m_stop;
        lock.unlock();

        if (!batch.isEmpty() || !marks.isEmpty())
            writeBatch(batch, marks);
        const bool compactDue = sinceCompact.elapsed() > kCompactEveryMs;
        if (compactAt.isValid() || compactDue) {
            compactNow(compactAt.isValid() ? compactAt : QDateTime::currentDateTime());
            sinceCompact.restart();
        }

        lock.relock();
        m_writtenCount += quint64(batch.size());
        ++m_cycles;
        if (compactAt.isValid())
            m_compactRequest = {};
        if (stopping && m_pending.isEmpty())
            break;
        m_written.wakeAll();
    }
    m_writerRunning = false;
    m_written.wakeAll();
    lock.unlock();
    const QString name = m_connectionPrefix + QStringLiteral("-w");
    QSqlDatabase::database(name, false).close();
    QSqlDatabase::removeDatabase(name);
}

bool UsageStore::openWriterConnection()
{
    const QString name = m_connectionPrefix + QStringLiteral("-w");
    for (int attempt = 0; attempt < 2; ++attempt) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_path);
        db.setConnectOptions(QLatin1String(kConnectOptions));
        if (!db.open()) {
            qCWarning(lcUsage) << "cannot open the usage database:" << db.lastError().text()
                               << "- usage is not recorded";
            db = {};
            QSqlDatabase::removeDatabase(name);
            return false;
        }
        QSqlError error;
        bool sound = false;
        {
            QSqlQuery check(db);
            if (check.exec(QStringLiteral("PRAGMA quick_check")) && check.next())
                sound = check.value(0).toString() == QLatin1String("ok");
            else
                error = check.lastError();
        }
        if (sound) {
            // In WAL mode with synchronous=NORMAL a commit is a write to the WAL file:
            // it survives the process being killed, and readers never wait for it.
            sound = exec(db, QStringLiteral("PRAGMA journal_mode=WAL"), &error) &&
                    exec(db, QStringLiteral("PRAGMA synchronous=NORMAL"), &error) &&
                    exec(db,
                         QStringLiteral("CREATE TABLE IF NOT EXISTS requests ("
                                        " time_ms INTEGER NOT NULL, method TEXT NOT NULL,"
                                        " plan_id TEXT NOT NULL, credential TEXT NOT NULL,"
                                        " model TEXT NOT NULL, status INTEGER NOT NULL,"
                                        " error_kind TEXT NOT NULL,"
                                        " prompt_tokens INTEGER NOT NULL,"
                                        " completion_tokens INTEGER NOT NULL,"
                                        " cached_tokens INTEGER NOT NULL,"
                                        " reasoning_tokens INTEGER NOT NULL,"
                                        " first_byte_ms INTEGER NOT NULL,"
                                        " duration_ms INTEGER NOT NULL)"),
                         &error) &&
                    exec(db,
                         QStringLiteral("CREATE INDEX IF NOT EXISTS requests_time"
                                        " ON requests(time_ms)"),
                         &error) &&
                    exec(db,
                         QStringLiteral("CREATE TABLE IF NOT EXISTS daily ("
                                        " day TEXT NOT NULL, plan_id TEXT NOT NULL,"
                                        " model TEXT NOT NULL, requests INTEGER NOT NULL,"
                                        " succeeded INTEGER NOT NULL,"
                                        " prompt_tokens INTEGER NOT NULL,"
                                        " completion_tokens INTEGER NOT NULL,"
                                        " cached_tokens INTEGER NOT NULL,"
                                        " reasoning_tokens INTEGER NOT NULL,"
                                        " PRIMARY KEY (day, plan_id, model))"),
                         &error) &&
                    exec(db,
                         QStringLiteral("CREATE TABLE IF NOT EXISTS exhausted ("
                                        " plan_id TEXT NOT NULL, window TEXT NOT NULL,"
                                        " until_ms INTEGER NOT NULL,"
                                        " PRIMARY KEY (plan_id, window))"),
                         &error);
        }
        if (sound)
            return true;
        const bool corrupt = isCorruption(error) || !error.isValid();
        db.close();
        db = {};
        QSqlDatabase::removeDatabase(name);
        if (!corrupt || attempt > 0) {
            qCWarning(lcUsage) << "the usage database cannot be used:" << error.text()
                               << "- usage is not recorded";
            return false;
        }
        replaceCorruptFile();
    }
    return false;
}

void UsageStore::replaceCorruptFile()
{
    const QString aside = m_path + QStringLiteral(".corrupt-") +
                          QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    // The WAL and shared-memory files belong to the old database: they go with it.
    const bool moved = QFile::rename(m_path, aside);
    for (const char *suffix : {"-wal", "-shm"}) {
        const QString part = m_path + QLatin1String(suffix);
        if (QFile::exists(part) && !QFile::rename(part, aside + QLatin1String(suffix)))
            QFile::remove(part);
    }
    const QString notice =
        moved ? tr("The usage database was damaged. It was moved to %1 and a new one was "
                   "started; earlier usage is not shown.")
                    .arg(QDir::toNativeSeparators(aside))
              : tr("The usage database %1 is damaged and could not be moved aside; usage is "
                   "not recorded.")
                    .arg(QDir::toNativeSeparators(m_path));
    m_readerStale = true;
    qCWarning(lcUsage).noquote() << notice;
    emit databaseReplaced(notice);
}

bool UsageStore::writeBatch(const QList<UsageRecord> &batch, const QList<ExhaustionMark> &marks)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionPrefix + QStringLiteral("-w"), false);
    bool ok = db.transaction();
    QSqlError error = db.lastError();
    if (ok) {
        ok = insertRequests(db, batch, &error);
        QSqlQuery m(db);
        if (ok && !marks.isEmpty()) {
            ok = m.prepare(QStringLiteral("INSERT OR REPLACE INTO exhausted (plan_id, window,"
                                          " until_ms) VALUES (?, ?, ?)"));
            for (int i = 0; ok && i < marks.size(); ++i) {
                m.bindValue(0, marks.at(i).planId);
                m.bindValue(1, marks.at(i).window);
                m.bindValue(2, marks.at(i).untilMs);
                ok = m.exec();
            }
            if (!ok)
                error = m.lastError();
        }
        ok = ok && db.commit();
        if (!ok) {
            if (!error.isValid())
                error = db.lastError();
            db.rollback();
        }
    }
    if (ok) {
        m_writeFailureWarned = false;
        return true;
    }
    if (!m_writeFailureWarned) {
        m_writeFailureWarned = true;
        qCWarning(lcUsage) << "usage records were dropped:" << error.text();
    }
    if (isCorruption(error)) {
        db = {};
        QSqlDatabase::database(m_connectionPrefix + QStringLiteral("-w"), false).close();
        QSqlDatabase::removeDatabase(m_connectionPrefix + QStringLiteral("-w"));
        replaceCorruptFile();
        openWriterConnection();
    }
    return false;
}

void UsageStore::compactNow(const QDateTime &now)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionPrefix + QStringLiteral("-w"), false);
    if (!db.isOpen())
        return;
    const qint64 cutoffMs = localDayStartMs(now.date().addDays(-kDetailDays));
    const QString oldestDay = now.date().addDays(-kDailyDays).toString(Qt::ISODate);
    if (!db.transaction())
        return;
    QSqlQuery fold(db);
    // Only whole local days are folded, so a day is either in rows or in one total.
    bool ok = fold.prepare(
        QStringLiteral("INSERT INTO daily (day, plan_id, model, requests, succeeded,"
                       " prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens)"
                       " SELECT %1 AS d, plan_id, model, COUNT(*),"
                       " SUM(status BETWEEN 200 AND 299 AND error_kind = ''),"
                       " SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens),"
                       " SUM(reasoning_tokens) FROM requests WHERE time_ms < ?"
                       " GROUP BY d, plan_id, model"
                       " ON CONFLICT (day, plan_id, model) DO UPDATE SET"
                       " requests = requests + excluded.requests,"
                       " succeeded = succeeded + excluded.succeeded,"
                       " prompt_tokens = prompt_tokens + excluded.prompt_tokens,"
                       " completion_tokens = completion_tokens + excluded.completion_tokens,"
                       " cached_tokens = cached_tokens + excluded.cached_tokens,"
                       " reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens")
            .arg(QLatin1String(kLocalDay)));
    fold.addBindValue(cutoffMs);
    ok = ok && fold.exec();
    QSqlQuery drop(db);
    ok = ok && drop.prepare(QStringLiteral("DELETE FROM requests WHERE time_ms < ?"));
    drop.addBindValue(cutoffMs);
    ok = ok && drop.exec();
    QSqlQuery dropDays(db);
    ok = ok && dropDays.prepare(QStringLiteral("DELETE FROM daily WHERE day < ?"));
    dropDays.addBindValue(oldestDay);
    ok = ok && dropDays.exec();
    if (ok && db.commit())
        return;
    qCWarning(lcUsage) << "could not fold old usage into daily totals:" << fold.lastError().text()
                       << drop.lastError().text() << dropDays.lastError().text();
    db.rollback();
}

QSqlDatabase UsageStore::reader() const
{
    const QString name = m_connectionPrefix + QStringLiteral("-r");
    QSqlDatabase db = QSqlDatabase::database(name, false);
    // The writer moved a damaged file aside: this connection still reads the old one.
    if (m_readerStale.exchange(false) && db.isOpen()) {
        db.close();
        db.open();
    }
    return db;
}
