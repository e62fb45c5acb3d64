#include "opencode/opencodeconfig.h"

#include "opencode/jsoncdocument.h"
#include "settings/settings.h"
#include "util/logcategories.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSaveFile>

namespace {
const QString kSchemaUrl = QStringLiteral("https://opencode.ai/config.json");

// The order people expect to read these keys in; QJsonObject alone would sort them.
const QStringList kKeyOrder = {
    QStringLiteral("$schema"),    QStringLiteral("provider"),  QStringLiteral("model"),
    QStringLiteral("npm"),        QStringLiteral("name"),      QStringLiteral("options"),
    QStringLiteral("baseURL"),    QStringLiteral("apiKey"),    QStringLiteral("models"),
    QStringLiteral("attachment"), QStringLiteral("reasoning"), QStringLiteral("modalities"),
    QStringLiteral("limit"),      QStringLiteral("context"),   QStringLiteral("input"),
    QStringLiteral("output"),     QStringLiteral("whitelist"),
};

OpenCodeConfig::Result failure(OpenCodeConfig::Error error, const QString &message)
{
    OpenCodeConfig::Result result;
    result.error = error;
    result.errorMessage = message;
    return result;
}
} // namespace

QString OpenCodeConfig::Result::summary() const
{
    if (!ok())
        return errorMessage;
    QStringList parts = changes;
    if (parts.isEmpty())
        parts << OpenCodeConfig::tr("nothing to change");
    if (modelDiffers) {
        parts << OpenCodeConfig::tr("kept your model \"%1\" (choose \"%2\" to use the bridge)")
                     .arg(existingModel, suggestedModel);
    }
    if (!backupPath.isEmpty())
        parts << OpenCodeConfig::tr("previous file saved as %1").arg(backupPath);
    return parts.join(QStringLiteral("; "));
}

QString OpenCodeConfig::baseUrlForPort(quint16 port)
{
    return Settings::proxyBaseUrl(port).toString();
}

QList<OpenCodeConfig::Model> OpenCodeConfig::oauthModels()
{
    // Display names are not translated: they end up in a file, and a file that changes with
    // the locale would never be "already up to date".
    Model coder{QStringLiteral("coder-model"), QStringLiteral("Qwen Coder")};
    Model vision{QStringLiteral("vision-model"), QStringLiteral("Qwen Vision")};
    vision.acceptsImages = true;
    return {coder, vision};
}

QList<OpenCodeConfig::Model> OpenCodeConfig::planModels(const Plan &plan)
{
    auto fromPlan = [](const PlanModel &m, const QString &id, const QString &name) {
        Model model{id, name, m.contextLimit, m.outputLimit, m.acceptsImages()};
        model.reasoning = m.reasoning;
        return model;
    };
    QList<Model> models;
    // The aliases keep a config written for one plan working on another.
    const QList<Model> aliases = oauthModels();
    for (const Model &alias : aliases) {
        const QString target =
            alias.id == QLatin1String("coder-model") ? plan.coderModel : plan.visionModel;
        const std::optional<PlanModel> m = plan.model(target);
        models << (m ? fromPlan(*m, alias.id, QStringLiteral("%1 (%2)").arg(alias.name, m->name))
                     : alias);
    }
    for (const PlanModel &m : plan.models)
        models << fromPlan(m, m.id, m.name);
    return models;
}

QString OpenCodeConfig::checkProviderId(const QString &id)
{
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"));
    if (!valid.match(id).hasMatch())
        return tr("The provider id must be 1 to 64 letters, digits, “-”, “_” or “.”, starting "
                  "with a letter or digit.");
    return {};
}

OpenCodeConfig OpenCodeConfig::forBridge(const QString &providerId, quint16 port,
                                         const QString &localKey, AuthMethod method,
                                         const QString &planId)
{
    OpenCodeConfig config;
    config.providerId = providerId;
    config.baseUrl = baseUrlForPort(port);
    config.apiKey = localKey;
    if (method == AuthMethod::ApiKey)
        config.models = planModels(PlanCatalog::instance().planForCredentials(planId));
    return config;
}

OpenCodeConfig OpenCodeConfig::forBridge(const QString &providerId, quint16 port,
                                         const QString &localKey,
                                         const QList<Credential> &credentials)
{
    OpenCodeConfig config = forBridge(providerId, port, localKey, AuthMethod::None, {});
    QStringList listed;
    for (const Credential &c : credentials) {
        if (c.method != AuthMethod::ApiKey)
            continue;
        const QList<Model> models =
            planModels(PlanCatalog::instance().planForCredentials(c.planId));
        if (listed.isEmpty())
            config.models.clear(); // the first key's plan decides the aliases
        for (const Model &m : models) {
            if (!listed.contains(m.id)) {
                listed << m.id;
                config.models << m;
            }
        }
    }
    return config;
}

QString OpenCodeConfig::modelReference() const
{
    return providerId + QLatin1Char('/') + defaultModelId;
}

QJsonObject OpenCodeConfig::providerBlock() const
{
    QJsonObject modelsObject;
    QJsonArray whitelist;
    for (const Model &model : models) {
        // OpenCode reads "attachment" and "modalities.input" to decide whether it may send
        // files and images; stating them for every model keeps the coder model text-only
        // whatever OpenCode's defaults are.
        const QJsonArray input = model.acceptsImages
                                     ? QJsonArray{QStringLiteral("text"), QStringLiteral("image")}
                                     : QJsonArray{QStringLiteral("text")};
        modelsObject.insert(
            model.id,
            QJsonObject{
                {QStringLiteral("name"), model.name},
                {QStringLiteral("attachment"), model.acceptsImages},
                {QStringLiteral("reasoning"), model.reasoning},
                {QStringLiteral("modalities"),
                 QJsonObject{{QStringLiteral("input"), input},
                             {QStringLiteral("output"), QJsonArray{QStringLiteral("text")}}}},
                {QStringLiteral("limit"),
                 QJsonObject{{QStringLiteral("context"), model.contextLimit},
                             {QStringLiteral("output"), model.outputLimit}}},
            });
        whitelist.append(model.id);
    }
    return QJsonObject{
        {QStringLiteral("npm"), QStringLiteral("@ai-sdk/openai-compatible")},
        {QStringLiteral("name"), QStringLiteral("Qwen (local bridge)")},
        {QStringLiteral("options"),
         QJsonObject{{QStringLiteral("baseURL"), baseUrl}, {QStringLiteral("apiKey"), apiKey}}},
        {QStringLiteral("models"), modelsObject},
        {QStringLiteral("whitelist"), whitelist},
    };
}

QJsonObject OpenCodeConfig::document() const
{
    return QJsonObject{
        {QStringLiteral("$schema"), kSchemaUrl},
        {QStringLiteral("provider"), QJsonObject{{providerId, providerBlock()}}},
        {QStringLiteral("model"), modelReference()},
    };
}

QByteArray OpenCodeConfig::toJson() const
{
    return JsoncDocument::formatValue(document(), QByteArray(), QByteArrayLiteral("  "),
                                      QByteArrayLiteral("\n"), kKeyOrder) +
           '\n';
}

OpenCodeConfig::Result OpenCodeConfig::mergeInto(const QByteArray &existingText) const
{
    Result result;
    result.suggestedModel = modelReference();
    const QStringList wholeFile = {tr("added provider %1").arg(providerId),
                                   tr("set model to %1").arg(modelReference()),
                                   tr("added $schema")};

    JsoncDocument doc = JsoncDocument::parse(existingText);
    if (!doc.isValid()) {
        const JsoncDocument::ParseError error = doc.error();
        result = failure(Error::InvalidJsonc, error.message);
        result.errorLine = error.line;
        result.errorColumn = error.column;
        return result;
    }
    if (doc.isEmpty()) {
        // Whitespace only: the suggested file. Comments only: kept, the suggestion after them.
        QByteArray text = toJson();
        if (!existingText.trimmed().isEmpty()) {
            const QByteArray nl = doc.newline();
            text = existingText + (existingText.endsWith('\n') ? QByteArray() : nl) + text;
        }
        result.text = text;
        result.changed = true;
        result.changes = wholeFile;
        return result;
    }
    if (doc.node(doc.root()).type != JsoncDocument::Type::Object) {
        return failure(Error::RootNotObject,
                       tr("The file does not hold a JSON object, so it cannot be an OpenCode "
                          "configuration."));
    }

    // One edit at a time, each on a fresh parse of the previous result.
    QByteArray text = existingText;
    auto reparse = [&doc, &text] {
        doc = JsoncDocument::parse(text);
        return doc.isValid() && !doc.isEmpty();
    };
    const int root = doc.root();
    const int provider = doc.member(root, QStringLiteral("provider"));
    if (provider < 0) {
        text = doc.insertMember(root, QStringLiteral("provider"),
                                QJsonObject{{providerId, providerBlock()}},
                                JsoncDocument::InsertAt::End, kKeyOrder);
        result.changes << tr("added provider %1").arg(providerId);
    } else if (doc.node(provider).type != JsoncDocument::Type::Object) {
        return failure(Error::ProviderNotObject,
                       tr("\"provider\" in the file is not an object; it was left as it is."));
    } else if (const int entry = doc.member(provider, providerId); entry < 0) {
        text = doc.insertMember(provider, providerId, providerBlock(), JsoncDocument::InsertAt::End,
                                kKeyOrder);
        result.changes << tr("added provider %1").arg(providerId);
    } else {
        text = doc.replaceValue(entry, providerBlock(), kKeyOrder);
        if (text != existingText)
            result.changes << tr("replaced provider %1").arg(providerId);
    }

    bool valid = reparse();
    const int model = valid ? doc.member(doc.root(), QStringLiteral("model")) : -1;
    if (valid && model < 0) {
        text = doc.insertMember(doc.root(), QStringLiteral("model"), modelReference(),
                                JsoncDocument::InsertAt::End);
        result.changes << tr("set model to %1").arg(modelReference());
        valid = reparse();
    } else if (valid) {
        result.existingModel = doc.node(model).type == JsoncDocument::Type::String
                                   ? doc.stringValue(model)
                                   : QString::fromUtf8(doc.sourceText(model));
        result.modelDiffers = result.existingModel != modelReference();
    }

    if (valid && doc.member(doc.root(), QStringLiteral("$schema")) < 0) {
        text = doc.insertMember(doc.root(), QStringLiteral("$schema"), kSchemaUrl,
                                JsoncDocument::InsertAt::Start);
        result.changes << tr("added $schema");
        valid = reparse();
    }

    // Never hand back text that would break the user's file.
    if (!valid || doc.member(doc.member(doc.root(), QStringLiteral("provider")), providerId) < 0) {
        qCWarning(lcOpenCodeConfig) << "merged text failed to parse:" << doc.error().message;
        return failure(Error::EditFailed, tr("The file could not be edited safely and was "
                                             "left as it is. Add the provider block by hand."));
    }

    result.text = text;
    result.changed = text != existingText;
    return result;
}

OpenCodeConfig::Result OpenCodeConfig::writeFile(const QString &path) const
{
    // Write through a symlink (dotfile managers) instead of replacing the link with a file.
    QString target = path;
    const QFileInfo linkInfo(path);
    if (linkInfo.isSymLink() && !linkInfo.symLinkTarget().isEmpty())
        target = linkInfo.symLinkTarget();

    QFile file(target);
    const bool existed = file.exists();
    QByteArray existing;
    QFileDevice::Permissions permissions = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    if (existed) {
        if (!file.open(QIODevice::ReadOnly)) {
            Result result = failure(Error::ReadFailed,
                                    tr("Could not read %1: %2").arg(target, file.errorString()));
            result.path = target;
            return result;
        }
        existing = file.readAll();
        file.close();
        permissions = file.permissions();
    }

    Result result = mergeInto(existing);
    result.path = target;
    if (!result.ok() || (existed && !result.changed))
        return result;

    const QString folder = QFileInfo(target).absolutePath();
    if (!QDir().mkpath(folder)) {
        result.error = Error::WriteFailed;
        result.errorMessage = tr("Could not create the folder %1.").arg(folder);
        return result;
    }

    if (existed) {
        const QString stamp =
            QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
        QString backup = target + QStringLiteral(".bak-") + stamp;
        for (int n = 2; QFileInfo::exists(backup); ++n)
            backup = target + QStringLiteral(".bak-%1-%2").arg(stamp).arg(n);
        QFile backupFile(backup);
        if (!backupFile.open(QIODevice::WriteOnly | QIODevice::NewOnly) ||
            !backupFile.setPermissions(permissions) ||
            backupFile.write(existing) != existing.size() || !backupFile.flush()) {
            result.error = Error::BackupFailed;
            result.errorMessage = tr("Could not write the backup %1 (%2); %3 was not changed.")
                                      .arg(backup, backupFile.errorString(), target);
            backupFile.close();
            backupFile.remove();
            return result;
        }
        backupFile.close();
        result.backupPath = backup;
    }

    QSaveFile save(target);
    if (!save.open(QIODevice::WriteOnly) || !save.setPermissions(permissions) ||
        save.write(result.text) != result.text.size() || !save.commit()) {
        result.error = Error::WriteFailed;
        result.errorMessage = tr("Could not write %1: %2").arg(target, save.errorString());
        return result;
    }
    if (!existed)
        result.changes.prepend(tr("created %1").arg(target));
    qCInfo(lcOpenCodeConfig) << "wrote" << target << result.changes;
    return result;
}

QString OpenCodeConfig::defaultConfigPath()
{
    return defaultConfigPath(qEnvironmentVariable("XDG_CONFIG_HOME"), QDir::homePath());
}

QString OpenCodeConfig::defaultConfigPath(const QString &xdgConfigHome, const QString &homePath)
{
    // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
    const QString base = !xdgConfigHome.isEmpty() && QDir::isAbsolutePath(xdgConfigHome)
                             ? xdgConfigHome
                             : QDir(homePath).filePath(QStringLiteral(".config"));
    const QDir folder(QDir(base).filePath(QStringLiteral("opencode")));
    const QString json = folder.filePath(QStringLiteral("opencode.json"));
    const QString jsonc = folder.filePath(QStringLiteral("opencode.jsonc"));
    if (!QFileInfo::exists(json) && QFileInfo::exists(jsonc))
        return jsonc;
    return json;
}
