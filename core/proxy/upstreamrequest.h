#pragma once

#include "credentials/credentials.h"
#include "http/httpclient.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

// The request the proxy sends upstream for one client request: URL, headers and body,
// built from facts alone so that a table test can hold every header rule.
struct UpstreamRequestSpec
{
    enum class Kind { Chat, Models };
    Kind kind = Kind::Chat;
    QUrl apiBase; // e.g. https://portal.qwen.ai/v1
    QString bearer;
    AuthMethod method = AuthMethod::OAuth;
    bool stream = false;
    QByteArray body; // the rewritten chat body; unused for Models
    // The client's own User-Agent. API-key mode forwards it (the Coding Plan serves only
    // clients it takes for coding agents, PROTOCOL.md §6); OAuth mode sends the bridge's.
    QByteArray clientUserAgent;
};

HttpClientRequest buildUpstreamRequest(const UpstreamRequestSpec &spec);

// "QwenBridge/VERSION (os; cpu)": the bridge's own identification.
QByteArray bridgeUserAgent();
// API-key mode: "<client's User-Agent> QwenBridge/VERSION", or bridgeUserAgent() when the
// client sent none (or only blanks or control characters).
QByteArray forwardedUserAgent(const QByteArray &clientUserAgent);

// base + tail with exactly one slash between them ("/v1/" + "/models" is "/v1/models").
QUrl joinUrlPath(const QUrl &base, const QString &tail);
