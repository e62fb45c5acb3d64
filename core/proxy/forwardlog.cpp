#include "proxy/forwardlog.h"

#include "proxy/requestlogger.h"

#include <QMetaEnum>

ForwardLog::ForwardLog(RequestLogger *logger, quint64 requestId, int attempt)
    : m_logger(logger)
    , m_requestId(requestId)
    , m_attempt(attempt)
{}

bool ForwardLog::enabled() const
{
    return m_logger && m_logger->isEnabled();
}

void ForwardLog::write(const QString &stage, const QJsonObject &data) const
{
    if (enabled())
        m_logger->log(m_requestId, stage, data);
}

QString ForwardLog::attemptStage(const QString &stage, int attempt)
{
    return attempt > 1 ? stage + QLatin1Char('-') + QString::number(attempt) : stage;
}

void ForwardLog::clientRequest(const HttpRequest &request) const
{
    if (!enabled())
        return;
    QJsonObject data;
    data.insert(QStringLiteral("method"), QString::fromLatin1(request.method));
    data.insert(QStringLiteral("path"), QString::fromLatin1(request.path));
    data.insert(QStringLiteral("headers"), RequestLogger::redactHeaders(request.headers));
    data.insert(QStringLiteral("body"), RequestLogger::bodyForLog(request.body, kMaxLoggedBody));
    write(QStringLiteral("client-request"), data);
}

void ForwardLog::upstreamRequest(const QUrl &url, const QString &model,
                                 const QByteArray &body) const
{
    if (!enabled())
        return;
    QJsonObject data;
    data.insert(QStringLiteral("url"), url.toString());
    data.insert(QStringLiteral("attempt"), m_attempt);
    data.insert(QStringLiteral("model"), model);
    data.insert(QStringLiteral("body"), RequestLogger::bodyForLog(body, kMaxLoggedBody));
    write(attemptStage(QStringLiteral("upstream-request"), m_attempt), data);
}

void ForwardLog::upstreamResponse(int status, HttpClientReply::Error error, const QByteArray &body,
                                  bool timedOut) const
{
    if (!enabled())
        return;
    QJsonObject data{
        {QStringLiteral("status"), status},
        {QStringLiteral("network_error"),
         QString::fromLatin1(QMetaEnum::fromType<HttpClientReply::Error>().valueToKey(int(error)))},
        {QStringLiteral("body"), RequestLogger::bodyForLog(body, kMaxLoggedBody)}};
    if (timedOut)
        data.insert(QStringLiteral("timed_out"), true);
    write(attemptStage(QStringLiteral("upstream-response"), m_attempt), data);
}
