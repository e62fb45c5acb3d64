#include "cli_p.h"

#include "bridge/statusreport.h"
#include "credentials/credentialstore.h"
#include "session/controlchannel.h"
#include "settings/runtimedir.h"
#include "settings/settings.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace cli {

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

} // namespace cli
