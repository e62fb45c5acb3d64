#pragma once

#include "bridge/traystatusmodel.h"

#include <QIcon>

// The icons of the application: the tray states from the PNGs rendered from the SVGs in
// resources/icons, the application icon from the PNGs the package installs
// (packaging/icons). Both are rendered ahead by librsvg (render-pngs.sh beside them).
class AppIcons
{
public:
    static QIcon application();
    static QIcon tray(TrayStatus status);
    static QString trayResource(TrayStatus status); // ":/icons/tray-…", a folder of sizes
};
