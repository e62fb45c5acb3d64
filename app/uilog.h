#pragma once

#include <QLoggingCategory>

// The tray, the dialogs and the status window.
Q_DECLARE_LOGGING_CATEGORY(lcUi)
