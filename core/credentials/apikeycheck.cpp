#include "credentials/apikeycheck.h"

#include "http/networkproxy.h"
#include "util/logcategories.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>

namespace {
// What the service says about the request itself stays short in a sentence for people.
constexpr int kMaxQuoted = 200;

QUrl endpoint(const QUrl &baseUrl, const QString &path)
{
    QUrl url = baseUrl;
    QString base = url.path();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    url.setPath(base + path);
    return url;
}

// A 403 that names a quota, the free tier or arrears came from an account the service
// recognised: the key itself authenticated.
bool isAccountState(const QByteArray &body)
{
    return body.contains("AllocationQuota") || body.contains("quota") ||
           body.contains("good standing") || body.contains("Arrearage");
}
} // namespace

ApiKeyCheck::ApiKeyCheck(QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
{}

ApiKeyCheck::~ApiKeyCheck()
{
    abort();
}

QByteArray ApiKeyCheck::userAgent()
{
    return QByteArrayLiteral("QwenBridge/" QWEN_BRIDGE_VERSION
                             " (coding agent proxy for OpenCode)");
}

void ApiKeyCheck::abort()
{
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply.clear();
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void ApiKeyCheck::check(const Plan &plan, const QUrl &baseUrl, const QString &key)
{
    abort();
    m_plan = plan;
    m_baseUrl = baseUrl;
    m_key = key;
    m_planName = PlanCatalog::instance().displayName(plan.id, baseUrl);
    send(plan.hasModelList ? Step::Models : Step::Chat);
}

void ApiKeyCheck::send(Step step)
{
    QNetworkRequest request(endpoint(m_baseUrl, step == Step::Models
                                                    ? QStringLiteral("/models")
                                                    : QStringLiteral("/chat/completions")));
    request.setRawHeader("Authorization", "Bearer " + m_key.toUtf8());
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("User-Agent", userAgent());
    request.setTransferTimeout(m_timeoutMs);
    if (step == Step::Models) {
        m_reply = m_nam->get(request);
    } else {
        // The least a chat request can cost: one output token of the plan's smallest model.
        const QJsonObject body{
            {QStringLiteral("model"), m_plan.checkModel},
            {QStringLiteral("messages"),
             QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                    {QStringLiteral("content"), QStringLiteral("ping")}}}},
            {QStringLiteral("max_tokens"), 1},
            {QStringLiteral("stream"), false},
        };
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        m_reply = m_nam->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }
    qCInfo(lcKeyCheck) << "checking a key for" << m_plan.id << "with"
                       << (step == Step::Models ? "GET /models" : "a one-token chat request");
    QNetworkReply *reply = m_reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply, step] {
        reply->deleteLater();
        if (reply != m_reply)
            return;
        m_reply.clear();
        onFinished(reply, step);
    });
}

void ApiKeyCheck::onFinished(QNetworkReply *reply, Step step)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    const QString said = serviceSaid(body);
    const QString host = m_baseUrl.host();
    qCInfo(lcKeyCheck) << "the key check got HTTP" << status;
    // A proxy on the way that is down, refuses or wants a password is named as such.
    const QNetworkProxy proxy = NetworkProxy::forUrl(reply->url());
    if (const auto failure = NetworkProxy::failureOf(reply->error(), proxy))
        return finish(Outcome::Network, NetworkProxy::failureMessage(*failure, proxy));
    if (status >= 200 && status < 300)
        return finish(Outcome::Accepted, {});
    if (status == 0) {
        return finish(
            Outcome::Network,
            tr("Could not reach %1 to check the key: %2").arg(host, reply->errorString()));
    }
    // The Coding Plan has no model list (404, empty body); a custom endpoint may lack one too.
    if (step == Step::Models && status == 404)
        return send(Step::Chat);
    if (status == 401 || (status == 403 && !isAccountState(body))) {
        QString message =
            tr("This key was refused by %1 (HTTP %2 from %3: \"%4\"). A key only works on the "
               "plan and region it was made for: check the key, or choose the plan it belongs "
               "to.")
                .arg(m_planName)
                .arg(status)
                .arg(host, said);
        const QString hint = PlanCatalog::keyPrefixHint(m_plan, m_key);
        if (!hint.isEmpty())
            message += QLatin1Char(' ') + hint;
        return finish(Outcome::Refused, message);
    }
    if (status == 405 && body.contains("Coding Agents")) {
        // The agent check answers only after the key authenticated (PROTOCOL.md §6).
        return finish(Outcome::Accepted,
                      tr("The key is valid. %1 answered the test request with \"%2\" (HTTP 405); "
                         "Qwen Bridge forwards OpenCode's own identification with its requests.")
                          .arg(m_planName, said));
    }
    if (status == 403 || status == 429) {
        return finish(Outcome::Accepted, tr("The key is valid, but %1 says: \"%2\" (HTTP %3).")
                                             .arg(m_planName, said)
                                             .arg(status));
    }
    if (step == Step::Chat && status == 400) {
        return finish(Outcome::Accepted,
                      tr("The key is valid; %1 refused only the test request itself: \"%2\".")
                          .arg(m_planName, said));
    }
    if (step == Step::Chat && status == 404) {
        return finish(Outcome::Server, tr("%1 has no chat endpoint at %2 (HTTP 404). Check the "
                                          "base URL.")
                                           .arg(host, reply->url().toString()));
    }
    finish(Outcome::Server, tr("%1 could not check the key (HTTP %2: \"%3\"). Try again later.")
                                .arg(m_planName)
                                .arg(status)
                                .arg(said));
}

QString ApiKeyCheck::serviceSaid(const QByteArray &body) const
{
    QString text;
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const QJsonValue error = o.value(QLatin1String("error"));
    if (error.isObject())
        text = error.toObject().value(QLatin1String("message")).toString();
    else if (error.isString())
        text = error.toString();
    if (text.isEmpty())
        text = o.value(QLatin1String("message")).toString();
    if (text.isEmpty() && !o.isEmpty())
        text = o.value(QLatin1String("code")).toString();
    if (text.isEmpty() && !body.trimmed().isEmpty() && o.isEmpty())
        text = QString::fromUtf8(body.trimmed());
    if (text.isEmpty())
        return tr("no message");
    // Services quote keys back ("Incorrect API key provided: sk-ab***cd"): never repeat one.
    if (!m_key.isEmpty())
        text.replace(m_key, QStringLiteral("***"));
    static const QRegularExpression keyLike(QStringLiteral("sk-[A-Za-z0-9*_-]+"));
    text.replace(keyLike, QStringLiteral("sk-***"));
    text = text.simplified();
    if (text.size() > kMaxQuoted)
        text = text.left(kMaxQuoted) + QChar(0x2026);
    return text;
}

void ApiKeyCheck::finish(Outcome outcome, const QString &message)
{
    m_key.clear();
    Q_EMIT finished(outcome, message);
}
