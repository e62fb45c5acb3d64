#include "traycontroller.h"

#include "aboutdialog.h"
#include "autostart.h"
#include "bridge/bridgeservice.h"
#include "bridge/proxysettings.h"
#include "bridge/quotastate.h"
#include "bridge/statusreport.h"
#include "configureopencodedialog.h"
#include "credentials/apikeycheck.h"
#include "credentials/credentialstore.h"
#include "credentials/legacyimport.h"
#include "gui.h"
#include "importofferdialog.h"
#include "logging.h"
#include "opencode/opencodeconfig.h"
#include "plans/plancatalog.h"
#include "proxy/localkey.h"
#include "proxy/proxyserver.h"
#include "proxy/upstreamcontext.h"
#include "settings/settings.h"
#include "settingsdialog.h"
#include "signindialog.h"
#include "statuswindow.h"
#include "usage/usagemonitor.h"
#include "usagewindow.h"
#include "util/logcategories.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCursor>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QUrl>

#include <algorithm>

namespace {
constexpr int kTrayProbeFastMs = 250;
constexpr int kTrayProbeSlowMs = 2000; // after the wait: a tray may still come later
// Remembers that the first-run offer to take over another tool's sign-in was answered.
const char kImportOfferedKey[] = "ui/importOffered";
} // namespace

TrayController::TrayController(BridgeService *service, bool demo, QObject *parent)
    : QObject(parent)
    , m_service(service)
    , m_demo(demo)
    , m_tray(new QSystemTrayIcon(this))
    , m_menu(new QMenu)
    , m_usageMonitor(new UsageMonitor(service->usage(), service->settings(), this))
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
    connect(service, &BridgeService::proxyFailed, this, [this](const ServiceError &e) {
        m_proxyError = e.message;
        refresh();
        notify(tr("The proxy could not start"), e.message, QSystemTrayIcon::Warning);
    });
    connect(service, &BridgeService::localKeyReady, this, [this] {
        m_localKeyError.clear();
        refresh();
    });
    connect(service, &BridgeService::localKeyFailed, this, [this](const ServiceError &e) {
        m_localKeyError = e.message;
        refresh();
    });
    connect(service, &BridgeService::quotaExhausted, this, &TrayController::onQuotaExhausted);
    connect(service->quota(), &QuotaState::changed, this, &TrayController::refresh);
    connect(service, &BridgeService::showRequested, this, &TrayController::showFromSecondStart);
    // Counting requests must not redraw the tray for every one of them.
    m_statsRefresh.setSingleShot(true);
    m_statsRefresh.setInterval(500);
    connect(&m_statsRefresh, &QTimer::timeout, this, &TrayController::refresh);
    if (ProxyServer *proxy = service->proxy()) {
        connect(proxy, &ProxyServer::statsChanged, this, [this] {
            if (!m_statsRefresh.isActive())
                m_statsRefresh.start();
        });
        connect(proxy->upstream(), &UpstreamContext::requestFinished, m_usageMonitor,
                &UsageMonitor::requestRefresh);
    }
    connect(m_usageMonitor, &UsageMonitor::changed, this, &TrayController::refresh);
    connect(m_usageMonitor, &UsageMonitor::thresholdCrossed, this,
            [this](const QString &title, const QString &message) {
                notify(titled(title), message, QSystemTrayIcon::Information, m_usage);
            });
    connect(service, &BridgeService::usageDatabaseReplaced, this, [this](const QString &notice) {
        notify(tr("The usage meter starts afresh"), notice, QSystemTrayIcon::Warning);
    });

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
    return StatusReport::fromService(*m_service).presetName;
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
    const StatusReport report = StatusReport::fromService(*m_service);
    if (report.quotaExhausted) {
        return report.method == AuthMethod::ApiKey ? tr("API key quota used up")
                                                   : tr("OAuth quota used up");
    }
    switch (report.state) {
    case SessionState::Starting:
        return tr("Starting…");
    case SessionState::SignedOut:
        return tr("Signed out");
    case SessionState::SigningIn:
        return tr("Signing in…");
    case SessionState::SignedIn:
        return report.method == AuthMethod::ApiKey ? tr("Signed in with an API key")
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
    return StatusReport::fromService(*m_service).proxyUrl.toString();
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
    if (m_methodLine->isVisible())
        lines << m_methodLine->text();
    if (m_quotaLine->isVisible())
        lines << m_quotaLine->text();
    if (m_expiryLine->isVisible())
        lines << m_expiryLine->text();
    lines << m_proxyLine->text();
    if (!m_localKeyError.isEmpty())
        lines << tr("Local key: %1").arg(m_localKeyError);
    if (m_requestsLine->isVisible())
        lines << m_requestsLine->text();
    if (m_usageLine->isVisible())
        lines << m_usageLine->text();
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
    const StatusReport report = StatusReport::fromService(*m_service);
    const SessionState state = report.state;
    const bool proxyFailed = !m_proxyError.isEmpty() && !report.proxyRunning;
    const AuthMethod method = report.method;
    const bool quota = report.quotaExhausted;
    m_status = statusFor(state, proxyFailed || !m_localKeyError.isEmpty());
    if (quota)
        m_status = TrayStatus::Attention;

    m_stateLine->setText(stateText());
    // The state line is disabled like every status line, but keeps its colours: it is the
    // same picture as the tray icon.
    QIcon stateIcon;
    const QPixmap statePixmap = AppIcons::tray(m_status).pixmap(32, 32);
    stateIcon.addPixmap(statePixmap, QIcon::Normal);
    stateIcon.addPixmap(statePixmap, QIcon::Disabled);
    m_stateLine->setIcon(stateIcon);

    const bool signedIn = report.isSignedIn();
    // Which plan and region the key is for; never the key.
    const bool showMethod = signedIn && method == AuthMethod::ApiKey;
    m_methodLine->setVisible(showMethod);
    if (showMethod)
        m_methodLine->setText(tr("Key for %1").arg(report.presetName));
    m_quotaLine->setVisible(quota);
    if (quota) {
        m_quotaLine->setText(method == AuthMethod::ApiKey
                                 ? tr("Requests fail until the key's plan has quota again.")
                                 : tr("Requests fail until you switch to an API key."));
    }
    const QDateTime expiresAt = report.expiresAt;
    const bool showExpiry = signedIn && method == AuthMethod::OAuth && expiresAt.isValid();
    m_expiryLine->setVisible(showExpiry);
    if (showExpiry) {
        const qint64 left = QDateTime::currentDateTimeUtc().secsTo(expiresAt);
        m_expiryLine->setText(
            left > 0 ? tr("Token expires in %1 (renewed automatically)").arg(formatDuration(left))
                     : tr("Token expired; renewing"));
    }

    if (report.proxyRunning)
        m_proxyLine->setText(tr("Proxy: %1").arg(report.proxyUrl.toString()));
    else if (!m_proxyError.isEmpty())
        m_proxyLine->setText(tr("Proxy stopped: %1").arg(m_proxyError));
    else
        m_proxyLine->setText(tr("Proxy starting…"));

    const ProxyServer *proxy = m_service->proxy();
    m_requestsLine->setVisible(proxy != nullptr);
    if (proxy)
        m_requestsLine->setText(tr("Requests today: %1").arg(proxy->stats().requestsToday));
    const QString usage = m_usageMonitor->statusLine();
    m_usageLine->setVisible(!usage.isEmpty());
    m_usageLine->setText(usage);

    // Credentials that exist can be forgotten, whatever state they are in.
    const bool hasCredentials = method != AuthMethod::None;
    const bool withKey = signedIn && method == AuthMethod::ApiKey;
    // Either way in stays on offer: switching needs no restart of anything.
    m_signIn->setVisible(!signedIn || withKey);
    m_signIn->setEnabled(state != SessionState::Starting);
    if (withKey)
        m_signIn->setText(tr("Sign in with your Qwen account…"));
    else if (state == SessionState::SignInRequired)
        m_signIn->setText(tr("Sign in again…"));
    else
        m_signIn->setText(tr("Sign in…"));
    m_useApiKey->setEnabled(state != SessionState::Starting);
    if (quota && method == AuthMethod::OAuth)
        m_useApiKey->setText(tr("Use an API key instead…"));
    else if (withKey)
        m_useApiKey->setText(tr("Use another API key…"));
    else
        m_useApiKey->setText(tr("Use an API key…"));
    QFont prominent = m_useApiKey->font();
    prominent.setBold(quota);
    m_useApiKey->setFont(prominent);
    // When the quota is gone, the way out is the first thing in the menu that can be chosen.
    const QList<QAction *> items = m_menu->actions();
    const bool onTop = items.indexOf(m_useApiKey) < items.indexOf(m_signIn);
    if (quota != onTop)
        m_menu->insertAction(quota ? m_signIn : m_signOut, m_useApiKey);
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
    return m_service->quota()->isExhausted();
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

SignInDialog *TrayController::ensureSignInDialog()
{
    if (m_signInDialog)
        return m_signInDialog;
    BridgeService *service = m_service;
    SignInBackend backend;
    backend.createAuthorization = [service](QObject *parent) {
        return service->createDeviceAuthorization(parent);
    };
    backend.completeSignIn = [service](const TokenSet &tokens, BridgeService::Done done) {
        service->completeSignIn(tokens, std::move(done));
    };
    backend.createApiKeyCheck = [service](QObject *parent) {
        return new ApiKeyCheck(service->network(), parent);
    };
    backend.signIn = [service](const Credentials &credentials, BridgeService::Done done) {
        service->signIn(credentials, std::move(done));
    };
    // The demo's fake service stands in for every plan and region.
    if (m_demo) {
        backend.demoApiBase = service->settings()->apiFallbackUrl();
        backend.demoApiKey = demoApiKey();
    }
    m_signInDialog = new SignInDialog(std::move(backend), m_demo);
    m_signInDialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString planBefore = signedInPlan();
    connect(m_signInDialog, &SignInDialog::signedIn, this, [this, planBefore] {
        if (signedInPlan() != planBefore)
            offerOpenCodeRewrite();
        const QString preset = apiKeyPresetName();
        if (preset.isEmpty())
            notify(tr("Signed in to Qwen"),
                   tr("OpenCode can now use Qwen through %1.").arg(proxyBaseUrl()));
        else
            notify(tr("Signed in with an API key for %1").arg(preset),
                   tr("OpenCode can now use Qwen through %1.").arg(proxyBaseUrl()));
    });
    connect(m_signInDialog, &QDialog::finished, this, [this](int result) {
        if (result != QDialog::Accepted)
            m_service->session()->setSigningIn(false);
    });
    // Credentials that work stay in use while the dialog is open; only a session without
    // them shows that a sign-in is under way.
    const SessionState state = m_service->session()->state();
    if (state == SessionState::SignedOut || state == SessionState::SignInRequired)
        m_service->session()->setSigningIn(true);
    return m_signInDialog;
}

void TrayController::signIn()
{
    const bool existed = m_signInDialog;
    SignInDialog *dialog = ensureSignInDialog();
    showDialog(dialog);
    // A device sign-in under way keeps its code; from the API-key page it is a change of mind.
    if (!existed || (dialog->page() == SignInDialog::Page::ApiKey && !dialog->isCheckingApiKey()))
        dialog->start();
}

void TrayController::useApiKey()
{
    const bool existed = m_signInDialog;
    SignInDialog *dialog = ensureSignInDialog();
    showDialog(dialog);
    const SignInDialog::Page page = dialog->page();
    if (!existed || (page != SignInDialog::Page::ApiKey && page != SignInDialog::Page::Finishing &&
                     page != SignInDialog::Page::Success))
        dialog->startWithApiKey();
}

void TrayController::showFromSecondStart()
{
    qCInfo(lcUi) << "another start of Qwen Bridge asked to be shown";
    if (m_signInDialog) {
        showDialog(m_signInDialog);
        return;
    }
    if (m_importOffer) {
        showDialog(m_importOffer);
        return;
    }
    if (m_service->session()->state() == SessionState::SignedOut) {
        signIn();
        return;
    }
    if (m_window || !isTrayShown()) {
        showStatusWindow();
        return;
    }
    refresh();
    m_menu->popup(QCursor::pos());
}

void TrayController::offerImport()
{
    if (m_demo || m_importOffer || m_signInDialog)
        return;
    Settings *settings = m_service->settings();
    if (settings->value(QLatin1String(kImportOfferedKey), false).toBool())
        return;
    // The same choice as `qwen-bridge import`: the plugin's file when both exist.
    const std::optional<LegacyImport::Found> it =
        LegacyImport::firstUsable(LegacyImport::findAll(QDir::homePath()));
    if (!it)
        return; // nothing to offer; a later start may find something
    qCInfo(lcUi) << "offering to take over the sign-in of" << LegacyImport::sourceName(it->source);
    m_importOffer = new ImportOfferDialog(*it);
    m_importOffer->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_importOffer, &QDialog::finished, this, [this](int result) {
        // Asked once, whatever the answer; `qwen-bridge import` is there for a change of mind.
        Settings *s = m_service->settings();
        s->setValue(QLatin1String(kImportOfferedKey), true);
        s->sync();
        if (result == QDialog::Accepted)
            importAccepted();
    });
    showDialog(m_importOffer);
}

void TrayController::importAccepted()
{
    const LegacyImport::Found found = m_importOffer->found();
    const bool deleteOriginal = m_importOffer->deleteOriginal();
    QPointer<TrayController> self(this);
    BridgeService *service = m_service;
    const LegacyImport::Store save = [service](const Credentials &credentials,
                                               std::function<void(bool, const QString &)> saved) {
        service->signIn(credentials, [saved = std::move(saved)](const ServiceError &e) {
            saved(e.ok(), e.message);
        });
    };
    LegacyImport::takeOver(
        found, deleteOriginal, save, [self, found](const LegacyImport::TakeOverResult &r) {
            if (!self)
                return;
            if (!r.ok) {
                self->notify(tr("The sign-in could not be taken over"), r.message,
                             QSystemTrayIcon::Warning);
                return;
            }
            QString detail = tr("Qwen Bridge renews the session of %1 from now on.")
                                 .arg(LegacyImport::sourceName(found.source));
            const QString path = QDir::toNativeSeparators(found.path);
            if (r.original == LegacyImport::Original::Deleted) {
                detail += QLatin1Char(' ') + tr("%1 was deleted.").arg(path);
            } else if (r.original == LegacyImport::Original::DeleteFailed) {
                qCWarning(lcUi) << "could not delete" << found.path;
                detail += QLatin1Char(' ') + tr("%1 could not be deleted.").arg(path);
            }
            self->notify(tr("Signed in to Qwen"), detail);
        });
}

QString TrayController::signedInPlan() const
{
    const SessionManager *session = m_service->session();
    if (session->method() != AuthMethod::ApiKey)
        return Credentials::methodName(session->method());
    return PlanCatalog::instance().planForCredentials(session->preset()).id;
}

void TrayController::offerOpenCodeRewrite()
{
    // Only a configuration the person already has, and only when it would change: its
    // models are those of the previous plan.
    const QString path = OpenCodeConfig::defaultConfigPath();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return;
    const OpenCodeConfig::Result preview = openCodeConfig().mergeInto(file.readAll());
    if (!preview.ok() || !preview.changed)
        return;
    auto *box = new QMessageBox(
        QMessageBox::Question, titled(tr("Update OpenCode")),
        tr("Rewrite OpenCode's configuration for %1?")
            .arg(apiKeyPresetName().isEmpty() ? tr("your Qwen account") : apiKeyPresetName()),
        QMessageBox::NoButton);
    box->setObjectName(QStringLiteral("rewriteOpenCodeQuestion"));
    box->setInformativeText(
        tr("%1 still lists the models of your previous sign-in. Qwen Bridge can put in this "
           "plan's models and their limits, keeping a backup of the file.")
            .arg(QDir::toNativeSeparators(path)));
    QPushButton *rewrite = box->addButton(tr("Review and rewrite…"), QMessageBox::AcceptRole);
    box->addButton(tr("Not now"), QMessageBox::RejectRole);
    box->setDefaultButton(rewrite);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(rewrite, &QPushButton::clicked, this, &TrayController::configureOpenCode);
    box->setWindowIcon(AppIcons::application());
    box->open();
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
        m_service->signOut([this](const ServiceError &e) {
            if (!e.ok())
                notify(tr("Sign-out did not finish"), e.message, QSystemTrayIcon::Warning);
        });
    });
    box->setWindowIcon(AppIcons::application());
    box->open();
}

OpenCodeConfig TrayController::openCodeConfig() const
{
    const SessionManager *session = m_service->session();
    return OpenCodeConfig::forBridge(
        m_service->settings()->providerId(), m_service->settings()->port(),
        m_service->localKey() ? m_service->localKey()->value() : QString(), session->method(),
        session->preset());
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

void TrayController::showUsage()
{
    if (!m_usageWindow) {
        m_usageWindow = new UsageWindow(*m_service->usage());
        m_usageWindow->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_usageWindow->refresh();
    showDialog(m_usageWindow);
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
    connect(m_settingsDialog, &SettingsDialog::networkProxyChanged, this,
            [this](NetworkProxy::Mode mode, const QString &url, const QString &password) {
                ProxySettings::save(*m_service->settings(),
                                    m_service->credentialStore()->keychain(), mode, url, password,
                                    [this](const QString &problem) {
                                        if (!problem.isEmpty())
                                            notify(tr("The HTTP proxy setting was not saved"),
                                                   problem, QSystemTrayIcon::Warning);
                                    });
            });
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
