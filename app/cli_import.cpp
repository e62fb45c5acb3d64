#include "cli_p.h"

#include "credentials/credentialstore.h"
#include "credentials/legacyimport.h"
#include "session/controlchannel.h"
#include "settings/settings.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QTextStream>

#include <optional>
#include <unistd.h>

namespace cli {

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

} // namespace cli
