// The dialogs the tray opens and the commands behind its menu: sign-in, import, OpenCode,
// settings, usage, about. The menu, the icon and the status window are in traycontroller.cpp.
#include "traycontroller.h"

#include "aboutdialog.h"
#include "autostart.h"
#include "bridge/bridgeservice.h"
#include "bridge/traystatusmodel.h"
#include "configureopencodedialog.h"
#include "credentials/apikeycheck.h"
#include "credentials/legacyimport.h"
#include "gui.h"
#include "importofferdialog.h"
#include "logging.h"
#include "opencode/opencodeconfig.h"
#include "plans/plancatalog.h"
#include "proxy/localkey.h"
#include "session/accountpool.h"
#include "settings/settings.h"
#include "settingsdialog.h"
#include "signindialog.h"
#include "statuswindow.h"
#include "usage/usagemonitor.h"
#include "usagewindow.h"
#include "util/logcategories.h"

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

namespace {
// Remembers that the first-run offer to take over another tool's sign-in was answered.
const char kImportOfferedKey[] = "ui/importOffered";
} // namespace

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
    // Every credential in its order, as `opencode-config` lists them.
    QList<OpenCodeConfig::Credential> credentials;
    const QList<AccountInfo> accounts = m_service->accounts()->accounts();
    for (const AccountInfo &a : accounts)
        credentials.append({a.method, a.planId});
    const SessionManager *session = m_service->session();
    if (credentials.isEmpty())
        credentials.append({session->method(), session->preset()});
    return OpenCodeConfig::forBridge(
        m_service->settings()->providerId(), m_service->settings()->port(),
        m_service->localKey() ? m_service->localKey()->value() : QString(), credentials);
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
        m_model->clearProxyError();
        m_service->restartProxy();
        notify(tr("Proxy moved to port %1").arg(port),
               tr("Use Configure OpenCode… so that OpenCode follows."));
    });
    connect(m_settingsDialog, &SettingsDialog::loggingChanged, this, [] { setUpLogging(false); });
    // The usage line follows a new plan at once (it reads again only if the plan changed).
    connect(m_settingsDialog, &SettingsDialog::usageSettingsSaved, m_model->usageMonitor(),
            &UsageMonitor::checkNow);
    connect(m_settingsDialog, &SettingsDialog::networkProxyChanged, this,
            [this](NetworkProxy::Mode mode, const QString &url, const QString &password) {
                m_service->saveNetworkProxy(mode, url, password, [this](const ServiceError &e) {
                    if (!e.ok())
                        notify(tr("The HTTP proxy setting was not saved"), e.message,
                               QSystemTrayIcon::Warning);
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
