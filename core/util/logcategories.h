#pragma once

#include <QLoggingCategory>

// Every logging category, one per area. QT_LOGGING_RULES (or DEBUG_QWEN_PLUGIN, see
// app/logging.cpp) filters on the names in the comments. Never log bodies, tokens, keys or
// header values that may carry them.

Q_DECLARE_LOGGING_CATEGORY(lcHttp)       // qwenbridge.http: connections, protocol errors, timeouts
Q_DECLARE_LOGGING_CATEGORY(lcOAuth)      // qwenbridge.oauth: device sign-in and token refresh
Q_DECLARE_LOGGING_CATEGORY(lcKeychain)   // qwenbridge.keychain: the secret store
Q_DECLARE_LOGGING_CATEGORY(lcKeyCheck)   // qwenbridge.keycheck: checking an API key (info+)
Q_DECLARE_LOGGING_CATEGORY(lcSession)    // qwenbridge.session: sign-in state, the lock
Q_DECLARE_LOGGING_CATEGORY(lcProxy)      // qwenbridge.proxy: requests through the proxy
Q_DECLARE_LOGGING_CATEGORY(lcRewrite)    // qwenbridge.proxy.rewrite: model and mode (info+)
Q_DECLARE_LOGGING_CATEGORY(lcRequestLog) // qwenbridge.proxy.log: the request log file
Q_DECLARE_LOGGING_CATEGORY(lcProxySettings)  // qwenbridge.proxy.settings: network proxy
Q_DECLARE_LOGGING_CATEGORY(lcPlans)          // qwenbridge.plans: the plan catalog (info+)
Q_DECLARE_LOGGING_CATEGORY(lcUsage)          // qwenbridge.usage: the usage meter
Q_DECLARE_LOGGING_CATEGORY(lcOpenCodeConfig) // qwenbridge.opencode: OpenCode's config (info+)
Q_DECLARE_LOGGING_CATEGORY(lcBridge)         // qwenbridge.bridge: the service as a whole
Q_DECLARE_LOGGING_CATEGORY(lcUi)             // qwenbridge.ui: tray, dialogs, windows
Q_DECLARE_LOGGING_CATEGORY(lcFakeQwen)       // qwenbridge.fake: the demo's fake service
