#include "cli.h"
#include "logging.h"

#include <QCoreApplication>

int main(int argc, char **argv)
{
    QCoreApplication::setApplicationName(QStringLiteral("qwen-bridge"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QWEN_BRIDGE_VERSION));
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    QCoreApplication app(argc, argv);
    setUpLogging(true);
    return runCli(arguments);
}
