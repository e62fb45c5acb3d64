#include "oauth/oauthrequest.h"

#include "http/networkproxy.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkRequest>

QNetworkReply *postOAuthForm(QNetworkAccessManager *nam, const QUrl &url, const QUrlQuery &form,
                             int timeoutMs)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("User-Agent", "QwenBridge/" QWEN_BRIDGE_VERSION);
    request.setTransferTimeout(timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    return nam->post(request, form.toString(QUrl::FullyEncoded).toUtf8());
}

OAuthReply OAuthReply::read(QNetworkReply *reply)
{
    OAuthReply r;
    r.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.networkError = reply->error();
    r.networkErrorText = reply->errorString();
    r.transportFailed = r.httpStatus == 0;
    const QNetworkProxy proxy = NetworkProxy::forUrl(reply->request().url());
    if (const auto failure = NetworkProxy::failureOf(r.networkError, proxy)) {
        // The proxy answered (407 has a status too), but the server was never reached.
        r.transportFailed = true;
        r.proxyFailure = NetworkProxy::failureMessage(*failure, proxy);
    }
    const QJsonDocument doc = QJsonDocument::fromJson(reply->readAll());
    if (doc.isObject()) {
        r.body = doc.object();
        r.error = r.body.value(QStringLiteral("error")).toString();
        r.errorDescription = r.body.value(QStringLiteral("error_description")).toString();
    }
    return r;
}

QString OAuthReply::describeTransportFailure() const
{
    if (!proxyFailure.isEmpty())
        return proxyFailure;
    switch (networkError) {
    case QNetworkReply::OperationCanceledError:
    case QNetworkReply::TimeoutError:
        return QCoreApplication::translate("OAuth",
                                           "The Qwen sign-in server did not answer in time.");
    case QNetworkReply::HostNotFoundError:
        return QCoreApplication::translate(
            "OAuth", "The Qwen sign-in server's name could not be resolved. Check your network.");
    case QNetworkReply::ConnectionRefusedError:
        return QCoreApplication::translate("OAuth",
                                           "The Qwen sign-in server refused the connection.");
    case QNetworkReply::SslHandshakeFailedError:
        return QCoreApplication::translate(
            "OAuth", "A secure connection to the Qwen sign-in server could not be made.");
    default:
        return QCoreApplication::translate("OAuth", "Could not reach the Qwen sign-in server: %1")
            .arg(networkErrorText);
    }
}
