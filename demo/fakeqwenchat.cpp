// The fake's OpenAI-compatible API (PROTOCOL.md §4): the model list and chat completions,
// plain or streamed, and the failure switches for chat requests.

#include "fakeqwenservice_p.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

using namespace FakeQwen;

namespace {

QByteArray bearerOf(const HttpRequest &request)
{
    const QByteArray value = request.header("authorization").trimmed();
    const int space = value.indexOf(' ');
    if (space <= 0 || value.left(space).compare("bearer", Qt::CaseInsensitive) != 0)
        return {};
    return value.mid(space + 1).trimmed();
}

// Splits text into `parts` pieces of about equal length, never inside a surrogate pair.
QStringList splitReply(const QString &text, int parts)
{
    parts = std::max(1, parts);
    QStringList pieces;
    const qsizetype length = text.size();
    qsizetype start = 0;
    for (int i = 1; i <= parts; ++i) {
        qsizetype end = length * i / parts;
        if (end > 0 && end < length && text.at(end - 1).isHighSurrogate())
            ++end;
        end = std::max(end, start);
        pieces.append(text.mid(start, end - start));
        start = end;
    }
    return pieces;
}

QJsonObject usageFor(const FakeChatRequest &record, const QString &reply)
{
    // Rough numbers, in the proportions a tokenizer would give; clients only display them.
    const int prompt = std::max(1, int(record.body.size() / 4));
    const int completion = std::max(1, int(reply.size() / 4));
    return QJsonObject{{QStringLiteral("prompt_tokens"), prompt},
                       {QStringLiteral("completion_tokens"), completion},
                       {QStringLiteral("total_tokens"), prompt + completion}};
}

// Whether a request asks for thinking text, the way Model Studio's models take it.
bool asksForThinking(const QJsonObject &json)
{
    return json.value(QLatin1String("enable_thinking")).toBool() ||
           json.value(QLatin1String("reasoning_effort")).isString();
}

bool includesUsage(const QJsonObject &json)
{
    return json.value(QLatin1String("stream_options"))
        .toObject()
        .value(QLatin1String("include_usage"))
        .toBool();
}

} // namespace

void FakeQwenService::handleModels(const HttpRequest &request, HttpResponse *response)
{
    ++m_counters.modelsRequests;
    if (!m_modelListAvailable) {
        response->send(404, QByteArray(), QByteArray());
        return;
    }
    const FakeTokenKind kind = classifyToken(bearerOf(request));
    if (kind == FakeTokenKind::OAuthLive)
        noteAccessTokenUse(bearerOf(request));
    if (kind == FakeTokenKind::OAuthExpired)
        ++m_counters.expiredTokenRequests;
    if (kind == FakeTokenKind::None || kind == FakeTokenKind::Unknown)
        ++m_counters.unknownTokenRequests;
    if (kind != FakeTokenKind::OAuthLive && kind != FakeTokenKind::ApiKey) {
        sendUnauthorized(response);
        return;
    }
    if (m_plan != FakePlan::Any && kind != FakeTokenKind::ApiKey) {
        sendUnauthorized(response);
        return;
    }
    if (isWrongPlanKey(bearerOf(request))) {
        sendWrongPlanKey(response);
        return;
    }
    QJsonArray data;
    const QStringList models = m_plan != FakePlan::Any         ? m_planModels
                               : kind == FakeTokenKind::ApiKey ? apiKeyModels()
                                                               : oauthModels();
    for (const QString &id : models) {
        data.append(QJsonObject{{QStringLiteral("id"), id},
                                {QStringLiteral("object"), QStringLiteral("model")},
                                {QStringLiteral("created"), 1735689600},
                                {QStringLiteral("owned_by"), QStringLiteral("qwen")}});
    }
    sendJson(response, 200,
             QJsonObject{{QStringLiteral("object"), QStringLiteral("list")},
                         {QStringLiteral("data"), data}});
}

void FakeQwenService::handleChat(const HttpRequest &request, HttpResponse *response)
{
    ++m_counters.chatRequests;
    FakeChatRequest record;
    record.headers = request.headers;
    record.body = request.body;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body);
    if (doc.isObject())
        record.json = doc.object();
    record.bearerToken = bearerOf(request);
    record.tokenKind = classifyToken(record.bearerToken);
    if (record.tokenKind == FakeTokenKind::OAuthLive)
        noteAccessTokenUse(record.bearerToken);
    record.tokenExpired = record.tokenKind == FakeTokenKind::OAuthExpired;
    record.receivedAtMs = now();
    if (record.tokenExpired)
        ++m_counters.expiredTokenRequests;
    if (record.tokenKind == FakeTokenKind::None || record.tokenKind == FakeTokenKind::Unknown)
        ++m_counters.unknownTokenRequests;
    m_chatRequests.append(record);
    if (m_chatRecordLimit >= 0 && m_chatRequests.size() > m_chatRecordLimit)
        m_chatRequests.remove(0, m_chatRequests.size() - m_chatRecordLimit);
    Q_EMIT chatRequestReceived(record);

    if (!m_chatFaults.isEmpty()) {
        ++m_counters.injectedFaults;
        applyChatFault(m_chatFaults.dequeue(), record, response);
        return;
    }
    answerChat(record, response);
}

void FakeQwenService::answerChat(const FakeChatRequest &record, HttpResponse *response)
{
    if (answerAsPlan(record, response))
        return;
    const FakeTokenKind kind = record.tokenKind;
    if (kind != FakeTokenKind::OAuthLive && kind != FakeTokenKind::ApiKey) {
        sendUnauthorized(response);
        return;
    }
    if (record.json.isEmpty()) {
        sendInvalidRequest(response, QStringLiteral("the body is not a JSON object"));
        return;
    }
    const QJsonArray messages = record.json.value(QLatin1String("messages")).toArray();
    if (messages.isEmpty()) {
        sendInvalidRequest(response, QStringLiteral("messages must be a non-empty array"));
        return;
    }
    const QString model = record.model();
    if (model.isEmpty()) {
        sendInvalidRequest(response, QStringLiteral("model is required"));
        return;
    }
    if (kind == FakeTokenKind::OAuthLive) {
        // The portal only knows its two aliases and wants a system message first.
        if (!oauthModels().contains(model)) {
            sendInvalidRequest(response, QStringLiteral("model `%1` is not supported.").arg(model),
                               QStringLiteral("model_not_supported"));
            return;
        }
        const QString firstRole =
            messages.first().toObject().value(QLatin1String("role")).toString();
        if (firstRole != QLatin1String("system")) {
            sendInvalidRequest(response,
                               QStringLiteral("the first message must have the role system"));
            return;
        }
    }
    if (record.isStream()) {
        startStream(record, response, -1, -1);
        return;
    }
    QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")},
                        {QStringLiteral("content"), m_replyText}};
    if (asksForThinking(record.json))
        message.insert(QStringLiteral("reasoning_content"), m_reasoningText);
    const QJsonObject choice{{QStringLiteral("index"), 0},
                             {QStringLiteral("message"), message},
                             {QStringLiteral("finish_reason"), QStringLiteral("stop")}};
    sendJson(response, 200,
             QJsonObject{{QStringLiteral("id"), QString::fromLatin1(randomToken("chatcmpl-", 12))},
                         {QStringLiteral("object"), QStringLiteral("chat.completion")},
                         {QStringLiteral("created"), now() / 1000},
                         {QStringLiteral("model"), model},
                         {QStringLiteral("choices"), QJsonArray{choice}},
                         {QStringLiteral("usage"), usageFor(record, m_replyText)}});
}

void FakeQwenService::applyChatFault(const FaultSpec &spec, const FakeChatRequest &record,
                                     HttpResponse *response)
{
    const int param = spec.param;
    const bool stream = record.isStream();
    const QString quotaMessage = QStringLiteral("Free allocated quota exceeded.");
    switch (spec.fault) {
    case FakeChatFault::Unauthorized:
        sendUnauthorized(response);
        return;
    case FakeChatFault::RateLimited:
        sendJson(response, 429,
                 apiError(QStringLiteral("Requests rate limit exceeded, please try again later."),
                          QStringLiteral("rate_limit_error"),
                          QStringLiteral("rate_limit_exceeded")),
                 {{QByteArrayLiteral("retry-after"), QByteArray::number(param >= 0 ? param : 7)}});
        return;
    case FakeChatFault::QuotaExceeded:
    case FakeChatFault::QuotaForbidden:
        sendJson(response, spec.fault == FakeChatFault::QuotaExceeded ? 429 : 403,
                 apiError(quotaMessage, QStringLiteral("insufficient_quota"),
                          QStringLiteral("insufficient_quota")));
        return;
    case FakeChatFault::ServerError:
        sendJson(response, param >= 500 ? param : 500,
                 apiError(QStringLiteral("injected upstream failure"),
                          QStringLiteral("server_error"), QStringLiteral("internal_error")));
        return;
    case FakeChatFault::ResetMidStream: {
        const int after = param >= 0 ? param : 2;
        if (stream && after > 0) {
            startStream(record, response, after, -1);
        } else {
            abortConnection(response);
            ++m_counters.streamsAborted;
        }
        return;
    }
    case FakeChatFault::StallMidStream: {
        const int after = param >= 0 ? param : 2;
        if (stream) {
            startStream(record, response, -1, after);
        } else {
            // Half a JSON body, then silence.
            response->beginStream(200, QByteArrayLiteral("application/json"));
            response->write(QByteArrayLiteral("{\"id\":\"chatcmpl-stalled\",\"object\":"));
        }
        return;
    }
    case FakeChatFault::StallAfterHeaders:
        response->beginStream(200, stream ? QByteArrayLiteral("text/event-stream")
                                          : QByteArrayLiteral("application/json"));
        return;
    case FakeChatFault::StallBeforeHeaders:
        return;
    case FakeChatFault::HourQuota:
    case FakeChatFault::WeekQuota:
    case FakeChatFault::MonthQuota: {
        const QString window = spec.fault == FakeChatFault::HourQuota   ? QStringLiteral("hour")
                               : spec.fault == FakeChatFault::WeekQuota ? QStringLiteral("week")
                                                                        : QStringLiteral("month");
        sendJson(response, 429,
                 apiError(QStringLiteral("%1 allocated quota exceeded").arg(window),
                          QStringLiteral("insufficient_quota"),
                          QStringLiteral("Throttling.AllocationQuota")));
        return;
    }
    case FakeChatFault::ConcurrencyQuota:
        sendJson(response, 429,
                 apiError(QStringLiteral("concurrency allocated quota exceeded"),
                          QStringLiteral("requests"),
                          QStringLiteral("Throttling.AllocationQuota")));
        return;
    case FakeChatFault::Arrears:
        sendJson(response, 400,
                 apiError(QStringLiteral("Access denied, please make sure your account is in "
                                         "good standing."),
                          QStringLiteral("Arrearage"), QStringLiteral("Arrearage")));
        return;
    case FakeChatFault::FreeTierOnly:
        sendJson(response, 403,
                 apiError(QStringLiteral("The free tier of the model has been exhausted. If you "
                                         "wish to continue access the model on a paid basis, "
                                         "please disable the \"use free tier only\" mode in the "
                                         "management console."),
                          QStringLiteral("AllocationQuota.FreeTierOnly"),
                          QStringLiteral("AllocationQuota.FreeTierOnly")));
        return;
    case FakeChatFault::ModelNotSupported:
        sendInvalidRequest(response,
                           QStringLiteral("model '%1' is not supported").arg(record.model()),
                           QStringLiteral("model_not_supported"));
        return;
    case FakeChatFault::ErrorInStream:
        if (stream) {
            startStream(record, response, -1, -1, param >= 0 ? param : 2);
        } else {
            sendJson(response, 500,
                     apiError(QStringLiteral("injected upstream failure"),
                              QStringLiteral("server_error"), QStringLiteral("internal_error")));
        }
        return;
    case FakeChatFault::SlowFirstByte: {
        QPointer<HttpResponse> guard(response);
        QTimer::singleShot(param >= 0 ? param : 1000, Qt::PreciseTimer, this,
                           [this, guard, record] {
                               if (guard && guard->isConnected())
                                   answerChat(record, guard);
                           });
        return;
    }
    }
}

void FakeQwenService::startStream(const FakeChatRequest &record, HttpResponse *response,
                                  int abortAfter, int stallAfter, int errorAfter)
{
    const QString id = QString::fromLatin1(randomToken("chatcmpl-", 12));
    const qint64 created = now() / 1000;
    const QString model = record.model().isEmpty() ? oauthModels().first() : record.model();
    auto chunk = [&](const QJsonObject &delta, const QJsonValue &finishReason) {
        return QJsonObject{
            {QStringLiteral("id"), id},
            {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
            {QStringLiteral("created"), created},
            {QStringLiteral("model"), model},
            {QStringLiteral("choices"),
             QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                    {QStringLiteral("delta"), delta},
                                    {QStringLiteral("finish_reason"), finishReason}}}}};
    };
    auto event = [](const QJsonObject &object) -> QByteArray {
        return QByteArrayLiteral("data: ") + compact(object) + QByteArrayLiteral("\n\n");
    };

    QList<QJsonObject> deltas;
    if (asksForThinking(record.json)) {
        const QStringList thoughts = splitReply(m_reasoningText, 2);
        for (const QString &piece : thoughts)
            deltas.append(QJsonObject{{QStringLiteral("reasoning_content"), piece}});
    }
    const QStringList pieces = splitReply(m_replyText, m_streamEvents);
    for (const QString &piece : pieces)
        deltas.append(QJsonObject{{QStringLiteral("content"), piece}});
    // The role comes with the first delta, whatever it carries.
    deltas.first().insert(QStringLiteral("role"), QStringLiteral("assistant"));
    QList<QByteArray> events;
    for (const QJsonObject &delta : std::as_const(deltas))
        events.append(event(chunk(delta, QJsonValue::Null)));
    if (errorAfter >= 0) {
        // Model Studio reports a failure after the stream began as an SSE error event.
        events.resize(std::min<qsizetype>(errorAfter, events.size()));
        events.append(QByteArrayLiteral("event: error\ndata: ") +
                      compact(apiError(QStringLiteral("An internal error has occured during "
                                                      "generation, please try again later."),
                                       QStringLiteral("server_error"),
                                       QStringLiteral("InternalError.Algo"))) +
                      QByteArrayLiteral("\n\n"));
    } else {
        QJsonObject last = chunk(QJsonObject(), QStringLiteral("stop"));
        if (includesUsage(record.json)) {
            // As the OpenAI API: a chunk of its own, with no choices, after the finish reason.
            events.append(event(last));
            last = chunk(QJsonObject(), QJsonValue::Null);
            last.insert(QStringLiteral("choices"), QJsonArray());
        }
        // Without include_usage the finish chunk carries it, as the fake always did.
        last.insert(QStringLiteral("usage"), usageFor(record, m_replyText));
        events.append(event(last));
        events.append(QByteArrayLiteral("data: [DONE]\n\n"));
    }

    auto *stream = new FakeSseStream(this, response, std::move(events), m_streamDelayMs, abortAfter,
                                     stallAfter);
    streamStarted(stream);
    stream->start();
}

void FakeQwenService::streamStarted(FakeSseStream *stream)
{
    m_streams.append(stream);
    ++m_counters.streamsStarted;
    ++m_counters.activeStreams;
    m_counters.maxActiveStreams = std::max(m_counters.maxActiveStreams, m_counters.activeStreams);
}

void FakeQwenService::streamEnded(FakeSseStream *stream, int how)
{
    m_streams.removeAll(stream);
    --m_counters.activeStreams;
    switch (how) {
    case FakeSseStream::Completed:
        ++m_counters.streamsCompleted;
        break;
    case FakeSseStream::Aborted:
        ++m_counters.streamsAborted;
        break;
    default:
        ++m_counters.streamsClientGone;
        break;
    }
    Q_EMIT streamFinished();
}
