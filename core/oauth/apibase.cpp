#include "oauth/apibase.h"

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
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("https") && scheme != QLatin1String("http")) ||
        text.contains(QLatin1Char(' ')))
        return fallback;
    return url;
}
