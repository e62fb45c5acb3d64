#include "proxy/requestrewriter.h"

#include "util/logcategories.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QUuid>

namespace {
const QString kCoderModel = QStringLiteral("coder-model");
const QString kVisionModel = QStringLiteral("vision-model");

// Prefixes of text-model families that the OAuth portal serves as coder-model.
const QLatin1String kCoderPrefixes[] = {
    QLatin1String("qwen3-coder"), QLatin1String("qwen-coder"), QLatin1String("qwen-turbo"),
    QLatin1String("qwen-max"),    QLatin1String("qwen-plus"),
};

// Fields of other APIs that neither the portal nor Model Studio take (PROTOCOL.md §4),
// dropped in both modes.
const QLatin1String kDroppedFields[] = {
    QLatin1String("instructions"),
    QLatin1String("reasoning_summary"),
};

// The OAuth portal answered 400 to it; Model Studio's newer models take their thinking
// setting from it (PROTOCOL.md §6), so API-key mode passes it on, as it does
// enable_thinking and thinking_budget.
const QLatin1String kOAuthDroppedField("reasoning_effort");

bool isNameDelimiter(QChar c)
{
    return c == QLatin1Char('-') || c == QLatin1Char('_') || c == QLatin1Char('.') ||
           c == QLatin1Char(':');
}

// "vl" only counts as a whole token (qwen3-vl-plus, qwen2.5-vl-72b, Qwen-VL): as a bare
// substring it would also catch unrelated names that merely contain those two letters.
bool hasVlToken(const QString &lowerName)
{
    for (qsizetype at = lowerName.indexOf(QLatin1String("vl")); at >= 0;
         at = lowerName.indexOf(QLatin1String("vl"), at + 1)) {
        const bool startOk = at == 0 || isNameDelimiter(lowerName.at(at - 1));
        const bool endOk = at + 2 == lowerName.size() || isNameDelimiter(lowerName.at(at + 2));
        if (startOk && endOk)
            return true;
    }
    return false;
}

// The text of a system message: a plain string, or the "text" parts of an array of parts
// joined by line breaks. Other part types have no meaning in a system prompt and are skipped.
QString systemMessageText(const QJsonObject &message)
{
    const QJsonValue content = message.value(QLatin1String("content"));
    if (content.isString())
        return content.toString().trimmed();
    QStringList parts;
    const QJsonArray array = content.toArray();
    for (const QJsonValue &part : array) {
        const QJsonObject object = part.toObject();
        const QJsonValue text = object.value(QLatin1String("text"));
        if (object.value(QLatin1String("type")).toString() == QLatin1String("text") &&
            text.isString())
            parts << text.toString();
    }
    return parts.join(QLatin1Char('\n')).trimmed();
}

bool isSystemMessage(const QJsonValue &message)
{
    return message.toObject().value(QLatin1String("role")).toString() == QLatin1String("system");
}

QJsonObject systemMessage(const QString &text)
{
    return QJsonObject{{QLatin1String("role"), QLatin1String("system")},
                       {QLatin1String("content"), text}};
}

// QWEN_MODE on: one system message (bridge text, then every client system text) followed by
// the other messages in their order.
QJsonArray bridgedMessages(const QJsonArray &messages, int *mergedCount)
{
    QString system = RequestRewriter::bridgePrompt();
    int merged = 0;
    for (const QJsonValue &message : messages) {
        if (!isSystemMessage(message))
            continue;
        ++merged;
        const QString text = systemMessageText(message.toObject());
        if (!text.isEmpty())
            system += QLatin1String("\n\n") + text;
    }
    *mergedCount = merged;

    QJsonArray result;
    result.append(systemMessage(system));
    for (const QJsonValue &message : messages) {
        if (!isSystemMessage(message))
            result.append(message);
    }
    return result;
}

RequestRewriter::Result failure(RequestRewriter::Error error, const QString &message)
{
    RequestRewriter::Result result;
    result.error = error;
    result.errorMessage = message;
    return result;
}
} // namespace

RequestRewriter::Result RequestRewriter::rewrite(const QByteArray &body, const Options &options)
{
    QJsonObject request;
    const Result parsed = parse(body, &request);
    if (!parsed.ok())
        return parsed;
    return rewrite(std::move(request), options);
}

RequestRewriter::Result RequestRewriter::parse(const QByteArray &body, QJsonObject *request)
{
    // The document goes out of scope at once so that the object owns its data alone and the
    // edits of rewrite() do not copy a body that can be tens of megabytes.
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return failure(Error::InvalidJson, tr("The request body is not valid JSON: %1 at byte %2.")
                                               .arg(parseError.errorString())
                                               .arg(parseError.offset));
    }
    if (!document.isObject())
        return failure(Error::NotAnObject, tr("The request body must be a JSON object."));
    *request = document.object();
    return {};
}

RequestRewriter::Result RequestRewriter::rewrite(QJsonObject request, const Options &options)
{
    // The values are looked at in a scope of their own: a QJsonValue keeps its container
    // referenced, and the edits below would then copy it.
    QString clientModel;
    {
        const QJsonValue model = request.value(QLatin1String("model"));
        if (model.isUndefined())
            return failure(Error::InvalidModel, tr("The request has no \"model\"."));
        if (!model.isString())
            return failure(Error::InvalidModel, tr("\"model\" must be a string."));
        clientModel = model.toString();
        if (stripProviderPrefix(clientModel).trimmed().isEmpty())
            return failure(Error::InvalidModel, tr("\"model\" names no model."));

        const QJsonValue messages = request.value(QLatin1String("messages"));
        if (messages.isUndefined())
            return failure(Error::InvalidMessages, tr("The request has no \"messages\"."));
        if (!messages.isArray())
            return failure(Error::InvalidMessages, tr("\"messages\" must be an array."));
    }

    Result result;
    result.upstreamModel = options.authMethod == AuthMethod::OAuth
                               ? normalizeOAuthModel(clientModel)
                               : mapApiKeyModel(clientModel, options);
    result.stream = request.value(QLatin1String("stream")).toBool(false);
    request.insert(QLatin1String("model"), result.upstreamModel);
    if (result.stream) {
        // Token counts come only in a stream's last chunk, and only when asked for.
        QJsonObject streamOptions = request.value(QLatin1String("stream_options")).toObject();
        if (!streamOptions.value(QLatin1String("include_usage")).toBool(false)) {
            streamOptions.insert(QLatin1String("include_usage"), true);
            request.insert(QLatin1String("stream_options"), streamOptions);
            result.usageAdded = true;
        }
    }

    for (const QLatin1String &field : kDroppedFields)
        request.remove(field);
    if (options.authMethod == AuthMethod::OAuth)
        request.remove(kOAuthDroppedField);

    if (!options.sessionId.isEmpty() || !options.promptId.isEmpty()) {
        // A client's own metadata keys stay; only ours are set.
        QJsonObject metadata = request.take(QLatin1String("metadata")).toObject();
        if (!options.sessionId.isEmpty())
            metadata.insert(QLatin1String("sessionId"), options.sessionId);
        if (!options.promptId.isEmpty())
            metadata.insert(QLatin1String("promptId"), options.promptId);
        request.insert(QLatin1String("metadata"), metadata);
    }

    int mergedSystemMessages = 0;
    bool prependedMinimal = false;
    if (options.qwenMode) {
        const QJsonArray messages = request.take(QLatin1String("messages")).toArray();
        request.insert(QLatin1String("messages"), bridgedMessages(messages, &mergedSystemMessages));
    } else if (options.authMethod == AuthMethod::OAuth) {
        // The portal answers 400 when the first message is not a system message
        // (PROTOCOL.md §4), so even with the bridge off an OAuth conversation gets a minimal
        // one. API-key endpoints have no such rule and see the messages untouched.
        QJsonArray messages = request.take(QLatin1String("messages")).toArray();
        if (messages.isEmpty() || !isSystemMessage(messages.first())) {
            messages.prepend(systemMessage(minimalSystemPrompt()));
            prependedMinimal = true;
        }
        request.insert(QLatin1String("messages"), messages);
    }

    result.body = QJsonDocument(request).toJson(QJsonDocument::Compact);
    qCDebug(lcRewrite) << "model" << clientModel << "->" << result.upstreamModel << "stream"
                       << result.stream << "qwenMode" << options.qwenMode
                       << "system messages merged" << mergedSystemMessages
                       << "minimal system message added" << prependedMinimal;
    return result;
}

QByteArray RequestRewriter::Result::errorBody() const
{
    QJsonValue param;
    if (error == Error::InvalidModel)
        param = QLatin1String("model");
    else if (error == Error::InvalidMessages)
        param = QLatin1String("messages");
    const QJsonObject detail{{QLatin1String("message"), errorMessage},
                             {QLatin1String("type"), QLatin1String("invalid_request_error")},
                             {QLatin1String("param"), param},
                             {QLatin1String("code"), QJsonValue()}};
    return QJsonDocument(QJsonObject{{QLatin1String("error"), detail}})
        .toJson(QJsonDocument::Compact);
}

QString RequestRewriter::stripProviderPrefix(const QString &model)
{
    return model.mid(model.lastIndexOf(QLatin1Char('/')) + 1);
}

QString RequestRewriter::normalizeOAuthModel(const QString &model)
{
    const QString name = stripProviderPrefix(model).trimmed().toLower();
    // Order as the original plugin: a name of a text-model family stays coder-model even if
    // it carries a vision marker; only then do "vision" (any substring) and the "vl" token
    // pick vision-model. qwen3-vl-plus starts with no coder prefix, so it is vision.
    if (name == kCoderModel)
        return kCoderModel;
    for (const QLatin1String &prefix : kCoderPrefixes) {
        if (name.startsWith(prefix))
            return kCoderModel;
    }
    if (name.contains(QLatin1String("vision")) || hasVlToken(name))
        return kVisionModel;
    return kCoderModel;
}

QString RequestRewriter::mapApiKeyModel(const QString &model, const Options &options)
{
    const QString name = stripProviderPrefix(model).trimmed();
    if (name.compare(kCoderModel, Qt::CaseInsensitive) == 0)
        return options.coderModel;
    if (name.compare(kVisionModel, Qt::CaseInsensitive) == 0)
        return options.visionModel;
    return name;
}

QString RequestRewriter::bridgePrompt()
{
    // Sent to the model, not shown to people: deliberately not translated.
    return QStringLiteral(
        "You are an interactive coding agent specializing in software engineering tasks. "
        "Your goal is to help the user safely and efficiently, following the instructions "
        "below and using the tools available to you.\n"
        "You work inside OpenCode: act only through the tools it provides and call them by "
        "the names it gives them. Tool names you may know from elsewhere map to OpenCode's "
        "tools as follows: read_file -> read, write_file -> edit, list_directory -> ls, "
        "search_files -> glob, grep_search -> grep, execute_command -> bash, "
        "update_plan -> todowrite, read_plan -> todoread.\n"
        "Be concise and direct. Read files before changing them, follow the project's "
        "existing conventions, and verify your changes with the project's build and tests "
        "when you can.");
}

QString RequestRewriter::minimalSystemPrompt()
{
    return QStringLiteral("You are a helpful coding assistant.");
}

// From the fast generator: a prompt id tags a request, it guards nothing. QUuid::createUuid()
// asks the system generator, which costs a noticeable share of a request on CPUs where that
// means the RDRAND instruction.
QString RequestRewriter::newPromptId()
{
    quint64 bits[2];
    QRandomGenerator::global()->fillRange(bits);
    QByteArray raw(reinterpret_cast<const char *>(bits), sizeof bits);
    raw[6] = char((raw[6] & 0x0f) | 0x40); // version 4
    raw[8] = char((raw[8] & 0x3f) | 0x80); // RFC 4122 variant
    return QUuid::fromRfc4122(raw).toString(QUuid::WithoutBraces);
}
