#pragma once

#include <QString>

class Settings;

// The QWEN_MODE choice made in the settings dialog: "on", "off", or (unset) whatever
// ~/.opencode/qwen/auth-config.json says. The proxy reads QWEN_MODE from this process's
// environment for every request, so the choice is handed to it there; a QWEN_MODE that the
// person set before starting the application still wins, as the documented order says.
class QwenModeSetting
{
public:
    static constexpr const char *kKey = "proxy/qwenMode";

    // Call once at start-up, before apply(): notes whether the environment sets QWEN_MODE.
    static void captureEnvironment();
    static bool setByEnvironment();

    static QString value(const Settings &settings); // "on", "off" or empty
    static void setValue(Settings &settings, const QString &value);
    // Puts the saved choice into effect unless the environment decides.
    static void apply(const Settings &settings);
};
