#pragma once

#include <QJsonObject>
#include <QNetworkReply>
#include <QString>
#include <QUrlQuery>

class QNetworkAccessManager;

// The one shape of every OAuth call: a form POST asking for JSON, with a timeout.
QNetworkReply *postOAuthForm(QNetworkAccessManager *nam, const QUrl &url, const QUrlQuery &form,
                             int timeoutMs);

// A finished OAuth reply, read once.
struct OAuthReply
{
    bool transportFailed = false; // no HTTP answer at all (refused, DNS, TLS, timeout)
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString networkErrorText;
    QString proxyFailure; // names the HTTP proxy when it was the one that failed
    int httpStatus = 0;
    QJsonObject body; // empty when the body was not a JSON object
    QString error;    // the OAuth "error" member, if any
    QString errorDescription;

    static OAuthReply read(QNetworkReply *reply);
    bool isServerError() const { return httpStatus >= 500; }
    QString describeTransportFailure() const;
};
