#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QString>

// ENABLE_PLUGIN_REQUEST_LOGGING: one JSON file per request stage
// (request-<n>-<stage>.json with timestamp, request id, stage, data) in the state folder,
// every secret redacted, and the folder kept under a size cap so it never fills a disk.
class RequestLogger : public QObject
{
    Q_OBJECT
public:
    explicit RequestLogger(const QString &directory, QObject *parent = nullptr);

    void setEnabled(bool on) { m_enabled = on; }
    bool isEnabled() const { return m_enabled; }
    QString directory() const { return m_dir; }
    void setLimits(qint64 maxFileBytes, qint64 maxTotalBytes);

    quint64 nextRequestId();
    // Request ids only matter for log file names; without logging, 0.
    quint64 nextRequestIdIfEnabled() { return m_enabled ? nextRequestId() : 0; }
    void log(quint64 requestId, const QString &stage, const QJsonObject &data);

    // Redaction used for logs: Authorization and key-like header values, and every JSON
    // member whose name says token, key, secret or password.
    static QJsonObject redactHeaders(const QList<QPair<QByteArray, QByteArray>> &headers);
    static QJsonValue redactJson(const QJsonValue &value);
    static QJsonValue bodyForLog(const QByteArray &body, qint64 maxBytes);

private:
    void enforceCap();

    QString m_dir;
    bool m_enabled = false;
    quint64 m_counter = 0;
    qint64 m_maxFileBytes = 256 * 1024;
    qint64 m_maxTotalBytes = 64 * 1024 * 1024;
    qint64 m_writtenSinceCheck = 0;
    bool m_capChecked = false;
};
