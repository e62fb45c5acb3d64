// What the bridge adds to every chat request before it leaves: RequestRewriter::rewrite on
// bodies of the size OpenCode sends (a long system prompt, ~30 tools with their schemas,
// and the conversation so far), in both sign-in modes. bench/run's paced streams send a
// small body; this shows how that cost grows with a real session. Prints numbers only.
#include "proxy/requestrewriter.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {
// An OpenCode-shaped request: system prompt, tools, and `turns` messages of `turnChars`.
QByteArray openCodeBody(int turns, int turnChars)
{
    QJsonArray messages;
    messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                {QStringLiteral("content"), QString(12000, QLatin1Char('s'))}});
    for (int i = 0; i < turns; ++i)
        messages.append(QJsonObject{
            {QStringLiteral("role"), i % 2 ? QStringLiteral("assistant") : QStringLiteral("user")},
            {QStringLiteral("content"), QString(turnChars, QLatin1Char('m'))}});
    QJsonArray tools;
    for (int i = 0; i < 30; ++i) {
        QJsonObject properties;
        for (int p = 0; p < 6; ++p)
            properties.insert(
                QStringLiteral("arg%1").arg(p),
                QJsonObject{{QStringLiteral("type"), QStringLiteral("string")},
                            {QStringLiteral("description"), QString(200, QLatin1Char('d'))}});
        tools.append(QJsonObject{
            {QStringLiteral("type"), QStringLiteral("function")},
            {QStringLiteral("function"),
             QJsonObject{{QStringLiteral("name"), QStringLiteral("tool%1").arg(i)},
                         {QStringLiteral("description"), QString(800, QLatin1Char('t'))},
                         {QStringLiteral("parameters"),
                          QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                                      {QStringLiteral("properties"), properties}}}}}});
    }
    const QJsonObject request{{QStringLiteral("model"), QStringLiteral("qwen3-coder-plus")},
                              {QStringLiteral("stream"), true},
                              {QStringLiteral("messages"), messages},
                              {QStringLiteral("tools"), tools}};
    return QJsonDocument(request).toJson(QJsonDocument::Compact);
}

// Median over 5 runs of the mean time of one rewrite, in ms.
double rewriteMs(const QByteArray &body, const RequestRewriter::Options &options)
{
    const int n = std::max(5, int(4'000'000 / std::max<qsizetype>(1, body.size())));
    std::vector<double> runs;
    for (int run = 0; run < 5; ++run) {
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < n; ++i) {
            if (!RequestRewriter::rewrite(body, options).ok())
                return -1;
        }
        runs.push_back(double(timer.nsecsElapsed()) / 1e6 / n);
    }
    std::sort(runs.begin(), runs.end());
    return runs[runs.size() / 2];
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    RequestRewriter::Options apiKey;
    apiKey.authMethod = RequestRewriter::AuthMethod::ApiKey;
    apiKey.promptId = RequestRewriter::newPromptId();
    RequestRewriter::Options oauth;
    oauth.promptId = apiKey.promptId;
    std::printf("Request rewrite (ms per request, median of 5 runs), Qwen mode on:\n");
    std::printf("  %-34s %10s %10s %10s\n", "body", "bytes", "API key", "OAuth");
    const struct
    {
        const char *name;
        int turns;
        int chars;
    } shapes[] = {{"first message (no tools)", -1, 0},
                  {"new session: prompt, tools, 2 turns", 2, 500},
                  {"long session: 40 turns of 2 KB", 40, 2000},
                  {"very long: 200 turns of 4 KB", 200, 4000}};
    for (const auto &shape : shapes) {
        const QByteArray body =
            shape.turns < 0
                ? QByteArrayLiteral(
                      R"({"model":"coder-model","stream":true,"messages":[{"role":"user","content":"hi"}]})")
                : openCodeBody(shape.turns, shape.chars);
        std::printf("  %-34s %10lld %10.3f %10.3f\n", shape.name,
                    static_cast<long long>(body.size()), rewriteMs(body, apiKey),
                    rewriteMs(body, oauth));
    }
    return 0;
}
