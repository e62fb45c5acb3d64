#include "cli_p.h"

#include "bridge/bridgeservice.h"
#include "proxy/proxyserver.h"
#include "session/sessionmanager.h"
#include "unixsignals.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QMetaObject>

namespace cli {

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
    QObject::connect(&service, &BridgeService::proxyFailed, [&](const ServiceError &e) {
        err() << e.message << "\n";
        err().flush();
        exitCode = ExitOther;
        QCoreApplication::exit(exitCode);
    });
    QObject::connect(&service, &BridgeService::localKeyFailed, [&](const ServiceError &e) {
        err() << Cli::tr("The proxy's local key could not be read or created: %1").arg(e.message)
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
    QObject::connect(&service, &BridgeService::lockFailed, [&](const ServiceError &e) {
        err() << e.message << "\n";
        err().flush();
        exitCode = ExitOther;
        QCoreApplication::exit(exitCode);
    });
    QObject::connect(&service, &BridgeService::quotaExhausted, [&](const ServiceError &e) {
        err() << e.message << "\n";
        err().flush();
    });
    // Started from the event loop: a refusal (already running, no lock) must be able to end
    // it.
    QMetaObject::invokeMethod(&service, &BridgeService::start, Qt::QueuedConnection);
    const int loopCode = QCoreApplication::exec();
    return exitCode != ExitOk ? exitCode : loopCode;
}

} // namespace cli
