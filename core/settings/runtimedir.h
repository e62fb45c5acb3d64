#pragma once

#include <QCoreApplication>
#include <QString>

// The folder of one user's lock file and control socket (Settings::runtimeDir()). Without
// XDG_RUNTIME_DIR it lies in the shared temp folder, where another local user may have
// made it first, left it open to others or put a symbolic link in its place. Like tmux and
// ssh-agent, Qwen Bridge then refuses the folder rather than trust it.
class RuntimeDir
{
    Q_DECLARE_TR_FUNCTIONS(RuntimeDir)
public:
    // Creates the folder (mode 0700) when it is missing. Empty when the folder is this
    // user's alone; otherwise a sentence that names it and says what to do.
    static QString makePrivate(const QString &path);
    // The same checks without creating anything, for clients: a socket in a folder that
    // someone else controls may not be ours. A missing folder is not private; `why` is
    // only set for a folder that is there and refused.
    static bool isPrivate(const QString &path, QString *why = nullptr);

private:
    enum class Found { Missing, Private, Refused };
    static Found inspect(const QString &path, QString *why);
};
