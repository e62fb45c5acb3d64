#pragma once

#include <QAbstractSocket>
#include <QCoreApplication>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QUrl>

#include <optional>

class QNetworkAccessManager;

// Which HTTP proxy the bridge's connections to Qwen and Model Studio go through: the
// sign-in and token refresh and the API-key check (QNetworkAccessManager), and the proxy's
// upstream leg (HttpClient). The one rule, for all of them.
//
// install() sets the choice for the whole process. applyTo() gives a QNetworkAccessManager
// a factory that asks it for each request; HttpClient asks forUrl() for each new
// connection and sets the answer on its socket. Loopback hosts follow the same rule:
// Qt's application-wide lookup always sends them direct, but here no_proxy (or the choice
// None) decides, as for any other host.
class NetworkProxy : public QNetworkProxyFactory
{
    Q_DECLARE_TR_FUNCTIONS(NetworkProxy)
public:
    enum class Mode {
        System, // https_proxy, http_proxy and no_proxy (or the desktop's settings)
        None,   // always direct
        Manual  // one HTTP proxy for everything
    };

    // How a connection through a proxy failed, from the proxy's side.
    enum class Failure {
        Refused,      // nothing listens at the proxy's address
        Unreachable,  // the proxy's name does not resolve, or it does not answer in time
        Closed,       // the proxy closed the connection or refused to pass it on
        Authenticate, // 407: the proxy wants credentials, or refused the ones given
    };

    // Makes this the process's choice, also for sockets and QNetworkAccessManagers that
    // do not ask applyTo()'s factory. manual is used in Mode::Manual.
    static void install(Mode mode, const QNetworkProxy &manual = {});
    // The manager asks the process's choice for every request (it takes the factory).
    static void applyTo(QNetworkAccessManager *nam);
    // The proxy a new connection to url goes through; NoProxy for a direct connection.
    static QNetworkProxy forUrl(const QUrl &url);

    // http://[user@]host:port for a manual proxy. The password is not part of it: it is
    // kept in the keychain. *error gets a sentence when text is not such a URL.
    static std::optional<QNetworkProxy> parseManual(const QString &text, QString *error);
    // "host:port", never the credentials.
    static QString describe(const QNetworkProxy &proxy);

    // Whether a connection made through proxy (NoProxy: none) failed at the proxy. Through
    // an HTTP proxy a plain http request is sent to the proxy itself, so a refused or
    // unresolved connection there is the proxy's too.
    static std::optional<Failure> failureOf(QAbstractSocket::SocketError error,
                                            const QNetworkProxy &proxy);
    static std::optional<Failure> failureOf(QNetworkReply::NetworkError error,
                                            const QNetworkProxy &proxy);
    // A sentence that names the proxy and says what to check.
    static QString failureMessage(Failure failure, const QNetworkProxy &proxy);

    static QString modeName(Mode mode); // "system", "none", "manual"
    static std::optional<Mode> modeFromName(const QString &name);

    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override;
};
