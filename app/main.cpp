#include "cli.h"
#include "gui.h"
#include "logging.h"

#include <QCoreApplication>
#include <QTextStream>

static bool hasDisplay()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
           qgetenv("QT_QPA_PLATFORM") == "offscreen";
}

int main(int argc, char **argv)
{
    QCoreApplication::setApplicationName(QStringLiteral("qwen-bridge"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QWEN_BRIDGE_VERSION));
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    if (!isCliInvocation(arguments)) {
        GuiOptions options;
        QStringList unknown;
        for (const QString &a : arguments.mid(1)) {
            if (a == QLatin1String("--demo"))
                options.demo = true;
            else if (a == QLatin1String("--windowed"))
                options.windowed = true;
            else
                unknown << a;
        }
        if (!unknown.isEmpty()) {
            QCoreApplication app(argc, argv);
            QTextStream(stderr) << QCoreApplication::translate("main", "Unknown option: %1\n")
                                       .arg(unknown.join(QLatin1Char(' ')))
                                << QCoreApplication::translate(
                                       "main", "Run `qwen-bridge --help` to see what it takes.\n");
            return ExitUsage;
        }
        if (hasDisplay())
            return runGui(argc, argv, options);
        QTextStream(stderr) << QCoreApplication::translate(
            "main", "No graphical display: starting without the tray, as `qwen-bridge serve`. "
                    "Sign in with `qwen-bridge login` in another terminal.\n");
        arguments = QStringList{arguments.value(0), QStringLiteral("serve")};
    }
    // Qt's own event dispatcher, as in the tray: one event loop for the proxy everywhere
    // (bench/README.md, "bench/dispatchers", has the measurement that decided it).
    QCoreApplication app(argc, argv);
    setUpLogging(true);
    return runCli(arguments);
}
