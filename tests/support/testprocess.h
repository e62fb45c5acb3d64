#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>

// Child processes for tests whose in-process fake must keep serving meanwhile: nothing
// here blocks the event loop.
class TestProcess : public QProcess
{
    Q_OBJECT
public:
    explicit TestProcess(const QProcessEnvironment &env, QObject *parent = nullptr);
    ~TestProcess() override;

    void startBridge(const QStringList &arguments); // the qwen-bridge under test
    // Waits for the end; the exit code, -1 when killed on timeout, -2 when it crashed.
    int finish(int timeoutMs = 60000);
    bool waitForOutput(const QByteArray &needle, int timeoutMs = 20000);
    QByteArray output() const { return m_output; } // stdout and stderr, merged
    void killHard();                               // SIGKILL, and wait for it

private:
    QByteArray m_output;
};
