#include "proxy/requestrewriter.h"

#include "proxy/jsonspans.h"
#include "util/logcategories.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QUuid>
#include <QVarLengthArray>

#include <algorithm>

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

// QWEN_MODE on: the text of the one system message, the bridge's text and then every
// client system text.
QString bridgedSystemText(const QJsonArray &messages, int *mergedCount)
{
    QString system;
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
    return system;
}

QByteArray systemMessageJson(QByteArrayView quotedContent)
{
    return R"({"role":"system","content":)" + quotedContent + '}';
}

// The bridge's text opens every request in QWEN_MODE: escaped once, not for each request.
QByteArray bridgedSystemMessageJson(const QString &clientText)
{
    static const QByteArray prompt = JsonSpans::quoted(RequestRewriter::bridgePrompt());
    static const QByteArray alone = systemMessageJson(prompt);
    if (clientText.isEmpty())
        return alone;
    // Escaping works character by character, so the two escaped parts join: the prompt
    // without its closing quote, the client's text without its opening one.
    const QByteArray client = JsonSpans::quoted(clientText);
    return R"({"role":"system","content":)" + QByteArrayView(prompt).chopped(1) +
           QByteArrayView(client).sliced(1) + '}';
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
    return rewrite(body, request, options);
}

RequestRewriter::Result RequestRewriter::parse(const QByteArray &body, QJsonObject *request)
{
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

RequestRewriter::Result RequestRewriter::rewrite(const QByteArray &body, const QJsonObject &request,
                                                 const Options &options)
{
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

    // The body is passed on as the client wrote it, but for the members changed here: those
    // are written anew in the place of the member they replace, or at the end.
    QList<JsonSpans::Member> members;
    if (!JsonSpans::members(body, &members)) {
        qCWarning(lcRewrite) << "the body that parsed as an object could not be split";
        return failure(Error::InvalidJson, tr("The request body could not be read as JSON."));
    }
    // A key written twice counts once, with its last value, as in QJsonDocument. Looked up
    // in a hash only for a body with many members: a handful are compared faster in a row.
    QHash<QByteArrayView, qsizetype> lastByKey;
    if (members.size() > 16) {
        for (qsizetype i = 0; i < members.size(); ++i)
            lastByKey.insert(members.at(i).key, i);
    }
    auto lastIndexOf = [&](QByteArrayView key) -> qsizetype {
        if (members.size() > 16)
            return lastByKey.value(key, -1);
        for (qsizetype i = members.size() - 1; i >= 0; --i) {
            if (members.at(i).key == key)
                return i;
        }
        return -1;
    };

    struct Set
    {
        QByteArrayView key; // one of ours, a literal
        QByteArray value;   // JSON; empty: the member is dropped
    };
    QVarLengthArray<Set, 8> sets;
    auto findSet = [&](QByteArrayView key) -> const Set * {
        for (const Set &set : sets) {
            if (set.key == key)
                return &set;
        }
        return nullptr;
    };

    Result result;
    result.upstreamModel = options.authMethod == AuthMethod::OAuth
                               ? normalizeOAuthModel(clientModel)
                               : mapApiKeyModel(clientModel, options);
    result.stream = request.value(QLatin1String("stream")).toBool(false);
    sets.append({"model", JsonSpans::quoted(result.upstreamModel)});
    // The client's members of one of its objects but for ours, then ours: metadata and
    // stream_options are small, and written like this they cost no document of their own.
    using Pair = std::pair<QByteArrayView, QByteArrayView>; // a key of ours, its JSON value
    auto withOurs = [&](QByteArrayView key, std::initializer_list<Pair> ours) {
        const qsizetype at = lastIndexOf(key);
        QList<JsonSpans::Member> inner;
        // Not an object: replaced by one with only ours, as the rules always did.
        if (at < 0 || !JsonSpans::members(members.at(at).value.in(body), &inner))
            inner.clear();
        const QByteArrayView text = at < 0 ? QByteArrayView() : members.at(at).value.in(body);
        QByteArray json("{");
        for (qsizetype i = 0; i < inner.size(); ++i) {
            const JsonSpans::Member &member = inner.at(i);
            bool later = false;
            for (qsizetype j = i + 1; j < inner.size() && !later; ++j)
                later = inner.at(j).key == member.key;
            const bool replaced = std::any_of(ours.begin(), ours.end(), [&](const Pair &pair) {
                return pair.first == member.key;
            });
            if (later || replaced)
                continue;
            json += member.member.in(text);
            json += ',';
        }
        for (const Pair &pair : ours) {
            json += '"';
            json += pair.first; // ours, with nothing to escape
            json += "\":";
            json += pair.second;
            json += ',';
        }
        json.back() = '}';
        return json;
    };

    if (result.stream) {
        // Token counts come only in a stream's last chunk, and only when asked for.
        const QJsonValue streamOptions = request.value(QLatin1String("stream_options"));
        if (!streamOptions.toObject().value(QLatin1String("include_usage")).toBool(false)) {
            sets.append(
                {"stream_options", withOurs("stream_options", {{"include_usage", "true"}})});
            result.usageAdded = true;
        }
    }

    for (const QLatin1String &field : kDroppedFields)
        sets.append({QByteArrayView(field.data(), field.size()), {}});
    if (options.authMethod == AuthMethod::OAuth)
        sets.append({QByteArrayView(kOAuthDroppedField.data(), kOAuthDroppedField.size()), {}});

    if (!options.sessionId.isEmpty() || !options.promptId.isEmpty()) {
        // A client's own metadata keys stay; only ours are set.
        const QByteArray sessionId = JsonSpans::quoted(options.sessionId);
        const QByteArray promptId = JsonSpans::quoted(options.promptId);
        QByteArray metadata;
        if (options.sessionId.isEmpty())
            metadata = withOurs("metadata", {{"promptId", promptId}});
        else if (options.promptId.isEmpty())
            metadata = withOurs("metadata", {{"sessionId", sessionId}});
        else
            metadata = withOurs("metadata", {{"sessionId", sessionId}, {"promptId", promptId}});
        sets.append({"metadata", metadata});
    }

    // The messages, when they change: a system message of ours, then views of the client's
    // messages in the body (a long conversation is copied once, into the result).
    int mergedSystemMessages = 0;
    bool prependedMinimal = false;
    bool messagesChange = false;
    QByteArray systemJson;
    QList<QByteArrayView> keptMessages;
    if (options.qwenMode || options.authMethod == AuthMethod::OAuth) {
        const QJsonArray messages = request.value(QLatin1String("messages")).toArray();
        QList<JsonSpans::Span> elements;
        const qsizetype at = lastIndexOf("messages");
        if (at < 0 || !JsonSpans::elements(body, members.at(at).value, &elements) ||
            elements.size() != messages.size()) {
            qCWarning(lcRewrite) << "the messages that parsed as an array could not be split";
            return failure(Error::InvalidJson, tr("The request body could not be read as JSON."));
        }
        if (options.qwenMode) {
            systemJson =
                bridgedSystemMessageJson(bridgedSystemText(messages, &mergedSystemMessages));
            for (qsizetype i = 0; i < messages.size(); ++i) {
                if (!isSystemMessage(messages.at(i)))
                    keptMessages.append(elements.at(i).in(body));
            }
            messagesChange = true;
        } else if (messages.isEmpty() || !isSystemMessage(messages.first())) {
            // The portal answers 400 when the first message is not a system message
            // (PROTOCOL.md §4), so even with the bridge off an OAuth conversation gets a
            // minimal one. API-key endpoints have no such rule and see the messages untouched.
            systemJson = systemMessageJson(JsonSpans::quoted(minimalSystemPrompt()));
            for (const JsonSpans::Span &element : std::as_const(elements))
                keptMessages.append(element.in(body));
            prependedMinimal = messagesChange = true;
        }
    }

    QByteArray &json = result.body;
    json.reserve(body.size() + systemJson.size() + 256);
    json += '{';
    auto beginMember = [&json] {
        if (json.size() > 1)
            json += ',';
    };
    auto writeSet = [&](const Set &set) {
        if (set.value.isEmpty())
            return;
        beginMember();
        json += '"';
        json += set.key; // ours, with nothing to escape
        json += "\":";
        json += set.value;
    };
    for (qsizetype i = 0; i < members.size(); ++i) {
        const JsonSpans::Member &member = members.at(i);
        if (lastIndexOf(member.key) != i)
            continue;
        if (messagesChange && member.key == "messages") {
            beginMember();
            json += "\"messages\":[";
            json += systemJson;
            for (QByteArrayView message : std::as_const(keptMessages)) {
                json += ',';
                json += message;
            }
            json += ']';
        } else if (const Set *set = findSet(member.key)) {
            writeSet(*set);
        } else {
            beginMember();
            json += member.member.in(body);
        }
    }
    for (const Set &set : std::as_const(sets)) {
        if (lastIndexOf(set.key) < 0)
            writeSet(set);
    }
    json += '}';

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
