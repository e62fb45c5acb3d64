#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QUrl>

class Settings;

// Where and as whom to ask for tokens (PROTOCOL.md §2). Every field is configurable.
struct OAuthConfig
{
    QUrl baseUrl;
    QString clientId;
    QString scope;

    static OAuthConfig fromSettings(const Settings &settings);
    QUrl deviceCodeUrl() const;
    QUrl tokenUrl() const;
};

// What the device authorization endpoint hands out for the person to act on.
struct DeviceCode
{
    QString userCode;
    QUrl verificationUri;
    QUrl verificationUriComplete;
    int expiresInSeconds = 0;
    int intervalSeconds = 0;
};

// Tokens as the token endpoint returns them, expiry made absolute.
struct TokenSet
{
    QString accessToken;
    QString refreshToken;
    QString tokenType;
    QString resourceUrl;
    QString scope;
    QDateTime expiresAt;
};

// Why a sign-in did not end with tokens. Decided once here; the UI and the CLI word it.
enum class AuthError {
    Denied,    // the person refused in the browser
    Expired,   // the device code ran out before approval
    Network,   // no answer: connection refused, DNS, timeout
    Server,    // the server answered with a 5xx or something we cannot read
    Rejected,  // the server refused our request (bad client id, scope, PKCE)
    Cancelled, // we stopped it
};

struct AuthFailure
{
    AuthError error = AuthError::Server;
    QString message; // a sentence a person can act on
};

Q_DECLARE_METATYPE(DeviceCode)
Q_DECLARE_METATYPE(TokenSet)
Q_DECLARE_METATYPE(AuthFailure)
