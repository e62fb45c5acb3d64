#include "proxy/requestlogger.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSaveFile>

Q_LOGGING_CATEGORY(lcRequestLog, "qwenbridge.proxy.log")

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
            if (secretName(it.key()) && (it.value().isString() || it.value().isDouble()))
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
    if (m_writtenSinceCheck > m_maxTotalBytes / 16)
        enforceCap();
}

void RequestLogger::enforceCap()
{
    m_writtenSinceCheck = 0;
    QDir dir(m_dir);
    QFileInfoList files = dir.entryInfoList({QStringLiteral("request-*.json")}, QDir::Files,
                                            QDir::Time | QDir::Reversed); // oldest first
    qint64 total = 0;
    for (const QFileInfo &fi : files)
        total += fi.size();
    for (const QFileInfo &fi : files) {
        if (total <= m_maxTotalBytes * 3 / 4)
            break;
        total -= fi.size();
        QFile::remove(fi.absoluteFilePath());
    }
}
