#include "proxy/forwardjob.h"

#include "http/httpclient.h"
#include "http/httpserver.h"
#include "proxy/proxyerror.h"
#include "proxy/qwenmode.h"
#include "proxy/requestlogger.h"
#include "proxy/requestrewriter.h"
#include "proxy/upstreamforwarder.h"
#include "settings/settings.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMetaEnum>
#include <QRandomGenerator>
#include <QTimer>
#include <QUuid>

Q_DECLARE_LOGGING_CATEGORY(lcProxy)

namespace {
constexpr int kMaxServerErrorRetries = 2;
constexpr qint64 kReadBufferBytes = 256 * 1024;
constexpr qint64 kMaxErrorBodyBytes = 1024 * 1024;
constexpr qint64 kMaxLoggedBody = 128 * 1024;

QByteArray userAgent()
{
    // QSysInfo reads /etc/os-release on each call; the answer does not change.
    static const QByteArray agent = QByteArrayLiteral("QwenBridge/" QWEN_BRIDGE_VERSION " (") +
                                    QSysInfo::productType().toUtf8() + QByteArrayLiteral("; ") +
                                    QSysInfo::currentCpuArchitecture().toUtf8() +
                                    QByteArrayLiteral(")");
    return agent;
}

bool isQuotaError(const QByteArray &body)
{
    const QByteArray lower = body.toLower();
    return lower.contains("insufficient_quota") || lower.contains("free allocated quota") ||
           lower.contains("quota exceeded") || lower.contains("free tier");
}

QUrl join(const QUrl &base, const QString &tail)
{
    QUrl url = base;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + tail);
    return url;
}
} // namespace

ForwardJob::ForwardJob(UpstreamForwarder *forwarder, Kind kind, const HttpRequest &request,
                       HttpResponse *response, quint64 requestId)
    : QObject(forwarder)
    , m_forwarder(forwarder)
    , m_kind(kind)
    , m_request(request)
    , m_response(response)
    , m_requestId(requestId)
{
    connect(response, &HttpResponse::clientGone, this, [this] {
        qCDebug(lcProxy) << "request" << m_requestId << ": client went away; aborting upstream";
        log(QStringLiteral("client-gone"), {});
        finish(false);
    });
    // The idle timer is paused while we hold the upstream back for a slow client: that
    // silence is not the upstream's fault.
    m_clock.start();
    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, &ForwardJob::onIdleTimeout);
    connect(response, &HttpResponse::drained, this, [this] {
        if (m_paused) {
            m_paused = false;
            if (m_reply && !m_reply->isFinished())
                upstreamAlive();
            onReadyRead();
        }
    });
}

ForwardJob::~ForwardJob()
{
    releaseReply(true);
}

// A retry gets files of its own: upstream-request, upstream-request-2, …
QString ForwardJob::attemptStage(const QString &stage) const
{
    return m_attempt > 1 ? stage + QLatin1Char('-') + QString::number(m_attempt) : stage;
}

int ForwardJob::idleTimeoutSeconds() const
{
    return qMax(1, (m_forwarder->idleTimeoutMs() + 999) / 1000);
}

bool ForwardJob::logging() const
{
    const RequestLogger *logger = m_forwarder->logger();
    return logger && logger->isEnabled();
}

// Callers with costly data (bodies to redact) check logging() first.
void ForwardJob::log(const QString &stage, const QJsonObject &data)
{
    if (logging())
        m_forwarder->logger()->log(m_requestId, stage, data);
}

// A random UUID (version 4) from the fast generator: a prompt id tags a request, it
// guards nothing. QUuid::createUuid() asks the system generator, which costs a
// noticeable share of a request on CPUs where that means the RDRAND instruction.
static QString newPromptId()
{
    quint64 bits[2];
    QRandomGenerator::global()->fillRange(bits);
    QByteArray raw(reinterpret_cast<const char *>(bits), sizeof bits);
    raw[6] = char((raw[6] & 0x0f) | 0x40); // version 4
    raw[8] = char((raw[8] & 0x3f) | 0x80); // RFC 4122 variant
    return QUuid::fromRfc4122(raw).toString(QUuid::WithoutBraces);
}

void ForwardJob::start()
{
    m_forwarder->jobStarted();
    if (logging()) {
        QJsonObject data;
        data.insert(QStringLiteral("method"), QString::fromLatin1(m_request.method));
        data.insert(QStringLiteral("path"), QString::fromLatin1(m_request.path));
        data.insert(QStringLiteral("headers"), RequestLogger::redactHeaders(m_request.headers));
        data.insert(QStringLiteral("body"),
                    RequestLogger::bodyForLog(m_request.body, kMaxLoggedBody));
        log(QStringLiteral("client-request"), data);
    }
    m_forwarder->session()->requestAuth(this, [this](const UpstreamAuth &auth) { onAuth(auth); });
}

void ForwardJob::onAuth(const UpstreamAuth &auth)
{
    if (m_done)
        return;
    if (!auth.ok()) {
        switch (auth.error) {
        case SessionError::Offline:
            fail(503, auth.message, QStringLiteral("upstream_unavailable"),
                 QStringLiteral("session_offline"));
            break;
        case SessionError::Keychain:
            fail(503, auth.message, QStringLiteral("server_error"),
                 QStringLiteral("keychain_unavailable"));
            break;
        default:
            fail(401, auth.message, QStringLiteral("authentication_error"),
                 QStringLiteral("sign_in_required"));
            break;
        }
        return;
    }
    m_auth = auth;
    if (m_kind == Kind::Models) {
        if (auth.method == AuthMethod::OAuth) {
            answerLocalModels();
            return;
        }
        send();
        return;
    }
    // Rewrite once per request; a retry after a refresh sends the same body.
    if (m_upstreamBody.isEmpty()) {
        Settings *settings = m_forwarder->settings();
        RequestRewriter::Options options;
        options.authMethod = auth.method == AuthMethod::ApiKey ? RequestRewriter::AuthMethod::ApiKey
                                                               : RequestRewriter::AuthMethod::OAuth;
        options.qwenMode = QwenMode::resolveFromSystem(*settings).enabled;
        options.coderModel =
            settings->value(QStringLiteral("apiKey/coderModel"), options.coderModel).toString();
        options.visionModel =
            settings->value(QStringLiteral("apiKey/visionModel"), options.visionModel).toString();
        options.sessionId = m_forwarder->sessionId();
        options.promptId = newPromptId();
        const RequestRewriter::Result r = RequestRewriter::rewrite(m_request.body, options);
        if (!r.ok()) {
            if (m_response)
                m_response->send(400, r.errorBody());
            log(QStringLiteral("rejected"), {{QStringLiteral("reason"), r.errorMessage}});
            finish(false);
            return;
        }
        m_upstreamBody = r.body;
        m_upstreamModel = r.upstreamModel;
        m_stream = r.stream;
        m_request.body.clear(); // no need to hold the original twice
    }
    send();
}

void ForwardJob::send()
{
    releaseReply();
    ++m_attempt;
    m_status = 0;
    m_errorBody.clear();
    m_plainBody.clear();
    m_sse.reset();
    m_sawDone = false;
    m_timedOut = false;

    const bool chat = m_kind == Kind::Chat;
    HttpClientRequest req;
    req.method = chat ? QByteArrayLiteral("POST") : QByteArrayLiteral("GET");
    req.url = join(m_auth.apiBase,
                   chat ? QStringLiteral("/chat/completions") : QStringLiteral("/models"));
    req.headers = {{"Authorization", "Bearer " + m_auth.bearer.toUtf8()},
                   {"Accept", m_stream ? "text/event-stream" : "application/json"},
                   {"User-Agent", userAgent()},
                   {"X-DashScope-UserAgent", userAgent()}};
    if (m_auth.method == AuthMethod::OAuth) {
        req.headers.append(
            qMakePair(QByteArrayLiteral("X-DashScope-AuthType"), QByteArrayLiteral("qwen-oauth")));
        req.headers.append(
            qMakePair(QByteArrayLiteral("X-DashScope-CacheControl"), QByteArrayLiteral("enable")));
    }
    if (chat) {
        req.headers.append(
            qMakePair(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")));
        req.body = m_upstreamBody;
    }

    if (logging()) {
        QJsonObject data;
        data.insert(QStringLiteral("url"), req.url.toString());
        data.insert(QStringLiteral("attempt"), m_attempt);
        data.insert(QStringLiteral("model"), m_upstreamModel);
        data.insert(QStringLiteral("body"),
                    RequestLogger::bodyForLog(m_upstreamBody, kMaxLoggedBody));
        log(attemptStage(QStringLiteral("upstream-request")), data);
    }

    m_reply = m_forwarder->client()->send(req, this);
    m_reply->setReadBufferSize(kReadBufferBytes);
    connect(m_reply, &HttpClientReply::metaDataChanged, this, &ForwardJob::onMetaData);
    connect(m_reply, &HttpClientReply::readyRead, this, &ForwardJob::onReadyRead);
    connect(m_reply, &HttpClientReply::finished, this, &ForwardJob::onFinished);
    // Anything moving either way shows the upstream is alive.
    connect(m_reply, &HttpClientReply::uploadProgress, this, [this] {
        if (!m_paused)
            upstreamAlive();
    });
    upstreamAlive();
}

// A sign of life from upstream. The timer is not restarted each time (with hundreds of
// streams that is a walk over every timer of the event loop, per event): it runs its
// course, and onIdleTimeout() measures from the last sign of life.
void ForwardJob::upstreamAlive()
{
    m_lastUpstreamMs = m_clock.elapsed();
    if (!m_idleTimer.isActive())
        m_idleTimer.start(m_forwarder->idleTimeoutMs());
}

void ForwardJob::releaseReply(bool jobEnding)
{
    m_idleTimer.stop();
    if (m_reply) {
        HttpClientReply *reply = m_reply;
        m_reply.clear();
        reply->disconnect(this);
        reply->abort();
        // A child of this job: when the job goes, it goes with it.
        if (!jobEnding)
            reply->deleteLater();
    }
}

void ForwardJob::onIdleTimeout()
{
    if (!m_reply || m_done || m_reply->isFinished() || m_paused)
        return;
    const qint64 quiet = m_clock.elapsed() - m_lastUpstreamMs;
    if (quiet < m_forwarder->idleTimeoutMs()) {
        m_idleTimer.start(int(m_forwarder->idleTimeoutMs() - quiet));
        return;
    }
    qCInfo(lcProxy) << "request" << m_requestId << ": nothing from upstream for"
                    << m_forwarder->idleTimeoutMs() << "ms; giving up";
    m_timedOut = true;
    m_reply->abort(); // emits finished(), which ends the request
    if (!m_done)
        onFinished();
}

void ForwardJob::onMetaData()
{
    if (!m_reply || m_status != 0)
        return;
    if (!m_paused)
        upstreamAlive();
    m_status = m_reply->status();
    if (m_status >= 200 && m_status < 300 && m_stream && m_response && !m_streaming) {
        HttpHeaders extra = {{"Cache-Control", "no-cache"}};
        m_response->beginStream(m_status, "text/event-stream", extra);
        m_streaming = true;
    }
}

void ForwardJob::onReadyRead()
{
    if (!m_reply || m_done)
        return;
    if (!m_paused && !m_reply->isFinished())
        upstreamAlive();
    if (m_status == 0)
        onMetaData();
    if (m_status >= 200 && m_status < 300) {
        if (m_streaming) {
            if (!m_response)
                return;
            // Forward complete events as they arrive; stop reading while the client
            // lags, so the reply's bounded buffer pushes back on the upstream socket.
            while (m_reply->bytesAvailable() > 0) {
                if (m_response->isBackpressured()) {
                    // The client is the slow one: upstream silence is not its fault.
                    m_paused = true;
                    m_idleTimer.stop();
                    return;
                }
                if (m_paused) {
                    m_paused = false;
                    if (!m_reply->isFinished())
                        upstreamAlive();
                }
                const QByteArray chunk = m_reply->read(64 * 1024);
                const QList<SseEvent> events = m_sse.feed(chunk);
                for (const SseEvent &e : events) {
                    if (e.isDone())
                        m_sawDone = true;
                    m_response->write(e.raw);
                }
                if (m_sse.hasError()) {
                    m_response->write(openAiErrorEvent(
                        tr("The Qwen API sent an event larger than Qwen Bridge accepts."),
                        QStringLiteral("upstream_error"), QStringLiteral("event_too_large")));
                    m_response->end();
                    finish(false);
                    return;
                }
            }
        } else {
            m_plainBody += m_reply->readAll();
        }
    } else {
        const QByteArray more = m_reply->readAll();
        if (m_errorBody.size() < kMaxErrorBodyBytes)
            m_errorBody += more.left(kMaxErrorBodyBytes - m_errorBody.size());
    }
}

void ForwardJob::onFinished()
{
    if (!m_reply || m_done)
        return;
    m_idleTimer.stop();
    HttpClientReply *reply = m_reply;
    if (m_status == 0)
        m_status = reply->status();
    if (!m_paused)
        onReadyRead();
    if (m_done)
        return;
    if (m_paused && m_streaming && m_response && reply->error() == HttpClientReply::Error::None &&
        !m_timedOut && reply->bytesAvailable() > 0) {
        // Everything has arrived but the client still lags: pass the rest on as it
        // drains, then finish.
        connect(m_response, &HttpResponse::drained, this, &ForwardJob::onFinished,
                Qt::UniqueConnection);
        return;
    }
    using Error = HttpClientReply::Error;
    const Error error = reply->error();
    const QString errorText =
        m_timedOut ? tr("no data for %1 seconds").arg(idleTimeoutSeconds()) : reply->errorString();

    if (logging()) {
        log(attemptStage(QStringLiteral("upstream-response")),
            {{QStringLiteral("status"), m_status},
             {QStringLiteral("network_error"),
              QString::fromLatin1(
                  QMetaEnum::fromType<HttpClientReply::Error>().valueToKey(int(error)))},
             {QStringLiteral("body"),
              RequestLogger::bodyForLog(
                  m_status >= 200 && m_status < 300 ? m_plainBody : m_errorBody, kMaxLoggedBody)}});
    }

    const bool transportError = error != Error::None; // HTTP statuses are not errors here

    if (m_streaming) {
        if (!m_response) {
            finish(false);
            return;
        }
        // Qt 6.4 may report a chunked body cut short by a reset as a success, so a stream
        // without its closing [DONE] counts as broken too.
        const bool complete = error == Error::None && m_sawDone;
        const QByteArray rest = m_sse.takeRemainder();
        if (complete && !rest.trimmed().isEmpty())
            m_response->write(rest);
        // A broken stream's half event is dropped: joined to the error event below it
        // would spoil both.
        if (!complete) {
            QString message;
            if (m_timedOut)
                message = tr("The Qwen API stopped sending in the middle of the answer and did "
                             "not go on for %1 seconds. Try again.")
                              .arg(idleTimeoutSeconds());
            else if (error != Error::None)
                message = tr("The connection to the Qwen API broke in the middle of the answer "
                             "(%1). Try again.")
                              .arg(errorText);
            else
                message = tr("The connection to the Qwen API ended before the answer was "
                             "complete. Try again.");
            qCInfo(lcProxy) << "request" << m_requestId << ": stream broken off; error"
                            << int(error) << "done marker" << m_sawDone;
            m_response->write(openAiErrorEvent(message, QStringLiteral("upstream_error"),
                                               QStringLiteral("upstream_interrupted")));
        }
        m_response->end();
        finish(complete);
        return;
    }

    if (m_status != 0 && transportError) {
        // Headers came, then the connection failed: the body is incomplete, and passing
        // it on with the upstream's status would make a cut-off answer look whole.
        const bool timeout = m_timedOut;
        fail(timeout ? 504 : 502,
             timeout ? tr("The Qwen API stopped sending its answer and did not go on for %1 "
                          "seconds. Try again.")
                           .arg(idleTimeoutSeconds())
                     : tr("The connection to the Qwen API broke before the answer was complete "
                          "(%1). Try again.")
                           .arg(errorText),
             QStringLiteral("upstream_error"),
             timeout ? QStringLiteral("upstream_timeout") : QStringLiteral("upstream_interrupted"));
        return;
    }

    if (m_status == 0) {
        // No HTTP answer at all.
        const QString host = m_auth.apiBase.host();
        QString message;
        int status = 502;
        QString code = QStringLiteral("upstream_unreachable");
        switch (m_timedOut ? Error::Canceled : error) {
        case Error::Canceled:
            status = 504;
            code = QStringLiteral("upstream_timeout");
            message = tr("The Qwen API at %1 did not answer within %2 seconds. Try again.")
                          .arg(host)
                          .arg(idleTimeoutSeconds());
            break;
        case Error::HostNotFound:
            message = tr("The name %1 could not be resolved. Check your network connection "
                         "and DNS.")
                          .arg(host);
            code = QStringLiteral("upstream_dns");
            break;
        case Error::Tls:
            message = tr("A secure connection to %1 could not be made (%2). Check the API "
                         "address and the system's certificates.")
                          .arg(host, errorText);
            code = QStringLiteral("upstream_tls");
            break;
        case Error::ConnectionRefused:
            message = tr("%1 refused the connection. Check the API address.").arg(host);
            break;
        case Error::Proxy:
            message = errorText; // names the proxy and what to check
            code = QStringLiteral("upstream_proxy");
            break;
        case Error::ConnectTimeout:
            status = 504;
            code = QStringLiteral("upstream_connect_timeout");
            message = tr("No connection to the Qwen API at %1 could be set up within %2 seconds. "
                         "Check your network connection, firewall and proxy settings.")
                          .arg(host)
                          .arg(qMax(1, (m_forwarder->client()->connectTimeoutMs() + 999) / 1000));
            break;
        default:
            message = tr("Could not reach the Qwen API at %1: %2").arg(host, errorText);
            break;
        }
        fail(status, message, QStringLiteral("upstream_error"), code);
        return;
    }

    if (m_status >= 200 && m_status < 300) {
        QByteArray contentType = reply->rawHeader("content-type");
        if (contentType.isEmpty())
            contentType = QByteArrayLiteral("application/json");
        if (contentType.toLower().contains("json") &&
            QJsonDocument::fromJson(m_plainBody).isNull()) {
            // Qt 6.4 may report a chunked body cut short by a reset as a success.
            fail(502,
                 tr("The Qwen API's answer was cut off or unreadable (%1 bytes of JSON that "
                    "does not parse). Try again.")
                     .arg(m_plainBody.size()),
                 QStringLiteral("upstream_error"), QStringLiteral("upstream_bad_response"));
            return;
        }
        if (m_response)
            m_response->send(m_status, m_plainBody, contentType);
        finish(true);
        return;
    }
    handleUpstreamError(m_status, m_errorBody);
}

void ForwardJob::handleUpstreamError(int status, const QByteArray &body)
{
    HttpClientReply *reply = m_reply;
    if (status == 401 && !m_retried401) {
        // One refresh through the session's single flight, then one retry.
        m_retried401 = true;
        const QString bearer = m_auth.bearer;
        releaseReply();
        m_forwarder->session()->reportUnauthorized(
            bearer, this, [this](const UpstreamAuth &auth) { onAuth(auth); });
        return;
    }
    if ((status == 429 || status == 403) && isQuotaError(body)) {
        const QString message =
            m_auth.method == AuthMethod::OAuth
                ? tr("Your Qwen account has no OAuth quota left: Qwen ended the free OAuth tier "
                     "on 2026-04-15. Use an API key instead (Alibaba Cloud Model Studio or "
                     "Coding Plan): choose \"Use an API key instead…\" in the Qwen Bridge tray "
                     "menu, or run `qwen-bridge login --api-key`.")
                : tr("The model service says this API key has no quota left. Check the balance "
                     "and plan of the key in Alibaba Cloud Model Studio.");
        Q_EMIT m_forwarder->quotaExhausted(message);
        fail(429, message, QStringLiteral("insufficient_quota"),
             QStringLiteral("insufficient_quota"));
        return;
    }
    if (status >= 500 && !m_stream && m_attempt <= kMaxServerErrorRetries) {
        releaseReply();
        const int delay = m_forwarder->retryDelayMs() * m_attempt;
        qCInfo(lcProxy) << "request" << m_requestId << ": upstream HTTP" << status
                        << "; retrying in" << delay << "ms";
        QTimer::singleShot(delay, this, [this] {
            if (!m_done)
                send();
        });
        return;
    }
    HttpHeaders extra;
    if (reply && reply->hasRawHeader("Retry-After"))
        extra.append({"Retry-After", reply->rawHeader("Retry-After")});
    QString message;
    QString code;
    if (status == 401) {
        message = m_auth.method == AuthMethod::ApiKey
                      ? tr("The model service refused the API key. Keys only work in their own "
                           "region and plan: check the key and the base URL, then run "
                           "`qwen-bridge login --api-key` again.")
                      : tr("The Qwen API refused the token even after renewing it. Sign in "
                           "again from the Qwen Bridge tray menu or run `qwen-bridge login`.");
        code = QStringLiteral("invalid_api_key");
    } else if (status == 429) {
        const QByteArray after = reply ? reply->rawHeader("Retry-After") : QByteArray();
        message = after.isEmpty()
                      ? tr("The Qwen API is limiting requests. Wait a moment and try again.")
                      : tr("The Qwen API is limiting requests. Try again in %1 seconds.")
                            .arg(QString::fromLatin1(after));
        code = QStringLiteral("rate_limit_exceeded");
    } else if (status >= 500) {
        message = tr("The Qwen API had a problem (HTTP %1). Try again in a moment.").arg(status);
        code = QStringLiteral("upstream_error");
    }
    if (message.isEmpty()) {
        // Other client errors: the upstream's own words reach OpenCode unchanged.
        const QJsonDocument doc = QJsonDocument::fromJson(body);
        if (doc.isObject() && doc.object().contains(QStringLiteral("error"))) {
            if (m_response)
                m_response->send(status, body, "application/json", extra);
            finish(false);
            return;
        }
        message = tr("The Qwen API answered HTTP %1: %2")
                      .arg(status)
                      .arg(QString::fromUtf8(body.left(300)).simplified());
        code = QStringLiteral("upstream_error");
    } else {
        const QJsonDocument doc = QJsonDocument::fromJson(body);
        const QString upstream = doc.object()
                                     .value(QStringLiteral("error"))
                                     .toObject()
                                     .value(QStringLiteral("message"))
                                     .toString();
        if (!upstream.isEmpty())
            message += QLatin1Char(' ') + tr("(The service said: %1)").arg(upstream);
    }
    fail(status, message,
         status == 429 ? QStringLiteral("rate_limit_error") : QStringLiteral("upstream_error"),
         code, extra);
}

void ForwardJob::answerLocalModels()
{
    // OAuth tokens only ever accept these two aliases (PROTOCOL.md §4).
    QJsonArray data;
    for (const QString &id : {QStringLiteral("coder-model"), QStringLiteral("vision-model")}) {
        QJsonObject m;
        m.insert(QStringLiteral("id"), id);
        m.insert(QStringLiteral("object"), QStringLiteral("model"));
        m.insert(QStringLiteral("owned_by"), QStringLiteral("qwen"));
        data.append(m);
    }
    QJsonObject o;
    o.insert(QStringLiteral("object"), QStringLiteral("list"));
    o.insert(QStringLiteral("data"), data);
    if (m_response)
        m_response->send(200, QJsonDocument(o).toJson(QJsonDocument::Compact));
    finish(true);
}

void ForwardJob::fail(int status, const QString &message, const QString &type, const QString &code,
                      const HttpHeaders &extra)
{
    qCInfo(lcProxy) << "request" << m_requestId << "failed:" << status << code;
    log(QStringLiteral("error"), {{QStringLiteral("status"), status},
                                  {QStringLiteral("code"), code},
                                  {QStringLiteral("message"), message}});
    if (m_response) {
        if (m_streaming) {
            m_response->write(openAiErrorEvent(message, type, code));
            m_response->end();
        } else {
            m_response->send(status, openAiError(message, type, code), "application/json", extra);
        }
    }
    finish(false);
}

void ForwardJob::finish(bool ok)
{
    if (m_done)
        return;
    m_done = true;
    releaseReply(true);
    m_forwarder->jobFinished(ok);
    deleteLater();
}
