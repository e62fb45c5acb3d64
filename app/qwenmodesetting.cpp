#include "qwenmodesetting.h"

#include "settings/settings.h"
#include "uilog.h"

namespace {
bool s_captured = false;
bool s_fromEnvironment = false;
} // namespace

void QwenModeSetting::captureEnvironment()
{
    if (s_captured)
        return;
    s_captured = true;
    s_fromEnvironment = !qEnvironmentVariable("QWEN_MODE").trimmed().isEmpty();
}

bool QwenModeSetting::setByEnvironment()
{
    captureEnvironment();
    return s_fromEnvironment;
}

QString QwenModeSetting::value(const Settings &settings)
{
    const QString v = settings.value(QLatin1String(kKey)).toString().trimmed().toLower();
    return v == QLatin1String("on") || v == QLatin1String("off") ? v : QString();
}

void QwenModeSetting::setValue(Settings &settings, const QString &value)
{
    if (value == QLatin1String("on") || value == QLatin1String("off"))
        settings.setValue(QLatin1String(kKey), value);
    else
        settings.setValue(QLatin1String(kKey), QVariant());
}

void QwenModeSetting::apply(const Settings &settings)
{
    if (setByEnvironment())
        return;
    const QString v = value(settings);
    if (v.isEmpty())
        qunsetenv("QWEN_MODE");
    else
        qputenv("QWEN_MODE", v == QLatin1String("on") ? "1" : "0");
    qCDebug(lcUi) << "QWEN_MODE from the settings:" << (v.isEmpty() ? QStringLiteral("file") : v);
}
