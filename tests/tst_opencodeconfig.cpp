#include "opencode/jsoncdocument.h"
#include "opencode/opencodeconfig.h"
#include "plans/plancatalog.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

namespace {
using Error = OpenCodeConfig::Error;

OpenCodeConfig bridgeConfig()
{
    OpenCodeConfig config;
    config.baseUrl = OpenCodeConfig::baseUrlForPort(43210);
    config.apiKey = QStringLiteral("local-key-123");
    return config;
}

// provider.<id> of a JSONC text, parsed; our inserted values carry no comments.
QJsonObject providerEntry(const QByteArray &text, const QString &id)
{
    const JsoncDocument doc = JsoncDocument::parse(text);
    if (!doc.isValid())
        return {};
    const int entry = doc.member(doc.member(doc.root(), QStringLiteral("provider")), id);
    if (entry < 0)
        return {};
    return QJsonDocument::fromJson(doc.sourceText(entry)).object();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(content), content.size());
}

QStringList backups(const QString &folder)
{
    return QDir(folder).entryList({QStringLiteral("*.bak-*")}, QDir::Files | QDir::Hidden);
}

constexpr QFileDevice::Permissions kAllBits =
    QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
    QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
    QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;

// A file with comments, trailing commas, another provider and other keys, in the trailing
// comma style: inserting the provider is one contiguous insertion.
const QByteArray kRichFile = "// OpenCode settings for my laptop\n"
                             "{\n"
                             "  \"$schema\": \"https://opencode.ai/config.json\",\n"
                             "  /* theme first */\n"
                             "  \"theme\": \"tokyonight\",\n"
                             "  \"provider\": {\n"
                             "    // my local server\n"
                             "    \"ollama\": {\n"
                             "      \"npm\": \"@ai-sdk/openai-compatible\",\n"
                             "      \"options\": { \"baseURL\": \"http://localhost:11434/v1\", },\n"
                             "    },\n"
                             "  },\n"
                             "  \"model\": \"ollama/llama3\", // default\n"
                             "  \"keybinds\": { \"leader\": \"ctrl+x\" },\n"
                             "}\n";
} // namespace

class TestOpenCodeConfig : public QObject
{
    Q_OBJECT

private slots:
    void suggestedFile()
    {
        const OpenCodeConfig config = bridgeConfig();
        const QByteArray text = config.toJson();
        QVERIFY(text.endsWith("}\n"));
        QJsonParseError error;
        const QJsonObject doc = QJsonDocument::fromJson(text, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);

        QCOMPARE(doc.value("$schema").toString(),
                 QStringLiteral("https://opencode.ai/config.json"));
        QCOMPARE(doc.value("model").toString(), QStringLiteral("alibaba/coder-model"));
        const QJsonObject provider = doc.value("provider").toObject().value("alibaba").toObject();
        QCOMPARE(provider, config.providerBlock());
        QCOMPARE(provider.value("npm").toString(), QStringLiteral("@ai-sdk/openai-compatible"));
        const QJsonObject options = provider.value("options").toObject();
        QCOMPARE(options.value("baseURL").toString(), QStringLiteral("http://127.0.0.1:43210/v1"));
        QCOMPARE(options.value("apiKey").toString(), QStringLiteral("local-key-123"));
        QCOMPARE(provider.value("whitelist").toArray(),
                 (QJsonArray{"coder-model", "vision-model"}));

        const QJsonObject models = provider.value("models").toObject();
        QCOMPARE(models.keys(), (QStringList{"coder-model", "vision-model"}));
        const QJsonObject coder = models.value("coder-model").toObject();
        const QJsonObject vision = models.value("vision-model").toObject();
        QCOMPARE(coder.value("name").toString(), QStringLiteral("Qwen Coder"));
        QCOMPARE(vision.value("name").toString(), QStringLiteral("Qwen Vision"));
        for (const QJsonObject &model : {coder, vision}) {
            QCOMPARE(model.value("limit").toObject(),
                     (QJsonObject{{"context", 131072}, {"output", 65536}}));
        }
        QCOMPARE(coder.value("attachment"), QJsonValue(false));
        QCOMPARE(vision.value("attachment"), QJsonValue(true));
        QCOMPARE(coder.value("modalities").toObject().value("input").toArray(), QJsonArray{"text"});
        QCOMPARE(vision.value("modalities").toObject().value("input").toArray(),
                 (QJsonArray{"text", "image"}));

        // Keys in reading order, not QJsonObject's alphabetical one.
        auto before = [&text](const char *a, const char *b) {
            return text.indexOf(QByteArray(QByteArray("\"") + a + "\"")) <
                   text.indexOf(QByteArray(QByteArray("\"") + b + "\""));
        };
        QVERIFY(text.startsWith("{\n  \"$schema\""));
        QVERIFY(before("provider", "model"));
        QVERIFY(before("npm", "name"));
        QVERIFY(before("name", "options"));
        QVERIFY(before("baseURL", "apiKey"));
        QVERIFY(before("options", "models"));
        QVERIFY(before("models", "whitelist"));
    }

    void providerIds_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("valid");
        QTest::newRow("default") << "alibaba" << true;
        QTest::newRow("mixed") << "qwen-bridge_2.0" << true;
        QTest::newRow("digit first") << "9lives" << true;
        QTest::newRow("one") << "a" << true;
        QTest::newRow("64") << QString(64, QLatin1Char('a')) << true;
        QTest::newRow("65") << QString(65, QLatin1Char('a')) << false;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("space") << "has space" << false;
        QTest::newRow("slash") << "a/b" << false;
        QTest::newRow("leading dash") << "-leading" << false;
        QTest::newRow("leading dot") << ".hidden" << false;
        QTest::newRow("quote") << "a\"b" << false;
        QTest::newRow("non-ascii") << QStringLiteral("caf\u00e9") << false;
    }
    void providerIds()
    {
        QFETCH(QString, id);
        QFETCH(bool, valid);
        QCOMPARE(OpenCodeConfig::checkProviderId(id).isEmpty(), valid);
    }

    void forBridge_data()
    {
        QTest::addColumn<int>("method");
        QTest::addColumn<QString>("planId");
        QTest::addColumn<QStringList>("ids");
        QTest::addRow("oauth") << int(AuthMethod::OAuth) << "coding-plan-global"
                               << QStringList{"coder-model", "vision-model"};
        QTest::addRow("coding plan")
            << int(AuthMethod::ApiKey) << "coding-plan-global"
            << QStringList{
                   "coder-model",  "vision-model", "qwen3-coder-plus", "qwen3-coder-next",
                   "qwen3.5-plus", "qwen3.6-plus", "qwen3.7-plus",     "qwen3-max-2026-01-23",
                   "glm-5",        "glm-4.7",      "kimi-k2.5",        "MiniMax-M2.5"};
        QTest::addRow("old preset id")
            << int(AuthMethod::ApiKey) << "model-studio-us"
            << QStringList{"coder-model",       "vision-model", "qwen3-coder-plus",
                           "qwen3-coder-flash", "qwen3-max",    "qwen3-vl-plus",
                           "qwen3.5-plus",      "qwen3.8-max",  "qwen3.8-flash"};
    }

    void forBridge()
    {
        QFETCH(int, method);
        QFETCH(QString, planId);
        QFETCH(QStringList, ids);
        const OpenCodeConfig config = OpenCodeConfig::forBridge(
            QStringLiteral("qwen"), 4242, QStringLiteral("local"), AuthMethod(method), planId);
        const QJsonObject provider = config.providerBlock();
        QCOMPARE(provider.value("options").toObject().value("baseURL").toString(),
                 QStringLiteral("http://127.0.0.1:4242/v1"));
        QJsonArray whitelist;
        for (const QString &id : ids)
            whitelist.append(id);
        QCOMPARE(provider.value("whitelist").toArray(), whitelist);
        QCOMPARE(config.modelReference(), QStringLiteral("qwen/coder-model"));
    }

    // Limits, modalities and the reasoning flag come from the plan; the aliases carry those
    // of the models they stand for on it.
    void planModelDetails()
    {
        const Plan plan = PlanCatalog::instance().plan(QStringLiteral("coding-plan-global"));
        const QJsonObject models = OpenCodeConfig::forBridge(QStringLiteral("alibaba"), 1,
                                                             QString(), AuthMethod::ApiKey, plan.id)
                                       .providerBlock()
                                       .value("models")
                                       .toObject();
        const QJsonObject vision = models.value("vision-model").toObject();
        QCOMPARE(vision.value("attachment").toBool(), true);
        QCOMPARE(vision.value("reasoning").toBool(), true);
        QCOMPARE(vision.value("modalities").toObject().value("input").toArray(),
                 (QJsonArray{"text", "image"}));
        QCOMPARE(vision.value("modalities").toObject().value("output").toArray(),
                 (QJsonArray{"text"}));
        QCOMPARE(vision.value("limit").toObject().value("context").toInt(),
                 plan.model(plan.visionModel)->contextLimit);
        QVERIFY(vision.value("name").toString().contains(QStringLiteral("Qwen3.5 Plus")));
        const QJsonObject coder = models.value("qwen3-coder-plus").toObject();
        QCOMPARE(coder.value("attachment").toBool(), false);
        QCOMPARE(coder.value("reasoning").toBool(), false);
        QCOMPARE(coder.value("modalities").toObject().value("input").toArray(),
                 (QJsonArray{"text"}));
        QCOMPARE(coder.value("limit").toObject().value("output").toInt(), 65536);
        const QJsonObject glm = models.value("glm-5").toObject();
        QCOMPARE(glm.value("reasoning").toBool(), true);
        QCOMPARE(glm.value("limit").toObject().value("context").toInt(), 202752);
    }

    // Several credentials: every plan's models once, the first key's plan for the aliases.
    void severalCredentials()
    {
        auto ids = [](const OpenCodeConfig &c) {
            QStringList list;
            for (const OpenCodeConfig::Model &m : c.models)
                list << m.id;
            return list;
        };
        const OpenCodeConfig both = OpenCodeConfig::forBridge(
            QStringLiteral("alibaba"), 38417, QStringLiteral("k"),
            QList<OpenCodeConfig::Credential>{
                {AuthMethod::ApiKey, QStringLiteral("coding-plan-global")},
                {AuthMethod::ApiKey, QStringLiteral("payg-singapore")}});
        const QStringList list = ids(both);
        QVERIFY(list.contains(QStringLiteral("MiniMax-M2.5"))); // the Coding Plan's only
        QVERIFY(list.contains(QStringLiteral("qwen3-max")));    // pay-as-you-go's only
        QCOMPARE(list.count(QStringLiteral("qwen3-coder-plus")), 1);
        QCOMPARE(list.count(QStringLiteral("coder-model")), 1);
        const QStringList first = ids(
            OpenCodeConfig::forBridge(QStringLiteral("alibaba"), 38417, QStringLiteral("k"),
                                      AuthMethod::ApiKey, QStringLiteral("coding-plan-global")));
        QCOMPARE(list.mid(0, first.size()), first); // the first plan's list, unchanged, first
        // OAuth only: the OAuth models, as with one sign-in.
        QCOMPARE(ids(OpenCodeConfig::forBridge(
                     QStringLiteral("alibaba"), 38417, QStringLiteral("k"),
                     QList<OpenCodeConfig::Credential>{{AuthMethod::OAuth, QString()}})),
                 ids(OpenCodeConfig::forBridge(QStringLiteral("alibaba"), 38417,
                                               QStringLiteral("k"), AuthMethod::OAuth, {})));
    }

    void apiKeyModels()
    {
        OpenCodeConfig config = bridgeConfig();
        config.providerId = QStringLiteral("qwen");
        config.models = {{"qwen3-coder-plus", "Qwen3 Coder Plus", 1000000, 65536, false},
                         {"qwen3-vl-plus", "Qwen3 VL Plus", 262144, 32768, true}};
        config.defaultModelId = QStringLiteral("qwen3-coder-plus");
        const QJsonObject doc = QJsonDocument::fromJson(config.toJson()).object();
        QCOMPARE(doc.value("model").toString(), QStringLiteral("qwen/qwen3-coder-plus"));
        const QJsonObject provider = doc.value("provider").toObject().value("qwen").toObject();
        QCOMPARE(provider.value("whitelist").toArray(),
                 (QJsonArray{"qwen3-coder-plus", "qwen3-vl-plus"}));
        QCOMPARE(provider.value("models")
                     .toObject()
                     .value("qwen3-coder-plus")
                     .toObject()
                     .value("limit")
                     .toObject()
                     .value("context")
                     .toInt(),
                 1000000);
    }

    void mergeIntoEmpty_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("whitespace") << QByteArray(" \n\t\n");
    }

    void mergeIntoEmpty()
    {
        QFETCH(QByteArray, text);
        const OpenCodeConfig config = bridgeConfig();
        const OpenCodeConfig::Result result = config.mergeInto(text);
        QVERIFY(result.ok());
        QVERIFY(result.changed);
        QCOMPARE(result.text, config.toJson());
        QCOMPARE(result.changes.size(), 3);
        QVERIFY(!result.modelDiffers);
    }

    void mergeIntoCommentsOnly()
    {
        const QByteArray text = "// my settings will go here\n/* later */";
        const OpenCodeConfig config = bridgeConfig();
        const OpenCodeConfig::Result result = config.mergeInto(text);
        QVERIFY(result.ok());
        QCOMPARE(result.text, text + "\n" + config.toJson());
        QCOMPARE(providerEntry(result.text, "alibaba"), config.providerBlock());
    }

    void mergeKeepsEverythingElse()
    {
        const OpenCodeConfig config = bridgeConfig();
        const OpenCodeConfig::Result result = config.mergeInto(kRichFile);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage));
        QVERIFY(result.changed);
        QCOMPARE(result.changes, QStringList{QStringLiteral("added provider alibaba")});

        // One contiguous insertion right after the ollama block (the file's trailing-comma
        // style), in its two-space indentation; every other byte is the original's.
        const QByteArray &out = result.text;
        const qsizetype at = kRichFile.indexOf("    },\n  },") + 6;
        const qsizetype inserted = out.size() - kRichFile.size();
        QVERIFY(inserted > 0);
        QCOMPARE(out.left(at), kRichFile.left(at));
        QCOMPARE(out.mid(at + inserted), kRichFile.mid(at));
        QVERIFY(out.mid(at, inserted).startsWith("\n    \"alibaba\": {\n      \"npm\""));
        QVERIFY(out.mid(at, inserted).endsWith("\n    },"));
        QCOMPARE(providerEntry(out, "alibaba"), config.providerBlock());

        // The user's model stays; the caller learns it is not the bridge's.
        QCOMPARE(result.existingModel, QStringLiteral("ollama/llama3"));
        QCOMPARE(result.suggestedModel, QStringLiteral("alibaba/coder-model"));
        QVERIFY(result.modelDiffers);
        QVERIFY(result.summary().contains(QLatin1String("ollama/llama3")));
    }

    void mergeAddsMissingKeys()
    {
        const QByteArray text = "{\n"
                                "    // keep me\n"
                                "    \"theme\": \"opencode\"\n"
                                "}\n";
        const OpenCodeConfig config = bridgeConfig();
        const OpenCodeConfig::Result result = config.mergeInto(text);
        QVERIFY(result.ok());
        QCOMPARE(result.changes.size(), 3);
        QVERIFY(result.text.startsWith("{\n"
                                       "    \"$schema\": \"https://opencode.ai/config.json\",\n"
                                       "    // keep me\n"
                                       "    \"theme\": \"opencode\",\n"
                                       "    \"provider\": {\n"
                                       "        \"alibaba\": {\n"
                                       "            \"npm\": "));
        QVERIFY(result.text.endsWith("    },\n    \"model\": \"alibaba/coder-model\"\n}\n"));
        QCOMPARE(providerEntry(result.text, "alibaba"), config.providerBlock());
        QVERIFY(!result.modelDiffers);
        QVERIFY(result.existingModel.isEmpty());
    }

    void mergeReplacesProvider()
    {
        const QByteArray head = "{\n"
                                "  \"$schema\": \"https://opencode.ai/config.json\",\n"
                                "  \"provider\": {\n"
                                "    \"alibaba\": ";
        const QByteArray oldValue = "{\n"
                                    "      // old block from the plugin days\n"
                                    "      \"options\": { \"baseURL\": \"https://old\" },\n"
                                    "    }";
        const QByteArray tail = ",\n"
                                "    \"other\": { \"name\": \"x\" } // mine\n"
                                "  },\n"
                                "  \"model\": \"alibaba/coder-model\",\n"
                                "}\n";
        const OpenCodeConfig config = bridgeConfig();
        const OpenCodeConfig::Result result = config.mergeInto(head + oldValue + tail);
        QVERIFY(result.ok());
        QCOMPARE(result.changes, QStringList{QStringLiteral("replaced provider alibaba")});
        QVERIFY(result.text.startsWith(head));
        QVERIFY(result.text.endsWith(tail));
        const QByteArray newValue =
            result.text.mid(head.size(), result.text.size() - head.size() - tail.size());
        QCOMPARE(QJsonDocument::fromJson(newValue).object(), config.providerBlock());
        QVERIFY(newValue.endsWith("\n    }"));
        QVERIFY(!result.modelDiffers);
    }

    void mergeIsIdempotent_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("rich") << kRichFile;
        QTest::newRow("one line") << QByteArray(R"({"theme":"x","provider":{"a":{}}})");
        QTest::newRow("empty object") << QByteArray("{}");
        QTest::newRow("tabs, crlf") << QByteArray("{\r\n\t\"theme\": \"x\" // t\r\n}\r\n");
        QTest::newRow("comments only") << QByteArray("// hi\n");
        QTest::newRow("empty provider") << QByteArray("{\n  \"provider\": {}\n}\n");
    }

    void mergeIsIdempotent()
    {
        QFETCH(QByteArray, text);
        const OpenCodeConfig config = bridgeConfig();
        const OpenCodeConfig::Result once = config.mergeInto(text);
        QVERIFY2(once.ok(), qPrintable(once.errorMessage));
        QVERIFY(JsoncDocument::parse(once.text).isValid());
        QCOMPARE(providerEntry(once.text, "alibaba"), config.providerBlock());
        const OpenCodeConfig::Result twice = config.mergeInto(once.text);
        QVERIFY(twice.ok());
        QCOMPARE(twice.text, once.text);
        QVERIFY(!twice.changed);
        QVERIFY(twice.changes.isEmpty());

        // A new port is a replacement, and only that.
        OpenCodeConfig moved = config;
        moved.baseUrl = OpenCodeConfig::baseUrlForPort(50000);
        const OpenCodeConfig::Result again = moved.mergeInto(once.text);
        QVERIFY(again.changed);
        QCOMPARE(again.changes, QStringList{QStringLiteral("replaced provider alibaba")});
        QCOMPARE(providerEntry(again.text, "alibaba"), moved.providerBlock());
    }

    void mergeFollowsFileStyle()
    {
        const OpenCodeConfig config = bridgeConfig();
        const QByteArray text = config.mergeInto("{\r\n\t\"theme\": \"x\"\r\n}\r\n").text;
        QCOMPARE(text.count("\n"), text.count("\r\n")); // no bare line feed
        QVERIFY(text.contains("\r\n\t\"provider\": {\r\n\t\t\"alibaba\": {\r\n\t\t\t\"npm\""));
    }

    void mergeErrors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("error");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::newRow("broken") << QByteArray("{\n  \"theme\": \"x\"\n  \"model\": 1\n}")
                                << int(Error::InvalidJsonc) << 3 << 3;
        QTest::newRow("unclosed comment")
            << QByteArray("{ /* }") << int(Error::InvalidJsonc) << 1 << 3;
        QTest::newRow("array root") << QByteArray("[]") << int(Error::RootNotObject) << 0 << 0;
        QTest::newRow("provider string")
            << QByteArray(R"({"provider": "alibaba"})") << int(Error::ProviderNotObject) << 0 << 0;
    }

    void mergeErrors()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, error);
        QFETCH(int, line);
        QFETCH(int, column);
        const OpenCodeConfig::Result result = bridgeConfig().mergeInto(text);
        QVERIFY(!result.ok());
        QCOMPARE(int(result.error), error);
        QCOMPARE(result.errorLine, line);
        QCOMPARE(result.errorColumn, column);
        QVERIFY(!result.errorMessage.isEmpty());
        QVERIFY(result.text.isEmpty());
        QCOMPARE(result.summary(), result.errorMessage);
        if (line > 0)
            QVERIFY(result.errorMessage.contains(QString::number(line)));
    }

    void writeNewFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("config/opencode/opencode.json");
        const OpenCodeConfig config = bridgeConfig();
        const OpenCodeConfig::Result result = config.writeFile(path);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage));
        QCOMPARE(result.path, path);
        QVERIFY(result.backupPath.isEmpty());
        QCOMPARE(readFile(path), config.toJson());
        // It holds the local key: owner only.
        QCOMPARE(QFile::permissions(path) & kAllBits,
                 QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QVERIFY(result.changes.first().contains(path));
        QVERIFY(backups(QFileInfo(path).absolutePath()).isEmpty());
    }

    void writeExistingFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("opencode.json");
        writeFile(path, kRichFile);
        const QFileDevice::Permissions mode =
            QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup;
        QVERIFY(QFile::setPermissions(path, mode));

        const OpenCodeConfig config = bridgeConfig();
        const OpenCodeConfig::Result result = config.writeFile(path);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage));
        QCOMPARE(readFile(path), config.mergeInto(kRichFile).text);
        QCOMPARE(QFile::permissions(path) & kAllBits, mode);

        QVERIFY(QRegularExpression(QStringLiteral("/opencode\\.json\\.bak-\\d{8}-\\d{6}$"))
                    .match(result.backupPath)
                    .hasMatch());
        QCOMPARE(readFile(result.backupPath), kRichFile);
        QCOMPARE(QFile::permissions(result.backupPath) & kAllBits, mode);
        QVERIFY(result.summary().contains(result.backupPath));

        // Nothing to change: nothing written, no second backup.
        const OpenCodeConfig::Result again = config.writeFile(path);
        QVERIFY(again.ok());
        QVERIFY(!again.changed);
        QVERIFY(again.backupPath.isEmpty());
        QCOMPARE(backups(dir.path()).size(), 1);

        // A change within the same second still gets its own backup.
        OpenCodeConfig moved = config;
        moved.baseUrl = OpenCodeConfig::baseUrlForPort(50000);
        const OpenCodeConfig::Result third = moved.writeFile(path);
        QVERIFY(third.ok());
        QVERIFY(!third.backupPath.isEmpty());
        QVERIFY(third.backupPath != result.backupPath);
        QCOMPARE(readFile(third.backupPath), config.mergeInto(kRichFile).text);
        QCOMPARE(backups(dir.path()).size(), 2);
    }

    void writeInvalidFileLeavesItAlone()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("opencode.json");
        const QByteArray broken = "{\n  \"theme\": \"x\",,\n}\n";
        writeFile(path, broken);
        const OpenCodeConfig::Result result = bridgeConfig().writeFile(path);
        QVERIFY(!result.ok());
        QCOMPARE(result.error, Error::InvalidJsonc);
        QCOMPARE(result.errorLine, 2);
        QCOMPARE(readFile(path), broken);
        QVERIFY(backups(dir.path()).isEmpty());
    }

    void writeThroughSymlink()
    {
        QTemporaryDir dir;
        const QString real = dir.filePath("dotfiles/opencode.json");
        const QString link = dir.filePath("config/opencode/opencode.json");
        writeFile(real, "{}\n");
        QVERIFY(QDir().mkpath(QFileInfo(link).absolutePath()));
        QVERIFY(QFile::link(real, link));

        const OpenCodeConfig::Result result = bridgeConfig().writeFile(link);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage));
        QVERIFY(QFileInfo(link).isSymLink());
        QCOMPARE(providerEntry(readFile(real), "alibaba"), bridgeConfig().providerBlock());
        QCOMPARE(readFile(result.backupPath), QByteArray("{}\n"));
    }

    void defaultConfigPath()
    {
        QTemporaryDir dir;
        const QString home = dir.filePath("home");
        const QString xdg = dir.filePath("xdg");
        QCOMPARE(OpenCodeConfig::defaultConfigPath(xdg, home), xdg + "/opencode/opencode.json");
        QCOMPARE(OpenCodeConfig::defaultConfigPath(QString(), home),
                 home + "/.config/opencode/opencode.json");
        QCOMPARE(OpenCodeConfig::defaultConfigPath(QStringLiteral("relative/xdg"), home),
                 home + "/.config/opencode/opencode.json");

        // Only the .jsonc exists: that one. Both: the .json.
        writeFile(xdg + "/opencode/opencode.jsonc", "{}");
        QCOMPARE(OpenCodeConfig::defaultConfigPath(xdg, home), xdg + "/opencode/opencode.jsonc");
        writeFile(xdg + "/opencode/opencode.json", "{}");
        QCOMPARE(OpenCodeConfig::defaultConfigPath(xdg, home), xdg + "/opencode/opencode.json");
    }
};

QTEST_GUILESS_MAIN(TestOpenCodeConfig)
#include "tst_opencodeconfig.moc"
