#include "proxy/proxyserver.h"

#include "proxy/localkey.h"
#include "proxy/proxyerror.h"
#include "proxy/requestlogger.h"
#include "proxy/upstreamcontext.h"
#include "session/sessionmanager.h"
#include "settings/settings.h"
#include "util/logcategories.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

ProxyServer::ProxyServer(Settings *settings, SessionManager *session, LocalKey *localKey,
                         QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_session(session)
    , m_localKey(localKey)
    , m_server(new HttpServer(this))
    , m_logger(new RequestLogger(Settings::requestLogDir(), this))
{
    m_logger->setEnabled(settings->requestLogging());
    m_upstream = new UpstreamContext(settings, session, m_logger, this);
    const int idle = settings->value(QStringLiteral("proxy/upstreamIdleTimeoutMs"), 0).toInt();
    if (idle > 0)
        m_upstream->setIdleTimeoutMs(idle);
    HttpServerLimits limits;
    limits.maxBodyBytes = 64 * 1024 * 1024; // OpenCode sends whole projects as context
    m_server->setLimits(limits);
    connect(m_server, &HttpServer::requestReceived, this, &ProxyServer::onRequest);
    connect(m_upstream, &UpstreamContext::quotaExhausted, this, &ProxyServer::quotaExhausted);
    connect(m_upstream, &UpstreamContext::requestFinished, this, [this](bool ok) {
        if (!ok)
            ++m_stats.errors;
        m_stats.activeRequests = m_upstream->activeCount();
        Q_EMIT statsChanged();
    });
}

ProxyServer::~ProxyServer()
{
    // The server goes first, while this object is whole: tearing down its connections
    // tells running jobs their clients are gone, and they report back through signals
    // that must not reach a half-destroyed ProxyServer.
    disconnect(m_upstream, nullptr, this, nullptr);
    delete m_server;
    m_server = nullptr;
}

bool ProxyServer::start(quint16 port)
{
    m_error.clear();
    m_portInUse = false;
    // Loopback only: the proxy holds the person's credentials.
    if (!m_server->listen(QHostAddress::LocalHost, port)) {
        m_portInUse = m_server->serverError() == QAbstractSocket::AddressInUseError;
        m_error =
            m_portInUse
                ? tr("Port %1 on 127.0.0.1 is already in use, perhaps by another Qwen "
                     "Bridge. Quit the other program or choose another port in the "
                     "settings (or set QWEN_BRIDGE_PORT).")
                      .arg(port)
                : tr("Could not listen on 127.0.0.1:%1: %2").arg(port).arg(m_server->errorString());
        qCWarning(lcProxy) << m_error;
        return false;
    }
    qCInfo(lcProxy) << "listening on" << baseUrl().toString();
    return true;
}

void ProxyServer::stop()
{
    m_server->close();
}

bool ProxyServer::isListening() const
{
    return m_server->isListening();
}

quint16 ProxyServer::port() const
{
    return m_server->serverPort();
}

QUrl ProxyServer::baseUrl() const
{
    if (!isListening())
        return {};
    return Settings::proxyBaseUrl(port());
}

QString ProxyServer::errorString() const
{
    return m_error;
}

void ProxyServer::setLimits(const HttpServerLimits &limits)
{
    m_server->setLimits(limits);
}

bool ProxyServer::hostAllowed(const QByteArray &host) const
{
    // DNS rebinding: a browser page on evil.example resolving to 127.0.0.1 still sends
    // its own name as Host. Only loopback names with our port pass.
    const QByteArray port = QByteArray::number(m_server->serverPort());
    const QByteArray h = host.trimmed().toLower();
    return h == "127.0.0.1:" + port || h == "localhost:" + port || h == "[::1]:" + port;
}

void ProxyServer::countRequest()
{
    // The local date only when the day may have changed: working it out costs more than
    // the rest of the bookkeeping.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now < m_dayStartMs || now >= m_dayEndMs) {
        const QDate today = QDate::currentDate();
        m_dayStartMs = today.startOfDay().toMSecsSinceEpoch();
        m_dayEndMs = today.addDays(1).startOfDay().toMSecsSinceEpoch();
        if (m_stats.day != today) {
            m_stats.day = today;
            m_stats.requestsToday = 0;
        }
    }
    ++m_stats.requestsTotal;
    ++m_stats.requestsToday;
    m_stats.activeRequests = m_upstream->activeCount() + 1;
    Q_EMIT statsChanged();
}

void ProxyServer::onRequest(const HttpRequest &request, HttpResponse *response)
{
    auto refuse = [response](int status, const QString &message, const QString &type,
                             const QString &code) {
        response->send(status, openAiError(message, type, code));
    };
    if (!hostAllowed(request.header("host"))) {
        refuse(403,
               tr("This address is only for programs on this computer (Host must be "
                  "127.0.0.1, localhost or [::1] with the port)."),
               QStringLiteral("permission_error"), QStringLiteral("host_not_allowed"));
        return;
    }
    if (request.hasHeader("origin")) {
        // Browsers send Origin; OpenCode does not. No page may use the proxy.
        refuse(403, tr("Requests from web pages are not accepted."),
               QStringLiteral("permission_error"), QStringLiteral("origin_not_allowed"));
        return;
    }
    const QByteArray &path = request.path;
    if (path == "/health" && request.method == "GET") {
        QJsonObject o;
        o.insert(QStringLiteral("status"), QStringLiteral("ok"));
        o.insert(QStringLiteral("state"), SessionManager::stateName(m_session->state()));
        o.insert(QStringLiteral("method"), Credentials::methodName(m_session->method()));
        o.insert(QStringLiteral("reason"), m_session->reason());
        o.insert(QStringLiteral("version"), QStringLiteral(QWEN_BRIDGE_VERSION));
        response->send(200, QJsonDocument(o).toJson(QJsonDocument::Compact));
        return;
    }
    const QByteArray auth = request.header("authorization");
    const QByteArray bearerPrefix = "bearer ";
    const bool bearer = auth.size() > bearerPrefix.size() &&
                        auth.left(bearerPrefix.size()).toLower() == bearerPrefix;
    if (!bearer || !m_localKey->matches(auth.mid(bearerPrefix.size()).trimmed())) {
        refuse(401,
               tr("Missing or wrong local key. Use the local key that Qwen Bridge shows with "
                  "its proxy URL, or run `qwen-bridge opencode-config --write`."),
               QStringLiteral("authentication_error"), QStringLiteral("invalid_local_key"));
        return;
    }
    const bool chat = path == "/v1/chat/completions" || path == "/chat/completions";
    const bool models = path == "/v1/models" || path == "/models";
    if (chat && request.method == "POST") {
        countRequest();
        m_upstream->forwardChat(request, response, m_logger->nextRequestIdIfEnabled());
        return;
    }
    if (models && request.method == "GET") {
        countRequest();
        m_upstream->forwardModels(request, response, m_logger->nextRequestIdIfEnabled());
        return;
    }
    if (chat || models) {
        refuse(405, tr("Method %1 is not allowed here.").arg(QString::fromLatin1(request.method)),
               QStringLiteral("invalid_request_error"), QStringLiteral("method_not_allowed"));
        return;
    }
    refuse(404,
           tr("No such endpoint: %1. Qwen Bridge serves /v1/chat/completions and /v1/models.")
               .arg(QString::fromLatin1(path.left(200))),
           QStringLiteral("invalid_request_error"), QStringLiteral("not_found"));
}
