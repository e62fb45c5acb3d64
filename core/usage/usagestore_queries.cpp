#include "usage/usagestore.h"

#include "util/logcategories.h"

#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

// The usage meter's readers: what the tray, the Usage window and `qwen-bridge usage` ask.
// Each runs on the caller's own connection (reader()), never on the writer thread's.

namespace {
// The local date of a row, as SQLite computes it from the TZ the process runs in (the same
// rule QDateTime follows).
constexpr const char *kLocalDay = "date(time_ms / 1000, 'unixepoch', 'localtime')";
} // namespace

QList<QPair<QString, UsageTotals>> UsageStore::aggregate(const QString &groupBy,
                                                         const QDateTime &from, const QDateTime &to,
                                                         const QString &planId) const
{
    QList<QPair<QString, UsageTotals>> result;
    QSqlDatabase db = reader();
    if (!db.isOpen() || !(from < to))
        return result;
    const QString planFilter = planId.isEmpty() ? QString() : QStringLiteral(" AND plan_id = ?");
    const QString sql =
        QStringLiteral(
            "SELECT %1 AS g, SUM(r), SUM(s), SUM(p), SUM(c), SUM(k), SUM(t) FROM ("
            " SELECT %2 AS d, model AS m, credential AS n, 1 AS r,"
            " (status BETWEEN 200 AND 299 AND error_kind = '') AS s, prompt_tokens AS p,"
            " completion_tokens AS c, cached_tokens AS k, reasoning_tokens AS t"
            " FROM requests WHERE time_ms >= ? AND time_ms < ?%3"
            " UNION ALL"
            " SELECT day, model, '', requests, succeeded, prompt_tokens, completion_tokens,"
            " cached_tokens, reasoning_tokens FROM daily WHERE day >= ? AND day <= ?%3"
            ") GROUP BY g ORDER BY g")
            .arg(groupBy, QLatin1String(kLocalDay), planFilter);
    QSqlQuery q(db);
    if (!q.prepare(sql)) {
        qCWarning(lcUsage) << "usage query:" << q.lastError().text();
        return result;
    }
    q.addBindValue(from.toMSecsSinceEpoch());
    q.addBindValue(to.toMSecsSinceEpoch());
    if (!planId.isEmpty())
        q.addBindValue(planId);
    q.addBindValue(from.toLocalTime().date().toString(Qt::ISODate));
    q.addBindValue(to.addMSecs(-1).toLocalTime().date().toString(Qt::ISODate));
    if (!planId.isEmpty())
        q.addBindValue(planId);
    if (!q.exec()) {
        qCWarning(lcUsage) << "usage query:" << q.lastError().text();
        return result;
    }
    while (q.next()) {
        if (q.value(1).isNull())
            continue; // SUM over no rows
        UsageTotals t;
        t.requests = q.value(1).toLongLong();
        t.succeeded = q.value(2).toLongLong();
        t.promptTokens = q.value(3).toLongLong();
        t.completionTokens = q.value(4).toLongLong();
        t.cachedTokens = q.value(5).toLongLong();
        t.reasoningTokens = q.value(6).toLongLong();
        result.append({q.value(0).toString(), t});
    }
    return result;
}

QList<DailyUsage> UsageStore::perDay(const QDate &first, const QDate &last) const
{
    QList<DailyUsage> days;
    if (!first.isValid() || !last.isValid() || last < first)
        return days;
    const auto rows =
        aggregate(QStringLiteral("d"), first.startOfDay(), last.addDays(1).startOfDay(), {});
    for (QDate d = first; d <= last; d = d.addDays(1))
        days.append({d, {}});
    for (const auto &row : rows) {
        const qint64 index = first.daysTo(QDate::fromString(row.first, Qt::ISODate));
        if (index >= 0 && index < days.size())
            days[index].totals += row.second;
    }
    return days;
}

QList<ModelUsage> UsageStore::byModel(const QDateTime &from, const QDateTime &to,
                                      const QString &planId) const
{
    return ranked(QStringLiteral("m"), from, to, planId);
}

QList<ModelUsage> UsageStore::byCredential(const QDateTime &from, const QDateTime &to) const
{
    return ranked(QStringLiteral("n"), from, to, {});
}

QList<ModelUsage> UsageStore::ranked(const QString &groupBy, const QDateTime &from,
                                     const QDateTime &to, const QString &planId) const
{
    QList<ModelUsage> models;
    for (const auto &row : aggregate(groupBy, from, to, planId))
        models.append({row.first, row.second});
    std::stable_sort(models.begin(), models.end(), [](const ModelUsage &a, const ModelUsage &b) {
        return a.totals.requests > b.totals.requests;
    });
    return models;
}

UsageTotals UsageStore::totals(const QDateTime &from, const QDateTime &to,
                               const QString &planId) const
{
    UsageTotals sum;
    for (const auto &row : aggregate(QStringLiteral("''"), from, to, planId))
        sum += row.second;
    return sum;
}

QString UsageStore::latestPlanId() const
{
    QSqlDatabase db = reader();
    if (!db.isOpen())
        return {};
    QSqlQuery q(db);
    if (q.exec(QStringLiteral("SELECT plan_id FROM requests ORDER BY time_ms DESC LIMIT 1")) &&
        q.next())
        return q.value(0).toString();
    return {};
}

QDateTime UsageStore::firstRequestSince(const QDateTime &from, const QString &planId) const
{
    QSqlDatabase db = reader();
    if (!db.isOpen())
        return {};
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT MIN(time_ms) FROM requests WHERE time_ms >= ? AND status"
                             " BETWEEN 200 AND 299 AND error_kind = ''%1")
                  .arg(planId.isEmpty() ? QString() : QStringLiteral(" AND plan_id = ?")));
    q.addBindValue(from.toMSecsSinceEpoch());
    if (!planId.isEmpty())
        q.addBindValue(planId);
    if (q.exec() && q.next() && !q.value(0).isNull())
        return QDateTime::fromMSecsSinceEpoch(q.value(0).toLongLong());
    return {};
}

void UsageStore::markExhausted(const QString &planId, PlanWindows::Window window,
                               const QDateTime &until)
{
    QMutexLocker lock(&m_mutex);
    if (!m_writerRunning)
        return;
    m_pendingMarks.append({planId.isNull() ? QString(QLatin1String("")) : planId,
                           PlanWindows::windowKey(window), until.toMSecsSinceEpoch()});
    m_wake.wakeAll();
}

QDateTime UsageStore::exhaustedUntil(const QString &planId, PlanWindows::Window window) const
{
    QSqlDatabase db = reader();
    if (!db.isOpen())
        return {};
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT until_ms FROM exhausted WHERE plan_id = ? AND window = ?"));
    q.addBindValue(planId.isNull() ? QString(QLatin1String("")) : planId);
    q.addBindValue(PlanWindows::windowKey(window));
    if (!q.exec() || !q.next())
        return {};
    const QDateTime until = QDateTime::fromMSecsSinceEpoch(q.value(0).toLongLong());
    return until > QDateTime::currentDateTime() ? until : QDateTime();
}
