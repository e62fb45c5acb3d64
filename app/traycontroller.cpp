#include "traycontroller.h"

#include "aboutdialog.h"
#include "accountsmenu.h"
#include "autostart.h"
#include "bridge/bridgeservice.h"
#include "bridge/traystatusmodel.h"
#include "configureopencodedialog.h"
#include "importofferdialog.h"
#include "settingsdialog.h"
#include "signindialog.h"
#include "statuswindow.h"
#include "usage/usagemonitor.h"
#include "util/logcategories.h"

#include <QAction>
#include <QApplication>
#include <QCursor>
#include <QEvent>
#include <QMenu>

namespace {
constexpr int kTrayProbeFastMs = 250;
constexpr int kTrayProbeSlowMs = 2000; // after the wait: a tray may still come later
} // namespace

TrayController::TrayController(BridgeService *service, bool demo, QObject *parent)
    : QObject(parent)
    , m_service(service)
    , m_demo(demo)
    , m_model(new TrayStatusModel(service, demo, this))
    , m_tray(new QSystemTrayIcon(this))
    , m_menu(new QMenu)
{
    m_menu->setObjectName(QStringLiteral("trayMenu"));
    if (demo) {
        m_demoLine = addStatusLine(QStringLiteral("demoLine"));
        m_demoLine->setText(tr("DEMO — fake Qwen service on this computer"));
    }
    m_stateLine = addStatusLine(QStringLiteral("stateLine"));
    QFont headline = m_stateLine->font();
    headline.setBold(true);
    m_stateLine->setFont(headline);
    m_methodLine = addStatusLine(QStringLiteral("methodLine"));
    m_quotaLine = addStatusLine(QStringLiteral("quotaLine"));
    m_expiryLine = addStatusLine(QStringLiteral("expiryLine"));
    m_proxyLine = addStatusLine(QStringLiteral("proxyLine"));
    m_requestsLine = addStatusLine(QStringLiteral("requestsLine"));
    m_usageLine = addStatusLine(QStringLiteral("usageLine"));
    m_menu->addSeparator();
    // "Sign in…" changes its text with the state; refresh() sets it.
    m_signIn = addAction(QStringLiteral("signInAction"), QString(), &TrayController::signIn);
    // Its text and place change with the state, and it moves to the top when the quota is
    // gone; refresh() sees to both.
    m_useApiKey =
        addAction(QStringLiteral("useApiKeyAction"), QString(), &TrayController::useApiKey);
    m_signOut =
        addAction(QStringLiteral("signOutAction"), tr("Sign out"), &TrayController::signOut);
    m_accountsMenu = new AccountsMenu(service, demo, m_menu);
    m_menu->addMenu(m_accountsMenu);
    m_menu->addSeparator();
    m_configure = addAction(QStringLiteral("configureOpenCodeAction"), tr("Configure OpenCode…"),
                            &TrayController::configureOpenCode);
    m_copyConfig = addAction(QStringLiteral("copyConfigAction"), tr("Copy OpenCode config"),
                             &TrayController::copyOpenCodeConfig);
    m_copyProxy = addAction(QStringLiteral("copyProxyAction"), tr("Copy proxy URL and key"),
                            &TrayController::copyProxyUrlAndKey);
    m_usage = addAction(QStringLiteral("usageAction"), tr("Usage…"), &TrayController::showUsage);
    m_menu->addSeparator();
    m_openLogs = addAction(QStringLiteral("openLogsAction"), tr("Open logs folder"),
                           &TrayController::openLogsFolder);
    m_settings =
        addAction(QStringLiteral("settingsAction"), tr("Settings…"), &TrayController::showSettings);
    m_startAtLogin = m_menu->addAction(tr("Start at login"));
    m_startAtLogin->setObjectName(QStringLiteral("startAtLoginAction"));
    m_startAtLogin->setCheckable(true);
    connect(m_startAtLogin, &QAction::triggered, this, &TrayController::setStartAtLogin);
    m_about = addAction(QStringLiteral("aboutAction"), tr("About Qwen Bridge"),
                        &TrayController::showAbout);
    m_menu->addSeparator();
    m_quit = m_menu->addAction(tr("Quit"));
    m_quit->setObjectName(QStringLiteral("quitAction"));
    // exit() rather than quit(): since Qt 6, quit() first asks every window to close, and
    // the status window without a tray refuses (it only minimizes), which cancels the quit.
    connect(m_quit, &QAction::triggered, qApp, [] { QCoreApplication::exit(0); });

    m_tray->setContextMenu(m_menu);
    connect(m_tray, &QSystemTrayIcon::activated, this, &TrayController::onActivated);
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
        if (m_noticeAction && m_noticeAction->isVisible() && m_noticeAction->isEnabled())
            m_noticeAction->trigger();
    });
    connect(m_menu, &QMenu::aboutToShow, this, [this] {
        // The desktop's own settings may have switched the autostart entry off meanwhile.
        m_startAtLogin->setChecked(Autostart::isEnabled());
        m_model->setWatched(true); // current now, and its countdown runs while open
    });
    connect(m_menu, &QMenu::aboutToHide, this, [this] { m_model->setWatched(false); });

    // The model hears the service first: the menu is current when a notice goes out.
    connect(m_model, &TrayStatusModel::changed, this, &TrayController::applyView);
    SessionManager *session = service->session();
    connect(session, &SessionManager::stateChanged, this, &TrayController::onStateChanged);
    connect(service, &BridgeService::proxyFailed, this, [this](const ServiceError &e) {
        notify(tr("The proxy could not start"), e.message, QSystemTrayIcon::Warning);
    });
    connect(service, &BridgeService::quotaExhausted, this, &TrayController::onQuotaExhausted);
    // Once per switch: which credential serves now, and why the one before stopped.
    connect(service, &BridgeService::accountSwitched, this,
            [this](const QString &from, const QString &to, const QString &reason) {
                notify(tr("Now using “%1”").arg(to),
                       reason.isEmpty() ? tr("Requests go to “%1” instead of “%2”.").arg(to, from)
                                        : tr("“%1” stopped: %2").arg(from, reason),
                       QSystemTrayIcon::Information);
            });
    connect(service, &BridgeService::showRequested, this, &TrayController::showFromSecondStart);
    connect(m_model->usageMonitor(), &UsageMonitor::thresholdCrossed, this,
            [this](const QString &title, const QString &message) {
                notify(titled(title), message, QSystemTrayIcon::Information, m_usage);
            });
    connect(service, &BridgeService::usageDatabaseReplaced, this, [this](const QString &notice) {
        notify(tr("The usage meter starts afresh"), notice, QSystemTrayIcon::Warning);
    });

    m_trayProbe.setInterval(kTrayProbeFastMs);
    connect(&m_trayProbe, &QTimer::timeout, this, &TrayController::probeTray);

    m_lastState = session->state();
    m_startAtLogin->setChecked(Autostart::isEnabled());
    refresh();
}

TrayController::~TrayController()
{
    // The dialogs call into the bridge; none may outlive this controller and the service.
    delete m_signInDialog;
    delete m_importOffer;
    delete m_settingsDialog;
    delete m_aboutDialog;
    delete m_configureDialog;
    delete m_window;
    delete m_menu;
}

SignInDialog *TrayController::signInDialog() const
{
    return m_signInDialog;
}

ImportOfferDialog *TrayController::importOfferDialog() const
{
    return m_importOffer;
}

QString TrayController::apiKeyPresetName() const
{
    return m_model->apiKeyPresetName();
}

TrayStatus TrayController::status() const
{
    return m_model->status();
}

QAction *TrayController::addStatusLine(const QString &objectName)
{
    QAction *action = m_menu->addAction(QString());
    action->setObjectName(objectName);
    action->setEnabled(false); // information, not a command
    return action;
}

QAction *TrayController::addAction(const QString &objectName, const QString &text,
                                   void (TrayController::*slot)())
{
    QAction *action = m_menu->addAction(text);
    action->setObjectName(objectName);
    connect(action, &QAction::triggered, this, slot);
    return action;
}

void TrayController::start(bool windowed)
{
    if (windowed) {
        showStatusWindow();
        m_window->setWindowedOnPurpose(true);
        return;
    }
    m_trayWaited.start();
    probeTray();
    if (!isTrayShown())
        m_trayProbe.start();
}

void TrayController::probeTray()
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_trayProbe.stop();
        showTray();
        return;
    }
    if (!m_window && m_trayWaited.elapsed() >= m_trayWaitMs) {
        qCInfo(lcUi) << "no system tray after" << m_trayWaitMs << "ms; showing the status window";
        showStatusWindow();
        m_trayProbe.setInterval(kTrayProbeSlowMs);
    }
}

void TrayController::showTray()
{
    // Qt decides once per process whether a D-Bus tray exists; a tray that arrives later is
    // an XEmbed one, and showing the icon now is what embeds it there.
    qCInfo(lcUi) << "system tray found; showing the icon";
    m_tray->show();
    if (m_window)
        m_window->setTrayAvailable(true);
}

void TrayController::showStatusWindow()
{
    if (!m_window) {
        m_window = new StatusWindow(m_demo);
        m_window->setActions({m_signIn, m_useApiKey, m_signOut, m_configure, m_copyConfig,
                              m_copyProxy, m_openLogs, m_settings},
                             {m_startAtLogin, m_about, m_quit});
        m_window->setTrayAvailable(isTrayShown());
        m_window->installEventFilter(this);
        m_startAtLogin->setChecked(Autostart::isEnabled());
        refresh();
    }
    m_window->showNormal();
    m_window->raise();
    m_window->activateWindow();
}

bool TrayController::eventFilter(QObject *watched, QEvent *event)
{
    // The status window counts as looking while it is on screen, as the open menu does.
    if (watched == m_window && (event->type() == QEvent::Show || event->type() == QEvent::Hide))
        m_model->setWatched(event->type() == QEvent::Show);
    return QObject::eventFilter(watched, event);
}

void TrayController::onActivated(QSystemTrayIcon::ActivationReason reason)
{
    // A left click opens the same menu as a right click: there is nothing else to show.
    if (reason == QSystemTrayIcon::Trigger) {
        refresh();
        m_menu->popup(QCursor::pos());
    }
}

QString TrayController::stateText() const
{
    return m_model->stateText();
}

QString TrayController::proxyBaseUrl() const
{
    return m_model->proxyBaseUrl();
}

QString TrayController::titled(const QString &title) const
{
    return m_demo ? tr("%1 (DEMO)").arg(title) : title;
}

QString TrayController::toolTip() const
{
    return m_model->toolTip();
}

void TrayController::refresh()
{
    m_model->refresh();
}

void TrayController::applyView()
{
    const TrayView &view = m_model->view();
    m_stateLine->setText(view.stateText);
    // The icons and the tooltip are set only when they change: setting them again repaints
    // the tray icon, a round trip to the display server on every refresh of an idle app.
    const bool newIcon = !m_shownStatus || *m_shownStatus != view.status;
    if (newIcon) {
        // The state line is disabled like every status line, but keeps its colours: it is
        // the same picture as the tray icon.
        QIcon stateIcon;
        const QPixmap statePixmap = AppIcons::tray(view.status).pixmap(32, 32);
        stateIcon.addPixmap(statePixmap, QIcon::Normal);
        stateIcon.addPixmap(statePixmap, QIcon::Disabled);
        m_stateLine->setIcon(stateIcon);
    }

    const auto showLine = [](QAction *line, const QString &text) {
        line->setVisible(!text.isEmpty());
        if (!text.isEmpty())
            line->setText(text);
    };
    showLine(m_methodLine, view.methodLine);
    showLine(m_quotaLine, view.quotaLine);
    showLine(m_expiryLine, view.expiryLine);
    m_proxyLine->setText(view.proxyLine);
    showLine(m_requestsLine, view.requestsLine);
    showLine(m_usageLine, view.usageLine);

    m_signIn->setVisible(view.signInVisible);
    m_signIn->setEnabled(view.signInEnabled);
    m_signIn->setText(view.signInText);
    m_useApiKey->setEnabled(view.useApiKeyEnabled);
    m_useApiKey->setText(view.useApiKeyText);
    QFont prominent = m_useApiKey->font();
    prominent.setBold(view.useApiKeyProminent);
    m_useApiKey->setFont(prominent);
    // When the quota is gone, the way out is the first thing in the menu that can be chosen.
    const QList<QAction *> items = m_menu->actions();
    const bool onTop = items.indexOf(m_useApiKey) < items.indexOf(m_signIn);
    if (view.useApiKeyProminent != onTop)
        m_menu->insertAction(view.useApiKeyProminent ? m_signIn : m_signOut, m_useApiKey);
    m_signOut->setVisible(view.signOutVisible);

    for (QAction *action : {m_configure, m_copyConfig, m_copyProxy}) {
        action->setEnabled(view.localKeyReady);
        action->setToolTip(view.waitingForKeyText);
    }

    if (newIcon) {
        m_tray->setIcon(AppIcons::tray(view.status));
        m_shownStatus = view.status;
    }
    if (const QString tip = m_model->toolTip(); tip != m_tray->toolTip())
        m_tray->setToolTip(tip);
    if (m_window)
        m_window->setStatus(view.status, view.stateText, view.lines());
}

void TrayController::onStateChanged(SessionState state, const QString &reason)
{
    const SessionState previous = m_lastState;
    m_lastState = state;
    qCInfo(lcUi) << "session state" << SessionManager::stateName(state);
    refresh();
    if (state == SessionState::KeychainUnavailable &&
        previous != SessionState::KeychainUnavailable) {
        notify(tr("The keychain is not available"), reason, QSystemTrayIcon::Warning);
    }
    if (state == SessionState::SignInRequired && previous != SessionState::SignInRequired) {
        notify(tr("Sign in to Qwen again"),
               reason.isEmpty() ? tr("Your Qwen sign-in has ended. Choose “Sign in again…” "
                                     "in the Qwen Bridge menu.")
                                : reason,
               QSystemTrayIcon::Warning, m_signIn);
    }
    // The first time the keychain says there is nothing: perhaps another tool has a sign-in.
    if (state == SessionState::SignedOut && previous == SessionState::Starting &&
        !m_importChecked) {
        m_importChecked = true;
        offerImport();
    }
}

bool TrayController::isQuotaExhausted() const
{
    return m_model->isQuotaExhausted();
}

void TrayController::onQuotaExhausted()
{
    // The service says it once each time the quota runs out, however many requests from
    // OpenCode hit it: one notice.
    refresh();
    if (m_service->session()->method() == AuthMethod::ApiKey) {
        notify(tr("This API key has no quota left"),
               tr("Check its balance and plan in Alibaba Cloud Model Studio, or use another "
                  "key."),
               QSystemTrayIcon::Warning, m_useApiKey);
    } else {
        notify(tr("Qwen's OAuth quota is used up"),
               tr("Qwen ended its free OAuth tier. Use an API key to keep OpenCode working."),
               QSystemTrayIcon::Warning, m_useApiKey);
    }
}

void TrayController::notify(const QString &title, const QString &message,
                            QSystemTrayIcon::MessageIcon icon, QAction *action)
{
    const QString fullTitle = titled(title);
    qCInfo(lcUi) << "notification:" << fullTitle << "-" << message;
    m_noticeAction = action;
    if (isTrayShown())
        m_tray->showMessage(fullTitle, message, icon, 10000);
    if (m_window)
        m_window->showNotice(fullTitle, message, action);
    Q_EMIT notified(fullTitle, message);
}

void TrayController::showDialog(QWidget *dialog)
{
    dialog->setWindowIcon(AppIcons::application());
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}
