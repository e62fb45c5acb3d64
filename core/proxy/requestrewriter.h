#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

// Turns the chat-completions body OpenCode sent into the body the upstream accepts
// (PROTOCOL.md §4-§6): model name for the chosen sign-in method, fields the portal rejects
// dropped (API-key mode keeps the thinking controls reasoning_effort, enable_thinking and
// thinking_budget), metadata added, and the system prompt shaped by QWEN_MODE.
// Pure JSON in, JSON out: no I/O, so every rule is covered by tests.
class RequestRewriter
{
    Q_DECLARE_TR_FUNCTIONS(RequestRewriter)
public:
    enum class AuthMethod { OAuth, ApiKey };

    struct Options
    {
        AuthMethod authMethod = AuthMethod::OAuth;
        bool qwenMode = true;
        // API-key mode only: what the aliases coder-model / vision-model stand for (the
        // plan's, from the plan catalog).
        QString coderModel = QStringLiteral("qwen3-coder-plus");
        QString visionModel = QStringLiteral("qwen3-vl-plus");
        // Sent as metadata.sessionId / metadata.promptId; an empty one is left out.
        QString sessionId;
        QString promptId;
    };

    enum class Error { None, InvalidJson, NotAnObject, InvalidModel, InvalidMessages };

    struct Result
    {
        Error error = Error::None;
        QString errorMessage; // a translated sentence when error != None
        QByteArray body;      // compact JSON, only when ok()
        QString upstreamModel;
        bool stream = false;
        // The client streams without asking for usage; the proxy asked upstream for it (the
        // usage meter counts tokens) and leaves the extra usage-only chunk out of its answer.
        bool usageAdded = false;

        bool ok() const { return error == Error::None; }
        // An OpenAI-style error body ({"error": {"message", "type", "param", "code"}}) for
        // the 400 answer to the client.
        QByteArray errorBody() const;
    };

    // The body that goes upstream is the client's body with only the members the rules
    // change written anew: every other byte passes unchanged, so a long conversation costs
    // little more than its parsing.
    static Result rewrite(const QByteArray &body, const Options &options);
    // The same in two steps, for a caller that reads the request before it is rewritten
    // (and may rewrite it for several credentials): parse() fails with InvalidJson or
    // NotAnObject, or fills *request; rewrite() takes the body and that object.
    static Result parse(const QByteArray &body, QJsonObject *request);
    static Result rewrite(const QByteArray &body, const QJsonObject &request,
                          const Options &options);
    // A random UUID (version 4) for Options::promptId.
    static QString newPromptId();

    // Model name rules, public for tests and for `status`.
    static QString stripProviderPrefix(const QString &model);
    static QString normalizeOAuthModel(const QString &model);
    static QString mapApiKeyModel(const QString &model, const Options &options);

    // The text that opens the single system message when QWEN_MODE is on; end-to-end tests
    // look for it upstream.
    static QString bridgePrompt();
    // The system message prepended with QWEN_MODE off when an OAuth conversation has none.
    static QString minimalSystemPrompt();
};
