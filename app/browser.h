#pragma once

#include <QUrl>

// Opens a URL in the person's browser without a GUI application object (terminal
// commands run on QCoreApplication, where QDesktopServices has no platform to ask).
bool openInBrowser(const QUrl &url);
