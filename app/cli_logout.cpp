#include "cli_p.h"

#include "credentials/credentialstore.h"
#include "session/controlchannel.h"
#include "settings/settings.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace cli {

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

} // namespace cli
