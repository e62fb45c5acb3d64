#include "session/instancelock.h"

#include "settings/runtimedir.h"
#include "settings/settings.h"

InstanceLock::InstanceLock() = default;

InstanceLock::~InstanceLock() = default;

QString InstanceLock::path()
{
    return Settings::runtimeDir() + QStringLiteral("/instance.lock");
}

InstanceLock::Result InstanceLock::tryLock()
{
    m_ownerPid = 0;
    m_error = RuntimeDir::makePrivate(Settings::runtimeDir());
    if (!m_error.isEmpty())
        return Result::Failed;
    m_lock = std::make_unique<QLockFile>(path());
    // Never stale by age: the app runs for days. QLockFile still takes over a lock whose
    // process is gone.
    m_lock->setStaleLockTime(0);
    if (m_lock->tryLock(0))
        return Result::Locked;
    QString host;
    QString app;
    switch (m_lock->error()) {
    case QLockFile::LockFailedError:
        if (m_lock->getLockInfo(&m_ownerPid, &host, &app) && m_ownerPid > 0)
            return Result::HeldByOther;
        m_ownerPid = 0;
        // The file is there, but names no process: unreadable, or not a lock at all.
        m_error = tr("Qwen Bridge could not take the lock %1 (the file is there but names no "
                     "running process). If no other Qwen Bridge is starting, remove the file "
                     "and start again.")
                      .arg(path());
        break;
    case QLockFile::PermissionError:
        m_error = tr("Qwen Bridge could not take the lock %1 (permission denied). Check that "
                     "you may write to %2.")
                      .arg(path(), Settings::runtimeDir());
        break;
    case QLockFile::NoError:
    case QLockFile::UnknownError:
        m_error = tr("Qwen Bridge could not take the lock %1 (an unexpected error). Check the "
                     "folder %2 and the free space on its disk.")
                      .arg(path(), Settings::runtimeDir());
        break;
    }
    return Result::Failed;
}

bool InstanceLock::isLocked() const
{
    return m_lock && m_lock->isLocked();
}
