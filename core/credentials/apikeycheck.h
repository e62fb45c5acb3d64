#pragma once

#include "plans/plancatalog.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

// Checks an API key before it is stored, on any plan (PROTOCOL.md §6): GET {base}/models
// where the plan has that list; where it has none, or the list answers 404, one minimal chat
// request (max_tokens 1, the plan's smallest model, not streamed). Nothing is stored when
// the service refuses the key. Requests go through the network object the caller gives, so
// that its proxy settings apply.
class ApiKeyCheck : public QObject
{
    Q_OBJECT
public:
    enum class Outcome {
        Accepted, // the key authenticated; message may carry a note on what the service said
        Refused,  // 401 or 403 from the service
        Network,  // the service could not be reached
        Server,   // any other answer: the key's fate is unknown
    };
    Q_ENUM(Outcome)

    ApiKeyCheck(QNetworkAccessManager *nam, QObject *parent = nullptr);
    ~ApiKeyCheck() override;

    void setTimeout(int ms) { m_timeoutMs = ms; }
    // baseUrl is the plan's, or the user's for a custom plan (or the demo's fake service).
    void check(const Plan &plan, const QUrl &baseUrl, const QString &key);
    void abort();

    // "QwenBridge/VERSION (coding agent proxy for OpenCode)": who is asking, honestly.
    static QByteArray userAgent();

Q_SIGNALS:
    void finished(ApiKeyCheck::Outcome outcome, const QString &message);

private:
    enum class Step { Models, Chat };
    void send(Step step);
    void onFinished(QNetworkReply *reply, Step step);
    QString serviceSaid(const QByteArray &body) const;
    void finish(Outcome outcome, const QString &message);

    QNetworkAccessManager *m_nam;
    QPointer<QNetworkReply> m_reply;
    int m_timeoutMs = 20000;
    Plan m_plan;
    QUrl m_baseUrl;
    QString m_key;
    QString m_planName;
};
