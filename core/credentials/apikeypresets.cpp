#include "credentials/apikeypresets.h"

QList<ApiKeyPreset> ApiKeyPresets::all()
{
    return {
        {QStringLiteral("coding-plan-global"), tr("Coding Plan (global)"),
         QUrl(QStringLiteral("https://coding-intl.dashscope.aliyuncs.com/v1"))},
        {QStringLiteral("coding-plan-china"), tr("Coding Plan (China)"),
         QUrl(QStringLiteral("https://coding.dashscope.aliyuncs.com/v1"))},
        {QStringLiteral("model-studio-singapore"), tr("Model Studio pay-as-you-go (Singapore)"),
         QUrl(QStringLiteral("https://dashscope-intl.aliyuncs.com/compatible-mode/v1"))},
        {QStringLiteral("model-studio-beijing"), tr("Model Studio pay-as-you-go (Beijing)"),
         QUrl(QStringLiteral("https://dashscope.aliyuncs.com/compatible-mode/v1"))},
        {QStringLiteral("model-studio-us"), tr("Model Studio pay-as-you-go (US, Virginia)"),
         QUrl(QStringLiteral("https://dashscope-us.aliyuncs.com/compatible-mode/v1"))},
        {QStringLiteral("model-studio-hongkong"), tr("Model Studio pay-as-you-go (Hong Kong)"),
         QUrl(QStringLiteral("https://cn-hongkong.dashscope.aliyuncs.com/compatible-mode/v1"))},
    };
}

ApiKeyPreset ApiKeyPresets::find(const QString &id)
{
    const QList<ApiKeyPreset> presets = all();
    for (const ApiKeyPreset &p : presets) {
        if (p.id == id)
            return p;
    }
    return {};
}

QString ApiKeyPresets::displayName(const QString &id, const QUrl &baseUrl)
{
    const ApiKeyPreset p = find(id);
    if (!p.id.isEmpty())
        return p.name;
    return tr("the custom endpoint %1").arg(baseUrl.host());
}

QStringList ApiKeyPresets::suggestedModels()
{
    return {QStringLiteral("qwen3-coder-plus"), QStringLiteral("qwen3-vl-plus"),
            QStringLiteral("qwen3-max"), QStringLiteral("qwen3.5-plus")};
}
