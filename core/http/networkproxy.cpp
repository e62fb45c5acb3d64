#include "http/networkproxy.h"

#include <QMutex>
#include <QNetworkAccessManager>

namespace {
// The process's choice. QNetworkAccessManager may ask from its own thread.
QMutex choiceMutex;
NetworkProxy::Mode choiceMode = NetworkProxy::Mode::System;
QNetworkProxy choiceManual;
} // namespace

void NetworkProxy::install(Mode mode, const QNetworkProxy &manual)
{
    {
        QMutexLocker lock(&choiceMutex);
        choiceMode = mode;
        choiceManual = manual;
    }
    // Qt takes ownership and deletes the factory it replaces.
    QNetworkProxyFactory::setApplicationProxyFactory(new NetworkProxy);
}

void NetworkProxy::applyTo(QNetworkAccessManager *nam)
{
    nam->setProxyFactory(new NetworkProxy);
}

QList<QNetworkProxy> NetworkProxy::queryProxy(const QNetworkProxyQuery &query)
{
    Mode mode;
    QNetworkProxy manual;
    {
        QMutexLocker lock(&choiceMutex);
        mode = choiceMode;
        manual = choiceManual;
    }
    switch (mode) {
    case Mode::None:
        return {QNetworkProxy(QNetworkProxy::NoProxy)};
    case Mode::Manual:
        return {manual};
    case Mode::System:
        break;
    }
    // On Linux Qt asks libproxy (or, built without it, reads the variables itself): with
    // no desktop proxy settings that is https_proxy for https URLs, http_proxy for http
    // URLs, and no_proxy for the hosts that go direct.
    return systemProxyForQuery(query);
}

QNetworkProxy NetworkProxy::forUrl(const QUrl &url)
{
    // The first proxy a socket can use wins, as in QNetworkAccessManager.
    const QList<QNetworkProxy> proxies = NetworkProxy().queryProxy(QNetworkProxyQuery(url));
    for (const QNetworkProxy &p : proxies) {
        if (p.type() == QNetworkProxy::NoProxy || p.type() == QNetworkProxy::DefaultProxy)
            return QNetworkProxy(QNetworkProxy::NoProxy);
        if (p.type() == QNetworkProxy::HttpProxy || p.type() == QNetworkProxy::Socks5Proxy)
            return p;
    }
    return QNetworkProxy(QNetworkProxy::NoProxy);
}

std::optional<QNetworkProxy> NetworkProxy::parseManual(const QString &text, QString *error)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.scheme().compare(QLatin1String("http"), Qt::CaseInsensitive) != 0 ||
        url.host().isEmpty() || url.port() <= 0 ||
        (!url.path().isEmpty() && url.path() != QLatin1String("/")) || url.hasQuery() ||
        url.hasFragment()) {
        if (error)
            *error = tr("The proxy must be given as http://host:port, with an optional user "
                        "name (http://user@host:port), for example http://proxy.example:3128.");
        return std::nullopt;
    }
    if (!url.password().isEmpty()) {
        if (error)
            *error = tr("Leave the password out of the proxy address: enter it in the "
                        "password field, and it is kept in the keychain.");
        return std::nullopt;
    }
    return QNetworkProxy(QNetworkProxy::HttpProxy, url.host(), quint16(url.port()), url.userName());
}

QString NetworkProxy::describe(const QNetworkProxy &proxy)
{
    QString host = proxy.hostName();
    if (host.contains(QLatin1Char(':')))
        host = QLatin1Char('[') + host + QLatin1Char(']');
    return host + QLatin1Char(':') + QString::number(proxy.port());
}

namespace {
bool isProxy(const QNetworkProxy &proxy)
{
    return proxy.type() == QNetworkProxy::HttpProxy || proxy.type() == QNetworkProxy::Socks5Proxy;
}
} // namespace

std::optional<NetworkProxy::Failure> NetworkProxy::failureOf(QAbstractSocket::SocketError error,
                                                             const QNetworkProxy &proxy)
{
    if (!isProxy(proxy))
        return std::nullopt;
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
    case QAbstractSocket::ProxyConnectionRefusedError:
        return Failure::Refused;
    case QAbstractSocket::HostNotFoundError:
    case QAbstractSocket::ProxyNotFoundError:
    case QAbstractSocket::ProxyConnectionTimeoutError:
        return Failure::Unreachable;
    case QAbstractSocket::ProxyConnectionClosedError:
    case QAbstractSocket::ProxyProtocolError:
        return Failure::Closed;
    case QAbstractSocket::ProxyAuthenticationRequiredError:
        return Failure::Authenticate;
    default:
        return std::nullopt;
    }
}

std::optional<NetworkProxy::Failure> NetworkProxy::failureOf(QNetworkReply::NetworkError error,
                                                             const QNetworkProxy &proxy)
{
    if (!isProxy(proxy))
        return std::nullopt;
    switch (error) {
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ConnectionRefusedError:
        return Failure::Refused;
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
        return Failure::Unreachable;
    case QNetworkReply::ProxyConnectionClosedError:
        return Failure::Closed;
    case QNetworkReply::ProxyAuthenticationRequiredError:
        return Failure::Authenticate;
    default:
        return std::nullopt;
    }
}

QString NetworkProxy::failureMessage(Failure failure, const QNetworkProxy &proxy)
{
    const QString where = describe(proxy);
    switch (failure) {
    case Failure::Refused:
        return tr("The HTTP proxy %1 refused the connection. Check that the proxy is running, "
                  "and the proxy address in the settings or in https_proxy / http_proxy.")
            .arg(where);
    case Failure::Unreachable:
        return tr("The HTTP proxy %1 could not be reached. Check the proxy address in the "
                  "settings or in https_proxy / http_proxy, and your network connection.")
            .arg(where);
    case Failure::Closed:
        return tr("The HTTP proxy %1 closed the connection without passing it on. Check that "
                  "the proxy allows connections to the Qwen servers.")
            .arg(where);
    case Failure::Authenticate:
        return tr("The HTTP proxy %1 asks for authentication (407), or refused the user name "
                  "and password it was given. Check the proxy's user name and password in the "
                  "settings.")
            .arg(where);
    }
    return {};
}

QString NetworkProxy::modeName(Mode mode)
{
    switch (mode) {
    case Mode::None:
        return QStringLiteral("none");
    case Mode::Manual:
        return QStringLiteral("manual");
    case Mode::System:
        break;
    }
    return QStringLiteral("system");
}

std::optional<NetworkProxy::Mode> NetworkProxy::modeFromName(const QString &name)
{
    for (Mode m : {Mode::System, Mode::None, Mode::Manual}) {
        if (name.compare(modeName(m), Qt::CaseInsensitive) == 0)
            return m;
    }
    return std::nullopt;
}
