#pragma once

#include <QStringList>

// Exit codes of the command line (README "Command line").
enum ExitCode {
    ExitOk = 0,
    ExitOther = 1,
    ExitDenied = 2,
    ExitExpired = 3,
    ExitNetwork = 4,
    ExitKeychain = 5,
    ExitUsage = 64,
};

// True when the arguments name a terminal command rather than the tray application.
bool isCliInvocation(const QStringList &arguments);

// Runs a terminal command to the end; a QCoreApplication must exist.
int runCli(const QStringList &arguments);

// `usage [--json] [--days N]` (cli_usage.cpp).
int runUsage(const QStringList &args);
