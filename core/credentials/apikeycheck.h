#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

// Checks an API key before it is stored: GET {base}/models with the key. Nothing is stored
// when the service refuses it.
class ApiKeyCheck : public QObject
{
    Q_OBJECT
public:
    enum class Outcome { Accepted, Refused, Network, Server };
    Q_ENUM(Outcome)

    ApiKeyCheck(QNetworkAccessManager *nam, QObject *parent = nullptr);
    ~ApiKeyCheck() override;

    void setTimeout(int ms) { m_timeoutMs = ms; }
    // presetName words the refusal ("this key was refused by <presetName>").
    void check(const QUrl &baseUrl, const QString &key, const QString &presetName);
    void abort();

Q_SIGNALS:
    void finished(ApiKeyCheck::Outcome outcome, const QString &message);

private:
    QNetworkAccessManager *m_nam;
    QPointer<QNetworkReply> m_reply;
    int m_timeoutMs = 20000;
};
