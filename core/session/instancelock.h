#pragma once

#include <QLockFile>
#include <QString>
#include <memory>

// Only one Qwen Bridge process owns the session (and so refreshes tokens) at a time: the
// one holding this lock in the runtime folder. A lock left by a dead process is taken over.
class InstanceLock
{
public:
    InstanceLock();
    ~InstanceLock();

    bool tryLock();
    bool isLocked() const;
    qint64 ownerPid() const; // of the holder, when tryLock() failed
    static QString path();

private:
    std::unique_ptr<QLockFile> m_lock;
};
