#include "cli_p.h"

#include "credentials/accountstore.h"
#include "session/accountpool.h"
#include "session/controlchannel.h"
#include "settings/settings.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace cli {

namespace {

// What the list says, from the running Qwen Bridge (which knows what it learned since it
// stored the states) or, when none runs, from the keychain by the same rule.
struct AccountsView
{
    bool running = false;
    QString routing;
    QList<QJsonObject> accounts; // AccountInfo::toJson()
};

QString methodText(const QString &method)
{
    if (method == QLatin1String("oauth"))
        return Cli::tr("Qwen account");
    if (method == QLatin1String("api_key"))
        return Cli::tr("API key");
    return Cli::tr("nothing stored");
}

void printText(const AccountsView &view)
{
    if (view.accounts.isEmpty()) {
        out() << Cli::tr("No credentials are stored. Add one with `qwen-bridge login --api-key "
                         "--name NAME` or `qwen-bridge login --name NAME`.")
              << "\n";
        return;
    }
    out() << (view.routing == QLatin1String("round_robin")
                  ? Cli::tr("Credentials, taken in turn (round robin):")
                  : Cli::tr("Credentials, in the order they are used (fill first):"))
          << "\n";
    for (const QJsonObject &o : view.accounts) {
        const AccountInfo info = AccountInfo::fromJson(o);
        out() << QStringLiteral("%1. %2  ").arg(info.position).arg(info.name)
              << methodText(o.value(QLatin1String("method")).toString())
              << (info.planName.isEmpty() ? QString() : QStringLiteral(" · ") + info.planName)
              << " · " << info.describeState() << "\n";
        if (!info.reason.isEmpty() && info.route != AccountIndex::Route::Usable)
            out() << "   " << info.reason << "\n";
    }
    if (!view.running)
        out() << Cli::tr("(Qwen Bridge is not running: the states are the ones it stored.)")
              << "\n";
}

void printJson(const AccountsView &view)
{
    QJsonArray list;
    QString serving;
    for (const QJsonObject &o : view.accounts) {
        list.append(o);
        if (o.value(QLatin1String("serving")).toBool())
            serving = o.value(QLatin1String("name")).toString();
    }
    const QJsonObject doc{
        {QStringLiteral("running"), view.running},
        {QStringLiteral("routing"), view.routing},
        {QStringLiteral("serving"), serving.isEmpty() ? QJsonValue() : QJsonValue(serving)},
        {QStringLiteral("accounts"), list}};
    out() << QJsonDocument(doc).toJson(QJsonDocument::Indented);
}

int runList(bool json)
{
    Settings settings;
    AccountsView view;
    view.routing = settings.routingPolicy();
    if (const std::optional<QJsonObject> reply = ControlClient::send(QStringLiteral("accounts"));
        reply && reply->value(QLatin1String("ok")).toBool() &&
        reply->contains(QLatin1String("accounts"))) {
        view.running = true;
        view.routing = reply->value(QLatin1String("routing")).toString(view.routing);
        const QJsonArray list = reply->value(QLatin1String("accounts")).toArray();
        for (const QJsonValue &v : list)
            view.accounts.append(v.toObject());
        json ? printJson(view) : printText(view);
        return ExitOk;
    }
    AccountStore store(settings);
    int exitCode = ExitOk;
    store.list([&](const AccountStore::Listing &listing) {
        if (!listing.result.ok()) {
            err() << listing.result.message() << "\n";
            err().flush();
            exitCode = exitCodeFor(listing.result.keychain.error);
            QCoreApplication::exit(exitCode);
            return;
        }
        const QDateTime now = QDateTime::currentDateTimeUtc();
        bool servingFound = false;
        int position = 0;
        for (const AccountIndex::Entry &e : listing.index.entries) {
            AccountInfo info =
                AccountInfo::fromStored(e, ++position, listing.credentials.value(e.name), now);
            // Nothing runs: the one that would serve next under fill first.
            if (!servingFound && info.route == AccountIndex::Route::Usable)
                info.serving = servingFound = true;
            view.accounts.append(info.toJson());
        }
        json ? printJson(view) : printText(view);
        out().flush();
        QCoreApplication::exit(ExitOk);
    });
    QCoreApplication::exec();
    return exitCode;
}

// One edit of the list, then the running Qwen Bridge (if any) takes it up.
int runEdit(const std::function<void(AccountStore &, AccountStore::Done)> &edit,
            const QString &doneText)
{
    Settings settings;
    AccountStore store(settings);
    int exitCode = ExitOk;
    edit(store, [&](const AccountStore::Result &r) {
        if (!r.ok()) {
            err() << r.message() << "\n";
            exitCode = r.problem.isEmpty() ? exitCodeFor(r.keychain.error) : ExitUsage;
        } else {
            out() << doneText << "\n";
            if (ControlClient::send(QStringLiteral("reload")).has_value())
                out() << Cli::tr("The running Qwen Bridge follows the new order.") << "\n";
        }
        out().flush();
        err().flush();
        QCoreApplication::exit(exitCode);
    });
    QCoreApplication::exec();
    return exitCode;
}

QString accountsUsage()
{
    return Cli::tr("Usage: qwen-bridge accounts [list] [--json]\n"
                   "       qwen-bridge accounts use NAME\n"
                   "       qwen-bridge accounts remove NAME\n"
                   "       qwen-bridge accounts order NAME...\n"
                   "       qwen-bridge accounts rename NAME NEW-NAME\n");
}

} // namespace

int runAccounts(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("json"), Cli::tr("Print JSON.")});
    parser.addPositionalArgument(QStringLiteral("action"), Cli::tr("list, use, remove, order"));
    if (!parser.parse(args)) {
        err() << parser.errorText() << "\n" << accountsUsage();
        return ExitUsage;
    }
    const QStringList words = parser.positionalArguments();
    const QString action = words.value(0, QStringLiteral("list"));
    const QStringList names = words.mid(1);
    if (action == QLatin1String("list") && names.isEmpty())
        return runList(parser.isSet(QStringLiteral("json")));
    if (action == QLatin1String("use") && names.size() == 1) {
        const QString name = names.first();
        return runEdit([name](AccountStore &s, AccountStore::Done d) { s.use(name, d); },
                       Cli::tr("\"%1\" is now the first credential.").arg(name));
    }
    if (action == QLatin1String("remove") && names.size() == 1) {
        const QString name = names.first();
        return runEdit([name](AccountStore &s, AccountStore::Done d) { s.remove(name, d); },
                       Cli::tr("Removed \"%1\" and its secret from the keychain.").arg(name));
    }
    if (action == QLatin1String("order") && !names.isEmpty()) {
        return runEdit(
            [names](AccountStore &s, AccountStore::Done d) { s.reorder(names, d); },
            Cli::tr("The order is now: %1 first.").arg(names.join(QStringLiteral(", "))));
    }
    if (action == QLatin1String("rename") && names.size() == 2) {
        const QString from = names.at(0);
        const QString to = names.at(1);
        return runEdit([from, to](AccountStore &s, AccountStore::Done d) { s.rename(from, to, d); },
                       Cli::tr("\"%1\" is now called \"%2\".").arg(from, to));
    }
    err() << accountsUsage();
    return ExitUsage;
}

} // namespace cli
