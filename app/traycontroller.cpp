#include "traycontroller.h"

#include "aboutdialog.h"
#include "autostart.h"
#include "bridge/bridgeservice.h"
#include "configureopencodedialog.h"
#include "logging.h"
#include "opencode/opencodeconfig.h"
#include "proxy/localkey.h"
#include "proxy/proxyserver.h"
#include "settings/settings.h"
#include "settingsdialog.h"
#include "signindialog.h"
#include "statuswindow.h"
#include "uilog.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCursor>
#include <QDesktopServices>
#include <QDir>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QUrl>

namespace {
constexpr int kTrayProbeFastMs = 250;
constexpr int kTrayProbeSlowMs = 2000; // after the wait: a tray may still come later
constexpr qint64 kQuotaNoticeGapSecs = 30 * 60;
} // namespace

TrayController::TrayController(BridgeService *service, bool demo, QObject *parent)
    : QObject(parent)
    , m_service(service)
    , m_demo(demo)
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
    m_expiryLine = addStatusLine(QStringLiteral("expiryLine"));
    m_proxyLine = addStatusLine(QStringLiteral("proxyLine"));
    m_requestsLine = addStatusLine(QStringLiteral("requestsLine"));
    m_menu->addSeparator();
    // "Sign in…" changes its text with the state; refresh() sets it.
    m_signIn = addAction(QStringLiteral("signInAction"), QString(), &TrayController::signIn);
    m_signOut =
        addAction(QStringLiteral("signOutAction"), tr("Sign out"), &TrayController::signOut);
    m_menu->addSeparator();
    m_configure = addAction(QStringLiteral("configureOpenCodeAction"), tr("Configure OpenCode…"),
                            &TrayController::configureOpenCode);
    m_copyConfig = addAction(QStringLiteral("copyConfigAction"), tr("Copy OpenCode config"),
                             &TrayController::copyOpenCodeConfig);
    m_copyProxy = addAction(QStringLiteral("copyProxyAction"), tr("Copy proxy URL and key"),
                            &TrayController::copyProxyUrlAndKey);
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
    connect(m_quit, &QAction::triggered, qApp, &QCoreApplication::quit);

    m_tray->setContextMenu(m_menu);
    connect(m_tray, &QSystemTrayIcon::activated, this, &TrayController::onActivated);
    connect(m_menu, &QMenu::aboutToShow, this, [this] {
        // The desktop's own settings may have switched the autostart entry off meanwhile.
        m_startAtLogin->setChecked(Autostart::isEnabled());
        refresh();
    });

    SessionManager *session = service->session();
    connect(session, &SessionManager::stateChanged, this, &TrayController::onStateChanged);
    connect(session, &SessionManager::credentialsChanged, this, &TrayController::refresh);
    connect(service, &BridgeService::proxyStarted, this, [this](const QUrl &url) {
        m_proxyError.clear();
        qCInfo(lcUi) << "proxy listening on" << url.toString();
        refresh();
    });
    connect(service, &BridgeService::proxyFailed, this, [this](const QString &message) {
        m_proxyError = message;
        refresh();
        notify(tr("The proxy could not start"), message, QSystemTrayIcon::Warning);
    });
    connect(service, &BridgeService::localKeyReady, this, [this] {
        m_localKeyError.clear();
        refresh();
    });
    connect(service, &BridgeService::localKeyFailed, this, [this](const QString &message) {
        m_localKeyError = message;
        refresh();
    });
    connect(service, &BridgeService::quotaExhausted, this, [this](const QString &message) {
        // Every request from OpenCode would say it again; once in a while is enough.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        if (m_lastQuotaNotice.isValid() && m_lastQuotaNotice.secsTo(now) < kQuotaNoticeGapSecs)
            return;
        m_lastQuotaNotice = now;
        notify(tr("Qwen quota used up"), message, QSystemTrayIcon::Warning);
    });
    // Counting requests must not redraw the tray for every one of them.
    m_statsRefresh.setSingleShot(true);
    m_statsRefresh.setInterval(500);
    connect(&m_statsRefresh, &QTimer::timeout, this, &TrayController::refresh);
    if (ProxyServer *proxy = service->proxy()) {
        connect(proxy, &ProxyServer::statsChanged, this, [this] {
            if (!m_statsRefresh.isActive())
                m_statsRefresh.start();
        });
    }

    m_trayProbe.setInterval(kTrayProbeFastMs);
    connect(&m_trayProbe, &QTimer::timeout, this, &TrayController::probeTray);
    m_tick.setInterval(30 * 1000);
    connect(&m_tick, &QTimer::timeout, this, &TrayController::refresh);
    m_tick.start();

    m_lastState = session->state();
    m_startAtLogin->setChecked(Autostart::isEnabled());
    refresh();
}

TrayController::~TrayController()
{
    // The dialogs call into the bridge; none may outlive this controller and the service.
    delete m_signInDialog;
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
        m_window->setActions(
            {m_signIn, m_signOut, m_configure, m_copyConfig, m_copyProxy, m_openLogs, m_settings},
            {m_startAtLogin, m_about, m_quit});
        m_window->setTrayAvailable(isTrayShown());
        m_startAtLogin->setChecked(Autostart::isEnabled());
        refresh();
    }
    m_window->showNormal();
    m_window->raise();
    m_window->activateWindow();
}

void TrayController::onActivated(QSystemTrayIcon::ActivationReason reason)
{
    // A left click opens the same menu as a right click: there is nothing else to show.
    if (reason == QSystemTrayIcon::Trigger) {
        refresh();
        m_menu->popup(QCursor::pos());
    }
}

TrayStatus TrayController::statusFor(SessionState state, bool proxyFailed)
{
    switch (state) {
    case SessionState::SigningIn:
        return TrayStatus::SigningIn;
    case SessionState::SignInRequired:
    case SessionState::KeychainUnavailable:
    case SessionState::OfflineRetrying:
        return TrayStatus::Attention;
    case SessionState::SignedIn:
    case SessionState::Refreshing:
        return proxyFailed ? TrayStatus::Attention : TrayStatus::SignedIn;
    case SessionState::Starting:
    case SessionState::SignedOut:
        break;
    }
    return proxyFailed ? TrayStatus::Attention : TrayStatus::SignedOut;
}

QString TrayController::formatDuration(qint64 seconds)
{
    if (seconds < 60)
        return tr("less than a minute");
    const qint64 minutes = seconds / 60;
    if (minutes < 60)
        return tr("%1 min").arg(minutes);
    const qint64 hours = minutes / 60;
    if (hours < 24)
        return tr("%1 h %2 min").arg(hours).arg(minutes % 60);
    return tr("%1 d %2 h").arg(hours / 24).arg(hours % 24);
}

QString TrayController::stateText() const
{
    const SessionManager *session = m_service->session();
    switch (session->state()) {
    case SessionState::Starting:
        return tr("Starting…");
    case SessionState::SignedOut:
        return tr("Signed out");
    case SessionState::SigningIn:
        return tr("Signing in…");
    case SessionState::SignedIn:
        return session->method() == AuthMethod::ApiKey ? tr("Signed in with an API key")
                                                       : tr("Signed in with your Qwen account");
    case SessionState::Refreshing:
        return tr("Renewing the sign-in…");
    case SessionState::OfflineRetrying:
        return tr("Offline: retrying");
    case SessionState::SignInRequired:
        return tr("Sign in again");
    case SessionState::KeychainUnavailable:
        return tr("The keychain is not available");
    }
    return {};
}

QString TrayController::proxyBaseUrl() const
{
    if (m_service->isProxyListening())
        return m_service->proxyUrl().toString();
    return OpenCodeConfig::baseUrlForPort(m_service->settings()->port());
}

QStringList TrayController::statusLines() const
{
    QStringList lines;
    const QString reason = m_service->session()->reason();
    const SessionState state = m_service->session()->state();
    if ((state == SessionState::SignInRequired || state == SessionState::KeychainUnavailable ||
         state == SessionState::OfflineRetrying) &&
        !reason.isEmpty())
        lines << reason;
    if (m_expiryLine->isVisible())
        lines << m_expiryLine->text();
    lines << m_proxyLine->text();
    if (!m_localKeyError.isEmpty())
        lines << tr("Local key: %1").arg(m_localKeyError);
    if (m_requestsLine->isVisible())
        lines << m_requestsLine->text();
    return lines;
}

QString TrayController::titled(const QString &title) const
{
    return m_demo ? tr("%1 (DEMO)").arg(title) : title;
}

QString TrayController::toolTip() const
{
    QStringList lines;
    lines << (m_demo ? tr("Qwen Bridge DEMO") : tr("Qwen Bridge"));
    lines << stateText();
    lines << statusLines();
    return lines.join(QLatin1Char('\n'));
}

void TrayController::refresh()
{
    SessionManager *session = m_service->session();
    const SessionState state = session->state();
    const bool proxyFailed = !m_proxyError.isEmpty() && !m_service->isProxyListening();
    m_status = statusFor(state, proxyFailed || !m_localKeyError.isEmpty());

    m_stateLine->setText(stateText());
    // The state line is disabled like every status line, but keeps its colours: it is the
    // same picture as the tray icon.
    QIcon stateIcon;
    const QPixmap statePixmap = AppIcons::tray(m_status).pixmap(32, 32);
    stateIcon.addPixmap(statePixmap, QIcon::Normal);
    stateIcon.addPixmap(statePixmap, QIcon::Disabled);
    m_stateLine->setIcon(stateIcon);

    const bool signedIn = state == SessionState::SignedIn || state == SessionState::Refreshing ||
                          state == SessionState::OfflineRetrying;
    const QDateTime expiresAt = session->expiresAt();
    const bool showExpiry =
        signedIn && session->method() == AuthMethod::OAuth && expiresAt.isValid();
    m_expiryLine->setVisible(showExpiry);
    if (showExpiry) {
        const qint64 left = QDateTime::currentDateTimeUtc().secsTo(expiresAt);
        m_expiryLine->setText(
            left > 0 ? tr("Token expires in %1 (renewed automatically)").arg(formatDuration(left))
                     : tr("Token expired; renewing"));
    }

    if (m_service->isProxyListening())
        m_proxyLine->setText(tr("Proxy: %1").arg(m_service->proxyUrl().toString()));
    else if (!m_proxyError.isEmpty())
        m_proxyLine->setText(tr("Proxy stopped: %1").arg(m_proxyError));
    else
        m_proxyLine->setText(tr("Proxy starting…"));

    const ProxyServer *proxy = m_service->proxy();
    m_requestsLine->setVisible(proxy != nullptr);
    if (proxy)
        m_requestsLine->setText(tr("Requests today: %1").arg(proxy->stats().requestsToday));

    // Credentials that exist can be forgotten, whatever state they are in.
    const bool hasCredentials = session->method() != AuthMethod::None;
    const bool needsSignIn = !signedIn;
    m_signIn->setVisible(needsSignIn);
    m_signIn->setEnabled(state != SessionState::Starting);
    m_signIn->setText(state == SessionState::SignInRequired ? tr("Sign in again…")
                                                            : tr("Sign in…"));
    m_signOut->setVisible(hasCredentials);

    const bool haveKey = m_service->localKey() && m_service->localKey()->isLoaded();
    for (QAction *action : {m_configure, m_copyConfig, m_copyProxy}) {
        action->setEnabled(haveKey);
        action->setToolTip(haveKey ? QString() : tr("Waiting for the local key from the keychain"));
    }

    m_tray->setIcon(AppIcons::tray(m_status));
    m_tray->setToolTip(toolTip());
    if (m_window)
        m_window->setStatus(m_status, stateText(), statusLines());
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
               QSystemTrayIcon::Warning);
    }
}

void TrayController::notify(const QString &title, const QString &message,
                            QSystemTrayIcon::MessageIcon icon)
{
    const QString fullTitle = titled(title);
    qCInfo(lcUi) << "notification:" << fullTitle << "-" << message;
    if (isTrayShown())
        m_tray->showMessage(fullTitle, message, icon, 10000);
    if (m_window)
        m_window->showNotice(fullTitle, message);
    Q_EMIT notified(fullTitle, message);
}

void TrayController::showDialog(QWidget *dialog)
{
    dialog->setWindowIcon(AppIcons::application());
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

void TrayController::signIn()
{
    if (m_signInDialog) {
        showDialog(m_signInDialog);
        return;
    }
    BridgeService *service = m_service;
    SignInBackend backend;
    backend.createAuthorization = [service](QObject *parent) {
        return service->createDeviceAuthorization(parent);
    };
    backend.completeSignIn = [service](const TokenSet &tokens,
                                       std::function<void(bool, QString)> done) {
        service->completeSignIn(tokens, std::move(done));
    };
    m_signInDialog = new SignInDialog(std::move(backend), m_demo);
    m_signInDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_signInDialog, &SignInDialog::signedIn, this, [this] {
        notify(tr("Signed in to Qwen"),
               tr("OpenCode can now use Qwen through %1.").arg(proxyBaseUrl()));
    });
    connect(m_signInDialog, &QDialog::finished, this, [this](int result) {
        if (result != QDialog::Accepted)
            m_service->session()->setSigningIn(false);
    });
    m_service->session()->setSigningIn(true);
    showDialog(m_signInDialog);
    m_signInDialog->start();
}

void TrayController::signOut()
{
    auto *box = new QMessageBox(QMessageBox::Question, titled(tr("Sign out")),
                                tr("Sign out of Qwen?"), QMessageBox::Cancel);
    box->setObjectName(QStringLiteral("signOutQuestion"));
    box->setInformativeText(tr("Qwen Bridge removes your sign-in from the keychain. OpenCode's "
                               "requests fail until you sign in again."));
    QPushButton *confirm = box->addButton(tr("Sign out"), QMessageBox::AcceptRole);
    box->setDefaultButton(confirm);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(confirm, &QPushButton::clicked, this, [this] {
        m_service->signOut([this](bool ok, const QString &message) {
            if (!ok)
                notify(tr("Sign-out did not finish"), message, QSystemTrayIcon::Warning);
        });
    });
    box->setWindowIcon(AppIcons::application());
    box->open();
}

OpenCodeConfig TrayController::openCodeConfig() const
{
    OpenCodeConfig config;
    config.providerId = m_service->settings()->providerId();
    config.baseUrl = proxyBaseUrl();
    if (m_service->localKey())
        config.apiKey = m_service->localKey()->value();
    return config;
}

void TrayController::configureOpenCode()
{
    if (m_configureDialog) {
        showDialog(m_configureDialog);
        return;
    }
    m_configureDialog =
        new ConfigureOpenCodeDialog(openCodeConfig(), OpenCodeConfig::defaultConfigPath(), m_demo);
    m_configureDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_configureDialog, &ConfigureOpenCodeDialog::written, this,
            [this](const OpenCodeConfig::Result &result) {
                notify(tr("OpenCode configured"), tr("%1 now points OpenCode at Qwen Bridge.")
                                                      .arg(QDir::toNativeSeparators(result.path)));
            });
    showDialog(m_configureDialog);
}

void TrayController::copyOpenCodeConfig()
{
    QApplication::clipboard()->setText(QString::fromUtf8(openCodeConfig().toJson()));
}

void TrayController::copyProxyUrlAndKey()
{
    // Labelled lines: pasted into a chat or a note they still say which is which.
    const QString key = m_service->localKey() ? m_service->localKey()->value() : QString();
    QApplication::clipboard()->setText(tr("Base URL: %1\nAPI key: %2\n").arg(proxyBaseUrl(), key));
}

void TrayController::openLogsFolder()
{
    const QString dir = Settings::stateDir();
    QDir().mkpath(dir);
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(dir)))
        notify(tr("No file manager found"),
               tr("The logs are in %1").arg(QDir::toNativeSeparators(dir)),
               QSystemTrayIcon::Warning);
}

void TrayController::showSettings()
{
    if (m_settingsDialog) {
        showDialog(m_settingsDialog);
        return;
    }
    m_settingsDialog = new SettingsDialog(m_service->settings(), m_demo);
    m_settingsDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_settingsDialog, &SettingsDialog::portChanged, this, [this](quint16 port) {
        m_proxyError.clear();
        m_service->restartProxy();
        notify(tr("Proxy moved to port %1").arg(port),
               tr("Use Configure OpenCode… so that OpenCode follows."));
    });
    connect(m_settingsDialog, &SettingsDialog::loggingChanged, this, [] { setUpLogging(false); });
    showDialog(m_settingsDialog);
}

void TrayController::setStartAtLogin(bool on)
{
    QString error;
    if (!Autostart::setEnabled(on, &error))
        notify(tr("Start at login could not be changed"), error, QSystemTrayIcon::Warning);
    m_startAtLogin->setChecked(Autostart::isEnabled());
}

void TrayController::showAbout()
{
    if (!m_aboutDialog) {
        m_aboutDialog = new AboutDialog(m_service->settings(), m_demo);
        m_aboutDialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    showDialog(m_aboutDialog);
}
