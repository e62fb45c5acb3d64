#pragma once

#include "credentials/credentials.h"

#include <QCoreApplication>
#include <QString>
#include <functional>
#include <optional>

// Credentials left by the tools Qwen Bridge replaces: the original OpenCode plugin's
// ~/.opencode/qwen/oauth_token.json ({access_token, refresh_token, expires (ms),
// resource_url}) and Qwen Code's ~/.qwen/oauth_creds.json ({access_token, refresh_token,
// token_type, resource_url, expiry_date (ms)}). Reading never changes the file.
class LegacyImport
{
    Q_DECLARE_TR_FUNCTIONS(LegacyImport)
public:
    enum class Source { OpenCodePlugin, QwenCode, File };

    struct Found
    {
        Source source = Source::File;
        QString path;
        Credentials credentials;
        QString error; // why the file could not be used, when credentials are invalid

        bool ok() const { return credentials.isValid() && error.isEmpty(); }
    };

    static QString pluginTokenPath(const QString &home);
    static QString qwenCodePath(const QString &home);

    // The files that exist, plugin first.
    static QList<Found> findAll(const QString &home);
    static Found readFile(const QString &path, Source source = Source::File);
    static Found parse(const QByteArray &json, const QString &path, Source source);

    // The one to take over: the first usable one, so the plugin's file when both exist.
    static std::optional<Found> firstUsable(const QList<Found> &found);

    // What became of the original file after a take-over.
    enum class Original { Kept, Deleted, DeleteFailed };
    struct TakeOverResult
    {
        bool ok = false;
        QString message; // why storing failed, when !ok
        Original original = Original::Kept;
    };
    // Stores the sign-in (the command line into the keychain, the tray through its
    // session), and only once it is stored deletes the original file when asked to.
    using Store =
        std::function<void(const Credentials &, std::function<void(bool, const QString &)>)>;
    static void takeOver(const Found &found, bool deleteOriginal, const Store &store,
                         std::function<void(const TakeOverResult &)> done);

    static QString sourceName(Source source);
    // What the person must know before importing: the other tool stops working once we
    // refresh, because the refresh token rotates.
    static QString rotationWarning(Source source);
};
