#include "proxy/upstreamforwarder.h"

#include "http/httpclient.h"
#include "proxy/forwardjob.h"

#include <QUuid>

UpstreamForwarder::UpstreamForwarder(Settings *settings, SessionManager *session,
                                     RequestLogger *logger, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_session(session)
    , m_logger(logger)
    , m_client(new HttpClient(this))
    , m_sessionId(QUuid::createUuid().toString(QUuid::WithoutBraces))
{}

UpstreamForwarder::~UpstreamForwarder()
{
    // Jobs (and their replies) go before the client.
    const QList<ForwardJob *> jobs = findChildren<ForwardJob *>(Qt::FindDirectChildrenOnly);
    qDeleteAll(jobs);
}

void UpstreamForwarder::forwardChat(const HttpRequest &request, HttpResponse *response,
                                    quint64 requestId)
{
    auto *job = new ForwardJob(this, ForwardJob::Kind::Chat, request, response, requestId);
    job->start();
}

void UpstreamForwarder::forwardModels(const HttpRequest &request, HttpResponse *response,
                                      quint64 requestId)
{
    auto *job = new ForwardJob(this, ForwardJob::Kind::Models, request, response, requestId);
    job->start();
}

void UpstreamForwarder::jobStarted()
{
    ++m_active;
}

void UpstreamForwarder::jobFinished(bool ok)
{
    --m_active;
    Q_EMIT requestFinished(ok);
}
