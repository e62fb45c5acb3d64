#include "cli_p.h"

#include "credentials/keychainstore.h"
#include "oauth/oauthtypes.h"

#include <QCoreApplication>

#include <unistd.h>

namespace cli {

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

QString usageText()
{
    return Cli::tr(
        "Usage: qwen-bridge [COMMAND] [OPTIONS]\n"
        "\n"
        "Use Qwen models in OpenCode with your Qwen account. Without a command, the tray\n"
        "application starts.\n"
        "\n"
        "Commands:\n"
        "  login [--no-browser] [--allow-file-storage] [--name NAME]\n"
        "                              sign in with your Qwen account in the terminal\n"
        "  login --api-key [--preset PLAN] [--base-url URL] [--name NAME]\n"
        "                              sign in with a Coding Plan, Token Plan or Model\n"
        "                              Studio pay-as-you-go key read from standard input;\n"
        "                              PLAN is coding-plan-global, coding-plan-china,\n"
        "                              token-plan-singapore, token-plan-beijing,\n"
        "                              payg-singapore, payg-beijing, payg-us or\n"
        "                              payg-hongkong. With --name, the credential NAME is\n"
        "                              added (or replaced) next to the others; without,\n"
        "                              the default credential is replaced\n"
        "  accounts [list] [--json]    the credentials in their order, each with its state\n"
        "                              (usable, cooling, exhausted, needs_sign_in)\n"
        "  accounts use NAME           make NAME the first credential\n"
        "  accounts remove NAME        remove NAME and its secret\n"
        "  accounts order NAME...      put these first, in this order\n"
        "  accounts rename NAME NEW    give NAME another name\n"
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

} // namespace cli

namespace {
const QStringList kCommands = {QStringLiteral("login"),           QStringLiteral("status"),
                               QStringLiteral("logout"),          QStringLiteral("serve"),
                               QStringLiteral("opencode-config"), QStringLiteral("import"),
                               QStringLiteral("usage"),           QStringLiteral("accounts")};
} // namespace

using namespace cli;

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
    if (command == QLatin1String("accounts"))
        return runAccounts(rest);
    err() << Cli::tr("Unknown command: %1").arg(command) << "\n\n" << usageText();
    return ExitUsage;
}
