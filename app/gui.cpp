#include "gui.h"

#include "appicons.h"
#include "bridge/bridgeservice.h"
#include "fakeqwenservice.h"
#include "logging.h"
#include "session/controlchannel.h"
#include "settings/settings.h"
#include "traycontroller.h"
#include "uitranslator.h"
#include "unixsignals.h"
#include "util/logcategories.h"

#include <QApplication>
#include <QMessageBox>
#include <QTimer>

#include <memory>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace {
constexpr int kTrimDelayMs = 3000;

void trimHeap()
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}
} // namespace

QString demoApiKey()
{
    return QStringLiteral("sk-demo");
}

int runGui(int &argc, char **argv, const GuiOptions &options)
{
    QApplication app(argc, argv);
    // Before any Settings exists: the demo keeps its own keychain entry.
    Settings::setDemoMode(options.demo);
    // The tray (or the status window) is the application: closing a dialog or the window
    // must not end it. Only Quit does.
    QApplication::setQuitOnLastWindowClosed(false);
    QApplication::setWindowIcon(AppIcons::application());
    // The installed desktop entry and icon carry the reverse-DNS id (packaging/), so that
    // window managers and portals match our windows to them.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.qwen_bridge.QwenBridge"));
    setUpLogging(false);
    UiTranslator::install(QLocale::system());

    UnixSignals unixSignals;
    // exit(), not quit(): a status window that refuses to close must not keep us running.
    QObject::connect(&unixSignals, &UnixSignals::terminationRequested, &app,
                     [] { QCoreApplication::exit(0); });

    // --demo: the fake Qwen service runs in this process on a free loopback port, and the
    // bridge is pointed at it through the same variables a person would use. Its sign-in
    // page waits for a click on Approve, so the whole flow can be tried by hand.
    std::unique_ptr<FakeQwenService> fake;
    if (options.demo) {
        fake = std::make_unique<FakeQwenService>();
        if (!fake->start(0)) {
            QMessageBox::critical(
                nullptr, QCoreApplication::translate("Gui", "Qwen Bridge DEMO"),
                QCoreApplication::translate("Gui", "The demo service could not start."));
            return 1;
        }
        fake->setPollInterval(2);
        fake->setApiKeys({demoApiKey()});
        qputenv("QWEN_BRIDGE_OAUTH_URL", fake->baseUrl().toString().toUtf8());
        qputenv("QWEN_BRIDGE_API_URL", fake->apiBaseUrl().toString().toUtf8());
        qCInfo(lcUi) << "DEMO: fake Qwen service at" << fake->baseUrl().toString();
    }

    BridgeService service;
    TrayController tray(&service, options.demo);
    // A second start: the running Qwen Bridge owns the session, so this one only asks it to
    // show itself and goes, before any icon or window of its own appears.
    qint64 runningPid = 0;
    QObject::connect(&service, &BridgeService::alreadyRunning, &tray,
                     [&runningPid](qint64 pid) { runningPid = pid > 0 ? pid : -1; });
    QString lockError;
    QObject::connect(&service, &BridgeService::lockFailed, &tray,
                     [&lockError](const ServiceError &e) { lockError = e.message; });
    service.start();
    if (!lockError.isEmpty()) {
        qCWarning(lcUi).noquote() << lockError;
        QMessageBox::critical(nullptr, QCoreApplication::translate("Gui", "Qwen Bridge"),
                              lockError);
        return 1;
    }
    if (runningPid != 0) {
        // The one blocking wait of the GUI, before the event loop has anything to do.
        if (ControlClient::send(QStringLiteral("show")))
            qCInfo(lcUi) << "Qwen Bridge already runs (pid" << runningPid << "); it shows itself";
        else
            qCWarning(lcUi) << "Qwen Bridge already runs (pid" << runningPid
                            << ") but did not answer";
        return 0;
    }
    tray.start(options.windowed);
    // Start-up and every window leave freed heap behind that glibc keeps for reuse; an idle
    // tray hands it back (issue 18, bench/run's tray RSS). Once when start-up has settled,
    // and each time the last window has been closed for a moment.
    QTimer trim;
    trim.setSingleShot(true);
    trim.setInterval(kTrimDelayMs);
    QObject::connect(&trim, &QTimer::timeout, &app, [] { trimHeap(); });
    QObject::connect(&app, &QGuiApplication::lastWindowClosed, &trim, qOverload<>(&QTimer::start));
    trim.start();
    return app.exec();
}
