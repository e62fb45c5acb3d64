#pragma once

#include "bridge/traystatusmodel.h"

#include <QIcon>

// The icons of the application: the tray states drawn from the SVGs in resources/icons,
// the application icon from the PNGs the package installs (packaging/icons).
class AppIcons
{
public:
    static QIcon application();
    static QIcon tray(TrayStatus status);
    static QString trayResource(TrayStatus status); // ":/icons/tray-….svg"
};
