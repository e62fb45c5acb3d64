#pragma once

#include <QString>

// "Start at login" as the XDG autostart specification has it: a .desktop file in
// $XDG_CONFIG_HOME/autostart that the session starts when the person logs in.
class Autostart
{
public:
    static QString filePath(); // …/autostart/qwen-bridge.desktop

    // True when our entry exists and is not switched off (Hidden=true or
    // X-GNOME-Autostart-enabled=false, which desktops write when a person turns it off).
    static bool isEnabled();
    // Writes or removes the entry. On failure, returns false with a sentence in *error.
    static bool setEnabled(bool on, QString *error = nullptr);

    // The entry's text for an executable; Exec is quoted as the specification requires.
    static QByteArray desktopEntry(const QString &executable);
    // The executable to start at login: the AppImage when run from one, else this binary.
    static QString executable();
};
