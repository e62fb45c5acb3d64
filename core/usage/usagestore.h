#pragma once

#include "usage/planwindows.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>
#include <QWaitCondition>

#include <atomic>
#include <memory>

class QSqlDatabase;
class QThread;

// One proxied request, never its content: who asked which model, how it ended, and the
// token counts the upstream reported in `usage`.
struct UsageRecord
{
    qint64 timeMs = 0;  // UTC, ms since the epoch, when the request arrived
    QString method;     // "oauth" or "api_key"
    QString planId;     // the plan catalog's id; empty for OAuth
    QString credential; // the credential's name, never its secret
    QString model;
    int httpStatus = 0; // the upstream's status; 0 when no answer came
    QString errorKind;  // empty on success: "timeout", "network", "stream_cut", …
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 cachedTokens = 0;
    qint64 reasoningTokens = 0;
    int firstByteMs = -1; // -1 when no byte came
    int durationMs = 0;

    bool succeeded() const { return httpStatus >= 200 && httpStatus < 300 && errorKind.isEmpty(); }
};

struct UsageTotals
{
    qint64 requests = 0;
    qint64 succeeded = 0; // 2xx and no error: what the plans' request quotas count
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 cachedTokens = 0;
    qint64 reasoningTokens = 0;

    qint64 totalTokens() const { return promptTokens + completionTokens; }
    UsageTotals &operator+=(const UsageTotals &o);
};

struct DailyUsage
{
    QDate day; // local date
    UsageTotals totals;
};

struct ModelUsage
{
    QString model; // or, from byCredential(), the credential's name ("" for folded days)
    UsageTotals totals;
};

// The usage meter's database: SQLite through Qt SQL, in WAL mode, at
// Settings::usageDatabasePath().
//
// record() only appends to a list under a mutex: it never touches the database and never
// blocks on it. A writer thread with its own connection writes what has gathered within
// kFlushIntervalMs of its first record in one transaction (and sleeps while idle). A committed
// transaction is in the WAL file, which the kernel keeps when the process is killed, so kill -9
// loses at most the records of the last interval (plus the write in progress): under a second. The
// writer keeps the bounds: rows older than kDetailDays local days are folded into daily totals (per
// day, plan and model) and daily totals older than kDailyDays are dropped.
//
// When the database is locked or broken, records are dropped with one warning instead of
// piling up: the meter must never hold back the proxy. A file that is not a sound SQLite
// database is renamed aside (name.corrupt-yyyyMMdd-HHmmss) and a fresh one is started;
// databaseReplaced() says so in a sentence a person can read.
//
// The queries run on a connection of the thread that made the store, synchronously; they
// read what the writer committed (a reader never waits for the writer in WAL mode). The
// command line opens the file read-only through openForReading().
class UsageStore : public QObject
{
    Q_OBJECT
public:
    static constexpr int kFlushIntervalMs = 500;
    static constexpr int kDetailDays = 30;
    static constexpr int kDailyDays = 400;
    // Beyond this many unwritten records (the database is stuck), new ones are dropped.
    static constexpr int kMaxPending = 20000;

    explicit UsageStore(const QString &path, QObject *parent = nullptr);
    ~UsageStore() override; // writes what is pending, then stops the writer

    // Starts the writer: opens (or creates, or replaces a corrupt) database. False when
    // the folder cannot be written; records are then dropped.
    bool open();
    // For readers that must not create or change anything (the command line): true when
    // the file exists and could be opened. No writer runs.
    bool openForReading();
    QString path() const { return m_path; }

    // Cheap and thread-safe; never blocks on the database.
    void record(const UsageRecord &record);

    // Blocks until everything recorded so far is written (tests, shutdown).
    void flush();
    // Folds and drops old rows as of now; the writer does this itself every hour.
    void compact(const QDateTime &now = QDateTime::currentDateTime());

    // Local days first..last, one entry per day (zero when nothing was recorded).
    QList<DailyUsage> perDay(const QDate &first, const QDate &last) const;
    // Requests in [from, to), busiest model first. planId narrows to one plan when given.
    QList<ModelUsage> byModel(const QDateTime &from, const QDateTime &to,
                              const QString &planId = {}) const;
    // The same per credential that served (issue 17); days folded after 30 days keep no
    // credential and count under "".
    QList<ModelUsage> byCredential(const QDateTime &from, const QDateTime &to) const;
    // Totals in [from, to). Rows already folded into a day count for the whole day when
    // the day overlaps the range: a window that starts 30 days back counts a little more,
    // never less, than it should.
    UsageTotals totals(const QDateTime &from, const QDateTime &to,
                       const QString &planId = {}) const;
    // The plan id of the latest request, empty when there is none.
    QString latestPlanId() const;
    // The time of the first succeeded request (what the quotas count) at or after from,
    // invalid when there is none.
    QDateTime firstRequestSince(const QDateTime &from, const QString &planId = {}) const;

    // The upstream said that window of the plan is used up until then (a 429 "week
    // allocated quota exceeded"). Written by the writer like a record, so that the command
    // line sees it too; cheap and never blocking.
    void markExhausted(const QString &planId, PlanWindows::Window window, const QDateTime &until);
    // Invalid when the upstream said nothing, or what it said is over.
    QDateTime exhaustedUntil(const QString &planId, PlanWindows::Window window) const;

signals:
    // The database was unreadable and was moved aside; notice says where to. Sent from the
    // writer thread, also during open(): connect before.
    void databaseReplaced(const QString &notice);

private:
    struct ExhaustionMark
    {
        QString planId;
        QString window;
        qint64 untilMs;
    };
    void writerLoop();
    bool openWriterConnection();
    void replaceCorruptFile();
    bool writeBatch(const QList<UsageRecord> &batch, const QList<ExhaustionMark> &marks);
    void compactNow(const QDateTime &now);
    QSqlDatabase reader() const; // the connection of the queries, reopened after a replacement
    QList<ModelUsage> ranked(const QString &groupBy, const QDateTime &from, const QDateTime &to,
                             const QString &planId) const;
    QList<QPair<QString, UsageTotals>> aggregate(const QString &groupBy, const QDateTime &from,
                                                 const QDateTime &to, const QString &planId) const;

    QString m_path;
    QString m_connectionPrefix;
    QThread *m_writer = nullptr;
    mutable QMutex m_mutex;
    QWaitCondition m_wake;
    QWaitCondition m_written;
    QList<UsageRecord> m_pending;
    QList<ExhaustionMark> m_pendingMarks; // under m_mutex
    quint64 m_recordedCount = 0;          // under m_mutex
    quint64 m_writtenCount = 0;    // under m_mutex: recorded and handled (written or dropped)
    quint64 m_cycles = 0;          // under m_mutex: rounds the writer finished
    bool m_stop = false;           // under m_mutex
    bool m_flushRequested = false; // under m_mutex
    QDateTime m_compactRequest;    // under m_mutex
    bool m_writerRunning = false;  // under m_mutex
    std::atomic_bool m_overflowWarned{false};
    mutable std::atomic_bool m_readerStale{false};
    bool m_writeFailureWarned = false; // writer thread only
};
