#include "uilog.h"

Q_LOGGING_CATEGORY(lcUi, "qwenbridge.ui")
