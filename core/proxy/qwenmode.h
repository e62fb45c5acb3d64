#pragma once

#include <QCoreApplication>
#include <QString>

#include <optional>

class Settings;

// Whether the prompt bridge (QWEN_MODE) is on, and where that answer came from.
// Resolution order, as the original plugin: the QWEN_MODE environment variable
// (1/true/0/false, case-insensitive), then ~/.opencode/qwen/auth-config.json
// {"qwenMode": bool}, then on. Values that cannot be understood are skipped with a warning
// so that a typo never silently flips the mode.
class QwenMode
{
    Q_DECLARE_TR_FUNCTIONS(QwenMode)
public:
    enum class Source { Environment, Settings, ConfigFile, Default };

    bool enabled = true;
    Source source = Source::Default;
    // Sentences about values that were ignored on the way (bad env value, unreadable file),
    // for `status` and the log. Empty when everything was understood.
    QStringList warnings;

    // The inputs are passed in so that tests need neither the real environment nor the
    // real home: envValue is std::nullopt when QWEN_MODE is not set.
    static QwenMode resolve(const std::optional<QString> &envValue, const QString &homePath);
    // With the choice made in Qwen Bridge's settings ("on", "off", or empty to follow the
    // file) between the environment and the file.
    static QwenMode resolve(const std::optional<QString> &envValue, const QString &settingValue,
                            const QString &homePath);
    // The same with the process environment and QDir::homePath().
    static QwenMode resolveFromSystem();
    // The same with settings the caller already holds (the proxy: once per request, and
    // opening the settings file each time costs more than the rest of the resolution).
    static QwenMode resolveFromSystem(const Settings &settings);

    // ~/.opencode/qwen/auth-config.json for the given home.
    static QString configFilePath(const QString &homePath);

    // Stable identifier for machine-readable output: "env", "file" or "default".
    static QString sourceKey(Source source);
    // A short translated phrase for people: "QWEN_MODE environment variable", ...
    static QString sourceDescription(Source source);
};
