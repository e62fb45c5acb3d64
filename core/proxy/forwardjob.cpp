#include "proxy/forwardjob.h"

#include "http/httpclient.h"
#include "http/httpserver.h"
#include "plans/plancatalog.h"
#include "proxy/failover.h"
#include "proxy/forwardlog.h"
#include "proxy/modellist.h"
#include "proxy/proxyerror.h"
#include "proxy/requestrewriter.h"
#include "proxy/upstreamcontext.h"
#include "proxy/upstreamrequest.h"
#include "proxy/usagerecorder.h"
#include "session/accountpool.h"
#include "settings/settings.h"
#include "util/deferreddelete.h"
#include "util/logcategories.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimer>

#include <utility>

namespace {
constexpr int kMaxServerErrorRetries = 2;
constexpr qint64 kReadBufferBytes = 256 * 1024;
constexpr qint64 kMaxErrorBodyBytes = 1024 * 1024;
} // namespace

ForwardJob::ForwardJob(UpstreamContext *upstream, Kind kind, const HttpRequest &request,
                       HttpResponse *response, quint64 requestId)
    : QObject(upstream)
    , m_upstream(upstream)
    , m_kind(kind)
    , m_request(request)
    , m_response(response)
    , m_requestId(requestId)
{
    connect(response, &HttpResponse::clientGone, this, [this] {
        if (m_state == State::Done)
            return;
        m_errorKind = QStringLiteral("client_gone");
        qCDebug(lcProxy) << "request" << m_requestId << ": client went away in state" << m_state
                         << "; aborting upstream";
        forwardLog().write(QStringLiteral("client-gone"));
        finish(false);
    });
    connect(response, &HttpResponse::drained, this, &ForwardJob::onClientDrained);
    m_clock.start();
    m_arrivedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, &ForwardJob::onIdleTimeout);
}

ForwardJob::~ForwardJob()
{
    releaseReply();
}

int ForwardJob::idleTimeoutSeconds() const
{
    return qMax(1, (m_upstream->idleTimeoutMs() + 999) / 1000);
}

ForwardLog ForwardJob::forwardLog() const
{
    return ForwardLog(m_upstream->logger(), m_requestId, m_attempt);
}

void ForwardJob::onAuth(const UpstreamAuth &auth)
{
    if (m_state != State::Authorizing)
        return;
    if (!auth.ok()) {
        const UpstreamVerdict verdict = UpstreamError::forSession(auth.error, auth.message);
        if (!tryNextAccount(verdict))
            fail(verdict);
        return;
    }
    m_auth = auth;
    if (m_kind == Kind::Models && auth.method == AuthMethod::OAuth) {
        answerLocalModels();
        return;
    }
    if (m_kind == Kind::Models && !plan().hasModelList) {
        answerPlanModels({});
        return;
    }
    // Rewrite once per request; a retry after a refresh sends the same body.
    if (m_kind == Kind::Chat && m_upstreamBody.isEmpty() && !prepareChatBody(auth))
        return;
    send();
}

// False when the request was refused (and answered).
bool ForwardJob::prepareChatBody(const UpstreamAuth &auth)
{
    Settings *settings = m_upstream->settings();
    RequestRewriter::Options options;
    options.authMethod = auth.method == AuthMethod::ApiKey ? RequestRewriter::AuthMethod::ApiKey
                                                           : RequestRewriter::AuthMethod::OAuth;
    options.qwenMode = m_upstream->qwenModeEnabled();
    if (auth.method == AuthMethod::ApiKey) {
        // The plan's alias targets (the Coding Plan has no qwen3-vl-plus); settings may
        // still name others.
        const Plan plan = PlanCatalog::instance().planForCredentials(auth.preset);
        options.coderModel =
            settings->value(QStringLiteral("apiKey/coderModel"), plan.coderModel).toString();
        options.visionModel =
            settings->value(QStringLiteral("apiKey/visionModel"), plan.visionModel).toString();
    }
    options.sessionId = m_upstream->sessionId();
    options.promptId = RequestRewriter::newPromptId();
    const RequestRewriter::Result r =
        m_parsedRequest ? RequestRewriter::rewrite(m_request.body, *m_parsedRequest, options)
                        : RequestRewriter::rewrite(m_request.body, options);
    if (!r.ok()) {
        forwardLog().write(QStringLiteral("rejected"),
                           {{QStringLiteral("reason"), r.errorMessage}});
        if (m_response)
            m_response->send(400, r.errorBody());
        finish(false);
        return false;
    }
    m_upstreamBody = r.body;
    m_upstreamModel = r.upstreamModel;
    m_stream = r.stream;
    m_relay.setStripUsageOnlyChunks(r.usageAdded);
    // No need to hold the original twice, unless another credential may need it.
    if (!m_upstream->accounts() || m_upstream->accounts()->size() < 2)
        m_request.body.clear();
    return true;
}

void ForwardJob::send()
{
    releaseReply();
    ++m_attempt;
    ++m_accountAttempts;
    m_status = 0;
    m_body.clear();
    m_relay.reset();
    m_state = State::Waiting;

    UpstreamRequestSpec spec;
    spec.kind =
        m_kind == Kind::Chat ? UpstreamRequestSpec::Kind::Chat : UpstreamRequestSpec::Kind::Models;
    spec.apiBase = m_auth.apiBase;
    spec.bearer = m_auth.bearer;
    spec.method = m_auth.method;
    spec.stream = m_stream;
    spec.body = m_upstreamBody;
    spec.clientUserAgent = m_request.header("user-agent");
    const HttpClientRequest req = buildUpstreamRequest(spec);

    forwardLog().upstreamRequest(req.url, m_upstreamModel, m_upstreamBody);

    // send() never emits a signal before it returns (a failure at once is queued).
    m_reply = m_upstream->client()->send(req, this);
    m_reply->setReadBufferSize(kReadBufferBytes);
    connect(m_reply, &HttpClientReply::metaDataChanged, this, &ForwardJob::pumpReply);
    connect(m_reply, &HttpClientReply::readyRead, this, &ForwardJob::pumpReply);
    connect(m_reply, &HttpClientReply::finished, this, &ForwardJob::pumpReply);
    // Bytes of the request going out show the upstream is alive too.
    connect(m_reply, &HttpClientReply::uploadProgress, this, [this] {
        if (m_state == State::Waiting)
            upstreamAlive();
    });
    upstreamAlive();
}

// Every signal of the reply lands here: its state and the job's decide what is next.
void ForwardJob::pumpReply()
{
    if (!m_reply)
        return;
    if (m_state == State::Waiting) {
        if (m_reply->status() == 0) {
            if (m_reply->isFinished())
                conclude(false);
            return;
        }
        takeHead();
        if (m_state == State::Done)
            return;
    }
    if (m_state != State::Held && !m_reply->isFinished())
        upstreamAlive();
    switch (m_state) {
    case State::Streaming:
        relay();
        break;
    case State::Collecting:
        collect();
        break;
    default:
        break; // Held: drained() goes on; other states expect nothing from a reply
    }
}

void ForwardJob::takeHead()
{
    m_status = m_reply->status();
    if (m_status >= 200 && m_status < 300) {
        m_upstream->noteBearerWorked(m_auth.bearer);
        if (AccountPool *pool = m_upstream->accounts())
            pool->reportSuccess(m_account);
    }
    if (m_status < 200 || m_status >= 300 || !m_stream) {
        m_state = State::Collecting;
        return;
    }
    m_state = State::Streaming;
    if (!m_response) {
        finish(false);
        return;
    }
    m_response->beginStream(m_status, "text/event-stream", {{"Cache-Control", "no-cache"}});
}

// Passes complete events on as they arrive: all that one read brought, in one write. Stops
// reading while the client lags, so the reply's bounded buffer pushes back on the upstream
// socket.
void ForwardJob::relay()
{
    while (m_state == State::Streaming) {
        if (!m_reply || !m_response) {
            finish(false);
            return;
        }
        if (m_reply->bytesAvailable() == 0) {
            if (m_reply->isFinished())
                concludeStream(false);
            return;
        }
        if (m_response->isBackpressured()) {
            // The client is the slow one: upstream silence is not the upstream's fault.
            m_state = State::Held;
            m_idleTimer.stop();
            return;
        }
        const QByteArray events = m_relay.feed(m_reply->readAll());
        if (m_relay.hasError()) {
            m_response->write(openAiErrorEvent(UpstreamError::eventTooLarge(),
                                               QStringLiteral("upstream_error"),
                                               QStringLiteral("event_too_large")));
            if (m_state == State::Done)
                return;
            m_response->end();
            finish(false);
            return;
        }
        if (!events.isEmpty()) {
            if (m_firstByteMs < 0)
                m_firstByteMs = m_clock.elapsed();
            m_response->write(events); // may end the job: the loop condition checks
        }
    }
}

void ForwardJob::onClientDrained()
{
    if (m_state != State::Held)
        return;
    m_state = State::Streaming;
    if (m_reply && !m_reply->isFinished())
        upstreamAlive();
    relay();
}

void ForwardJob::collect()
{
    const QByteArray more = m_reply->readAll();
    if (m_status >= 200 && m_status < 300)
        m_body += more;
    else if (m_body.size() < kMaxErrorBodyBytes)
        m_body += more.left(kMaxErrorBodyBytes - m_body.size());
    if (m_reply->isFinished())
        concludeCollected(false);
}

// A sign of life from upstream. The timer is not restarted each time (with hundreds of
// streams that is a walk over every timer of the event loop, per event): it runs its
// course, and onIdleTimeout() measures from the last sign of life.
void ForwardJob::upstreamAlive()
{
    m_lastUpstreamMs = m_clock.elapsed();
    if (!m_idleTimer.isActive())
        m_idleTimer.start(m_upstream->idleTimeoutMs());
}

void ForwardJob::onIdleTimeout()
{
    const bool reading =
        m_state == State::Waiting || m_state == State::Collecting || m_state == State::Streaming;
    if (!reading || !m_reply || m_reply->isFinished())
        return;
    const qint64 quiet = m_clock.elapsed() - m_lastUpstreamMs;
    if (quiet < m_upstream->idleTimeoutMs()) {
        m_idleTimer.start(int(m_upstream->idleTimeoutMs() - quiet));
        return;
    }
    qCInfo(lcProxy) << "request" << m_requestId << ": nothing from upstream for"
                    << m_upstream->idleTimeoutMs() << "ms; giving up";
    m_reply->disconnect(this);
    m_reply->abort();
    conclude(true);
}

void ForwardJob::releaseReply()
{
    m_idleTimer.stop();
    if (!m_reply)
        return;
    HttpClientReply *reply = m_reply;
    m_reply.clear();
    reply->disconnect(this);
    reply->abort();
    // A child of this job: when the job is ending, it goes with it.
    if (m_state != State::Done)
        reply->deleteLater();
}

void ForwardJob::logUpstreamResponse(bool timedOut)
{
    forwardLog().upstreamResponse(
        m_status, m_reply ? m_reply->error() : HttpClientReply::Error::Canceled, m_body, timedOut);
}

// The upstream is done with this attempt: its reply finished, or it was silent too long.
void ForwardJob::conclude(bool timedOut)
{
    switch (m_state) {
    case State::Waiting: {
        logUpstreamResponse(timedOut);
        const HttpClientReply::Error error =
            m_reply ? m_reply->error() : HttpClientReply::Error::Canceled;
        const UpstreamVerdict verdict = UpstreamError::forTransport(
            error, m_reply ? m_reply->errorString() : QString(), m_auth.apiBase.host(), timedOut,
            idleTimeoutSeconds(), qMax(1, (m_upstream->client()->connectTimeoutMs() + 999) / 1000));
        if (!moveOn(verdict))
            fail(verdict);
        break;
    }
    case State::Streaming:
    case State::Held:
        concludeStream(timedOut);
        break;
    case State::Collecting:
        concludeCollected(timedOut);
        break;
    default:
        break;
    }
}

void ForwardJob::concludeStream(bool timedOut)
{
    if (!m_response) {
        finish(false);
        return;
    }
    logUpstreamResponse(timedOut);
    m_idleTimer.stop();
    const HttpClientReply::Error error =
        m_reply ? m_reply->error() : HttpClientReply::Error::Canceled;
    // A chunked body cut short by a reset can look like a success, so a stream without its
    // closing [DONE] counts as broken too.
    const bool complete = !timedOut && error == HttpClientReply::Error::None && m_relay.sawDone();
    const QByteArray rest = m_relay.takeRemainder();
    if (complete && !rest.trimmed().isEmpty()) {
        m_response->write(rest);
        if (m_state == State::Done)
            return;
    }
    // A broken stream's half event is dropped: joined to the error event below it would
    // spoil both.
    if (!complete) {
        qCInfo(lcProxy) << "request" << m_requestId << ": stream broken off; error" << int(error)
                        << "done marker" << m_relay.sawDone();
        m_errorKind =
            timedOut ? QStringLiteral("upstream_timeout") : QStringLiteral("upstream_interrupted");
        const QString message = UpstreamError::streamBroken(
            error, m_reply ? m_reply->errorString() : QString(), timedOut, idleTimeoutSeconds());
        m_response->write(openAiErrorEvent(message, QStringLiteral("upstream_error"),
                                           QStringLiteral("upstream_interrupted")));
        if (m_state == State::Done)
            return;
    }
    m_response->end();
    finish(complete);
}

void ForwardJob::concludeCollected(bool timedOut)
{
    logUpstreamResponse(timedOut);
    m_idleTimer.stop();
    const HttpClientReply::Error error =
        m_reply ? m_reply->error() : HttpClientReply::Error::Canceled;
    if (timedOut || error != HttpClientReply::Error::None) {
        // Headers came, then the connection failed: the body is incomplete, and passing it
        // on with the upstream's status would make a cut-off answer look whole.
        const UpstreamVerdict verdict = UpstreamError::forCutOffBody(
            m_reply ? m_reply->errorString() : QString(), timedOut, idleTimeoutSeconds());
        if (!moveOn(verdict))
            fail(verdict);
        return;
    }
    if (m_status >= 200 && m_status < 300) {
        QByteArray contentType = m_reply->rawHeader("content-type");
        if (contentType.isEmpty())
            contentType = QByteArrayLiteral("application/json");
        if (contentType.toLower().contains("json")) {
            bool readable = false;
            m_plainUsage = TokenUsage::fromAnswerBody(m_body, &readable);
            if (!readable) {
                // A chunked body cut short by a reset can look like a success.
                fail(UpstreamError::forUnreadableBody(m_body.size()));
                return;
            }
        }
        m_firstByteMs = m_clock.elapsed();
        if (m_kind == Kind::Models && m_auth.method == AuthMethod::ApiKey) {
            answerPlanModels(m_body);
            return;
        }
        if (m_response)
            m_response->send(m_status, m_body, contentType);
        finish(true);
        return;
    }
    // A plan said to have a model list that has none after all: the catalog answers.
    if (m_kind == Kind::Models && m_auth.method == AuthMethod::ApiKey && m_status == 404) {
        answerPlanModels({});
        return;
    }
    UpstreamError::Answer answer;
    answer.status = m_status;
    answer.body = m_body;
    answer.retryAfter = m_reply->rawHeader("Retry-After");
    UpstreamError::Context context;
    context.method = m_auth.method;
    context.stream = m_stream;
    context.attempt = m_accountAttempts;
    context.retried401 = m_retried401;
    context.retryBaseDelayMs = m_upstream->retryDelayMs();
    context.maxServerErrorRetries = kMaxServerErrorRetries;
    addPlanContext(context);
    applyVerdict(UpstreamError::forAnswer(answer, context));
}

// What the sentences about an API key's plan need: its name, its models, and whether this
// key worked before.
void ForwardJob::addPlanContext(UpstreamError::Context &context) const
{
    if (m_auth.method != AuthMethod::ApiKey)
        return;
    const Plan plan = this->plan();
    context.planName = PlanCatalog::instance().displayName(m_auth.preset, m_auth.apiBase);
    if (!plan.isCustom())
        context.planModels = plan.modelIds();
    context.model = m_upstreamModel;
    context.keyHasWorked = m_upstream->bearerHasWorked(m_auth.bearer);
}

void ForwardJob::applyVerdict(const UpstreamVerdict &verdict)
{
    switch (verdict.action) {
    case UpstreamVerdict::Action::RefreshAndRetry: {
        // One refresh through the session's single flight, then one retry.
        m_retried401 = true;
        const QString bearer = m_auth.bearer;
        releaseReply();
        m_state = State::Authorizing;
        if (!m_session) { // the credential was removed meanwhile
            if (!tryNextAccount(UpstreamError::forSession(SessionError::SignedOut, {})))
                failAll();
            return;
        }
        m_session->reportUnauthorized(bearer, this,
                                      [this](const UpstreamAuth &auth) { onAuth(auth); });
        return;
    }
    case UpstreamVerdict::Action::RetryLater:
        if (moveOn(verdict))
            return;
        releaseReply();
        m_state = State::Backoff;
        qCInfo(lcProxy) << "request" << m_requestId << ": upstream HTTP" << m_status
                        << "; retrying in" << verdict.retryDelayMs << "ms";
        QTimer::singleShot(verdict.retryDelayMs, this, [this] {
            if (m_state == State::Backoff)
                send();
        });
        return;
    case UpstreamVerdict::Action::PassThrough:
        // The upstream's own words reach OpenCode unchanged.
        m_errorKind = QStringLiteral("upstream_error");
        if (m_response)
            m_response->send(verdict.status, m_body, "application/json", verdict.extraHeaders);
        finish(false);
        return;
    case UpstreamVerdict::Action::Fail: {
        const QDateTime resetsAt =
            verdict.exhaustedWindow ? markWindowUsedUp(*verdict.exhaustedWindow) : QDateTime();
        if (moveOn(verdict, resetsAt))
            return;
        if (verdict.quotaExhausted)
            Q_EMIT m_upstream->quotaExhausted(verdict.message, resetsAt);
        fail(verdict);
        return;
    }
    }
}

void ForwardJob::answerLocalModels()
{
    if (m_response)
        m_response->send(200, ModelList::forOAuth());
    finish(true);
}

Plan ForwardJob::plan() const
{
    return PlanCatalog::instance().planForCredentials(m_auth.preset);
}

// API-key mode: the plan's models from the catalog, merged with the upstream's list if any.
void ForwardJob::answerPlanModels(const QByteArray &upstreamBody)
{
    if (m_response)
        m_response->send(200, ModelList::forPlan(plan(), upstreamBody));
    finish(true);
}

void ForwardJob::fail(const UpstreamVerdict &verdict)
{
    if (m_state == State::Done)
        return;
    qCInfo(lcProxy) << "request" << m_requestId << "failed:" << verdict.status << verdict.code;
    m_errorKind = verdict.code.isEmpty() ? QStringLiteral("error") : verdict.code;
    forwardLog().write(QStringLiteral("error"), {{QStringLiteral("status"), verdict.status},
                                                 {QStringLiteral("code"), verdict.code},
                                                 {QStringLiteral("message"), verdict.message}});
    if (m_response) {
        if (m_state == State::Streaming || m_state == State::Held) {
            m_response->write(openAiErrorEvent(verdict.message, verdict.type, verdict.code));
            if (m_state == State::Done)
                return;
            m_response->end();
        } else {
            m_response->send(verdict.status,
                             openAiError(verdict.message, verdict.type, verdict.code),
                             "application/json", verdict.extraHeaders);
        }
    }
    finish(false);
}

void ForwardJob::finish(bool ok)
{
    if (m_state == State::Done)
        return;
    m_state = State::Done;
    releaseReply();
    recordUsage();
    if (ok && m_kind == Kind::Chat && m_attempt > 0)
        Q_EMIT m_upstream->chatAnswered();
    m_upstream->jobFinished(ok);
    DeferredDelete::later(this);
}
