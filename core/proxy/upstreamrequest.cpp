#include "proxy/upstreamrequest.h"

#include <QSysInfo>

QByteArray bridgeUserAgent()
{
    // QSysInfo reads /etc/os-release on each call; the answer does not change.
    static const QByteArray agent = QByteArrayLiteral("QwenBridge/" QWEN_BRIDGE_VERSION " (") +
                                    QSysInfo::productType().toUtf8() + QByteArrayLiteral("; ") +
                                    QSysInfo::currentCpuArchitecture().toUtf8() +
                                    QByteArrayLiteral(")");
    return agent;
}

QByteArray forwardedUserAgent(const QByteArray &clientUserAgent)
{
    // Bounded and on one line whatever the client sent: it goes into a header of ours.
    constexpr qsizetype kMaxAgent = 512;
    QByteArray agent = clientUserAgent.left(kMaxAgent);
    for (char &c : agent) {
        if (uchar(c) < 0x20 || c == 0x7f)
            c = ' ';
    }
    agent = agent.simplified();
    if (agent.isEmpty())
        return bridgeUserAgent();
    return agent + QByteArrayLiteral(" QwenBridge/" QWEN_BRIDGE_VERSION);
}

QUrl joinUrlPath(const QUrl &base, const QString &tail)
{
    QUrl url = base;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + tail);
    return url;
}

HttpClientRequest buildUpstreamRequest(const UpstreamRequestSpec &spec)
{
    const bool chat = spec.kind == UpstreamRequestSpec::Kind::Chat;
    HttpClientRequest req;
    req.method = chat ? QByteArrayLiteral("POST") : QByteArrayLiteral("GET");
    req.url = joinUrlPath(spec.apiBase,
                          chat ? QStringLiteral("/chat/completions") : QStringLiteral("/models"));
    const QByteArray agent = spec.method == AuthMethod::ApiKey
                                 ? forwardedUserAgent(spec.clientUserAgent)
                                 : bridgeUserAgent();
    req.headers = {{"Authorization", "Bearer " + spec.bearer.toUtf8()},
                   {"Accept", chat && spec.stream ? "text/event-stream" : "application/json"},
                   {"User-Agent", agent},
                   {"X-DashScope-UserAgent", agent}};
    if (spec.method == AuthMethod::OAuth) {
        // What the Qwen Code CLI sends with OAuth tokens (PROTOCOL.md §4).
        req.headers.append(
            qMakePair(QByteArrayLiteral("X-DashScope-AuthType"), QByteArrayLiteral("qwen-oauth")));
        req.headers.append(
            qMakePair(QByteArrayLiteral("X-DashScope-CacheControl"), QByteArrayLiteral("enable")));
    }
    if (chat) {
        req.headers.append(
            qMakePair(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")));
        req.body = spec.body;
    }
    return req;
}
