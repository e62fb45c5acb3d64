#include "oauth/apibase.h"

#include "settings/urlpolicy.h"

QUrl apiBaseFromResourceUrl(const QString &resourceUrl, const QUrl &fallback)
{
    QString text = resourceUrl.trimmed();
    if (text.isEmpty())
        return fallback;
    if (!text.contains(QStringLiteral("://")))
        text.prepend(QStringLiteral("https://"));
    while (text.endsWith(QLatin1Char('/')))
        text.chop(1);
    if (!text.endsWith(QStringLiteral("/v1")))
        text.append(QStringLiteral("/v1"));
    const QUrl url(text, QUrl::StrictMode);
    // The token travels to this address: https, or http only to this computer.
    if (!UrlPolicy::allowsTransport(url) || text.contains(QLatin1Char(' ')))
        return fallback;
    return url;
}
