#include "proxy/upstreamcontext.h"

#include "http/httpclient.h"
#include "proxy/forwardjob.h"
#include "proxy/qwenmode.h"
#include "proxy/upstreamwarmer.h"
#include "session/sessionmanager.h"
#include "settings/settings.h"
#include "util/logcategories.h"

#include <QCryptographicHash>
#include <QLoggingCategory>
#include <QUuid>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace {
// While requests keep coming, freed memory goes back to the system at most this often
// (bench/soak: +1.1 MB over ten minutes of churn with a minute, +0.5-0.8 MB with ten
// seconds; one trim of this heap takes well under a millisecond).
constexpr qint64 kBusyTrimIntervalMs = 10000;
// And once when the proxy has had nothing to do for this long.
constexpr int kQuietTrimDelayMs = 2000;
} // namespace

UpstreamContext::UpstreamContext(Settings *settings, SessionManager *session, RequestLogger *logger,
                                 QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_session(session)
    , m_logger(logger)
    , m_client(new HttpClient(this))
    , m_sessionId(QUuid::createUuid().toString(QUuid::WithoutBraces))
{
    m_trimTimer.setSingleShot(true);
    m_trimTimer.setInterval(kQuietTrimDelayMs);
    connect(&m_trimTimer, &QTimer::timeout, this, [this] {
        if (m_active == 0)
            trimMemory();
    });
    m_sinceTrim.start();

    m_warmer = new UpstreamWarmer(m_client, this);
    if (m_settings)
        m_warmer->setFallbackOrigin(m_settings->apiFallbackUrl());
    if (m_session) {
        connect(m_session, &SessionManager::signedIn, m_warmer, &UpstreamWarmer::signedIn);
        connect(m_session, &SessionManager::credentialsReplaced, m_warmer, [this] {
            if (m_session->state() == SessionState::SignedIn)
                m_warmer->signedIn();
        });
    }
}

UpstreamContext::~UpstreamContext()
{
    // Jobs (and their replies) go before the client.
    const QList<ForwardJob *> jobs = findChildren<ForwardJob *>(Qt::FindDirectChildrenOnly);
    qDeleteAll(jobs);
}

void UpstreamContext::forwardChat(const HttpRequest &request, HttpResponse *response,
                                  quint64 requestId)
{
    auto *job = new ForwardJob(this, ForwardJob::Kind::Chat, request, response, requestId);
    job->start();
}

void UpstreamContext::forwardModels(const HttpRequest &request, HttpResponse *response,
                                    quint64 requestId)
{
    auto *job = new ForwardJob(this, ForwardJob::Kind::Models, request, response, requestId);
    job->start();
}

void UpstreamContext::jobStarted()
{
    ++m_active;
}

void UpstreamContext::jobFinished(bool ok)
{
    --m_active;
    if (m_active == 0)
        m_trimTimer.start();
    else if (m_sinceTrim.elapsed() > kBusyTrimIntervalMs)
        trimMemory();
    Q_EMIT requestFinished(ok);
}

// Streams come and go by the thousand over a day. glibc keeps the memory they freed in its
// arenas for reuse, so the resident size of a long-running proxy creeps up although
// nothing leaks; giving the free pages back keeps it flat (bench/soak shows the curve).
void UpstreamContext::trimMemory()
{
    m_sinceTrim.restart();
    ++m_memoryTrims;
#ifdef __GLIBC__
    malloc_trim(0);
#endif
    qCDebug(lcProxy) << "returned free heap memory to the system";
}

QByteArray UpstreamContext::bearerHash(const QString &bearer) const
{
    if (m_hashedBearerHash.isEmpty() || bearer != m_hashedBearer) {
        m_hashedBearer = bearer;
        m_hashedBearerHash = QCryptographicHash::hash(bearer.toUtf8(), QCryptographicHash::Sha256);
    }
    return m_hashedBearerHash;
}

void UpstreamContext::noteBearerWorked(const QString &bearer)
{
    m_workedBearers.insert(bearerHash(bearer));
}

bool UpstreamContext::bearerHasWorked(const QString &bearer) const
{
    return m_workedBearers.contains(bearerHash(bearer));
}

bool UpstreamContext::qwenModeEnabled()
{
    constexpr qint64 kRecheckMs = 1000;
    if (!m_qwenModeAge.isValid() || m_qwenModeAge.elapsed() >= kRecheckMs) {
        m_qwenMode = m_settings ? QwenMode::resolveFromSystem(*m_settings).enabled
                                : QwenMode::resolveFromSystem().enabled;
        m_qwenModeAge.start();
    }
    return m_qwenMode;
}
