#include "cli_p.h"

#include "bridge/proxysettings.h"
#include "browser.h"
#include "credentials/accountstore.h"
#include "credentials/apikeycheck.h"
#include "credentials/apikeyinput.h"
#include "credentials/credentialstore.h"
#include "oauth/apibase.h"
#include "oauth/deviceauthorization.h"
#include "plans/plancatalog.h"
#include "qr/qrcode.h"
#include "session/controlchannel.h"
#include "settings/settings.h"
#include "settings/urlpolicy.h"
#include "unixsignals.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QTextStream>

#include <termios.h>
#include <unistd.h>

namespace cli {

namespace {

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

// The default credential without a name (as before several credentials), else the named
// one; listed with the others either way.
void storeCredential(const QString &name, AccountStore &accounts, const Credentials &credentials,
                     std::function<void(const KeychainResult &)> done)
{
    // The default credential too: its state (a window used up, …) starts over.
    accounts.put(name.isEmpty() ? QLatin1String(AccountIndex::kDefaultName) : name, credentials,
                 [done = std::move(done)](const AccountStore::Result &r) {
                     KeychainResult result = r.keychain;
                     if (!r.problem.isEmpty()) {
                         result.error = KeychainError::Other;
                         result.message = r.problem;
                     }
                     done(result);
                 });
}

QString storedAs(const QString &name)
{
    return name.isEmpty() ? QString()
                          : QLatin1Char(' ') + Cli::tr("Stored as the credential \"%1\"; "
                                                       "`qwen-bridge accounts` lists them.")
                                                   .arg(name);
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

int runApiKeyLogin(const QCommandLineParser &parser, const QString &name)
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
        const UrlPolicy::Problem problem =
            UrlPolicy::checkBaseUrl(parser.value(QStringLiteral("base-url")), &baseUrl);
        if (problem != UrlPolicy::Problem::None) {
            err() << UrlPolicy::explain(
                         problem,
                         QStringLiteral("https://dashscope-intl.aliyuncs.com/compatible-mode/v1"))
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
    AccountStore accounts(settings);
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
            storeCredential(name, accounts, c, [&](const KeychainResult &r) {
                if (!r.ok()) {
                    err() << r.message << "\n";
                    err().flush();
                    finish(exitCodeFor(r.error));
                    return;
                }
                if (ControlClient::send(QStringLiteral("reload")).has_value())
                    out() << Cli::tr("The running Qwen Bridge now uses this key.") << "\n";
                out() << Cli::tr("Signed in with an API key for %1. Requests go to %2.")
                                 .arg(presetName, baseUrl.toString()) +
                             storedAs(name)
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
        ProxySettings::apply(settings, store.keychain(), [&](const ServiceError &problem) {
            if (!problem.ok())
                err() << problem.message << "\n";
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

} // namespace

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
    parser.addOption({QStringLiteral("name"),
                      Cli::tr("Add or replace the credential NAME instead of the default one."),
                      QStringLiteral("NAME")});
    if (!parser.parse(args)) {
        err() << parser.errorText() << "\n" << usageText();
        return ExitUsage;
    }
    const QString name = parser.value(QStringLiteral("name"));
    if (parser.isSet(QStringLiteral("name"))) {
        if (const QString problem = AccountIndex::checkName(name); !problem.isEmpty()) {
            err() << problem << "\n";
            return ExitUsage;
        }
    }
    if (parser.isSet(QStringLiteral("api-key")))
        return runApiKeyLogin(parser, name);
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
    AccountStore accounts(settings);
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
        storeCredential(
            name, accounts, credentials,
            [&, resourceUrl = tokens.resourceUrl](const KeychainResult &r) {
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
                                          .toString()) +
                             storedAs(name)
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
        ProxySettings::apply(settings, store.keychain(), [&](const ServiceError &problem) {
            if (!problem.ok())
                err() << problem.message << "\n";
            out() << Cli::tr("Contacting %1…").arg(settings.oauthBaseUrl().toString()) << "\n";
            out().flush();
            auth.start();
        });
    });
    QCoreApplication::exec();
    return exitCode;
}

} // namespace cli
