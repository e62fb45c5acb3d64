#include "logging.h"

#include "settings/settings.h"

#include <QLoggingCategory>

void setUpLogging(bool terminalCommand)
{
    const Settings settings;
    QString rules;
    if (settings.debugLogging()) {
        rules = QStringLiteral("qwenbridge.*.debug=true\nqwenbridge.*.info=true\n");
    } else if (terminalCommand) {
        // Terminal commands speak in sentences of their own; log lines would only repeat
        // them. Critical messages still show.
        rules = QStringLiteral("qwenbridge.*.debug=false\nqwenbridge.*.info=false\n"
                               "qwenbridge.*.warning=false\n");
    } else {
        rules = QStringLiteral("qwenbridge.*.debug=false\n");
    }
    QLoggingCategory::setFilterRules(rules);
}
