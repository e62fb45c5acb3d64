#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QUrl>

// The OpenAI-compatible bases of Alibaba Cloud Model Studio (PROTOCOL.md §6). A key only
// works in its own plan and region.
struct ApiKeyPreset
{
    QString id;   // what --preset takes
    QString name; // for people
    QUrl baseUrl;
};

class ApiKeyPresets
{
    Q_DECLARE_TR_FUNCTIONS(ApiKeyPresets)
public:
    static QList<ApiKeyPreset> all();
    static ApiKeyPreset find(const QString &id); // empty id when unknown
    static QString defaultId() { return QStringLiteral("model-studio-singapore"); }
    static QString customId() { return QStringLiteral("custom"); }
    // The name for a stored preset id, "a custom endpoint" for custom ones.
    static QString displayName(const QString &id, const QUrl &baseUrl);
    // Real model names the API-key endpoints serve, coder first.
    static QStringList suggestedModels();
};
