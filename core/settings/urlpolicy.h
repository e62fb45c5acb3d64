#pragma once

#include <QCoreApplication>
#include <QString>
#include <QUrl>

// Where secrets (tokens, API keys) may be sent: over https, or over plain http only to this
// computer (127.0.0.1, ::1, localhost), which tests and the demo use. The one rule for the
// command line, the dialogs, the settings and the OAuth client.
class UrlPolicy
{
    Q_DECLARE_TR_FUNCTIONS(UrlPolicy)

public:
    enum class Problem {
        None,
        Empty,           // nothing given
        NotWebAddress,   // not a valid http(s) URL with a host
        PlainHttp,       // http:// to another computer
        UserInfo,        // a user name or password in the URL
        QueryOrFragment, // a base URL with ?… or #…
    };

    // 127.0.0.0/8, ::1 and localhost.
    static bool isLoopbackHost(const QString &host);
    // Valid, with a host, and https (or http to this computer). Queries are allowed: this
    // is for addresses a server hands out, such as a verification page.
    static bool allowsTransport(const QUrl &url);
    // A base URL the person types or configures: the transport rule, and no user info,
    // query or fragment. text is trimmed first.
    static Problem checkBaseUrl(const QString &text, QUrl *url = nullptr);
    static Problem checkBaseUrl(const QUrl &url);
    // What to tell a person whose base URL has this problem, with a good address as the
    // example; empty for None. The command line and the dialogs all say it this way.
    static QString explain(Problem problem, const QString &example);
};
