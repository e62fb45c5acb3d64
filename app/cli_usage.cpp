// `qwen-bridge usage`: the usage meter's numbers in the terminal, read from its database
// whether or not the application runs (its unwritten records are under a second old).

#include "cli.h"

#include "settings/settings.h"
#include "usage/usagereport.h"
#include "usage/usagestore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QTextStream>

namespace {
struct CliUsage
{
    Q_DECLARE_TR_FUNCTIONS(CliUsage)
};
} // namespace

int runUsage(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("json"), CliUsage::tr("Print JSON.")});
    parser.addOption({QStringLiteral("days"), CliUsage::tr("Days to show (default 7)."),
                      QStringLiteral("N"), QStringLiteral("7")});
    if (!parser.parse(args)) {
        err << parser.errorText() << "\n";
        return ExitUsage;
    }
    bool ok = false;
    const int days = parser.value(QStringLiteral("days")).toInt(&ok);
    if (!ok || days < 1 || days > UsageStore::kDailyDays) {
        err << CliUsage::tr("--days takes a number of days from 1 to %1.")
                   .arg(UsageStore::kDailyDays)
            << "\n";
        return ExitUsage;
    }
    const Settings settings;
    UsageStore store(Settings::usageDatabasePath());
    // No file yet: nothing was counted, and a zero report says so.
    store.openForReading();
    const UsagePlan plan = UsagePlan::fromCatalog(store.latestPlanId(), settings);
    const UsageReport report = UsageReport::build(store, plan, days);
    if (parser.isSet(QStringLiteral("json")))
        out << QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented);
    else
        out << report.toText();
    return ExitOk;
}
