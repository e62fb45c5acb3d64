#include "settings/runtimedir.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace {
QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}
} // namespace

RuntimeDir::Found RuntimeDir::inspect(const QString &path, QString *why)
{
    struct stat st = {};
    // lstat, not stat: a symbolic link is refused, never followed.
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0) {
        const int error = errno;
        if (error == ENOENT)
            return Found::Missing;
        *why = tr("The runtime folder %1 could not be checked (%2). Check that you may enter "
                  "%3, or set XDG_RUNTIME_DIR to a private folder of yours.")
                   .arg(path, systemError(error), QFileInfo(path).absolutePath());
        return Found::Refused;
    }
    if (S_ISLNK(st.st_mode)) {
        *why = tr("The runtime folder %1 is a symbolic link, which someone else may have put "
                  "there. Qwen Bridge does not use it: remove the link (rm %1) and start "
                  "Qwen Bridge again.")
                   .arg(path);
        return Found::Refused;
    }
    if (!S_ISDIR(st.st_mode)) {
        *why = tr("The runtime folder %1 is not a folder. Remove it and start Qwen Bridge "
                  "again.")
                   .arg(path);
        return Found::Refused;
    }
    if (st.st_uid != ::geteuid()) {
        *why = tr("The runtime folder %1 belongs to another user (uid %2), not to you (uid "
                  "%3). Qwen Bridge does not use it: ask an administrator to remove it, or "
                  "set XDG_RUNTIME_DIR to a private folder of yours.")
                   .arg(path, QString::number(st.st_uid), QString::number(::geteuid()));
        return Found::Refused;
    }
    if ((st.st_mode & 077) != 0) {
        *why =
            tr("The runtime folder %1 is open to other users (mode %2). Qwen Bridge does "
               "not use it: make it private (chmod 700 %1) or remove it, and start Qwen "
               "Bridge again.")
                .arg(path, QStringLiteral("0%1").arg(st.st_mode & 07777, 3, 8, QLatin1Char('0')));
        return Found::Refused;
    }
    return Found::Private;
}

QString RuntimeDir::makePrivate(const QString &path)
{
    QString why;
    Found found = inspect(path, &why);
    if (found == Found::Missing) {
        const QString parent = QFileInfo(path).absolutePath();
        QDir().mkpath(parent);
        if (::mkdir(QFile::encodeName(path).constData(), 0700) == 0) {
            // The umask may have taken more than group and others away.
            ::chmod(QFile::encodeName(path).constData(), 0700);
        } else if (const int error = errno; error != EEXIST) {
            return tr("The runtime folder %1 could not be created (%2). Check that you may "
                      "write to %3, or set XDG_RUNTIME_DIR to a private folder of yours.")
                .arg(path, systemError(error), parent);
        }
        // Made by us, or by someone else just now: either way it must pass the checks.
        found = inspect(path, &why);
    }
    if (found == Found::Private)
        return {};
    if (found == Found::Missing)
        why = tr("The runtime folder %1 disappeared while Qwen Bridge was creating it. Start "
                 "Qwen Bridge again.")
                  .arg(path);
    return why;
}

bool RuntimeDir::isPrivate(const QString &path, QString *why)
{
    QString refusal;
    const Found found = inspect(path, &refusal);
    if (why)
        *why = refusal;
    return found == Found::Private;
}
