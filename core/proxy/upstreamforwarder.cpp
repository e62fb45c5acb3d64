#include "proxy/upstreamforwarder.h"

#include "proxy/forwardjob.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QUuid>

Q_DECLARE_LOGGING_CATEGORY(lcProxy)

namespace {
// Qt 6.4 opens at most six HTTP/1.1 connections per host and port in one manager and
// queues the rest; streams last minutes, so a queued one would wait that long.
constexpr int kRequestsPerManager = 6;
} // namespace

UpstreamForwarder::UpstreamForwarder(Settings *settings, SessionManager *session,
                                     RequestLogger *logger, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_session(session)
    , m_logger(logger)
    , m_sessionId(QUuid::createUuid().toString(QUuid::WithoutBraces))
{}

UpstreamForwarder::~UpstreamForwarder()
{
    // Jobs are children and go first; then the managers.
    const QList<ForwardJob *> jobs = findChildren<ForwardJob *>(Qt::FindDirectChildrenOnly);
    qDeleteAll(jobs);
    qDeleteAll(m_managers);
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

QNetworkAccessManager *UpstreamForwarder::acquireManager()
{
    QNetworkAccessManager *best = nullptr;
    for (QNetworkAccessManager *m : std::as_const(m_managers)) {
        const int n = m_inFlight.value(m);
        if (n < kRequestsPerManager && (!best || n < m_inFlight.value(best)))
            best = m;
    }
    if (!best) {
        best = new QNetworkAccessManager(this);
        best->setAutoDeleteReplies(false);
        m_managers.append(best);
        qCDebug(lcProxy) << "upstream pool grew to" << m_managers.size() << "managers";
    }
    ++m_inFlight[best];
    return best;
}

void UpstreamForwarder::releaseManager(QNetworkAccessManager *manager)
{
    auto it = m_inFlight.find(manager);
    if (it != m_inFlight.end() && it.value() > 0)
        --it.value();
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
