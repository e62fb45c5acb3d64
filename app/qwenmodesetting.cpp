#include "qwenmodesetting.h"

#include "settings/settings.h"

bool QwenModeSetting::setByEnvironment()
{
    return !qEnvironmentVariable("QWEN_MODE").trimmed().isEmpty();
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
