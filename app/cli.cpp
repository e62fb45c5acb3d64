#include "cli.h"

#include "bridge/bridgeservice.h"
#include "bridge/statusreport.h"
#include "browser.h"
#include "credentials/apikeycheck.h"
#include "credentials/apikeyinput.h"
#include "credentials/credentialstore.h"
#include "credentials/legacyimport.h"
#include "oauth/apibase.h"
#include "oauth/deviceauthorization.h"
#include "opencode/opencodeconfig.h"
#include "plans/plancatalog.h"
#include "proxy/localkey.h"
#include "proxy/proxyserver.h"
#include "proxy/qwenmode.h"
#include "proxy/requestlogger.h"
#include "qr/qrcode.h"
#include "session/controlchannel.h"
#include "session/sessionmanager.h"
#include "settings/proxysettings.h"
#include "settings/runtimedir.h"
#include "settings/settings.h"
#include "settings/urlpolicy.h"
#include "unixsignals.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QTextStream>
#include <QTimer>

#include <cstdio>
#include <termios.h>
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

// The context of every sentence the command line prints, for lupdate.
struct Cli
{
    Q_DECLARE_TR_FUNCTIONS(Cli)
};

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

const QStringList kCommands = {
    QStringLiteral("login"), QStringLiteral("status"),          QStringLiteral("logout"),
    QStringLiteral("serve"), QStringLiteral("opencode-config"), QStringLiteral("import"),
    QStringLiteral("usage")};

QString usageText()
{
    return Cli::tr(
        "Usage: qwen-bridge [COMMAND] [OPTIONS]\n"
        "\n"
        "Use Qwen models in OpenCode with your Qwen account. Without a command, the tray\n"
        "application starts.\n"
        "\n"
        "Commands:\n"
        "  login [--no-browser] [--allow-file-storage]\n"
        "                              sign in with your Qwen account in the terminal\n"
        "  login --api-key [--preset PLAN] [--base-url URL]\n"
        "                              sign in with a Coding Plan, Token Plan or Model\n"
        "                              Studio pay-as-you-go key read from standard input;\n"
        "                              PLAN is coding-plan-global, coding-plan-china,\n"
        "                              token-plan-singapore, token-plan-beijing,\n"
        "                              payg-singapore, payg-beijing, payg-us or\n"
        "                              payg-hongkong\n"
        "  status [--json]             show the sign-in state (never a secret)\n"
        "  logout                      remove the stored credentials\n"
        "  serve                       run the proxy alone, without the tray, until\n"
        "                              Ctrl+C or SIGTERM\n"
        "  import [--from FILE] [--yes] [--delete-original]\n"
        "                              take over the sign-in of the OpenCode Qwen plugin\n"
        "                              (~/.opencode/qwen/oauth_token.json) or Qwen Code\n"
        "                              (~/.qwen/oauth_creds.json)\n"
        "  opencode-config [--provider ID] [--write [FILE]]\n"
        "                              print the OpenCode provider block, or merge it\n"
        "                              into FILE (default: the global OpenCode config)\n"
        "                              keeping comments and other keys, with a backup\n"
        "  usage [--json] [--days N]   requests and tokens per day (default 7 days) and the\n"
        "                              plan's windows, counted on this computer\n"
        "\n"
        "Options:\n"
        "  --demo                      the tray application against a built-in fake Qwen\n"
        "  --windowed                  a status window instead of the tray icon\n"
        "  -h, --help                  show this help\n"
        "  -v, --version               show the version\n"
        "\n"
        "Exit codes: 0 done, 1 other failure, 2 sign-in refused, 3 sign-in code expired,\n"
        "4 network or server failure, 5 keychain failure, 64 wrong usage, 130 cancelled.\n");
}

// ---------------------------------------------------------------------------------------
// login --api-key

// Reads the key from standard input, never from the command line (where other users and
// shell history would see it). In a terminal, without echo.
QString readSecretLine(const QString &prompt)
{
    const bool tty = ::isatty(STDIN_FILENO) == 1;
    termios saved{};
    if (tty) {
        err() << prompt;
        err().flush();
        if (::tcgetattr(STDIN_FILENO, &saved) == 0) {
            termios quiet = saved;
            quiet.c_lflag &= ~tcflag_t(ECHO);
            ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        }
    }
    QTextStream in(stdin);
    const QString line = in.readLine();
    if (tty) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        err() << "\n";
        err().flush();
    }
    return line.trimmed();
}

QString planList()
{
    QString text;
    const QList<Plan> plans = PlanCatalog::instance().plans();
    for (const Plan &p : plans) {
        if (!p.isCustom())
            text += QStringLiteral("  %1  %2\n").arg(p.id, -22).arg(p.name());
    }
    return text;
}

int runApiKeyLogin(const QCommandLineParser &parser)
{
    const PlanCatalog &catalog = PlanCatalog::instance();
    const bool ownUrl = parser.isSet(QStringLiteral("base-url"));
    Plan plan = catalog.plan(ownUrl ? PlanCatalog::customPlanId() : PlanCatalog::defaultPlanId());
    if (parser.isSet(QStringLiteral("preset"))) {
        plan = catalog.plan(parser.value(QStringLiteral("preset")));
        if (!plan.isValid() || (plan.isCustom() && !ownUrl)) {
            err() << Cli::tr("Unknown plan %1. The plans are:")
                         .arg(parser.value(QStringLiteral("preset")))
                  << "\n"
                  << planList()
                  << Cli::tr("or --base-url URL for another endpoint, with --preset for the "
                             "rules of the plan behind it.")
                  << "\n";
            return ExitUsage;
        }
    }
    QUrl baseUrl = plan.baseUrl;
    if (ownUrl) {
        // A key must not travel in the clear, except to this machine.
        if (UrlPolicy::checkBaseUrl(parser.value(QStringLiteral("base-url")), &baseUrl) !=
            UrlPolicy::Problem::None) {
            err()
                << Cli::tr(
                       "The base URL must be an https:// address (http:// only for this "
                       "computer), such as https://dashscope-intl.aliyuncs.com/compatible-mode/v1.")
                << "\n";
            return ExitUsage;
        }
    } else if (!parser.isSet(QStringLiteral("preset"))) {
        out() << Cli::tr("Using %1 (%2). Choose another with --preset; the plans are:")
                     .arg(plan.name(), plan.id)
              << "\n"
              << planList();
        out().flush();
    }
    const QString presetName = catalog.displayName(plan.id, baseUrl);

    QString key;
    const ApiKeyInput::Verdict verdict =
        ApiKeyInput::check(readSecretLine(Cli::tr("Paste your API key (it is not shown): ")), &key);
    if (verdict == ApiKeyInput::Verdict::Empty) {
        err() << Cli::tr("No API key was given on standard input. Example: "
                         "`qwen-bridge login --api-key < keyfile`.")
              << "\n";
        return ExitUsage;
    }
    if (verdict != ApiKeyInput::Verdict::Ok) {
        err() << ApiKeyInput::malformedMessage() << "\n";
        return ExitUsage;
    }

    Settings settings;
    QNetworkAccessManager nam;
    NetworkProxy::applyTo(&nam);
    CredentialStore store(settings);
    ApiKeyCheck check(&nam);
    int exitCode = ExitOther;
    auto finish = [&exitCode](int code) {
        exitCode = code;
        QCoreApplication::exit(code);
    };
    QObject::connect(
        &check, &ApiKeyCheck::finished, [&](ApiKeyCheck::Outcome outcome, const QString &message) {
            if (outcome != ApiKeyCheck::Outcome::Accepted) {
                err() << message << "\n" << Cli::tr("Nothing was stored.") << "\n";
                err().flush();
                finish(outcome == ApiKeyCheck::Outcome::Refused ? ExitDenied : ExitNetwork);
                return;
            }
            if (!message.isEmpty())
                out() << message << "\n";
            Credentials c;
            c.method = AuthMethod::ApiKey;
            c.apiKey = key;
            c.preset = plan.id;
            c.baseUrl = baseUrl;
            store.save(c, [&](const KeychainResult &r) {
                if (!r.ok()) {
                    err() << r.message << "\n";
                    err().flush();
                    finish(exitCodeFor(r.error));
                    return;
                }
                if (ControlClient::send(QStringLiteral("reload")).has_value())
                    out() << Cli::tr("The running Qwen Bridge now uses this key.") << "\n";
                out() << Cli::tr("Signed in with an API key for %1. Requests go to %2.")
                             .arg(presetName, baseUrl.toString())
                      << "\n";
                out().flush();
                finish(ExitOk);
            });
        });
    store.load([&](const CredentialStore::LoadResult &r) {
        if (!r.keychain.ok() && r.keychain.error != KeychainError::NotFound) {
            err() << r.keychain.message << "\n";
            err().flush();
            finish(exitCodeFor(r.keychain.error));
            return;
        }
        ProxySettings::apply(settings, store.keychain(), [&](const QString &problem) {
            if (!problem.isEmpty())
                err() << problem << "\n";
            const QString hint = PlanCatalog::keyPrefixHint(plan, key);
            if (!hint.isEmpty()) {
                err() << hint << "\n";
                err().flush();
            }
            out() << Cli::tr("Checking the key with %1…").arg(presetName) << "\n";
            out().flush();
            check.check(plan, baseUrl, key);
        });
    });
    QCoreApplication::exec();
    return exitCode;
}

// ---------------------------------------------------------------------------------------
// login

int runLogin(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("no-browser"), Cli::tr("Do not open a browser.")});
    parser.addOption({QStringLiteral("allow-file-storage"),
                      Cli::tr("Without a keychain service, keep credentials in a 0600 file.")});
    parser.addOption(
        {QStringLiteral("api-key"), Cli::tr("Sign in with an API key read from stdin.")});
    parser.addOption({QStringLiteral("preset"), Cli::tr("The plan and region of the key."),
                      QStringLiteral("PLAN")});
    parser.addOption({QStringLiteral("base-url"), Cli::tr("A custom OpenAI-compatible base URL."),
                      QStringLiteral("URL")});
    if (!parser.parse(args)) {
        err() << parser.errorText() << "\n" << usageText();
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("api-key")))
        return runApiKeyLogin(parser);
    if (parser.isSet(QStringLiteral("preset")) || parser.isSet(QStringLiteral("base-url"))) {
        err() << Cli::tr("--preset and --base-url go with --api-key.") << "\n";
        return ExitUsage;
    }
    const bool openBrowser = !parser.isSet(QStringLiteral("no-browser"));

    Settings settings;
    if (parser.isSet(QStringLiteral("allow-file-storage"))) {
        settings.setAllowFileStorage(true);
        settings.sync();
    }
    QNetworkAccessManager nam;
    NetworkProxy::applyTo(&nam);
    CredentialStore store(settings);
    DeviceAuthorization auth(&nam, OAuthConfig::fromSettings(settings));
    UnixSignals signalsWatcher;
    const bool tty = stdoutIsTerminal();
    int exitCode = ExitOther;

    auto finish = [&exitCode](int code) {
        exitCode = code;
        QCoreApplication::exit(code);
    };

    bool saving = false;
    QObject::connect(&signalsWatcher, &UnixSignals::terminationRequested, &auth, [&](int) {
        if (saving) {
            // Approved already: the keychain write finishes and decides the outcome.
            err() << Cli::tr("Finishing storing the sign-in…") << "\n";
            err().flush();
            return;
        }
        if (tty)
            out() << "\n";
        auth.cancel();
        err() << Cli::tr("Sign-in cancelled. Nothing was stored.") << "\n";
        err().flush();
        finish(130);
    });

    QObject::connect(&auth, &DeviceAuthorization::codeReady, [&](const DeviceCode &code) {
        const QString url = code.verificationUriComplete.toString(QUrl::FullyEncoded);
        out() << Cli::tr("To sign in to Qwen, open this address and approve the code:") << "\n\n"
              << "  " << url << "\n\n"
              << "  " << Cli::tr("Code: %1").arg(code.userCode) << "\n\n";
        out() << QrCode::encode(url.toUtf8()).toTerminalText(tty) << "\n";
        if (openBrowser) {
            if (openInBrowser(code.verificationUriComplete))
                out() << Cli::tr("Your browser should open now. If it does not, open the address "
                                 "above yourself.")
                      << "\n";
            else
                out() << Cli::tr("Could not open a browser: open the address above yourself.")
                      << "\n";
        }
        out() << Cli::tr("Waiting for approval. Press Ctrl+C to cancel.") << "\n";
        out().flush();
    });
    int lastPrinted = -1;
    QObject::connect(&auth, &DeviceAuthorization::countdown, [&](int secondsLeft) {
        if (tty) {
            out()
                << "\r"
                << Cli::tr("Time left: %1 ").arg(DeviceAuthorization::formatCountdown(secondsLeft));
            out().flush();
        } else if (lastPrinted < 0 || lastPrinted - secondsLeft >= 60) {
            // Not a terminal: one line a minute instead of a carriage-return ticker.
            lastPrinted = secondsLeft;
            out() << Cli::tr("Time left: %1").arg(DeviceAuthorization::formatCountdown(secondsLeft))
                  << "\n";
            out().flush();
        }
    });
    QObject::connect(&auth, &DeviceAuthorization::transientError, [&](const QString &message) {
        if (tty)
            out() << "\n";
        err() << Cli::tr("Could not check the sign-in (%1); still trying.").arg(message) << "\n";
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
        saving = true;
        store.save(credentials, [&, resourceUrl = tokens.resourceUrl](const KeychainResult &r) {
            saving = false;
            if (!r.ok()) {
                err() << Cli::tr("Signed in, but the credentials could not be stored: %1")
                             .arg(r.message)
                      << "\n";
                err().flush();
                finish(exitCodeFor(r.error));
                return;
            }
            if (ControlClient::send(QStringLiteral("reload")).has_value())
                out() << Cli::tr("The running Qwen Bridge now uses this sign-in.") << "\n";
            out() << Cli::tr("Signed in. Requests go to %1.")
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
            if (r.keychain.error == KeychainError::NoService)
                err() << Cli::tr("If this machine has no keychain at all, `qwen-bridge login "
                                 "--allow-file-storage` keeps the credentials in a file only you "
                                 "can read instead.")
                      << "\n";
            err().flush();
            finish(exitCodeFor(r.keychain.error));
            return;
        }
        if (r.keychain.fromFile)
            out() << Cli::tr("No keychain service: credentials will be kept in %1.")
                         .arg(Settings::fileStoragePath())
                  << "\n";
        ProxySettings::apply(settings, store.keychain(), [&](const QString &problem) {
            if (!problem.isEmpty())
                err() << problem << "\n";
            out() << Cli::tr("Contacting %1…").arg(settings.oauthBaseUrl().toString()) << "\n";
            out().flush();
            auth.start();
        });
    });
    QCoreApplication::exec();
    return exitCode;
}

// ---------------------------------------------------------------------------------------
// status and logout

int runStatus(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("json"), Cli::tr("Print JSON.")});
    if (!parser.parse(args)) {
        err() << parser.errorText() << "\n" << usageText();
        return ExitUsage;
    }
    const bool json = parser.isSet(QStringLiteral("json"));
    Settings settings;
    CredentialStore store(settings);
    int exitCode = ExitOk;
    // A running Qwen Bridge knows more (refreshing, offline, quota): ask it first. In a
    // runtime folder that is not private, nothing is asked; say why.
    QString unsafeRuntimeDir;
    RuntimeDir::isPrivate(Settings::runtimeDir(), &unsafeRuntimeDir);
    if (!unsafeRuntimeDir.isEmpty())
        err() << unsafeRuntimeDir << "\n";
    const QJsonObject live = ControlClient::send(QStringLiteral("status")).value_or(QJsonObject());
    store.load([&](const CredentialStore::LoadResult &r) {
        const StatusReport report =
            StatusReport::fromStored(settings, r, live, QDateTime::currentDateTimeUtc());
        if (report.state == SessionState::KeychainUnavailable)
            exitCode = ExitKeychain;
        if (json)
            out() << QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented);
        else
            out() << report.toText().join(QLatin1Char('\n')) << "\n";
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
            const bool notified = ControlClient::send(QStringLiteral("logout")).has_value();
            out() << (r.fromFile ? Cli::tr("Signed out. The credentials were removed from %1.")
                                       .arg(Settings::fileStoragePath())
                                 : Cli::tr("Signed out. The credentials were removed from the "
                                           "keychain."))
                  << "\n";
            if (notified)
                out() << Cli::tr("The running Qwen Bridge signed out too.") << "\n";
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

// ---------------------------------------------------------------------------------------
// serve

int runServe(const QStringList &args)
{
    QCommandLineParser parser;
    if (!parser.parse(args)) {
        err() << parser.errorText() << "\n" << usageText();
        return ExitUsage;
    }
    BridgeService service;
    UnixSignals signalsWatcher;
    int exitCode = ExitOk;
    QObject::connect(&signalsWatcher, &UnixSignals::terminationRequested, [&](int) {
        out() << Cli::tr("Stopping.") << "\n";
        out().flush();
        service.proxy()->stop();
        QCoreApplication::exit(exitCode);
    });
    QObject::connect(&service, &BridgeService::proxyStarted, [&](const QUrl &url) {
        out() << Cli::tr("Qwen Bridge proxy listening on %1").arg(url.toString()) << "\n";
        out() << Cli::tr("Point OpenCode at it with `qwen-bridge opencode-config --write`. "
                         "Press Ctrl+C to stop.")
              << "\n";
        out().flush();
    });
    QObject::connect(&service, &BridgeService::proxyFailed, [&](const QString &message) {
        err() << message << "\n";
        err().flush();
        exitCode = ExitOther;
        QCoreApplication::exit(exitCode);
    });
    QObject::connect(&service, &BridgeService::localKeyFailed, [&](const QString &message) {
        err() << Cli::tr("The proxy's local key could not be read or created: %1").arg(message)
              << "\n";
        err().flush();
        exitCode = ExitKeychain;
        QCoreApplication::exit(exitCode);
    });
    QObject::connect(service.session(), &SessionManager::stateChanged,
                     [&](SessionState state, const QString &reason) {
                         if (state == SessionState::SignedOut)
                             out() << Cli::tr("Not signed in: requests get an error until you run "
                                              "`qwen-bridge login`.")
                                   << "\n";
                         else if (state == SessionState::SignInRequired)
                             out() << reason << "\n";
                         else if (state == SessionState::SignedIn)
                             out() << Cli::tr("Signed in (%1).")
                                          .arg(Credentials::methodName(service.session()->method()))
                                   << "\n";
                         out().flush();
                     });
    QObject::connect(&service, &BridgeService::alreadyRunning, [&](qint64 pid) {
        err() << Cli::tr("Qwen Bridge already runs (process %1) and owns the session. Use "
                         "`qwen-bridge status`, or quit the other one first.")
                     .arg(pid)
              << "\n";
        err().flush();
        exitCode = ExitOther;
        QCoreApplication::exit(exitCode);
    });
    QObject::connect(&service, &BridgeService::lockFailed, [&](const QString &message) {
        err() << message << "\n";
        err().flush();
        exitCode = ExitOther;
        QCoreApplication::exit(exitCode);
    });
    QObject::connect(&service, &BridgeService::quotaExhausted, [&](const QString &message) {
        err() << message << "\n";
        err().flush();
    });
    // Started from the event loop: a refusal (already running, no lock) must be able to end
    // it.
    QMetaObject::invokeMethod(&service, &BridgeService::start, Qt::QueuedConnection);
    const int loopCode = QCoreApplication::exec();
    return exitCode != ExitOk ? exitCode : loopCode;
}

// ---------------------------------------------------------------------------------------
// import

int runImport(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption(
        {QStringLiteral("from"), Cli::tr("Import this file."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("yes"), Cli::tr("Do not ask for confirmation.")});
    parser.addOption(
        {QStringLiteral("delete-original"), Cli::tr("Delete the file once imported.")});
    if (!parser.parse(args)) {
        err() << parser.errorText() << "\n" << usageText();
        return ExitUsage;
    }
    QList<LegacyImport::Found> found;
    if (parser.isSet(QStringLiteral("from")))
        found << LegacyImport::readFile(parser.value(QStringLiteral("from")));
    else
        found = LegacyImport::findAll(QDir::homePath());
    if (found.isEmpty()) {
        err() << Cli::tr("Found nothing to import: neither %1 nor %2 exists. Sign in with "
                         "`qwen-bridge login` instead.")
                     .arg(LegacyImport::pluginTokenPath(QDir::homePath()),
                          LegacyImport::qwenCodePath(QDir::homePath()))
              << "\n";
        return ExitOther;
    }
    const std::optional<LegacyImport::Found> usable = LegacyImport::firstUsable(found);
    if (!usable) {
        for (const LegacyImport::Found &f : std::as_const(found))
            err() << f.error << "\n";
        return ExitOther;
    }
    const LegacyImport::Found chosen = *usable;
    out() << Cli::tr("Importing the sign-in of %1 from %2.")
                 .arg(LegacyImport::sourceName(chosen.source), chosen.path)
          << "\n"
          << LegacyImport::rotationWarning(chosen.source) << "\n";
    out().flush();
    if (!parser.isSet(QStringLiteral("yes"))) {
        if (::isatty(STDIN_FILENO) != 1) {
            err() << Cli::tr("Not a terminal: add --yes to confirm.") << "\n";
            return ExitUsage;
        }
        out() << Cli::tr("Continue? [y/N] ");
        out().flush();
        const QString answer = QTextStream(stdin).readLine().trimmed().toLower();
        if (answer != QLatin1String("y") && answer != QLatin1String("yes")) {
            out() << Cli::tr("Nothing was imported.") << "\n";
            return ExitOther;
        }
    }
    Settings settings;
    CredentialStore store(settings);
    int exitCode = ExitOk;
    const LegacyImport::Store save = [&store](const Credentials &credentials,
                                              std::function<void(bool, const QString &)> saved) {
        store.save(credentials, [saved = std::move(saved)](const KeychainResult &r) {
            saved(r.ok(), r.message);
        });
    };
    LegacyImport::takeOver(
        chosen, parser.isSet(QStringLiteral("delete-original")), save,
        [&](const LegacyImport::TakeOverResult &r) {
            if (!r.ok) {
                err() << r.message << "\n";
                exitCode = exitCodeFor(KeychainError::Other);
            } else {
                out() << Cli::tr("Imported. Qwen Bridge renews the session from now on.") << "\n";
                if (ControlClient::send(QStringLiteral("reload")).has_value())
                    out() << Cli::tr("The running Qwen Bridge now uses this sign-in.") << "\n";
                switch (r.original) {
                case LegacyImport::Original::Deleted:
                    out() << Cli::tr("Deleted %1.").arg(chosen.path) << "\n";
                    break;
                case LegacyImport::Original::DeleteFailed:
                    err() << Cli::tr("Could not delete %1.").arg(chosen.path) << "\n";
                    break;
                case LegacyImport::Original::Kept:
                    out() << Cli::tr("%1 was left as it was.").arg(chosen.path) << "\n";
                    break;
                }
            }
            out().flush();
            err().flush();
            QCoreApplication::exit(exitCode);
        });
    QCoreApplication::exec();
    return exitCode;
}

// ---------------------------------------------------------------------------------------
// opencode-config

int runOpenCodeConfig(const QStringList &args)
{
    QString provider;
    bool write = false;
    QString file;
    for (int i = 1; i < args.size(); ++i) {
        const QString a = args.at(i);
        if (a == QLatin1String("--provider") && i + 1 < args.size()) {
            provider = args.at(++i);
        } else if (a.startsWith(QLatin1String("--provider="))) {
            provider = a.mid(11);
        } else if (a == QLatin1String("--write")) {
            write = true;
            if (i + 1 < args.size() && !args.at(i + 1).startsWith(QLatin1Char('-')))
                file = args.at(++i);
        } else if (a.startsWith(QLatin1String("--write="))) {
            write = true;
            file = a.mid(8);
        } else {
            err() << Cli::tr("Unknown option: %1").arg(a) << "\n\n" << usageText();
            return ExitUsage;
        }
    }
    Settings settings;
    if (provider.isEmpty())
        provider = settings.providerId();
    if (const QString problem = OpenCodeConfig::checkProviderId(provider); !problem.isEmpty()) {
        err() << problem << "\n";
        return ExitUsage;
    }
    CredentialStore store(settings);
    LocalKey key(store.keychain());
    int exitCode = ExitOk;
    AuthMethod method = AuthMethod::None;
    QString planId;
    store.load([&](const CredentialStore::LoadResult &r) {
        method = r.credentials.method;
        planId = r.credentials.preset;
        QCoreApplication::exit(0);
    });
    QCoreApplication::exec();
    key.load([&](bool ok, const QString &error) {
        if (!ok) {
            err() << Cli::tr("The proxy's local key could not be read or created: %1").arg(error)
                  << "\n";
            exitCode = ExitKeychain;
            QCoreApplication::exit(exitCode);
            return;
        }
        const OpenCodeConfig config =
            OpenCodeConfig::forBridge(provider, settings.port(), key.value(), method, planId);
        if (!write) {
            out() << config.toJson();
        } else {
            const QString path = file.isEmpty() ? OpenCodeConfig::defaultConfigPath() : file;
            const OpenCodeConfig::Result r = config.writeFile(path);
            if (!r.ok()) {
                err() << r.errorMessage << "\n";
                exitCode = ExitOther;
            } else {
                out() << Cli::tr("%1: %2").arg(r.path, r.summary()) << "\n";
            }
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
    if (command == QLatin1String("serve"))
        return runServe(rest);
    if (command == QLatin1String("opencode-config"))
        return runOpenCodeConfig(rest);
    if (command == QLatin1String("import"))
        return runImport(rest);
    if (command == QLatin1String("usage"))
        return runUsage(rest);
    err() << Cli::tr("Unknown command: %1").arg(command) << "\n\n" << usageText();
    return ExitUsage;
}
