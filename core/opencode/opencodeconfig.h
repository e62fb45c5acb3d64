#pragma once

#include "credentials/credentials.h"
#include "plans/plancatalog.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

// The OpenCode provider block that points OpenCode at the local proxy (PROTOCOL.md §7), and
// the edit that puts it into a user's opencode.json(c) while keeping their comments, their
// formatting and everything else in the file.
class OpenCodeConfig
{
    Q_DECLARE_TR_FUNCTIONS(OpenCodeConfig)
public:
    struct Model
    {
        QString id;   // what OpenCode sends as "model" (after the provider prefix)
        QString name; // shown in OpenCode's model list
        int contextLimit = 131072;
        int outputLimit = 65536;
        bool acceptsImages = false;
        bool reasoning = false; // the model thinks; OpenCode then shows its reasoning
    };

    enum class Error {
        None,
        InvalidJsonc,      // the file is not JSONC; errorLine/errorColumn say where
        RootNotObject,     // the file holds an array or a scalar
        ProviderNotObject, // "provider" exists but is not an object
        EditFailed,        // our own edit did not give valid JSONC (a bug); nothing written
        ReadFailed,
        BackupFailed,
        WriteFailed,
    };

    struct Result
    {
        Error error = Error::None;
        QString errorMessage; // translated sentence when error != None
        int errorLine = 0;    // for InvalidJsonc, 1-based
        int errorColumn = 0;
        QByteArray text;      // the merged file
        bool changed = false; // text differs from the input
        QStringList changes;  // translated phrases: "added provider alibaba", ...
        // The file already chose a model and it was kept; modelDiffers when it is not ours,
        // so the UI can offer to switch.
        QString existingModel;
        QString suggestedModel;
        bool modelDiffers = false;
        QString path;       // writeFile(): the file that was (or would have been) written
        QString backupPath; // writeFile(): copy of the previous file, empty when none

        bool ok() const { return error == Error::None; }
        // One line for people: what changed, the kept model, the backup.
        QString summary() const;
    };

    QString providerId = defaultProviderId();
    QString baseUrl = baseUrlForPort(0);
    QString apiKey;
    QList<Model> models = oauthModels();
    QString defaultModelId = QStringLiteral("coder-model"); // the top-level "model"

    static QString defaultProviderId() { return QStringLiteral("alibaba"); }
    // A provider id OpenCode and its config file take: 1 to 64 letters, digits, '-', '_'
    // or '.', starting with a letter or digit. Empty when id is fine, else the sentence.
    static QString checkProviderId(const QString &id);
    static QString baseUrlForPort(quint16 port);
    // coder-model and vision-model, the two names the OAuth portal accepts.
    static QList<Model> oauthModels();
    // An API-key sign-in: the two aliases with the limits of the models they stand for on
    // this plan, then every model of the plan.
    static QList<Model> planModels(const Plan &plan);
    // The one configuration that `opencode-config` and "Configure OpenCode…" both write: the
    // proxy on port with the local key, and the models of the sign-in. planId is the stored
    // one (an old preset id works too); it only matters for an API key.
    static OpenCodeConfig forBridge(const QString &providerId, quint16 port,
                                    const QString &localKey, AuthMethod method,
                                    const QString &planId);
    // Several credentials (in their order): the first API key's plan decides what the
    // aliases stand for, and the models of every credential's plan are listed once each,
    // so that a model only one credential has can be asked for (the proxy sends it there).
    struct Credential
    {
        AuthMethod method = AuthMethod::None;
        QString planId;
    };
    static OpenCodeConfig forBridge(const QString &providerId, quint16 port,
                                    const QString &localKey, const QList<Credential> &credentials);

    QString modelReference() const; // "<providerId>/<defaultModelId>"
    QJsonObject providerBlock() const;
    // The whole suggested file: $schema, provider.<id>, model.
    QJsonObject document() const;
    QByteArray toJson() const;

    // Sets provider.<id> (replacing only that member's value), and "model" and "$schema"
    // only when the file has none. Every other byte stays. An empty file (or one with only
    // comments) gets the whole suggested file. Merging twice gives the same text as once.
    Result mergeInto(const QByteArray &existingText) const;

    // Reads path (a missing file counts as empty), merges, and when anything changed writes
    // a backup <path>.bak-<yyyyMMdd-HHmmss> of the old file and then the new text
    // atomically, keeping the old file's permissions (a new file is made 0600: it holds the
    // local key). A symlink is followed so that the link itself survives.
    Result writeFile(const QString &path) const;

    // $XDG_CONFIG_HOME/opencode/opencode.json (~/.config when unset), or opencode.jsonc in
    // that folder when only that one exists. OpenCode reads both names.
    static QString defaultConfigPath();
    static QString defaultConfigPath(const QString &xdgConfigHome, const QString &homePath);
};
