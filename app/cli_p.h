#pragma once

// What the command-line files (cli*.cpp) share: the output streams, the translation
// context, the exit codes of failures and one runner per command.

#include "cli.h"

#include <QCoreApplication>
#include <QStringList>
#include <QTextStream>

enum class AuthError;
enum class KeychainError;

// The context of every sentence the command line prints, for lupdate.
struct Cli
{
    Q_DECLARE_TR_FUNCTIONS(Cli)
};

namespace cli {

QTextStream &out(); // standard output
QTextStream &err(); // standard error
bool stdoutIsTerminal();
int exitCodeFor(KeychainError error);
int exitCodeFor(AuthError error);
// The help text, also shown after wrong usage.
QString usageText();

int runLogin(const QStringList &args);          // cli_login.cpp
int runStatus(const QStringList &args);         // cli_status.cpp
int runLogout(const QStringList &args);         // cli_logout.cpp
int runServe(const QStringList &args);          // cli_serve.cpp
int runImport(const QStringList &args);         // cli_import.cpp
int runOpenCodeConfig(const QStringList &args); // cli_opencodeconfig.cpp
int runAccounts(const QStringList &args);       // cli_accounts.cpp

} // namespace cli
