#pragma once

#include "bridge/statusreport.h"

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

class BridgeService;
class UsageMonitor;

// What the tray icon says at a glance.
enum class TrayStatus {
    SignedOut,
    SigningIn,
    SignedIn,
    Attention, // sign in again, keychain trouble, the proxy could not start
};

// Everything the tray and the status window show, as words and switches: no widget
// reads the service itself. An empty line is a line not shown.
struct TrayView
{
    TrayStatus status = TrayStatus::SignedOut;
    QString stateText;  // the headline: "Signed in with an API key"
    QString reasonLine; // why the session needs attention, when it says
    QString methodLine; // "Key for Coding Plan (global)"
    QString quotaLine;
    QString expiryLine;    // "Token expires in 3 h 12 min (renewed automatically)"
    QString expiryTipLine; // the same as a time: "Token valid until 14:20 (…)"
    // When expiryLine next shows another minute; 0: it does not count down.
    qint64 expiryChangesInMs = 0;
    QString proxyLine; // always shown
    QString localKeyLine;
    QString requestsLine;
    QString usageLine;

    QString signInText;
    bool signInVisible = true;
    bool signInEnabled = false;
    QString useApiKeyText;
    bool useApiKeyEnabled = false;
    // The quota is gone: "Use an API key…" is the way out, first in the menu and in bold.
    bool useApiKeyProminent = false;
    bool signOutVisible = false;
    // Configure and copy need the local key; without it they say why not.
    bool localKeyReady = false;
    QString waitingForKeyText;

    // The lines under the headline, in the order the menu and the window show them.
    QStringList lines() const { return linesWith(expiryLine); }
    // The same for the tooltip, which names times instead of counting down.
    QStringList toolTipLines() const { return linesWith(expiryTipLine); }

private:
    QStringList linesWith(const QString &expiry) const;
};

// Turns what BridgeService, its session, quota and usage say into what the tray shows.
// Holds no widget; the tray builds its menu and icon from view() on every changed().
class TrayStatusModel : public QObject
{
    Q_OBJECT
public:
    // What view() is computed from, gathered from the service (or written by a test).
    struct Input
    {
        StatusReport report;
        QString proxyError;    // the proxy could not start
        QString localKeyError; // the local key could not be read or made
        bool hasProxy = false;
        quint64 requestsToday = 0;
        bool localKeyLoaded = false;
        QString usageLine; // UsageMonitor::statusLine()
        QDateTime nowUtc;
    };

    TrayStatusModel(BridgeService *service, bool demo, QObject *parent = nullptr);

    static TrayStatus statusFor(SessionState state, bool proxyFailed);
    // "3 h 12 min", "45 min", "less than a minute", "2 d 4 h"
    static QString formatDuration(qint64 seconds);
    // "14:20", "09:05 tomorrow", "12/24/26, 14:20" in the user's locale and time zone
    static QString formatClockTime(const QDateTime &atUtc, const QDateTime &nowUtc);
    static TrayView viewFor(const Input &input);

    const TrayView &view() const { return m_view; }
    TrayStatus status() const { return m_view.status; }
    QString stateText() const { return m_view.stateText; }
    // "Qwen Bridge", the headline, then every line.
    QString toolTip() const;
    Input input() const;
    bool isDemo() const { return m_demo; }

    bool isQuotaExhausted() const;
    // "Model Studio pay-as-you-go (Singapore)" for the key signed in now, else empty.
    QString apiKeyPresetName() const;
    // Where OpenCode sends its requests; empty while the proxy does not listen.
    QString proxyBaseUrl() const;
    UsageMonitor *usageMonitor() const { return m_usageMonitor; }

    // Someone looks at the menu or the status window (counted; false when they stop). The
    // countdown is kept current only meanwhile: an idle app has no timer for it.
    void setWatched(bool watched);
    bool isWatched() const { return m_watchers > 0; }
    // When the countdown next refreshes the view; -1 when it does not run.
    int countdownRemainingMs() const { return m_countdown.remainingTime(); }

public Q_SLOTS:
    // Recomputes the view from the service and says so.
    void refresh();
    // The proxy is being restarted: the last failure no longer says anything.
    void clearProxyError();

Q_SIGNALS:
    void changed();

private:
    BridgeService *m_service;
    bool m_demo;
    QString m_proxyError;
    QString m_localKeyError;
    UsageMonitor *m_usageMonitor;
    TrayView m_view;
    QTimer m_statsRefresh;
    QTimer m_countdown;
    int m_watchers = 0;
};
