#include "testprocess.h"

#include <QDeadlineTimer>
#include <QTest>

TestProcess::TestProcess(const QProcessEnvironment &env, QObject *parent)
    : QProcess(parent)
{
    setProcessEnvironment(env);
    setProcessChannelMode(QProcess::MergedChannels);
    setStandardInputFile(QProcess::nullDevice());
    connect(this, &QProcess::readyRead, this, [this] { m_output += readAll(); });
}

TestProcess::~TestProcess()
{
    if (state() != QProcess::NotRunning) {
        terminate();
        if (!waitForFinished(5000)) {
            kill();
            waitForFinished(5000);
        }
    }
}

void TestProcess::startBridge(const QStringList &arguments)
{
    start(QStringLiteral(QWEN_BRIDGE_BINARY), arguments);
    waitForStarted(10000);
}

int TestProcess::finish(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (state() != QProcess::NotRunning && !deadline.hasExpired())
        QTest::qWait(10);
    if (state() != QProcess::NotRunning) {
        kill();
        waitForFinished(5000);
        return -1;
    }
    m_output += readAll();
    return exitStatus() == QProcess::NormalExit ? exitCode() : -2;
}

bool TestProcess::waitForOutput(const QByteArray &needle, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!m_output.contains(needle) && !deadline.hasExpired()) {
        if (state() == QProcess::NotRunning)
            return m_output.contains(needle);
        QTest::qWait(10);
    }
    return m_output.contains(needle);
}

void TestProcess::killHard()
{
    kill();
    waitForFinished(5000);
}
