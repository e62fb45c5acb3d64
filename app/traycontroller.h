#pragma once

#include "appicons.h"
#include "session/sessionmanager.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSystemTrayIcon>
#include <QTimer>

#include <optional>

class AboutDialog;
class AccountsMenu;
class BridgeService;
class ConfigureOpenCodeDialog;
class ImportOfferDialog;
class OpenCodeConfig;
class QAction;
class QMenu;
class SettingsDialog;
class SignInDialog;
class StatusWindow;
class TrayStatusModel;
class UsageWindow;

// The face of the application: the tray icon with its menu, or the status window when
// the desktop has no tray. Shows what BridgeService and its session say, and turns the
// person's clicks into calls on them; it decides nothing about the protocol itself.
class TrayController : public QObject
{
    Q_OBJECT
public:
    bool eventFilter(QObject *watched, QEvent *event) override;
    TrayController(BridgeService *service, bool demo, QObject *parent = nullptr);
    ~TrayController() override;

    // Shows the tray icon, waiting a few seconds for a tray that is still starting, and the
    // status window when none comes (or at once with windowed=true).
    void start(bool windowed);
    // How long start() looks for a tray before it shows the window.
    void setTrayWaitMs(int ms) { m_trayWaitMs = ms; }

    // What the tray shows, decided without a widget.
    TrayStatusModel *model() const { return m_model; }
    TrayStatus status() const;
    QString stateText() const;
    QString toolTip() const;
    QMenu *menu() const { return m_menu; }
    AccountsMenu *accountsMenu() const { return m_accountsMenu; }
    QSystemTrayIcon *trayIcon() const { return m_tray; }
    bool isTrayShown() const { return m_tray->isVisible(); }
    StatusWindow *statusWindow() const { return m_window; }
    SignInDialog *signInDialog() const;
    ImportOfferDialog *importOfferDialog() const;
    OpenCodeConfig openCodeConfig() const;
    // What the service says (BridgeService::quota()): shown here, decided there.
    bool isQuotaExhausted() const;
    // "Model Studio pay-as-you-go (Singapore)" for the key signed in now, else empty.
    QString apiKeyPresetName() const;

public Q_SLOTS:
    // Reads the service again; the menu, icon and window follow the model.
    void refresh();
    void signIn();
    void useApiKey(); // the sign-in dialog, on its API-key page
    void signOut();
    void configureOpenCode();
    void copyOpenCodeConfig();
    void copyProxyUrlAndKey();
    void openLogsFolder();
    void showSettings();
    void setStartAtLogin(bool on);
    void showAbout();
    void showUsage();
    void showStatusWindow();
    // A second start of Qwen Bridge handed over to this one.
    void showFromSecondStart();
    // First run, signed out: the sign-in of the tool Qwen Bridge replaces, once.
    void offerImport();

Q_SIGNALS:
    // Every notification, whether a tray shows it or the status window does.
    void notified(const QString &title, const QString &message);

private:
    QAction *addStatusLine(const QString &objectName);
    QAction *addAction(const QString &objectName, const QString &text,
                       void (TrayController::*slot)());
    // Puts the model's view into the menu, the icon and the status window.
    void applyView();
    void probeTray();
    void showTray();
    void onStateChanged(SessionState state, const QString &reason);
    void onQuotaExhausted();
    void onActivated(QSystemTrayIcon::ActivationReason reason);
    // action: what a click on the notification (or the button beside it in the status
    // window) does; none when null.
    void notify(const QString &title, const QString &message,
                QSystemTrayIcon::MessageIcon icon = QSystemTrayIcon::Information,
                QAction *action = nullptr);
    SignInDialog *ensureSignInDialog();
    void importAccepted();
    QString proxyBaseUrl() const;
    QString titled(const QString &title) const;
    // The plan whose models OpenCode should see: a plan id, or "oauth".
    QString signedInPlan() const;
    // After a sign-in with another plan: offers to rewrite an existing OpenCode config.
    void offerOpenCodeRewrite();
    void showDialog(QWidget *dialog);

    BridgeService *m_service;
    bool m_demo;
    TrayStatusModel *m_model;
    std::optional<TrayStatus> m_shownStatus; // what the tray icon shows now
    SessionState m_lastState = SessionState::Starting;
    bool m_importChecked = false;
    QPointer<QAction> m_noticeAction; // what a click on the last notification does

    QSystemTrayIcon *m_tray;
    QMenu *m_menu;
    AccountsMenu *m_accountsMenu = nullptr;
    QAction *m_demoLine = nullptr;
    QAction *m_stateLine;
    QAction *m_methodLine;
    QAction *m_quotaLine;
    QAction *m_expiryLine;
    QAction *m_proxyLine;
    QAction *m_requestsLine;
    QAction *m_usageLine;
    QAction *m_signIn;
    QAction *m_useApiKey;
    QAction *m_signOut;
    QAction *m_configure;
    QAction *m_copyConfig;
    QAction *m_copyProxy;
    QAction *m_usage;
    QAction *m_openLogs;
    QAction *m_settings;
    QAction *m_startAtLogin;
    QAction *m_about;
    QAction *m_quit;

    StatusWindow *m_window = nullptr;
    QPointer<SignInDialog> m_signInDialog;
    QPointer<ImportOfferDialog> m_importOffer;
    QPointer<SettingsDialog> m_settingsDialog;
    QPointer<AboutDialog> m_aboutDialog;
    QPointer<ConfigureOpenCodeDialog> m_configureDialog;
    QPointer<UsageWindow> m_usageWindow;

    QTimer m_trayProbe;
    QElapsedTimer m_trayWaited;
    int m_trayWaitMs = 5000;
};
