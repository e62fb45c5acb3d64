#pragma once

#include <QString>

class Settings;

// The QWEN_MODE choice made in the settings dialog: "on", "off", or (unset) whatever
// ~/.opencode/qwen/auth-config.json says. The proxy (QwenMode in core) reads it for every
// request, after the QWEN_MODE environment variable and before the file.
class QwenModeSetting
{
public:
    static constexpr const char *kKey = "proxy/qwenMode";

    static bool setByEnvironment();

    static QString value(const Settings &settings); // "on", "off" or empty
    static void setValue(Settings &settings, const QString &value);
};
