#include "credentials/credentials.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

Credentials Credentials::fromTokens(const TokenSet &tokens)
{
    Credentials c;
    c.method = AuthMethod::OAuth;
    c.accessToken = tokens.accessToken;
    c.refreshToken = tokens.refreshToken;
    c.tokenType = tokens.tokenType;
    c.expiresAt = tokens.expiresAt;
    c.resourceUrl = tokens.resourceUrl;
    return c;
}

TokenSet Credentials::tokens() const
{
    TokenSet t;
    t.accessToken = accessToken;
    t.refreshToken = refreshToken;
    t.tokenType = tokenType;
    t.expiresAt = expiresAt;
    t.resourceUrl = resourceUrl;
    return t;
}

bool Credentials::isValid() const
{
    switch (method) {
    case AuthMethod::OAuth:
        return !accessToken.isEmpty() && expiresAt.isValid();
    case AuthMethod::ApiKey:
        return !apiKey.isEmpty() && baseUrl.isValid() && !baseUrl.isRelative();
    case AuthMethod::None:
        break;
    }
    return false;
}

QString Credentials::methodName(AuthMethod method)
{
    switch (method) {
    case AuthMethod::OAuth:
        return QStringLiteral("oauth");
    case AuthMethod::ApiKey:
        return QStringLiteral("api_key");
    case AuthMethod::None:
        break;
    }
    return QStringLiteral("none");
}

QByteArray Credentials::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("version"), 1);
    o.insert(QStringLiteral("method"), methodName(method));
    if (method == AuthMethod::OAuth) {
        o.insert(QStringLiteral("access_token"), accessToken);
        o.insert(QStringLiteral("refresh_token"), refreshToken);
        o.insert(QStringLiteral("token_type"), tokenType);
        o.insert(QStringLiteral("expiry_date"), expiresAt.toMSecsSinceEpoch());
        o.insert(QStringLiteral("resource_url"), resourceUrl);
        if (signInRequired)
            o.insert(QStringLiteral("sign_in_required"), true);
    } else if (method == AuthMethod::ApiKey) {
        o.insert(QStringLiteral("api_key"), apiKey);
        o.insert(QStringLiteral("preset"), preset);
        o.insert(QStringLiteral("base_url"), baseUrl.toString());
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Credentials Credentials::fromJson(const QByteArray &json, QString *error)
{
    auto fail = [error](const char *why) {
        if (error)
            *error = QCoreApplication::translate("Credentials", why);
        return Credentials{};
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject())
        return fail("The stored credentials are not readable.");
    const QJsonObject o = doc.object();
    const QString method = o.value(QStringLiteral("method")).toString();
    Credentials c;
    if (method == QLatin1String("oauth")) {
        c.method = AuthMethod::OAuth;
        c.accessToken = o.value(QStringLiteral("access_token")).toString();
        c.refreshToken = o.value(QStringLiteral("refresh_token")).toString();
        c.tokenType = o.value(QStringLiteral("token_type")).toString();
        // Milliseconds since the epoch. A number outside the range of qint64 (1e300) is no
        // usable expiry: converting it would be undefined behaviour.
        const QJsonValue expiry = o.value(QStringLiteral("expiry_date"));
        constexpr double kInt64Bound = 9223372036854775808.0; // 2^63, exact as a double
        if (expiry.isDouble() && expiry.toDouble() >= -kInt64Bound &&
            expiry.toDouble() < kInt64Bound)
            c.expiresAt = QDateTime::fromMSecsSinceEpoch(qint64(expiry.toDouble()), Qt::UTC);
        c.resourceUrl = o.value(QStringLiteral("resource_url")).toString();
        // Absent in what earlier versions stored.
        c.signInRequired = o.value(QStringLiteral("sign_in_required")).toBool(false);
    } else if (method == QLatin1String("api_key")) {
        c.method = AuthMethod::ApiKey;
        c.apiKey = o.value(QStringLiteral("api_key")).toString();
        c.preset = o.value(QStringLiteral("preset")).toString();
        c.baseUrl = QUrl(o.value(QStringLiteral("base_url")).toString());
    } else {
        return fail("The stored credentials use an unknown sign-in method.");
    }
    if (!c.isValid())
        return fail("The stored credentials are incomplete.");
    return c;
}
