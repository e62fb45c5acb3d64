#include "credentials/apikeycheck.h"

#include "http/networkproxy.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

ApiKeyCheck::ApiKeyCheck(QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
{}

ApiKeyCheck::~ApiKeyCheck()
{
    abort();
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

void ApiKeyCheck::check(const QUrl &baseUrl, const QString &key, const QString &presetName)
{
    abort();
    QUrl url = baseUrl;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/models"));
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + key.toUtf8());
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("User-Agent", "QwenBridge/" QWEN_BRIDGE_VERSION);
    request.setTransferTimeout(m_timeoutMs);
    m_reply = m_nam->get(request);
    QNetworkReply *reply = m_reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply, presetName, url] {
        reply->deleteLater();
        if (reply != m_reply)
            return;
        m_reply.clear();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QNetworkProxy proxy = NetworkProxy::forUrl(url);
        if (const auto failure = NetworkProxy::failureOf(reply->error(), proxy)) {
            Q_EMIT finished(Outcome::Network, NetworkProxy::failureMessage(*failure, proxy));
        } else if (status >= 200 && status < 300) {
            Q_EMIT finished(Outcome::Accepted, {});
        } else if (status == 401 || status == 403) {
            Q_EMIT finished(Outcome::Refused,
                            tr("This key was refused by %1; keys only work in their own region "
                               "and plan. Check the key, or choose the preset of the plan and "
                               "region it was made for.")
                                .arg(presetName));
        } else if (status == 0) {
            Q_EMIT finished(Outcome::Network, tr("Could not reach %1 to check the key: %2")
                                                  .arg(url.host(), reply->errorString()));
        } else {
            Q_EMIT finished(Outcome::Server,
                            tr("%1 could not check the key (HTTP %2). Try again later.")
                                .arg(presetName)
                                .arg(status));
        }
    });
}
