#pragma once

#include "oauth/oauthtypes.h"

#include <QDateTime>
#include <QString>
#include <QUrl>

enum class AuthMethod { None, OAuth, ApiKey };

// What is kept in the keychain for one account, as one JSON blob.
struct Credentials
{
    AuthMethod method = AuthMethod::None;
    // OAuth
    QString accessToken;
    QString refreshToken;
    QString tokenType;
    QDateTime expiresAt;
    QString resourceUrl;
    // The server refused the refresh token (invalid_grant), which is then no longer kept:
    // only a new sign-in helps. Stored, so that every later process knows.
    bool signInRequired = false;
    // API key
    QString apiKey;
    QString preset; // a named Model Studio base, or "custom"
    QUrl baseUrl;

    static Credentials fromTokens(const TokenSet &tokens);
    TokenSet tokens() const;

    bool isValid() const;
    QByteArray toJson() const;
    // Rejects anything that is not a complete credential of a known method.
    static Credentials fromJson(const QByteArray &json, QString *error = nullptr);

    static QString methodName(AuthMethod method); // "oauth", "api_key", "none"
};
