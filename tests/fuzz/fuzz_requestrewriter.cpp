// Fuzzes RequestRewriter::rewrite, which turns the JSON body a client sent into the body
// sent upstream.
//
// The input is a request body. It is rewritten for one of the sign-in methods with
// QWEN_MODE on or off, as a hash of the input picks. Whenever the rewrite succeeds the result must
// be a JSON object with the mapped model, none of the dropped fields, and the system messages the
// mode asks for, and every key once; when it fails, the error body must be a valid OpenAI-style
// error. The input, read as text, is also escaped as a JSON string as Qt escapes it.
#include "fuzzcheck.h"
#include "proxy/jsonspans.h"
#include "proxy/requestrewriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSet>

#include <cstring>

namespace {

using Options = RequestRewriter::Options;
using AuthMethod = RequestRewriter::AuthMethod;

bool isSystem(const QJsonValue &message)
{
    return message.toObject().value(QLatin1String("role")).toString() == QLatin1String("system");
}

// The input as the rewriter should have read it, parsed once per input.
struct Input
{
    QByteArray body;
    QJsonDocument document;
    bool valid = false;
};

void checkError(const RequestRewriter::Result &result, const Input &input)
{
    FUZZ_CHECK(result.body.isEmpty());
    FUZZ_CHECK(!result.errorMessage.isEmpty());
    switch (result.error) {
    case RequestRewriter::Error::InvalidJson:
        FUZZ_CHECK(!input.valid);
        break;
    case RequestRewriter::Error::NotAnObject:
        FUZZ_CHECK(input.valid && !input.document.isObject());
        break;
    case RequestRewriter::Error::InvalidModel:
    case RequestRewriter::Error::InvalidMessages:
        FUZZ_CHECK(input.document.isObject());
        break;
    case RequestRewriter::Error::None:
        FUZZ_CHECK(false);
    }
    QJsonParseError parseError;
    const QJsonDocument errorBody = QJsonDocument::fromJson(result.errorBody(), &parseError);
    FUZZ_CHECK(parseError.error == QJsonParseError::NoError && errorBody.isObject());
    const QJsonObject detail = errorBody.object().value(QLatin1String("error")).toObject();
    FUZZ_CHECK(detail.value(QLatin1String("message")).toString() == result.errorMessage);
    FUZZ_CHECK(detail.value(QLatin1String("type")).toString() ==
               QLatin1String("invalid_request_error"));
}

void checkRewrite(const Input &input, const Options &options)
{
    const RequestRewriter::Result result = RequestRewriter::rewrite(input.body, options);
    if (!result.ok()) {
        checkError(result, input);
        return;
    }
    FUZZ_CHECK(result.errorMessage.isEmpty());

    // The input was a JSON object with a string model and an array of messages.
    FUZZ_CHECK(input.valid && input.document.isObject());
    const QJsonObject in = input.document.object();
    FUZZ_CHECK(in.value(QLatin1String("model")).isString());
    const QJsonArray inMessages = in.value(QLatin1String("messages")).toArray();
    FUZZ_CHECK(in.value(QLatin1String("messages")).isArray());

    QJsonParseError parseError;
    const QJsonDocument outDoc = QJsonDocument::fromJson(result.body, &parseError);
    FUZZ_CHECK(parseError.error == QJsonParseError::NoError);
    FUZZ_CHECK(outDoc.isObject());
    const QJsonObject out = outDoc.object();

    FUZZ_CHECK(!result.upstreamModel.isEmpty());
    FUZZ_CHECK(out.value(QLatin1String("model")).toString() == result.upstreamModel);
    if (options.authMethod == AuthMethod::OAuth) {
        FUZZ_CHECK(result.upstreamModel == QLatin1String("coder-model") ||
                   result.upstreamModel == QLatin1String("vision-model"));
    }
    FUZZ_CHECK(result.stream == in.value(QLatin1String("stream")).toBool(false));
    FUZZ_CHECK(!out.contains(QLatin1String("instructions")));
    FUZZ_CHECK(!out.contains(QLatin1String("reasoning_summary")));
    // The OAuth portal rejects reasoning_effort; API-key endpoints take it as sent.
    if (options.authMethod == AuthMethod::OAuth)
        FUZZ_CHECK(!out.contains(QLatin1String("reasoning_effort")));
    else
        FUZZ_CHECK(out.value(QLatin1String("reasoning_effort")) ==
                   in.value(QLatin1String("reasoning_effort")));

    // A stream always asks for usage; the client's other stream options stay.
    const QJsonValue inOptions = in.value(QLatin1String("stream_options"));
    if (result.stream) {
        const QJsonObject outOptions = out.value(QLatin1String("stream_options")).toObject();
        FUZZ_CHECK(outOptions.value(QLatin1String("include_usage")) == QJsonValue(true));
        FUZZ_CHECK(result.usageAdded == !(inOptions.toObject().value(
                                              QLatin1String("include_usage")) == QJsonValue(true)));
        const QJsonObject inOptionsObject = inOptions.toObject();
        for (auto it = inOptionsObject.begin(); it != inOptionsObject.end(); ++it) {
            if (it.key() != QLatin1String("include_usage"))
                FUZZ_CHECK(outOptions.value(it.key()) == it.value());
        }
    } else {
        FUZZ_CHECK(!result.usageAdded);
        FUZZ_CHECK(out.value(QLatin1String("stream_options")) == inOptions);
    }

    // Nothing else of the client's is lost or changed.
    for (auto it = in.begin(); it != in.end(); ++it) {
        const QString key = it.key();
        if (key == QLatin1String("model") || key == QLatin1String("messages") ||
            key == QLatin1String("metadata") || key == QLatin1String("instructions") ||
            key == QLatin1String("reasoning_effort") || key == QLatin1String("reasoning_summary") ||
            key == QLatin1String("stream_options"))
            continue;
        FUZZ_CHECK(out.value(key) == it.value());
    }
    if (!options.sessionId.isEmpty()) {
        const QJsonObject metadata = out.value(QLatin1String("metadata")).toObject();
        FUZZ_CHECK(metadata.value(QLatin1String("sessionId")).toString() == options.sessionId);
        // The client's own metadata keys stay.
        const QJsonObject inMetadata = in.value(QLatin1String("metadata")).toObject();
        for (auto it = inMetadata.begin(); it != inMetadata.end(); ++it) {
            if (it.key() != QLatin1String("sessionId") && it.key() != QLatin1String("promptId"))
                FUZZ_CHECK(metadata.value(it.key()) == it.value());
        }
    }

    // Every key once: a key the client wrote twice goes up once, with the value Qt read.
    QList<JsonSpans::Member> outMembers;
    FUZZ_CHECK(JsonSpans::members(result.body, &outMembers));
    QSet<QByteArray> keys;
    for (const JsonSpans::Member &member : std::as_const(outMembers)) {
        FUZZ_CHECK(!keys.contains(member.key));
        keys.insert(member.key);
    }
    FUZZ_CHECK(keys.size() == out.size());

    const QJsonValue messagesValue = out.value(QLatin1String("messages"));
    FUZZ_CHECK(messagesValue.isArray());
    const QJsonArray messages = messagesValue.toArray();
    QJsonArray inOthers; // the client's messages that are not system messages, in order
    for (const QJsonValue &m : inMessages) {
        if (!isSystem(m))
            inOthers.append(m);
    }

    if (options.qwenMode) {
        // Exactly one system message, first, opening with the bridge text; then the
        // client's other messages in their order.
        FUZZ_CHECK(!messages.isEmpty() && isSystem(messages.first()));
        const QString system =
            messages.first().toObject().value(QLatin1String("content")).toString();
        FUZZ_CHECK(system.startsWith(RequestRewriter::bridgePrompt()));
        QJsonArray rest = messages;
        rest.removeFirst();
        for (const QJsonValue &m : rest)
            FUZZ_CHECK(!isSystem(m));
        FUZZ_CHECK(rest == inOthers);
    } else if (options.authMethod == AuthMethod::OAuth) {
        // The portal wants a system message first: the client's or a minimal one.
        FUZZ_CHECK(!messages.isEmpty() && isSystem(messages.first()));
        if (!inMessages.isEmpty() && isSystem(inMessages.first())) {
            FUZZ_CHECK(messages == inMessages);
        } else {
            QJsonArray rest = messages;
            rest.removeFirst();
            FUZZ_CHECK(rest == inMessages);
        }
    } else {
        FUZZ_CHECK(messages == inMessages); // untouched
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    Input input;
    input.body = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    QJsonParseError parseError;
    input.document = QJsonDocument::fromJson(input.body, &parseError);
    input.valid = parseError.error == QJsonParseError::NoError;
    // One configuration per input, picked from its bytes: every input is rewritten once,
    // and the mutations of an input try the other sign-in method and mode.
    fuzz::SplitMix rng(data, size);
    const std::uint64_t pick = rng.next();
    Options options;
    options.authMethod = (pick & 1) ? AuthMethod::ApiKey : AuthMethod::OAuth;
    options.qwenMode = (pick & 2) != 0;
    if (pick & 4) {
        options.sessionId = QStringLiteral("session-1");
        options.promptId = QStringLiteral("prompt-1");
    }
    checkRewrite(input, options);

    // The rewriter's own string escaping writes what Qt's writer does, for any text: the
    // input read as UTF-8, and its bytes taken as UTF-16 units (lone surrogates included).
    QString units(qsizetype(size / 2), Qt::Uninitialized);
    std::memcpy(units.data(), data, size / 2 * 2);
    const QString texts[] = {QString::fromUtf8(input.body), units};
    for (const QString &text : texts) {
        const QByteArray qt = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
        FUZZ_CHECK(JsonSpans::quoted(text) == qt.sliced(1, qt.size() - 2));
    }
    return 0;
}
