#pragma once

#include "appicons.h"
#include "session/sessionmanager.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSystemTrayIcon>
#include <QTimer>

class AboutDialog;
class BridgeService;
class ConfigureOpenCodeDialog;
class OpenCodeConfig;
class QAction;
class QMenu;
class SettingsDialog;
class SignInDialog;
class StatusWindow;

// The face of the application: the tray icon with its menu, or the status window when
// the desktop has no tray. Shows what BridgeService and its session say, and turns the
// person's clicks into calls on them; it decides nothing about the protocol itself.
class TrayController : public QObject
{
    Q_OBJECT
public:
    TrayController(BridgeService *service, bool demo, QObject *parent = nullptr);
    ~TrayController() override;

    // Shows the tray icon, waiting a few seconds for a tray that is still starting, and the
    // status window when none comes (or at once with windowed=true).
    void start(bool windowed);
    // How long start() looks for a tray before it shows the window.
    void setTrayWaitMs(int ms) { m_trayWaitMs = ms; }

    static TrayStatus statusFor(SessionState state, bool proxyFailed);
    // "3 h 12 min", "45 min", "less than a minute", "2 d 4 h"
    static QString formatDuration(qint64 seconds);

    TrayStatus status() const { return m_status; }
    QString stateText() const;
    QString toolTip() const;
    QMenu *menu() const { return m_menu; }
    QSystemTrayIcon *trayIcon() const { return m_tray; }
    bool isTrayShown() const { return m_tray->isVisible(); }
    StatusWindow *statusWindow() const { return m_window; }
    SignInDialog *signInDialog() const;
    OpenCodeConfig openCodeConfig() const;

public Q_SLOTS:
    void refresh();
    void signIn();
    void signOut();
    void configureOpenCode();
    void copyOpenCodeConfig();
    void copyProxyUrlAndKey();
    void openLogsFolder();
    void showSettings();
    void setStartAtLogin(bool on);
    void showAbout();
    void showStatusWindow();

Q_SIGNALS:
    // Every notification, whether a tray shows it or the status window does.
    void notified(const QString &title, const QString &message);

private:
    QAction *addStatusLine(const QString &objectName);
    QAction *addAction(const QString &objectName, const QString &text,
                       void (TrayController::*slot)());
    void probeTray();
    void showTray();
    void onStateChanged(SessionState state, const QString &reason);
    void onActivated(QSystemTrayIcon::ActivationReason reason);
    void notify(const QString &title, const QString &message,
                QSystemTrayIcon::MessageIcon icon = QSystemTrayIcon::Information);
    QString proxyBaseUrl() const;
    QStringList statusLines() const;
    QString titled(const QString &title) const;
    void showDialog(QWidget *dialog);

    BridgeService *m_service;
    bool m_demo;
    TrayStatus m_status = TrayStatus::SignedOut;
    SessionState m_lastState = SessionState::Starting;
    QString m_proxyError;
    QString m_localKeyError;
    QDateTime m_lastQuotaNotice;

    QSystemTrayIcon *m_tray;
    QMenu *m_menu;
    QAction *m_demoLine = nullptr;
    QAction *m_stateLine;
    QAction *m_expiryLine;
    QAction *m_proxyLine;
    QAction *m_requestsLine;
    QAction *m_signIn;
    QAction *m_signOut;
    QAction *m_configure;
    QAction *m_copyConfig;
    QAction *m_copyProxy;
    QAction *m_openLogs;
    QAction *m_settings;
    QAction *m_startAtLogin;
    QAction *m_about;
    QAction *m_quit;

    StatusWindow *m_window = nullptr;
    QPointer<SignInDialog> m_signInDialog;
    QPointer<SettingsDialog> m_settingsDialog;
    QPointer<AboutDialog> m_aboutDialog;
    QPointer<ConfigureOpenCodeDialog> m_configureDialog;

    QTimer m_trayProbe;
    QElapsedTimer m_trayWaited;
    int m_trayWaitMs = 5000;
    QTimer m_tick; // keeps "expires in" current
    QTimer m_statsRefresh;
};
