#pragma once

#include <QLoggingCategory>

// Category "qwenbridge.http": connection life, protocol errors and timeouts. Never bodies,
// never header values that may carry secrets (Authorization, the local key).
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
