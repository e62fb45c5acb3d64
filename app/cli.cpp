#include "cli.h"

#include "browser.h"
#include "credentials/credentialstore.h"
#include "oauth/apibase.h"
#include "oauth/deviceauthorization.h"
#include "qr/qrcode.h"
#include "settings/settings.h"
#include "unixsignals.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTextStream>

#include <cstdio>
#include <unistd.h>

namespace {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

bool stdoutIsTerminal()
{
    return ::isatty(STDOUT_FILENO) == 1;
}

int exitCodeFor(KeychainError)
{
    return ExitKeychain;
}

int exitCodeFor(AuthError error)
{
    switch (error) {
    case AuthError::Denied:
        return ExitDenied;
    case AuthError::Expired:
        return ExitExpired;
    case AuthError::Network:
    case AuthError::Server:
        return ExitNetwork;
    case AuthError::Rejected:
    case AuthError::Cancelled:
        break;
    }
    return ExitOther;
}

QString formatCountdown(int seconds)
{
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

const QStringList kCommands = {QStringLiteral("login"), QStringLiteral("status"),
                               QStringLiteral("logout")};

QString usageText()
{
    return tr("Usage: qwen-bridge [COMMAND] [OPTIONS]\n"
              "\n"
              "Use Qwen models in OpenCode with your Qwen account. Without a command, the tray\n"
              "application starts.\n"
              "\n"
              "Commands:\n"
              "  login [--no-browser]        sign in with your Qwen account in the terminal\n"
              "  status [--json]             show the sign-in state (never a secret)\n"
              "  logout                      remove the stored credentials\n"
              "\n"
              "Options:\n"
              "  --demo                      the tray application against a built-in fake Qwen\n"
              "  -h, --help                  show this help\n"
              "  -v, --version               show the version\n"
              "\n"
              "Exit codes: 0 done, 1 other failure, 2 sign-in refused, 3 sign-in code expired,\n"
              "4 network or server failure, 5 keychain failure, 64 wrong usage.\n");
}

// ---------------------------------------------------------------------------------------
// login

int runLogin(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("no-browser"), tr("Do not open a browser.")});
    if (!parser.parse(args)) {
        err() << parser.errorText() << "\n" << usageText();
        return ExitUsage;
    }
    const bool openBrowser = !parser.isSet(QStringLiteral("no-browser"));

    Settings settings;
    QNetworkAccessManager nam;
    CredentialStore store(settings);
    DeviceAuthorization auth(&nam, OAuthConfig::fromSettings(settings));
    UnixSignals signalsWatcher;
    const bool tty = stdoutIsTerminal();
    int exitCode = ExitOther;

    auto finish = [&exitCode](int code) {
        exitCode = code;
        QCoreApplication::exit(code);
    };

    QObject::connect(&signalsWatcher, &UnixSignals::terminationRequested, &auth, [&](int) {
        if (tty)
            out() << "\n";
        auth.cancel();
        err() << tr("Sign-in cancelled. Nothing was stored.") << "\n";
        err().flush();
        finish(130);
    });

    QObject::connect(&auth, &DeviceAuthorization::codeReady, [&](const DeviceCode &code) {
        const QString url = code.verificationUriComplete.toString(QUrl::FullyEncoded);
        out() << tr("To sign in to Qwen, open this address and approve the code:") << "\n\n"
              << "  " << url << "\n\n"
              << "  " << tr("Code: %1").arg(code.userCode) << "\n\n";
        out() << QrCode::encode(url.toUtf8()).toTerminalText(tty) << "\n";
        if (openBrowser) {
            if (openInBrowser(code.verificationUriComplete))
                out() << tr("Your browser should open now. If it does not, open the address "
                            "above yourself.")
                      << "\n";
            else
                out() << tr("Could not open a browser: open the address above yourself.") << "\n";
        }
        out() << tr("Waiting for approval. Press Ctrl+C to cancel.") << "\n";
        out().flush();
    });
    int lastPrinted = -1;
    QObject::connect(&auth, &DeviceAuthorization::countdown, [&](int secondsLeft) {
        if (tty) {
            out() << "\r" << tr("Time left: %1 ").arg(formatCountdown(secondsLeft));
            out().flush();
        } else if (lastPrinted < 0 || lastPrinted - secondsLeft >= 60) {
            // Not a terminal: one line a minute instead of a carriage-return ticker.
            lastPrinted = secondsLeft;
            out() << tr("Time left: %1").arg(formatCountdown(secondsLeft)) << "\n";
            out().flush();
        }
    });
    QObject::connect(&auth, &DeviceAuthorization::transientError, [&](const QString &message) {
        if (tty)
            out() << "\n";
        err() << tr("Could not check the sign-in (%1); still trying.").arg(message) << "\n";
        err().flush();
    });
    QObject::connect(&auth, &DeviceAuthorization::failed, [&](const AuthFailure &failure) {
        if (failure.error == AuthError::Cancelled)
            return;
        if (tty)
            out() << "\n";
        out().flush();
        err() << failure.message << "\n";
        err().flush();
        finish(exitCodeFor(failure.error));
    });
    QObject::connect(&auth, &DeviceAuthorization::succeeded, [&](const TokenSet &tokens) {
        if (tty)
            out() << "\n";
        const Credentials credentials = Credentials::fromTokens(tokens);
        store.save(credentials, [&, resourceUrl = tokens.resourceUrl](const KeychainResult &r) {
            if (!r.ok()) {
                err() << tr("Signed in, but the credentials could not be stored: %1").arg(r.message)
                      << "\n";
                err().flush();
                finish(exitCodeFor(r.error));
                return;
            }
            out() << tr("Signed in. Requests go to %1.")
                         .arg(apiBaseFromResourceUrl(resourceUrl, settings.apiFallbackUrl())
                                  .toString())
                  << "\n";
            out().flush();
            finish(ExitOk);
        });
    });

    // Find out first whether the keychain works: better than failing after the person
    // has approved the sign-in in the browser.
    store.load([&](const CredentialStore::LoadResult &r) {
        if (!r.keychain.ok() && r.keychain.error != KeychainError::NotFound) {
            err() << r.keychain.message << "\n";
            err().flush();
            finish(exitCodeFor(r.keychain.error));
            return;
        }
        out() << tr("Contacting %1…").arg(settings.oauthBaseUrl().toString()) << "\n";
        out().flush();
        auth.start();
    });
    QCoreApplication::exec();
    return exitCode;
}

// ---------------------------------------------------------------------------------------
// status and logout

int runStatus(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("json"), tr("Print JSON.")});
    if (!parser.parse(args)) {
        err() << parser.errorText() << "\n" << usageText();
        return ExitUsage;
    }
    const bool json = parser.isSet(QStringLiteral("json"));
    Settings settings;
    CredentialStore store(settings);
    int exitCode = ExitOk;
    store.load([&](const CredentialStore::LoadResult &r) {
        QJsonObject o;
        QString state;
        QString message;
        const Credentials &c = r.credentials;
        if (r.keychain.error == KeychainError::NotFound) {
            state = QStringLiteral("signed_out");
            message = tr("Not signed in. Run `qwen-bridge login` to sign in.");
        } else if (!r.keychain.ok()) {
            state = QStringLiteral("keychain_unavailable");
            message = r.keychain.message;
            exitCode = ExitKeychain;
        } else if (!c.isValid()) {
            state = QStringLiteral("sign_in_required");
            message = tr("%1 Run `qwen-bridge login` to sign in again.").arg(r.parseError);
        } else {
            state = QStringLiteral("signed_in");
            message = tr("Signed in.");
        }
        o.insert(QStringLiteral("state"), state);
        o.insert(QStringLiteral("method"), Credentials::methodName(c.method));
        if (c.method == AuthMethod::OAuth) {
            o.insert(QStringLiteral("expires_at"), c.expiresAt.toUTC().toString(Qt::ISODate));
            o.insert(QStringLiteral("api_base"),
                     apiBaseFromResourceUrl(c.resourceUrl, settings.apiFallbackUrl()).toString());
        } else if (c.method == AuthMethod::ApiKey) {
            o.insert(QStringLiteral("preset"), c.preset);
            o.insert(QStringLiteral("api_base"), c.baseUrl.toString());
        }
        o.insert(QStringLiteral("keychain"),
                 r.keychain.ok() || r.keychain.error == KeychainError::NotFound
                     ? QStringLiteral("available")
                     : QStringLiteral("unavailable"));
        o.insert(QStringLiteral("message"), message);
        if (json) {
            out() << QJsonDocument(o).toJson(QJsonDocument::Indented);
        } else {
            out() << tr("State:    %1").arg(state) << "\n";
            if (c.method != AuthMethod::None)
                out() << tr("Method:   %1").arg(Credentials::methodName(c.method)) << "\n";
            if (c.method == AuthMethod::OAuth)
                out() << tr("Expires:  %1").arg(c.expiresAt.toLocalTime().toString(Qt::ISODate))
                      << "\n";
            if (o.contains(QStringLiteral("api_base")))
                out() << tr("API base: %1").arg(o.value(QStringLiteral("api_base")).toString())
                      << "\n";
            out() << message << "\n";
        }
        out().flush();
        QCoreApplication::exit(exitCode);
    });
    QCoreApplication::exec();
    return exitCode;
}

int runLogout(const QStringList &args)
{
    QCommandLineParser parser;
    if (!parser.parse(args)) {
        err() << parser.errorText() << "\n" << usageText();
        return ExitUsage;
    }
    Settings settings;
    CredentialStore store(settings);
    int exitCode = ExitOk;
    store.clear([&](const KeychainResult &r) {
        if (r.ok()) {
            out() << tr("Signed out. The credentials were removed from the keychain.") << "\n";
        } else {
            err() << r.message << "\n";
            exitCode = exitCodeFor(r.error);
        }
        out().flush();
        err().flush();
        QCoreApplication::exit(exitCode);
    });
    QCoreApplication::exec();
    return exitCode;
}

} // namespace

bool isCliInvocation(const QStringList &arguments)
{
    if (arguments.size() < 2)
        return false;
    const QString first = arguments.at(1);
    return kCommands.contains(first) || first == QLatin1String("--help") ||
           first == QLatin1String("-h") || first == QLatin1String("--version") ||
           first == QLatin1String("-v") || !first.startsWith(QLatin1Char('-'));
}

int runCli(const QStringList &arguments)
{
    const QString command = arguments.value(1);
    // Each command parses its own options; argv[0] stays first for the parser.
    QStringList rest = arguments.mid(2);
    rest.prepend(arguments.value(0));
    if (command == QLatin1String("--help") || command == QLatin1String("-h")) {
        out() << usageText();
        return ExitOk;
    }
    if (command == QLatin1String("--version") || command == QLatin1String("-v")) {
        out() << "qwen-bridge " << QCoreApplication::applicationVersion() << "\n";
        return ExitOk;
    }
    if (command == QLatin1String("login"))
        return runLogin(rest);
    if (command == QLatin1String("status"))
        return runStatus(rest);
    if (command == QLatin1String("logout"))
        return runLogout(rest);
    err() << tr("Unknown command: %1").arg(command) << "\n\n" << usageText();
    return ExitUsage;
}
