#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QTimer>

class Clock;

// Whether the upstream said the quota is used up: the one answer that `status`, the control
// channel and the tray all show. Only what really ends it clears it: another sign-in, the
// reset time of the window the upstream named, or an answer from the upstream. Renewing the
// token of the same sign-in does not.
class QuotaState : public QObject
{
    Q_OBJECT
public:
    explicit QuotaState(Clock *clock = nullptr, QObject *parent = nullptr);

    bool isExhausted() const { return !m_message.isEmpty(); }
    QString message() const { return m_message; }
    // When the used-up window resets; invalid when the upstream named none.
    QDateTime resetsAt() const { return m_resetsAt; }

    // The upstream said the quota is gone. True when that is news (it was not used up
    // before); a later reset time replaces an earlier one.
    bool report(const QString &message, const QDateTime &resetsAt = {});
    // Another sign-in took over: its quota is its own.
    void signInReplaced();
    // The upstream answered a chat: the quota is back, whatever was said before.
    void upstreamAnswered();
    // Re-checks the reset time now (after a suspend, the timer may be late).
    void checkNow();

Q_SIGNALS:
    void changed(bool exhausted);

private:
    void clear(const char *why);
    void armTimer();

    Clock *m_clock;
    QString m_message;
    QDateTime m_resetsAt;
    QTimer m_resetTimer;
};
