#pragma once

#include <QLocale>
#include <QString>

// Installs the translations for a locale: ours (compiled into the binary from
// translations/qwen-bridge_*.ts) and Qt's own for standard buttons and dialogs.
class UiTranslator
{
public:
    // True when a translation of Qwen Bridge for the locale was found. English needs none.
    static bool install(const QLocale &locale);
    // Removes what install() added (tests switch languages).
    static void uninstall();
    static QString resourcePath(); // where the compiled .qm files are
};
