#include "proxy/requestlogger.h"

#include "util/logcategories.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSaveFile>

#include <algorithm>

static const QString kRedacted = QStringLiteral("[redacted]");

RequestLogger::RequestLogger(const QString &directory, QObject *parent)
    : QObject(parent)
    , m_dir(directory)
{}

void RequestLogger::setLimits(qint64 maxFileBytes, qint64 maxTotalBytes)
{
    m_maxFileBytes = maxFileBytes;
    m_maxTotalBytes = maxTotalBytes;
}

static bool secretName(const QString &name)
{
    const QString n = name.toLower();
    return n.contains(QLatin1String("token")) || n.contains(QLatin1String("key")) ||
           n.contains(QLatin1String("secret")) || n.contains(QLatin1String("password")) ||
           n.contains(QLatin1String("authorization")) || n.contains(QLatin1String("cookie")) ||
           n == QLatin1String("code_verifier") || n == QLatin1String("device_code");
}

QJsonObject RequestLogger::redactHeaders(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QJsonObject o;
    for (const auto &h : headers) {
        const QString name = QString::fromLatin1(h.first).toLower();
        o.insert(name, secretName(name) ? kRedacted : QString::fromLatin1(h.second));
    }
    return o;
}

QJsonValue RequestLogger::redactJson(const QJsonValue &value)
{
    if (value.isObject()) {
        QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            // Token counts (max_tokens, usage.total_tokens) are numbers worth keeping.
            const bool count = it.value().isDouble() &&
                               it.key().endsWith(QLatin1String("tokens"), Qt::CaseInsensitive);
            // Anything else under a secret's name goes whole: a list of keys, or an object
            // holding a token, would otherwise leak through names that look harmless.
            if (secretName(it.key()) && !count && !it.value().isNull() && !it.value().isBool())
                it.value() = kRedacted;
            else
                it.value() = redactJson(it.value());
        }
        return o;
    }
    if (value.isArray()) {
        QJsonArray a = value.toArray();
        for (auto it = a.begin(); it != a.end(); ++it)
            *it = redactJson(*it);
        return a;
    }
    return value;
}

QJsonValue RequestLogger::bodyForLog(const QByteArray &body, qint64 maxBytes)
{
    if (body.size() > maxBytes)
        return QStringLiteral("[%1 bytes, too large to log]").arg(body.size());
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isObject())
        return redactJson(doc.object());
    if (doc.isArray())
        return redactJson(doc.array());
    // Not JSON (an SSE transcript, an HTML error page): kept as text, but never anything
    // that looks like a bearer credential.
    QString text = QString::fromUtf8(body);
    static const QRegularExpression bearer(QStringLiteral("(?i)bearer\\s+[^\\s\"']+"));
    text.replace(bearer, QStringLiteral("Bearer [redacted]"));
    return text;
}

quint64 RequestLogger::nextRequestId()
{
    if (m_counter == 0) {
        // Go on from the numbers already in the folder so earlier runs are not overwritten.
        static const QRegularExpression number(QStringLiteral("^request-(\\d+)-"));
        const QStringList names =
            QDir(m_dir).entryList({QStringLiteral("request-*.json")}, QDir::Files);
        for (const QString &name : names) {
            const auto m = number.match(name);
            if (m.hasMatch())
                m_counter = qMax(m_counter, m.captured(1).toULongLong());
        }
    }
    return ++m_counter;
}

void RequestLogger::log(quint64 requestId, const QString &stage, const QJsonObject &data)
{
    if (!m_enabled)
        return;
    QDir dir(m_dir);
    if (!dir.exists() && !dir.mkpath(QStringLiteral("."))) {
        qCWarning(lcRequestLog) << "cannot create the request log folder" << m_dir;
        return;
    }
    QFile::setPermissions(m_dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QJsonObject entry;
    entry.insert(QStringLiteral("timestamp"),
                 QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    entry.insert(QStringLiteral("requestId"), QString::number(requestId));
    entry.insert(QStringLiteral("stage"), stage);
    entry.insert(QStringLiteral("data"), redactJson(data));
    QByteArray bytes = QJsonDocument(entry).toJson(QJsonDocument::Indented);
    if (bytes.size() > m_maxFileBytes) {
        entry.insert(QStringLiteral("data"),
                     QStringLiteral("[%1 bytes, over the per-file cap]").arg(bytes.size()));
        bytes = QJsonDocument(entry).toJson(QJsonDocument::Indented);
    }
    QSaveFile f(dir.filePath(QStringLiteral("request-%1-%2.json").arg(requestId).arg(stage)));
    if (!f.open(QIODevice::WriteOnly)) {
        qCWarning(lcRequestLog) << "cannot write a request log file:" << f.errorString();
        return;
    }
    f.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    f.write(bytes);
    f.commit();
    m_writtenSinceCheck += bytes.size();
    // Checked on the first write (an earlier run may have left the folder full), then
    // every sixteenth of the cap.
    if (!m_capChecked || m_writtenSinceCheck > m_maxTotalBytes / 16)
        enforceCap();
}

void RequestLogger::enforceCap()
{
    m_writtenSinceCheck = 0;
    m_capChecked = true;
    // Oldest first by request number, which only ever grows (and goes on from the numbers
    // already in the folder); modification times are too coarse to order files written in
    // the same millisecond.
    static const QRegularExpression number(QStringLiteral("^request-(\\d+)-"));
    struct Entry
    {
        quint64 id;
        qint64 modifiedMs;
        QString name;
        QString path;
        qint64 size;
    };
    QList<Entry> files;
    qint64 total = 0;
    const QFileInfoList infos =
        QDir(m_dir).entryInfoList({QStringLiteral("request-*.json")}, QDir::Files);
    for (const QFileInfo &fi : infos) {
        const auto m = number.match(fi.fileName());
        files.append({m.hasMatch() ? m.captured(1).toULongLong() : 0,
                      fi.lastModified().toMSecsSinceEpoch(), fi.fileName(), fi.absoluteFilePath(),
                      fi.size()});
        total += fi.size();
    }
    // Kept at three quarters of the cap at each check, so that what is written until the
    // next one (a sixteenth of the cap and one file) never takes the folder past the cap.
    const qint64 target = m_maxTotalBytes * 3 / 4;
    if (total <= target)
        return;
    std::sort(files.begin(), files.end(), [](const Entry &a, const Entry &b) {
        if (a.id != b.id)
            return a.id < b.id;
        if (a.modifiedMs != b.modifiedMs)
            return a.modifiedMs < b.modifiedMs;
        return a.name < b.name;
    });
    int removed = 0;
    for (const Entry &e : std::as_const(files)) {
        if (total <= target)
            break;
        if (QFile::remove(e.path)) {
            total -= e.size;
            ++removed;
        }
    }
    qCDebug(lcRequestLog) << "request log over its cap; removed" << removed << "oldest files";
}
