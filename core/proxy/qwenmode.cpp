#include "proxy/qwenmode.h"

#include "settings/settings.h"
#include "util/logcategories.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QLoggingCategory>

namespace {
// The config file is a few bytes; anything far larger is not ours and is not read whole.
constexpr qint64 kMaxConfigFileBytes = 64 * 1024;
} // namespace

QwenMode QwenMode::resolve(const std::optional<QString> &envValue, const QString &homePath)
{
    return resolve(envValue, QString(), homePath);
}

QwenMode QwenMode::resolve(const std::optional<QString> &envValue, const QString &settingValue,
                           const QString &homePath)
{
    QwenMode mode;

    // An empty variable (QWEN_MODE= ) is treated as unset, as shells often export it that way.
    if (envValue && !envValue->trimmed().isEmpty()) {
        const QString value = envValue->trimmed().toLower();
        if (value == QLatin1String("1") || value == QLatin1String("true")) {
            mode.enabled = true;
            mode.source = Source::Environment;
            return mode;
        }
        if (value == QLatin1String("0") || value == QLatin1String("false")) {
            mode.enabled = false;
            mode.source = Source::Environment;
            return mode;
        }
        mode.warnings << tr("QWEN_MODE=%1 is not understood (use 1, true, 0 or false); "
                            "it was ignored.")
                             .arg(envValue->trimmed());
        qCWarning(lcRewrite, "QWEN_MODE value %s ignored", qPrintable(envValue->trimmed()));
    }

    const QString setting = settingValue.trimmed().toLower();
    if (setting == QLatin1String("on") || setting == QLatin1String("off")) {
        mode.enabled = setting == QLatin1String("on");
        mode.source = Source::Settings;
        return mode;
    }

    const QString path = configFilePath(homePath);
    QFile file(path);
    if (file.exists()) {
        QString problem;
        if (!file.open(QIODevice::ReadOnly)) {
            problem =
                tr("%1 could not be read (%2); it was ignored.").arg(path, file.errorString());
        } else if (file.size() > kMaxConfigFileBytes) {
            problem = tr("%1 is too large to be a settings file; it was ignored.").arg(path);
        } else {
            QJsonParseError parseError;
            const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
            const QJsonValue value = doc.object().value(QLatin1String("qwenMode"));
            if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
                problem = tr("%1 is not a JSON object; it was ignored.").arg(path);
            } else if (value.isBool()) {
                mode.enabled = value.toBool();
                mode.source = Source::ConfigFile;
                return mode;
            } else if (!value.isUndefined()) {
                problem = tr("\"qwenMode\" in %1 is not true or false; it was ignored.").arg(path);
            }
        }
        if (!problem.isEmpty()) {
            mode.warnings << problem;
            qCWarning(lcRewrite, "%s", qPrintable(problem));
        }
    }

    mode.enabled = true;
    mode.source = Source::Default;
    return mode;
}

QwenMode QwenMode::resolveFromSystem()
{
    const Settings settings;
    return resolveFromSystem(settings);
}

QwenMode QwenMode::resolveFromSystem(const Settings &settings)
{
    std::optional<QString> env;
    if (qEnvironmentVariableIsSet("QWEN_MODE"))
        env = qEnvironmentVariable("QWEN_MODE");
    return resolve(env, settings.value(QStringLiteral("proxy/qwenMode")).toString(),
                   QDir::homePath());
}

QString QwenMode::configFilePath(const QString &homePath)
{
    return QDir(homePath).filePath(QStringLiteral(".opencode/qwen/auth-config.json"));
}

QString QwenMode::sourceKey(Source source)
{
    switch (source) {
    case Source::Environment:
        return QStringLiteral("env");
    case Source::Settings:
        return QStringLiteral("settings");
    case Source::ConfigFile:
        return QStringLiteral("file");
    case Source::Default:
        break;
    }
    return QStringLiteral("default");
}

QString QwenMode::sourceDescription(Source source)
{
    switch (source) {
    case Source::Environment:
        return tr("QWEN_MODE environment variable");
    case Source::Settings:
        return tr("Qwen Bridge settings");
    case Source::ConfigFile:
        return QStringLiteral("~/.opencode/qwen/auth-config.json"); // a path, not a sentence
    case Source::Default:
        break;
    }
    return tr("default");
}
