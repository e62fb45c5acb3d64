#include "proxy/requestrewriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

namespace {
using Options = RequestRewriter::Options;
using AuthMethod = RequestRewriter::AuthMethod;

QJsonObject parseObject(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

QByteArray toBytes(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject message(const QString &role, const QJsonValue &content)
{
    return QJsonObject{{QStringLiteral("role"), role}, {QStringLiteral("content"), content}};
}

Options options(AuthMethod method, bool qwenMode)
{
    Options o;
    o.authMethod = method;
    o.qwenMode = qwenMode;
    return o;
}

// A request with the given messages and a model.
QByteArray request(const QJsonArray &messages, const QString &model = QStringLiteral("coder-model"))
{
    return toBytes(
        QJsonObject{{QStringLiteral("model"), model}, {QStringLiteral("messages"), messages}});
}

QJsonArray rewrittenMessages(const QByteArray &body, const Options &opts)
{
    const RequestRewriter::Result result = RequestRewriter::rewrite(body, opts);
    if (!result.ok())
        qWarning() << result.errorMessage;
    return parseObject(result.body).value(QLatin1String("messages")).toArray();
}
} // namespace

class TestRequestRewriter : public QObject
{
    Q_OBJECT

private slots:
    void stripProviderPrefix_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("expected");
        QTest::newRow("none") << "coder-model"
                              << "coder-model";
        QTest::newRow("one") << "alibaba/coder-model"
                             << "coder-model";
        QTest::newRow("two") << "openrouter/qwen/qwen3-vl-plus"
                             << "qwen3-vl-plus";
        QTest::newRow("trailing slash") << "alibaba/"
                                        << "";
    }

    void stripProviderPrefix()
    {
        QFETCH(QString, model);
        QFETCH(QString, expected);
        QCOMPARE(RequestRewriter::stripProviderPrefix(model), expected);
    }

    void normalizeOAuthModel_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("expected");
        const QString coder = QStringLiteral("coder-model");
        const QString vision = QStringLiteral("vision-model");

        QTest::newRow("coder-model") << "coder-model" << coder;
        QTest::newRow("coder-model prefixed") << "alibaba/coder-model" << coder;
        QTest::newRow("coder-model upper") << "CODER-MODEL" << coder;
        QTest::newRow("qwen3-coder-plus") << "qwen3-coder-plus" << coder;
        QTest::newRow("qwen3-coder-plus prefixed") << "alibaba/qwen3-coder-plus" << coder;
        QTest::newRow("qwen3-coder-flash") << "qwen3-coder-flash" << coder;
        QTest::newRow("Qwen3-Coder mixed case") << "Qwen3-Coder-480B-A35B" << coder;
        QTest::newRow("qwen-coder-plus-latest") << "qwen-coder-plus-latest" << coder;
        QTest::newRow("qwen-turbo") << "qwen-turbo" << coder;
        QTest::newRow("qwen-max") << "dashscope/qwen-max" << coder;
        QTest::newRow("qwen-plus") << "qwen-plus" << coder;
        QTest::newRow("Qwen-Plus") << "Qwen-Plus" << coder;
        QTest::newRow("qwen-plus dated") << "qwen-plus-2025-01-25" << coder;

        QTest::newRow("vision-model") << "vision-model" << vision;
        QTest::newRow("vision-model prefixed") << "alibaba/vision-model" << vision;
        QTest::newRow("qwen3-vl-plus") << "qwen3-vl-plus" << vision;
        QTest::newRow("qwen3-vl-plus prefixed") << "alibaba/qwen3-vl-plus" << vision;
        QTest::newRow("qwen3-vl-plus two prefixes") << "openrouter/qwen/qwen3-vl-plus" << vision;
        QTest::newRow("qwen-vl-max") << "qwen-vl-max" << vision;
        QTest::newRow("Qwen2.5-VL upper") << "Qwen2.5-VL-72B-Instruct" << vision;
        QTest::newRow("vl underscore") << "qwen_vl_chat" << vision;
        QTest::newRow("vl colon") << "qwen:vl" << vision;
        QTest::newRow("vl alone") << "vl" << vision;
        QTest::newRow("vl at end") << "qwen2.5-vl" << vision;
        QTest::newRow("vision substring") << "my-VISION-thing" << vision;
        QTest::newRow("vision inside a word") << "supervisionary" << vision;

        // "vl" must be a token: these only contain the letters.
        QTest::newRow("vl inside word") << "cvlab-7b" << coder;
        QTest::newRow("vl inside word 2") << "qwen-evlm" << coder;
        QTest::newRow("vl digits") << "qwen2vl" << coder;
        // Coder families are decided before vision markers (the original plugin's order).
        QTest::newRow("coder family with vl") << "qwen-plus-vl" << coder;

        QTest::newRow("qwen3-max default") << "qwen3-max" << coder;
        QTest::newRow("qwen3.5-plus default") << "qwen3.5-plus" << coder;
        QTest::newRow("unknown default") << "gpt-4o" << coder;
        QTest::newRow("unknown prefixed default") << "openai/gpt-4o" << coder;
    }

    void normalizeOAuthModel()
    {
        QFETCH(QString, model);
        QFETCH(QString, expected);
        QCOMPARE(RequestRewriter::normalizeOAuthModel(model), expected);
    }

    void mapApiKeyModel_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("expected");
        QTest::newRow("coder alias") << "coder-model"
                                     << "qwen3-coder-plus";
        QTest::newRow("coder alias prefixed") << "alibaba/coder-model"
                                              << "qwen3-coder-plus";
        QTest::newRow("coder alias case") << "Coder-Model"
                                          << "qwen3-coder-plus";
        QTest::newRow("vision alias") << "vision-model"
                                      << "qwen3-vl-plus";
        QTest::newRow("vision alias prefixed") << "alibaba/vision-model"
                                               << "qwen3-vl-plus";
        QTest::newRow("real name") << "qwen3.5-plus"
                                   << "qwen3.5-plus";
        QTest::newRow("real name prefixed") << "alibaba/qwen3-max"
                                            << "qwen3-max";
        QTest::newRow("real name keeps case") << "alibaba/Qwen3-Coder-Plus"
                                              << "Qwen3-Coder-Plus";
        QTest::newRow("vl name unchanged") << "qwen3-vl-plus"
                                           << "qwen3-vl-plus";
    }

    void mapApiKeyModel()
    {
        QFETCH(QString, model);
        QFETCH(QString, expected);
        QCOMPARE(RequestRewriter::mapApiKeyModel(model, Options()), expected);
    }

    void configuredAliases()
    {
        Options o = options(AuthMethod::ApiKey, false);
        o.coderModel = QStringLiteral("qwen3-coder-next");
        o.visionModel = QStringLiteral("qwen3.5-vl");
        QCOMPARE(RequestRewriter::mapApiKeyModel(QStringLiteral("alibaba/coder-model"), o),
                 QStringLiteral("qwen3-coder-next"));
        QCOMPARE(RequestRewriter::mapApiKeyModel(QStringLiteral("vision-model"), o),
                 QStringLiteral("qwen3.5-vl"));

        const auto result = RequestRewriter::rewrite(request({}, "alibaba/coder-model"), o);
        QVERIFY(result.ok());
        QCOMPARE(result.upstreamModel, QStringLiteral("qwen3-coder-next"));
        QCOMPARE(parseObject(result.body).value(QLatin1String("model")).toString(),
                 QStringLiteral("qwen3-coder-next"));
    }

    void modelInBody_data()
    {
        QTest::addColumn<int>("method");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("expected");
        QTest::newRow("oauth prefixed") << int(AuthMethod::OAuth) << "alibaba/qwen3-coder-plus"
                                        << "coder-model";
        QTest::newRow("oauth vision") << int(AuthMethod::OAuth) << "alibaba/qwen3-vl-plus"
                                      << "vision-model";
        QTest::newRow("apikey alias") << int(AuthMethod::ApiKey) << "alibaba/coder-model"
                                      << "qwen3-coder-plus";
        QTest::newRow("apikey real") << int(AuthMethod::ApiKey) << "alibaba/qwen3-max"
                                     << "qwen3-max";
    }

    void modelInBody()
    {
        QFETCH(int, method);
        QFETCH(QString, model);
        QFETCH(QString, expected);
        for (bool qwenMode : {true, false}) {
            const auto result = RequestRewriter::rewrite(request({message("user", "hi")}, model),
                                                         options(AuthMethod(method), qwenMode));
            QVERIFY(result.ok());
            QCOMPARE(result.upstreamModel, expected);
            QCOMPARE(parseObject(result.body).value(QLatin1String("model")).toString(), expected);
        }
    }

    void droppedAndKeptFields()
    {
        const QJsonObject in{
            {"model", "coder-model"},
            {"messages", QJsonArray{message("system", "s"), message("user", "u")}},
            {"instructions", "be brief"},
            {"reasoning_effort", "high"},
            {"reasoning_summary", "auto"},
            {"temperature", 0.5},
            {"max_tokens", 1000},
            {"tools", QJsonArray{QJsonObject{{"type", "function"}}}},
            {"tool_choice", "auto"},
            {"stream_options", QJsonObject{{"include_usage", true}}},
            {"x_unknown", QJsonObject{{"deep", QJsonArray{1, 2, 3}}}},
        };
        for (AuthMethod method : {AuthMethod::OAuth, AuthMethod::ApiKey}) {
            for (bool qwenMode : {true, false}) {
                const auto result =
                    RequestRewriter::rewrite(toBytes(in), options(method, qwenMode));
                QVERIFY(result.ok());
                QVERIFY(!result.body.contains('\n'));
                const QJsonObject out = parseObject(result.body);
                QVERIFY(!out.contains("instructions"));
                QVERIFY(!out.contains("reasoning_summary"));
                // The portal refused it; Model Studio's models take their thinking from it.
                QCOMPARE(out.contains("reasoning_effort"), method == AuthMethod::ApiKey);
                for (const char *key : {"temperature", "max_tokens", "tools", "tool_choice",
                                        "stream_options", "x_unknown"})
                    QCOMPARE(out.value(QLatin1String(key)), in.value(QLatin1String(key)));
            }
        }
    }

    // The thinking controls reach an API-key endpoint exactly as the client sent them.
    void thinkingControls_data()
    {
        QTest::addColumn<QJsonObject>("controls");
        QTest::newRow("effort") << QJsonObject{{"reasoning_effort", "xhigh"}};
        QTest::newRow("thinking off") << QJsonObject{{"enable_thinking", false}};
        QTest::newRow("budget") << QJsonObject{{"enable_thinking", true},
                                               {"thinking_budget", 8192}};
        QTest::newRow("all three") << QJsonObject{
            {"reasoning_effort", "low"}, {"enable_thinking", true}, {"thinking_budget", 1}};
    }

    void thinkingControls()
    {
        QFETCH(QJsonObject, controls);
        QJsonObject in{{"model", "qwen3.8-max"}, {"messages", QJsonArray{message("user", "u")}}};
        for (auto it = controls.constBegin(); it != controls.constEnd(); ++it)
            in.insert(it.key(), it.value());
        for (bool qwenMode : {true, false}) {
            const QJsonObject out = parseObject(
                RequestRewriter::rewrite(toBytes(in), options(AuthMethod::ApiKey, qwenMode)).body);
            for (auto it = controls.constBegin(); it != controls.constEnd(); ++it)
                QCOMPARE(out.value(it.key()), it.value());
        }
    }

    void streamFlag_data()
    {
        QTest::addColumn<QJsonValue>("stream");
        QTest::addColumn<bool>("expected");
        QTest::newRow("true") << QJsonValue(true) << true;
        QTest::newRow("false") << QJsonValue(false) << false;
        QTest::newRow("absent") << QJsonValue(QJsonValue::Undefined) << false;
        QTest::newRow("string") << QJsonValue("true") << false;
        QTest::newRow("number") << QJsonValue(1) << false;
    }

    void streamFlag()
    {
        QFETCH(QJsonValue, stream);
        QFETCH(bool, expected);
        QJsonObject in{{"model", "coder-model"}, {"messages", QJsonArray{}}};
        if (!stream.isUndefined())
            in.insert("stream", stream);
        const auto result = RequestRewriter::rewrite(toBytes(in), Options());
        QVERIFY(result.ok());
        QCOMPARE(result.stream, expected);
        if (!stream.isUndefined())
            QCOMPARE(parseObject(result.body).value("stream"), stream);
    }

    // Usage is asked for on every stream; a client that did not ask is told so the proxy
    // can leave the extra chunk out of its answer. Other stream options stay.
    void streamUsage_data()
    {
        QTest::addColumn<bool>("stream");
        QTest::addColumn<QJsonValue>("streamOptions");
        QTest::addColumn<bool>("added");
        QTest::addColumn<QJsonValue>("upstreamOptions");
        const QJsonObject asked{{"include_usage", true}};
        QTest::newRow("stream, no options")
            << true << QJsonValue(QJsonValue::Undefined) << true << QJsonValue(asked);
        QTest::newRow("stream, usage asked (OpenCode)")
            << true << QJsonValue(asked) << false << QJsonValue(asked);
        QTest::newRow("stream, usage refused")
            << true << QJsonValue(QJsonObject{{"include_usage", false}}) << true
            << QJsonValue(asked);
        QTest::newRow("stream, other option kept")
            << true << QJsonValue(QJsonObject{{"x", 1}}) << true
            << QJsonValue(QJsonObject{{"x", 1}, {"include_usage", true}});
        QTest::newRow("no stream") << false << QJsonValue(QJsonValue::Undefined) << false
                                   << QJsonValue(QJsonValue::Undefined);
    }

    void streamUsage()
    {
        QFETCH(bool, stream);
        QFETCH(QJsonValue, streamOptions);
        QFETCH(bool, added);
        QFETCH(QJsonValue, upstreamOptions);
        QJsonObject in{{"model", "coder-model"}, {"messages", QJsonArray{}}, {"stream", stream}};
        if (!streamOptions.isUndefined())
            in.insert("stream_options", streamOptions);
        for (AuthMethod method : {AuthMethod::OAuth, AuthMethod::ApiKey}) {
            const auto result = RequestRewriter::rewrite(toBytes(in), options(method, false));
            QVERIFY(result.ok());
            QCOMPARE(result.usageAdded, added);
            QCOMPARE(parseObject(result.body).value("stream_options"), upstreamOptions);
        }
    }

    void metadata_data()
    {
        QTest::addColumn<QJsonValue>("clientMetadata");
        QTest::addColumn<QString>("sessionId");
        QTest::addColumn<QString>("promptId");
        QTest::addColumn<QJsonValue>("expected");

        QTest::newRow("added") << QJsonValue(QJsonValue::Undefined) << "s1"
                               << "p1"
                               << QJsonValue(QJsonObject{{"sessionId", "s1"}, {"promptId", "p1"}});
        QTest::newRow("client keys kept")
            << QJsonValue(QJsonObject{{"user", "ann"}, {"sessionId", "theirs"}}) << "s1"
            << "p1"
            << QJsonValue(QJsonObject{{"user", "ann"}, {"sessionId", "s1"}, {"promptId", "p1"}});
        QTest::newRow("non-object replaced")
            << QJsonValue("text") << "s1"
            << "p1" << QJsonValue(QJsonObject{{"sessionId", "s1"}, {"promptId", "p1"}});
        QTest::newRow("only session") << QJsonValue(QJsonValue::Undefined) << "s1"
                                      << "" << QJsonValue(QJsonObject{{"sessionId", "s1"}});
        QTest::newRow("no ids, none sent") << QJsonValue(QJsonValue::Undefined) << ""
                                           << "" << QJsonValue(QJsonValue::Undefined);
        QTest::newRow("no ids, client kept") << QJsonValue(QJsonObject{{"user", "ann"}}) << ""
                                             << "" << QJsonValue(QJsonObject{{"user", "ann"}});
    }

    void metadata()
    {
        QFETCH(QJsonValue, clientMetadata);
        QFETCH(QString, sessionId);
        QFETCH(QString, promptId);
        QFETCH(QJsonValue, expected);
        QJsonObject in{{"model", "coder-model"}, {"messages", QJsonArray{}}};
        if (!clientMetadata.isUndefined())
            in.insert("metadata", clientMetadata);
        for (AuthMethod method : {AuthMethod::OAuth, AuthMethod::ApiKey}) {
            Options o = options(method, true);
            o.sessionId = sessionId;
            o.promptId = promptId;
            const auto result = RequestRewriter::rewrite(toBytes(in), o);
            QVERIFY(result.ok());
            QCOMPARE(parseObject(result.body).value("metadata"), expected);
        }
    }

    void qwenModeMergesSystemMessages_data()
    {
        QTest::addColumn<QJsonArray>("messages");
        QTest::addColumn<QString>("clientSystemText"); // what follows the bridge text
        QTest::addColumn<QJsonArray>("rest");

        const QJsonObject user = message("user", "hello");
        const QJsonObject assistant = message("assistant", "hi");
        const QJsonObject user2 =
            message("user", QJsonArray{QJsonObject{{"type", "text"}, {"text", "look"}},
                                       QJsonObject{{"type", "image_url"}}});
        const QJsonObject tool{{"role", "tool"}, {"tool_call_id", "t1"}, {"content", "42"}};

        QTest::newRow("string system first")
            << QJsonArray{message("system", "You are OpenCode."), user, assistant}
            << "You are OpenCode." << QJsonArray{user, assistant};
        QTest::newRow("array system")
            << QJsonArray{message("system",
                                  QJsonArray{QJsonObject{{"type", "text"}, {"text", "Part one."}},
                                             QJsonObject{{"type", "text"}, {"text", "Part two."}}}),
                          user}
            << "Part one.\nPart two." << QJsonArray{user};
        QTest::newRow("array system with other parts")
            << QJsonArray{message("system",
                                  QJsonArray{QJsonObject{{"type", "image_url"}},
                                             QJsonObject{{"type", "text"}, {"text", "Only."}}}),
                          user}
            << "Only." << QJsonArray{user};
        QTest::newRow("two systems at start")
            << QJsonArray{message("system", "First."), message("system", "Second."), user}
            << "First.\n\nSecond." << QJsonArray{user};
        QTest::newRow("system in the middle")
            << QJsonArray{message("system", "Head."),
                          user,
                          message("system", "Later."),
                          assistant,
                          tool,
                          user2}
            << "Head.\n\nLater." << QJsonArray{user, assistant, tool, user2};
        QTest::newRow("no system")
            << QJsonArray{user, assistant} << QString() << QJsonArray{user, assistant};
        QTest::newRow("empty system text")
            << QJsonArray{message("system", "  "), user} << QString() << QJsonArray{user};
        QTest::newRow("empty messages") << QJsonArray{} << QString() << QJsonArray{};
        QTest::newRow("non-object kept")
            << QJsonArray{QJsonValue(7), user} << QString() << QJsonArray{QJsonValue(7), user};
    }

    void qwenModeMergesSystemMessages()
    {
        QFETCH(QJsonArray, messages);
        QFETCH(QString, clientSystemText);
        QFETCH(QJsonArray, rest);

        QString expectedSystem = RequestRewriter::bridgePrompt();
        if (!clientSystemText.isEmpty())
            expectedSystem += QStringLiteral("\n\n") + clientSystemText;
        QJsonArray expected{message("system", expectedSystem)};
        for (const QJsonValue &m : rest)
            expected.append(m);

        for (AuthMethod method : {AuthMethod::OAuth, AuthMethod::ApiKey}) {
            const QJsonArray out = rewrittenMessages(request(messages), options(method, true));
            QCOMPARE(out, expected);
            int systems = 0;
            for (const QJsonValue &m : out)
                systems += m.toObject().value("role") == QLatin1String("system");
            QCOMPARE(systems, 1);
        }
    }

    void bridgePromptMapsTools()
    {
        const QString text = RequestRewriter::bridgePrompt();
        QVERIFY(text.contains(QLatin1String("OpenCode")));
        const char *const pairs[][2] = {
            {"read_file", "read"},        {"write_file", "edit"},    {"list_directory", "ls"},
            {"search_files", "glob"},     {"grep_search", "grep"},   {"execute_command", "bash"},
            {"update_plan", "todowrite"}, {"read_plan", "todoread"},
        };
        for (const auto &pair : pairs) {
            const QString mapping =
                QStringLiteral("%1 -> %2").arg(QLatin1String(pair[0]), QLatin1String(pair[1]));
            QVERIFY2(text.contains(mapping), qPrintable(mapping));
        }
    }

    void qwenModeOff_data()
    {
        QTest::addColumn<int>("method");
        QTest::addColumn<QJsonArray>("messages");
        QTest::addColumn<QJsonArray>("expected");

        const QJsonObject system = message("system", "You are OpenCode.");
        const QJsonObject user = message("user", "hello");
        const QJsonObject late = message("system", "Later.");
        const QJsonObject minimal = message("system", RequestRewriter::minimalSystemPrompt());

        QTest::newRow("oauth with system: unchanged")
            << int(AuthMethod::OAuth) << QJsonArray{system, user, late}
            << QJsonArray{system, user, late};
        QTest::newRow("oauth without system: minimal prepended")
            << int(AuthMethod::OAuth) << QJsonArray{user, late} << QJsonArray{minimal, user, late};
        QTest::newRow("oauth empty: minimal")
            << int(AuthMethod::OAuth) << QJsonArray{} << QJsonArray{minimal};
        QTest::newRow("apikey with system: unchanged")
            << int(AuthMethod::ApiKey) << QJsonArray{system, user} << QJsonArray{system, user};
        QTest::newRow("apikey without system: unchanged")
            << int(AuthMethod::ApiKey) << QJsonArray{user, late} << QJsonArray{user, late};
    }

    void qwenModeOff()
    {
        QFETCH(int, method);
        QFETCH(QJsonArray, messages);
        QFETCH(QJsonArray, expected);
        QCOMPARE(rewrittenMessages(request(messages), options(AuthMethod(method), false)),
                 expected);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("error");
        QTest::addColumn<QJsonValue>("param");

        const QJsonValue none(QJsonValue::Null);
        const int json = int(RequestRewriter::Error::InvalidJson);
        const int object = int(RequestRewriter::Error::NotAnObject);
        const int model = int(RequestRewriter::Error::InvalidModel);
        const int messages = int(RequestRewriter::Error::InvalidMessages);

        QTest::newRow("empty") << QByteArray() << json << none;
        QTest::newRow("garbage") << QByteArray("model=coder") << json << none;
        QTest::newRow("truncated")
            << QByteArray(R"({"model": "coder-model", "messages": [)") << json << none;
        QTest::newRow("array") << QByteArray(R"([{"model": "x"}])") << object << none;
        QTest::newRow("missing model")
            << QByteArray(R"({"messages": []})") << model << QJsonValue("model");
        QTest::newRow("null model")
            << QByteArray(R"({"model": null, "messages": []})") << model << QJsonValue("model");
        QTest::newRow("number model")
            << QByteArray(R"({"model": 3, "messages": []})") << model << QJsonValue("model");
        QTest::newRow("empty model")
            << QByteArray(R"({"model": "", "messages": []})") << model << QJsonValue("model");
        QTest::newRow("prefix only") << QByteArray(R"({"model": "alibaba/", "messages": []})")
                                     << model << QJsonValue("model");
        QTest::newRow("missing messages")
            << QByteArray(R"({"model": "coder-model"})") << messages << QJsonValue("messages");
        QTest::newRow("object messages")
            << QByteArray(R"({"model": "coder-model", "messages": {}})") << messages
            << QJsonValue("messages");
        QTest::newRow("string messages")
            << QByteArray(R"({"model": "coder-model", "messages": "hi"})") << messages
            << QJsonValue("messages");
        QTest::newRow("null messages")
            << QByteArray(R"({"model": "coder-model", "messages": null})") << messages
            << QJsonValue("messages");
    }

    void errors()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, error);
        QFETCH(QJsonValue, param);
        for (AuthMethod method : {AuthMethod::OAuth, AuthMethod::ApiKey}) {
            const auto result = RequestRewriter::rewrite(body, options(method, true));
            QVERIFY(!result.ok());
            QCOMPARE(int(result.error), error);
            QVERIFY(result.body.isEmpty());
            QVERIFY(!result.errorMessage.isEmpty());

            const QJsonObject detail = parseObject(result.errorBody()).value("error").toObject();
            QCOMPARE(detail.value("message").toString(), result.errorMessage);
            QCOMPARE(detail.value("type").toString(), QStringLiteral("invalid_request_error"));
            QCOMPARE(detail.value("param"), param);
            QVERIFY(detail.contains("code"));

            // In two steps the same: parse() fails where the body is no object, rewrite()
            // where the object lacks what it needs.
            QJsonObject parsed;
            const auto first = RequestRewriter::parse(body, &parsed);
            const auto second =
                first.ok() ? RequestRewriter::rewrite(body, parsed, options(method, true)) : first;
            QCOMPARE(int(second.error), error);
            QCOMPARE(second.errorMessage, result.errorMessage);
            QCOMPARE(second.errorBody(), result.errorBody());
        }
    }

    void twoStepsGiveTheSameBody()
    {
        // What a choice between credentials does: parse, read the model, then rewrite.
        const QByteArray body = toBytes(
            QJsonObject{{"model", "qwen3-coder-plus"},
                        {"stream", true},
                        {"instructions", "dropped"},
                        {"messages", QJsonArray{message("system", "sys"), message("user", "hi")}}});
        for (AuthMethod method : {AuthMethod::OAuth, AuthMethod::ApiKey}) {
            for (bool qwenMode : {true, false}) {
                Options o = options(method, qwenMode);
                o.sessionId = QStringLiteral("session");
                o.promptId = QStringLiteral("prompt");
                const auto once = RequestRewriter::rewrite(body, o);
                QJsonObject parsed;
                QVERIFY(RequestRewriter::parse(body, &parsed).ok());
                QCOMPARE(parsed.value("model").toString(), QStringLiteral("qwen3-coder-plus"));
                const auto twice = RequestRewriter::rewrite(body, parsed, o);
                QVERIFY(once.ok() && twice.ok());
                QCOMPARE(twice.body, once.body);
                QCOMPARE(twice.upstreamModel, once.upstreamModel);
                QCOMPARE(twice.stream, once.stream);
                QCOMPARE(twice.usageAdded, once.usageAdded);
            }
        }
    }

    void scalarBodyIsRejected()
    {
        // Qt may call a bare scalar either invalid JSON or a non-object; both are a 400.
        for (const QByteArray &body :
             {QByteArray("42"), QByteArray("\"text\""), QByteArray("null")})
            QVERIFY(!RequestRewriter::rewrite(body, Options()).ok());
    }

    void largeBodyKeepsContent()
    {
        // A big attachment passes untouched.
        const QString big(8 * 1024 * 1024, QLatin1Char('x'));
        const QJsonObject image{
            {"type", "image_url"},
            {"image_url", QJsonObject{{"url", QString("data:image/png;base64," + big)}}}};
        const QByteArray body = request(
            {message("system", "sys"), message("user", QJsonArray{image})}, "qwen3-vl-plus");
        const auto result = RequestRewriter::rewrite(body, Options());
        QVERIFY(result.ok());
        QCOMPARE(result.upstreamModel, QStringLiteral("vision-model"));
        const QJsonArray out = parseObject(result.body).value("messages").toArray();
        QCOMPARE(out.size(), 2);
        QCOMPARE(out.at(1).toObject(), message("user", QJsonArray{image}));
    }

    void untouchedMembersKeepTheirBytes()
    {
        // What the rules do not change goes up as the client wrote it: numbers Qt would
        // write otherwise, spacing, escapes, the order of keys, and the client's messages.
        const QByteArray tools = "[ {\"type\" : \"function\", \"n\": 1.50e+2} ]";
        const QByteArray user = "{\"role\":\"user\",\"content\":\"caf\\u00e9 \\/ \\ud83d\\ude00\"}";
        const QByteArray body = "{\"zeta\": 12345678901234567890123, \"tools\": " + tools +
                                ",\n \"model\": \"qwen3-coder-plus\", \"messages\": [" + user +
                                "], \"alpha\": -0.0}";
        for (AuthMethod method : {AuthMethod::OAuth, AuthMethod::ApiKey}) {
            for (bool qwenMode : {true, false}) {
                const auto result = RequestRewriter::rewrite(body, options(method, qwenMode));
                QVERIFY(result.ok());
                QVERIFY(result.body.contains("\"zeta\": 12345678901234567890123"));
                QVERIFY(result.body.contains(QByteArray("\"tools\": " + tools)));
                QVERIFY(result.body.contains(user));
                QVERIFY(result.body.contains("\"alpha\": -0.0"));
                QVERIFY(result.body.indexOf("\"zeta\"") < result.body.indexOf("\"tools\""));
                QVERIFY(result.body.indexOf("\"tools\"") < result.body.indexOf("\"alpha\""));
                const QJsonObject out = parseObject(result.body);
                QCOMPARE(out.value("model").toString(), result.upstreamModel);
                QCOMPARE(out.value("messages").toArray().last().toObject(),
                         message("user", QStringLiteral("caf\u00e9 / \U0001F600")));
            }
        }
    }

    void aKeyWrittenTwiceGoesUpOnce()
    {
        // Qt keeps the last of a key written twice, escaped or not; upstream must see the
        // same request the rules were applied to, so each key goes up once.
        const QByteArray body = "{\"stream\":true,\"model\":\"qwen-max\",\"t\":1,"
                                "\"messages\":[{\"role\":\"user\",\"content\":\"old\"}],"
                                "\"str\\u0065am\":false,\"mod\\u0065l\":\"qwen3-vl-plus\",\"t\":2,"
                                "\"messages\":[{\"role\":\"user\",\"content\":\"new\"}],"
                                "\"instructions\":\"a\",\"instructions\":\"b\"}";
        Options o = options(AuthMethod::ApiKey, false);
        const auto result = RequestRewriter::rewrite(body, o);
        QVERIFY(result.ok());
        QCOMPARE(result.upstreamModel, QStringLiteral("qwen3-vl-plus"));
        QVERIFY(!result.stream);
        QCOMPARE(result.body.count("\"model\""), 1);
        QCOMPARE(result.body.count("\"messages\""), 1);
        QCOMPARE(result.body.count("\"t\""), 1);
        // The stream flag Qt read is the last one, kept as the client wrote it.
        QCOMPARE(result.body.count("stream"), 0);
        QCOMPARE(result.body.count("\"str\\u0065am\":false"), 1);
        const QJsonObject out = parseObject(result.body);
        QCOMPARE(out.value("t").toInt(), 2);
        QCOMPARE(out.value("messages").toArray(),
                 QJsonArray{message("user", QStringLiteral("new"))});
        QVERIFY(!out.contains("instructions"));
    }

    void clientMetadataAndStreamOptionsStay()
    {
        const QByteArray body = "{\"model\":\"coder-model\",\"stream\":true,"
                                "\"stream_options\":{\"include_usage\":false,\"x\":[1]},"
                                "\"metadata\":{\"sessionId\":\"theirs\",\"user\":\"u1\"},"
                                "\"messages\":[]}";
        Options o = options(AuthMethod::ApiKey, false);
        o.sessionId = QStringLiteral("ours \"quoted\"");
        o.promptId = QStringLiteral("p1");
        const auto result = RequestRewriter::rewrite(body, o);
        QVERIFY(result.ok());
        QVERIFY(result.usageAdded);
        const QJsonObject out = parseObject(result.body);
        QCOMPARE(out.value("stream_options").toObject(),
                 (QJsonObject{{"include_usage", true}, {"x", QJsonArray{1}}}));
        QCOMPARE(out.value("metadata").toObject(),
                 (QJsonObject{{"sessionId", o.sessionId}, {"promptId", "p1"}, {"user", "u1"}}));

        // Not objects: replaced by objects with only ours.
        const QByteArray odd = "{\"model\":\"coder-model\",\"stream\":true,"
                               "\"stream_options\":\"yes\",\"metadata\":[1],\"messages\":[]}";
        const QJsonObject out2 = parseObject(RequestRewriter::rewrite(odd, o).body);
        QCOMPARE(out2.value("stream_options").toObject(), (QJsonObject{{"include_usage", true}}));
        QCOMPARE(out2.value("metadata").toObject(),
                 (QJsonObject{{"sessionId", o.sessionId}, {"promptId", "p1"}}));
    }
};

QTEST_GUILESS_MAIN(TestRequestRewriter)
#include "tst_requestrewriter.moc"
