#pragma once

#include <QCoreApplication>
#include <QLockFile>
#include <QString>
#include <memory>

// Only one Qwen Bridge process owns the session (and so refreshes tokens) at a time: the
// one holding this lock in the runtime folder. A lock left by a dead process is taken over.
class InstanceLock
{
    Q_DECLARE_TR_FUNCTIONS(InstanceLock)
public:
    enum class Result {
        Locked,
        HeldByOther, // a running Qwen Bridge holds it: ownerPid()
        Failed,      // no process to hand over to: errorString() says why
    };

    InstanceLock();
    ~InstanceLock();

    // Checks the runtime folder first (RuntimeDir).
    Result tryLock();
    bool isLocked() const;
    qint64 ownerPid() const { return m_ownerPid; }
    QString errorString() const { return m_error; }
    static QString path();

private:
    std::unique_ptr<QLockFile> m_lock;
    qint64 m_ownerPid = 0;
    QString m_error;
};
