// Linked into every test executable (an object library, so nothing needs to call it): at
// exit, waits until QtTest's watchdog thread has fully ended.
//
// Why: QTest destroys its watchdog (a QThread named "QtTest Watchdog") once run() has
// returned, but the thread itself is still ending, and its own reference to the
// QThreadData that QThread's constructor allocated is dropped only by its thread-local
// clean-up. A third of the time that thread still exists when main() returns. The
// sanitizer run checks for leaks at exit; a thread caught half-way out is not scanned,
// and its QThreadData was once reported as a 152-byte "direct leak" in libQt6Core,
// failing the suite on code that is not ours. Once the thread is gone from
// /proc/self/task, that memory has been freed and the check has nothing to see.
//
// Plain libc here: Qt's own globals are being torn down while exit handlers run.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <thread>

namespace {
constexpr char kWatchdogName[] = "QtTest Watchdog"; // 15 characters: the kernel keeps 15

bool watchdogThreadExists()
{
    DIR *tasks = opendir("/proc/self/task");
    if (!tasks)
        return false;
    bool found = false;
    while (const dirent *entry = readdir(tasks)) {
        if (entry->d_name[0] == '.')
            continue;
        char path[sizeof "/proc/self/task/" + sizeof entry->d_name + sizeof "/comm"];
        std::snprintf(path, sizeof path, "/proc/self/task/%s/comm", entry->d_name);
        FILE *comm = std::fopen(path, "r");
        if (!comm)
            continue; // the thread ended while we looked
        char name[32] = {};
        const bool read = std::fgets(name, sizeof name, comm) != nullptr;
        std::fclose(comm);
        if (read && std::strncmp(name, kWatchdogName, sizeof kWatchdogName - 1) == 0) {
            found = true;
            break;
        }
    }
    closedir(tasks);
    return found;
}

void waitForWatchdogExit()
{
    // Bounded: the thread has nothing left to do but end; two seconds is far beyond that.
    for (int i = 0; i < 2000 && watchdogThreadExists(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

// Registered during static initialisation, so it runs at exit before the leak check,
// which the sanitizer runtime registered earlier still.
const int registered = std::atexit(waitForWatchdogExit);
} // namespace
