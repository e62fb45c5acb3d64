#include "oauth/oauthtypes.h"

#include "settings/settings.h"

OAuthConfig OAuthConfig::fromSettings(const Settings &settings)
{
    return {settings.oauthBaseUrl(), settings.clientId(), settings.scope()};
}

static QUrl joinPath(QUrl base, const QString &tail)
{
    QString path = base.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    base.setPath(path + tail);
    return base;
}

QUrl OAuthConfig::deviceCodeUrl() const
{
    return joinPath(baseUrl, QStringLiteral("/api/v1/oauth2/device/code"));
}

QUrl OAuthConfig::tokenUrl() const
{
    return joinPath(baseUrl, QStringLiteral("/api/v1/oauth2/token"));
}
