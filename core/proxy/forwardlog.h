#pragma once

#include "http/httpclient.h"
#include "http/httprequest.h"

#include <QJsonObject>
#include <QString>

class RequestLogger;

// What one forwarded request writes to the request log (when the person turned it on):
// the client's request, each attempt upstream and its answer, redacted and bounded. A small
// value made per use, so that a job holds no logger of its own.
class ForwardLog
{
public:
    static constexpr qint64 kMaxLoggedBody = 128 * 1024;

    ForwardLog(RequestLogger *logger, quint64 requestId, int attempt = 0);

    // Callers with costly data (bodies to redact) check this first.
    bool enabled() const;
    void write(const QString &stage, const QJsonObject &data = {}) const;

    void clientRequest(const HttpRequest &request) const;
    void upstreamRequest(const QUrl &url, const QString &model, const QByteArray &body) const;
    void upstreamResponse(int status, HttpClientReply::Error error, const QByteArray &body,
                          bool timedOut) const;

    // A retry gets files of its own: upstream-request, upstream-request-2, …
    static QString attemptStage(const QString &stage, int attempt);

private:
    RequestLogger *m_logger;
    quint64 m_requestId;
    int m_attempt;
};
