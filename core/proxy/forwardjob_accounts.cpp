#include "proxy/forwardjob.h"

#include "proxy/failover.h"
#include "proxy/forwardlog.h"
#include "proxy/requestrewriter.h"
#include "proxy/upstreamcontext.h"
#include "proxy/usagerecorder.h"
#include "session/accountpool.h"
#include "settings/settings.h"
#include "util/logcategories.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimer>

// ForwardJob and the credentials (core/session/accountpool.h): which one takes the next
// attempt, moving on to another before anything of the answer reached the client, and
// what the usage meter records of the credential that served.

void ForwardJob::pickAccount()
{
    AccountPool *pool = m_upstream->accounts();
    if (!pool) {
        m_account = QStringLiteral("default");
        m_session = m_upstream->session();
    } else {
        const std::optional<AccountPool::Pick> pick = pool->pick(m_requestedModel, m_tried);
        if (!pick || !pick->session) {
            failAll();
            return;
        }
        m_account = pick->name;
        m_session = pick->session;
    }
    m_tried.insert(m_account);
    m_accountAttempts = 0;
    m_retried401 = false;
    // The body is rewritten for each credential's plan (its aliases, its rules).
    if (!m_request.body.isEmpty())
        m_upstreamBody.clear();
    m_state = State::Authorizing;
    m_session->requestAuth(this, [this](const UpstreamAuth &auth) { onAuth(auth); });
}

// The attempt failed in a way another credential may not: the pool learns of it and, if
// the answer has not started, the request goes to the next credential.
bool ForwardJob::moveOn(const UpstreamVerdict &verdict, const QDateTime &resetsAt)
{
    AccountPool *pool = m_upstream->accounts();
    if (!pool || m_state == State::Streaming || m_state == State::Held || m_state == State::Done)
        return false;
    const FailoverStep step =
        FailoverStep::forVerdict(verdict, resetsAt, QDateTime::currentDateTimeUtc());
    if (!step.applies)
        return false;
    const bool move = pool->reportFailure(m_account, step.failure, step.until, verdict.message);
    if (pool->size() < 2)
        return false;
    if (!move) {
        // The first passing failure of this credential: once more before moving on.
        if (verdict.action == UpstreamVerdict::Action::Fail) {
            releaseReply();
            m_state = State::Backoff;
            QTimer::singleShot(m_upstream->retryDelayMs(), this, [this] {
                if (m_state == State::Backoff)
                    send();
            });
            return true;
        }
        return false;
    }
    return tryNextAccount(verdict);
}

bool ForwardJob::tryNextAccount(const UpstreamVerdict &verdict)
{
    AccountPool *pool = m_upstream->accounts();
    if (!pool || pool->size() < 2)
        return false;
    m_lastFailure = verdict;
    releaseReply();
    forwardLog().write(QStringLiteral("failover"), {{QStringLiteral("from"), m_account},
                                                    {QStringLiteral("status"), verdict.status},
                                                    {QStringLiteral("code"), verdict.code}});
    qCInfo(lcProxy) << "request" << m_requestId << ": credential" << m_account << "failed ("
                    << verdict.code << "); trying the next one";
    pickAccount();
    return true;
}

// No credential is left to try: the last one's answer, or, when every credential rests,
// when the first comes back.
void ForwardJob::failAll()
{
    UpstreamVerdict verdict = m_lastFailure.value_or(UpstreamError::forSession(
        SessionError::SignedOut, SessionManager::tr("Qwen Bridge is not signed in.")));
    QDateTime earliest;
    const QString all = m_upstream->accounts()->allExhaustedMessage(&earliest);
    if (!all.isEmpty()) {
        verdict.status = 429;
        verdict.message = all;
        verdict.type = QStringLiteral("insufficient_quota");
        verdict.code = QStringLiteral("all_credentials_exhausted");
        const qint64 wait = qMax<qint64>(1, QDateTime::currentDateTimeUtc().secsTo(earliest));
        verdict.extraHeaders = {
            qMakePair(QByteArrayLiteral("Retry-After"), QByteArray::number(wait))};
        Q_EMIT m_upstream->quotaExhausted(all, earliest);
    }
    fail(verdict);
}

void ForwardJob::start()
{
    m_upstream->jobStarted();
    forwardLog().clientRequest(m_request);
    AccountPool *pool = m_upstream->accounts();
    // Only a choice between credentials needs the model before the body is rewritten. The
    // body is parsed once: every rewrite (one per credential tried) takes the parsed request.
    if (pool && pool->size() > 1 && m_kind == Kind::Chat) {
        QJsonObject request;
        if (RequestRewriter::parse(m_request.body, &request).ok()) {
            m_requestedModel = request.value(QLatin1String("model")).toString();
            m_parsedRequest = std::move(request);
        }
    }
    pickAccount();
}

// The upstream said one of the plan's windows is used up: the usage meter shows it so until
// the window resets, whatever it counted itself.
QDateTime ForwardJob::markWindowUsedUp(PlanWindows::Window window)
{
    UsageStore *store = m_upstream->usageStore();
    if (!store || m_auth.method != AuthMethod::ApiKey)
        return {};
    return UsageRecorder::markWindowUsedUp(store, plan().id, window,
                                           m_upstream->settings()->subscriptionDay(),
                                           QDateTime::currentDateTimeUtc());
}

// One row for the usage meter per chat request that went upstream.
void ForwardJob::recordUsage()
{
    UsageStore *store = m_upstream->usageStore();
    if (!store || m_kind != Kind::Chat || m_attempt == 0 ||
        !m_upstream->settings()->usageRecording())
        return;
    ChatUsageFacts facts;
    facts.arrivedAtMs = m_arrivedAtMs;
    facts.method = m_auth.method;
    if (m_auth.method == AuthMethod::ApiKey)
        facts.planId = plan().id;
    facts.credential = m_account;
    facts.model = m_upstreamModel;
    facts.httpStatus = m_status;
    facts.errorKind = m_errorKind;
    facts.usage = m_stream ? m_relay.usage() : m_plainUsage;
    facts.firstByteMs = m_firstByteMs;
    facts.durationMs = m_clock.elapsed();
    UsageRecorder::record(store, facts);
}
