#pragma once

#include <functional>

// Runs the event loop until cond() holds or timeoutMs has passed; returns cond() at the
// end. What QTRY_* does, for helpers that return a value. The default is generous for a
// busy machine and never reached when a test passes.
bool waitFor(const std::function<bool()> &cond, int timeoutMs = 60000);
