#include "settings/urlpolicy.h"

#include <QHostAddress>

bool UrlPolicy::isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

namespace {
UrlPolicy::Problem transportProblem(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("https") && scheme != QLatin1String("http")))
        return UrlPolicy::Problem::NotWebAddress;
    if (scheme == QLatin1String("http") && !UrlPolicy::isLoopbackHost(url.host()))
        return UrlPolicy::Problem::PlainHttp;
    return UrlPolicy::Problem::None;
}
} // namespace

bool UrlPolicy::allowsTransport(const QUrl &url)
{
    return transportProblem(url) == Problem::None;
}

UrlPolicy::Problem UrlPolicy::checkBaseUrl(const QString &text, QUrl *url)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return Problem::Empty;
    const QUrl parsed(trimmed, QUrl::StrictMode);
    const Problem problem = checkBaseUrl(parsed);
    if (problem == Problem::None && url)
        *url = parsed;
    return problem;
}

UrlPolicy::Problem UrlPolicy::checkBaseUrl(const QUrl &url)
{
    if (url.isEmpty())
        return Problem::Empty;
    if (const Problem problem = transportProblem(url); problem != Problem::None)
        return problem;
    if (!url.userInfo().isEmpty())
        return Problem::UserInfo;
    if (url.hasQuery() || url.hasFragment())
        return Problem::QueryOrFragment;
    return Problem::None;
}

QString UrlPolicy::explain(Problem problem, const QString &example)
{
    switch (problem) {
    case Problem::None:
        return {};
    case Problem::Empty:
        return tr("Enter the base URL, such as %1.").arg(example);
    case Problem::NotWebAddress:
    case Problem::PlainHttp:
        break;
    case Problem::UserInfo:
        return tr("The base URL must not contain a user name or password.");
    case Problem::QueryOrFragment:
        return tr("The base URL must not have a query (?…) or a fragment (#…).");
    }
    return tr("The base URL must be an https:// address (http:// only for this computer), "
              "such as %1.")
        .arg(example);
}
