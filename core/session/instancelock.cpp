#include "session/instancelock.h"

#include "settings/settings.h"

#include <QDir>
#include <QFile>

InstanceLock::InstanceLock() = default;

InstanceLock::~InstanceLock() = default;

QString InstanceLock::path()
{
    return Settings::runtimeDir() + QStringLiteral("/instance.lock");
}

bool InstanceLock::tryLock()
{
    const QString dir = Settings::runtimeDir();
    QDir().mkpath(dir);
    QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    m_lock = std::make_unique<QLockFile>(path());
    // Never stale by age: the app runs for days. QLockFile still takes over a lock whose
    // process is gone.
    m_lock->setStaleLockTime(0);
    return m_lock->tryLock(0);
}

bool InstanceLock::isLocked() const
{
    return m_lock && m_lock->isLocked();
}

qint64 InstanceLock::ownerPid() const
{
    qint64 pid = 0;
    QString host;
    QString app;
    if (m_lock && m_lock->getLockInfo(&pid, &host, &app))
        return pid;
    return 0;
}
