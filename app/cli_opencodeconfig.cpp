#include "cli_p.h"

#include "credentials/accountstore.h"
#include "credentials/credentialstore.h"
#include "opencode/opencodeconfig.h"
#include "proxy/localkey.h"
#include "settings/settings.h"

#include <QCoreApplication>

namespace cli {

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
    // Every credential in its order: the models of each one's plan.
    QList<OpenCodeConfig::Credential> credentials;
    AccountStore accounts(settings);
    accounts.list([&](const AccountStore::Listing &listing) {
        for (const AccountIndex::Entry &e : listing.index.entries) {
            const Credentials c = listing.credentials.value(e.name).credentials;
            credentials.append({c.method, c.preset});
        }
        QCoreApplication::exit(0);
    });
    QCoreApplication::exec();
    key.load([&](const KeychainResult &r) {
        if (!r.ok()) {
            err()
                << Cli::tr("The proxy's local key could not be read or created: %1").arg(r.message)
                << "\n";
            exitCode = ExitKeychain;
            QCoreApplication::exit(exitCode);
            return;
        }
        const OpenCodeConfig config =
            OpenCodeConfig::forBridge(provider, settings.port(), key.value(), credentials);
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

} // namespace cli
