#include "gui.h"

#include "appicons.h"
#include "bridge/bridgeservice.h"
#include "fakeqwenservice.h"
#include "logging.h"
#include "settings/settings.h"
#include "traycontroller.h"
#include "uilog.h"
#include "uitranslator.h"
#include "unixsignals.h"

#include <QApplication>
#include <QMessageBox>

#include <memory>

int runGui(int &argc, char **argv, const GuiOptions &options)
{
    QApplication app(argc, argv);
    // Before any Settings exists: the demo keeps its own keychain entry.
    Settings::setDemoMode(options.demo);
    // The tray (or the status window) is the application: closing a dialog or the window
    // must not end it. Only Quit does.
    QApplication::setQuitOnLastWindowClosed(false);
    QApplication::setWindowIcon(AppIcons::application());
    QGuiApplication::setDesktopFileName(QStringLiteral("qwen-bridge"));
    setUpLogging(false);
    UiTranslator::install(QLocale::system());

    UnixSignals unixSignals;
    QObject::connect(&unixSignals, &UnixSignals::terminationRequested, &app,
                     &QCoreApplication::quit);

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
        qputenv("QWEN_BRIDGE_OAUTH_URL", fake->baseUrl().toString().toUtf8());
        qputenv("QWEN_BRIDGE_API_URL", fake->apiBaseUrl().toString().toUtf8());
        qCInfo(lcUi) << "DEMO: fake Qwen service at" << fake->baseUrl().toString();
    }

    BridgeService service;
    TrayController tray(&service, options.demo);
    service.start();
    tray.start(options.windowed);
    return app.exec();
}
