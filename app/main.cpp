#include "cli.h"
#include "logging.h"

#include <QCoreApplication>
#include <QTextStream>

static bool hasDisplay()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

int main(int argc, char **argv)
{
    QCoreApplication::setApplicationName(QStringLiteral("qwen-bridge"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QWEN_BRIDGE_VERSION));
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    if (!isCliInvocation(arguments)) {
        if (!hasDisplay()) {
            QTextStream(stderr) << QCoreApplication::translate(
                "main", "No graphical display: starting without the tray, as `qwen-bridge "
                        "serve`. Sign in with `qwen-bridge login` in another terminal.\n");
            arguments = QStringList{arguments.value(0), QStringLiteral("serve")};
        }
    }
    QCoreApplication app(argc, argv);
    setUpLogging(isCliInvocation(arguments));
    if (!isCliInvocation(arguments))
        arguments = QStringList{arguments.value(0), QStringLiteral("serve")};
    return runCli(arguments);
}
