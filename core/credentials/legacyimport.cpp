#include "credentials/legacyimport.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

static constexpr qint64 kMaxFileBytes = 1024 * 1024;

QString LegacyImport::pluginTokenPath(const QString &home)
{
    return home + QStringLiteral("/.opencode/qwen/oauth_token.json");
}

QString LegacyImport::qwenCodePath(const QString &home)
{
    return home + QStringLiteral("/.qwen/oauth_creds.json");
}

QList<LegacyImport::Found> LegacyImport::findAll(const QString &home)
{
    QList<Found> found;
    if (QFileInfo::exists(pluginTokenPath(home)))
        found << readFile(pluginTokenPath(home), Source::OpenCodePlugin);
    if (QFileInfo::exists(qwenCodePath(home)))
        found << readFile(qwenCodePath(home), Source::QwenCode);
    return found;
}

LegacyImport::Found LegacyImport::readFile(const QString &path, Source source)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        Found r;
        r.source = source;
        r.path = path;
        r.error = tr("Could not read %1: %2").arg(path, f.errorString());
        return r;
    }
    if (f.size() > kMaxFileBytes) {
        Found r;
        r.source = source;
        r.path = path;
        r.error = tr("%1 is too large to be a credentials file.").arg(path);
        return r;
    }
    return parse(f.readAll(), path, source);
}

LegacyImport::Found LegacyImport::parse(const QByteArray &json, const QString &path, Source source)
{
    Found r;
    r.source = source;
    r.path = path;
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    if (!doc.isObject()) {
        r.error = tr("%1 is not a JSON credentials file.").arg(path);
        return r;
    }
    const QJsonObject o = doc.object();
    Credentials c;
    c.method = AuthMethod::OAuth;
    c.accessToken = o.value(QStringLiteral("access_token")).toString();
    c.refreshToken = o.value(QStringLiteral("refresh_token")).toString();
    c.tokenType = o.value(QStringLiteral("token_type")).toString(QStringLiteral("Bearer"));
    c.resourceUrl = o.value(QStringLiteral("resource_url")).toString();
    // The plugin wrote "expires", Qwen Code "expiry_date"; both in ms since the epoch.
    QJsonValue expiry = o.value(QStringLiteral("expiry_date"));
    if (!expiry.isDouble())
        expiry = o.value(QStringLiteral("expires"));
    if (expiry.isDouble() && expiry.toDouble() > 0 &&
        expiry.toDouble() < 9223372036854775808.0) // beyond qint64: no usable expiry
        c.expiresAt = QDateTime::fromMSecsSinceEpoch(qint64(expiry.toDouble()), Qt::UTC);
    if (c.accessToken.isEmpty() && c.refreshToken.isEmpty()) {
        r.error = tr("%1 holds no token.").arg(path);
        return r;
    }
    if (c.refreshToken.isEmpty()) {
        r.error =
            tr("%1 holds no refresh token, so the session could not be kept alive.").arg(path);
        return r;
    }
    if (!c.expiresAt.isValid())
        c.expiresAt = QDateTime::fromMSecsSinceEpoch(0, Qt::UTC); // unknown: refresh first
    if (c.accessToken.isEmpty())
        c.accessToken = QStringLiteral("-"); // refreshed before first use
    r.credentials = c;
    return r;
}

QString LegacyImport::sourceName(Source source)
{
    switch (source) {
    case Source::OpenCodePlugin:
        return tr("the OpenCode Qwen plugin");
    case Source::QwenCode:
        return tr("Qwen Code");
    case Source::File:
        break;
    }
    return tr("the file");
}

QString LegacyImport::rotationWarning(Source source)
{
    return tr("Qwen Bridge will renew this session itself. Renewing replaces the refresh "
              "token, so %1 will be signed out and must sign in again if you keep using it.")
        .arg(sourceName(source));
}

std::optional<LegacyImport::Found> LegacyImport::firstUsable(const QList<Found> &found)
{
    const auto it =
        std::find_if(found.cbegin(), found.cend(), [](const Found &f) { return f.ok(); });
    if (it == found.cend())
        return std::nullopt;
    return *it;
}

void LegacyImport::takeOver(const Found &found, bool deleteOriginal, const Store &store,
                            std::function<void(const TakeOverResult &)> done)
{
    const QString path = found.path;
    store(found.credentials, [path, deleteOriginal,
                              done = std::move(done)](bool ok, const QString &message) {
        TakeOverResult result;
        result.ok = ok;
        if (!ok) {
            result.message = message;
        } else if (deleteOriginal) {
            result.original = QFile::remove(path) ? Original::Deleted : Original::DeleteFailed;
        }
        if (done)
            done(result);
    });
}
