#include "signindialog.h"

#include "credentials/apikeyinput.h"
#include "oauth/deviceauthorization.h"
#include "plans/plancatalog.h"
#include "settings/urlpolicy.h"
#include "signinapikeypage.h"
#include "signincodepage.h"
#include "signinmessagepage.h"
#include "signinstartingpage.h"
#include "util/logcategories.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace {
const char kExampleBaseUrl[] = "https://dashscope-intl.aliyuncs.com/compatible-mode/v1";
} // namespace

SignInDialog::SignInDialog(SignInBackend backend, bool demo, QWidget *parent)
    : QDialog(parent)
    , m_backend(std::move(backend))
    , m_pages(new QStackedWidget(this))
{
    setObjectName(QStringLiteral("signInDialog"));
    setWindowTitle(demo ? tr("Sign in to Qwen — DEMO") : tr("Sign in to Qwen"));

    auto *layout = new QVBoxLayout(this);
    if (demo) {
        auto *banner = new QLabel(tr("DEMO — you are signing in to a fake Qwen service that runs "
                                     "inside Qwen Bridge on this computer."),
                                  this);
        banner->setObjectName(QStringLiteral("demoBanner"));
        banner->setWordWrap(true);
        banner->setStyleSheet(QStringLiteral("QLabel { background: #fde68a; color: #3b2f00; "
                                             "border: 1px solid #d4a72c; border-radius: 4px; "
                                             "padding: 6px; }"));
        layout->addWidget(banner);
    }

    m_pageIndex.insert(Page::Starting, m_pages->addWidget(new SignInStartingPage(this)));
    m_codePage = new SignInCodePage(this);
    m_pageIndex.insert(Page::Code, m_pages->addWidget(m_codePage));
    m_apiKeyPage = new SignInApiKeyPage(m_backend.demoApiBase, m_backend.demoApiKey, this);
    m_apiKeyPage->setBaseUrlPlaceholder(QLatin1String(kExampleBaseUrl));
    m_pageIndex.insert(Page::ApiKey, m_pages->addWidget(m_apiKeyPage));

    // The texts of these two depend on the way in; they are set when they are shown.
    m_finishingPage = addMessagePage(Page::Finishing, QStyle::SP_DialogApplyButton);
    m_successPage = addMessagePage(Page::Success, QStyle::SP_DialogApplyButton);
    addMessagePage(Page::Denied, QStyle::SP_MessageBoxInformation)
        ->setMessage(tr("Sign-in was refused"),
                     tr("The request was declined on the Qwen page. If that was a mistake, try "
                        "again and choose to approve."));
    addMessagePage(Page::Expired, QStyle::SP_MessageBoxInformation)
        ->setMessage(tr("The code expired"),
                     tr("The code was not approved in time. Try again to get a new one."));
    m_networkPage = addMessagePage(Page::Network, QStyle::SP_MessageBoxWarning);
    m_networkPage->setTitle(tr("Qwen could not be reached"));
    m_errorPage = addMessagePage(Page::Error, QStyle::SP_MessageBoxWarning);
    m_errorPage->setTitle(tr("Sign-in did not work"));
    layout->addWidget(m_pages, 1);

    auto *buttons = new QHBoxLayout;
    // The other way in, wherever a person may still choose; its text says which.
    m_apiKeyButton = new QPushButton(tr("Use an API key instead…"), this);
    m_apiKeyButton->setObjectName(QStringLiteral("apiKeyButton"));
    m_apiKeyButton->setFlat(true);
    m_apiKeyButton->setAutoDefault(false);
    m_apiKeyButton->setCursor(Qt::PointingHandCursor);
    // A link rather than a button: it changes the way in, it does not finish anything.
    m_apiKeyButton->setStyleSheet(QStringLiteral("QPushButton { color: palette(link); border: "
                                                 "none; padding: 4px 2px; text-align: left; }"
                                                 "QPushButton:hover { text-decoration: "
                                                 "underline; }"));
    m_apiKeyButton->setVisible(false);
    connect(m_apiKeyButton, &QPushButton::clicked, this, &SignInDialog::switchMethod);
    buttons->addWidget(m_apiKeyButton);
    buttons->addStretch(1);
    m_checkButton = new QPushButton(tr("Check and save"), this);
    m_checkButton->setObjectName(QStringLiteral("checkButton"));
    m_checkButton->setToolTip(tr("Asks the service whether it accepts the key; nothing is "
                                 "stored unless it does."));
    connect(m_checkButton, &QPushButton::clicked, this, &SignInDialog::checkAndSave);
    buttons->addWidget(m_checkButton);
    m_tryAgainButton = new QPushButton(tr("Try again"), this);
    m_tryAgainButton->setObjectName(QStringLiteral("tryAgainButton"));
    connect(m_tryAgainButton, &QPushButton::clicked, this, &SignInDialog::tryAgain);
    buttons->addWidget(m_tryAgainButton);
    m_closeButton = new QPushButton(tr("Cancel"), this);
    m_closeButton->setObjectName(QStringLiteral("closeButton"));
    connect(m_closeButton, &QPushButton::clicked, this, &SignInDialog::reject);
    buttons->addWidget(m_closeButton);
    layout->addLayout(buttons);

    setMinimumWidth(720);
    showPage(Page::Starting);
}

SignInDialog::~SignInDialog()
{
    stopAuthorization();
    stopApiKeyCheck();
}

bool SignInDialog::offersApiKey() const
{
    return bool(m_backend.createApiKeyCheck) && bool(m_backend.signIn);
}

bool SignInDialog::isCheckingApiKey() const
{
    return !m_apiKeyCheck.isNull();
}

QString SignInDialog::checkBaseUrl(const QString &text, QUrl *url)
{
    // A key must not travel in the clear, except to this computer.
    return UrlPolicy::explain(UrlPolicy::checkBaseUrl(text, url), QLatin1String(kExampleBaseUrl));
}

QString SignInDialog::checkApiKeyText(const QString &key)
{
    switch (ApiKeyInput::check(key)) {
    case ApiKeyInput::Verdict::Ok:
        return {};
    case ApiKeyInput::Verdict::Empty:
        return tr("Paste your API key first.");
    case ApiKeyInput::Verdict::Malformed:
        break;
    }
    return ApiKeyInput::malformedMessage();
}

DeviceCode SignInDialog::code() const
{
    return m_codePage->code();
}

SignInMessagePage *SignInDialog::addMessagePage(Page page, QStyle::StandardPixmap icon)
{
    auto *messagePage = new SignInMessagePage(icon, this);
    m_pageIndex.insert(page, m_pages->addWidget(messagePage));
    return messagePage;
}

void SignInDialog::showPage(Page page)
{
    m_page = page;
    m_pages->setCurrentIndex(m_pageIndex.value(page));
    const bool failed = page == Page::Denied || page == Page::Expired || page == Page::Network ||
                        page == Page::Error;
    const bool running = page == Page::Starting || page == Page::Code || page == Page::ApiKey;
    m_tryAgainButton->setVisible(failed);
    m_tryAgainButton->setDefault(failed);
    m_checkButton->setVisible(page == Page::ApiKey);
    m_checkButton->setDefault(page == Page::ApiKey);
    m_closeButton->setText(running ? tr("Cancel") : tr("Close"));
    // Nothing is left to cancel while the keychain stores the credentials.
    m_closeButton->setEnabled(page != Page::Finishing);
    m_apiKeyButton->setVisible(offersApiKey() && (running || failed));
    m_apiKeyButton->setText(m_apiKeyFlow ? tr("Sign in with your Qwen account instead")
                                         : tr("Use an API key instead…"));
    if (failed)
        m_tryAgainButton->setFocus();
}

void SignInDialog::tryAgain()
{
    if (m_apiKeyFlow)
        startWithApiKey();
    else
        start();
}

void SignInDialog::switchMethod()
{
    if (m_apiKeyFlow)
        start();
    else
        startWithApiKey();
}

void SignInDialog::startWithApiKey()
{
    if (!offersApiKey())
        return;
    stopAuthorization();
    stopApiKeyCheck();
    m_apiKeyFlow = true;
    m_codePage->clear();
    m_apiKeyPage->reset();
    setApiKeyBusy(false);
    showPage(Page::ApiKey);
    m_apiKeyPage->focusKey();
}

void SignInDialog::start()
{
    stopAuthorization();
    stopApiKeyCheck();
    forgetKey();
    m_apiKeyFlow = false;
    m_codePage->clear();
    showPage(Page::Starting);

    m_authorization = m_backend.createAuthorization(this);
    if (!m_authorization) {
        m_errorPage->setDetail(tr("The sign-in could not be started."));
        showPage(Page::Error);
        return;
    }
    connect(m_authorization, &DeviceAuthorization::codeReady, this, &SignInDialog::onCodeReady);
    connect(m_authorization, &DeviceAuthorization::countdown, m_codePage,
            &SignInCodePage::setCountdown);
    connect(m_authorization, &DeviceAuthorization::transientError, m_codePage,
            &SignInCodePage::showTransientError);
    connect(m_authorization, &DeviceAuthorization::succeeded, this, &SignInDialog::onSucceeded);
    connect(m_authorization, &DeviceAuthorization::failed, this, &SignInDialog::onFailed);
    m_authorization->start();
}

void SignInDialog::reject()
{
    stopAuthorization();
    QDialog::reject();
}

void SignInDialog::done(int result)
{
    // However the dialog ends, the key leaves the widget and this object.
    stopApiKeyCheck();
    forgetKey();
    QDialog::done(result);
}

void SignInDialog::stopAuthorization()
{
    if (!m_authorization)
        return;
    // Disconnect first: a cancelled attempt must not flip the dialog to an error page.
    m_authorization->disconnect(this);
    m_authorization->disconnect(m_codePage);
    m_authorization->cancel();
    m_authorization->deleteLater();
    m_authorization.clear();
}

void SignInDialog::onCodeReady(const DeviceCode &code)
{
    m_codePage->showCode(code);
    showPage(Page::Code);
    m_codePage->focusOpenBrowser();
    // Once by itself for each new code; the button is there for every later time.
    m_codePage->openBrowser();
}

void SignInDialog::onSucceeded(const TokenSet &tokens)
{
    m_finishingPage->setMessage(tr("Approved"), tr("Saving your sign-in in the system keychain…"));
    showPage(Page::Finishing);
    QPointer<SignInDialog> self(this);
    m_backend.completeSignIn(tokens, [self](const ServiceError &e) {
        if (!self)
            return;
        if (!e.ok()) {
            qCWarning(lcUi) << "storing the sign-in failed:" << e.message;
            self->m_errorPage->setMessage(tr("Your sign-in could not be saved"), e.message);
            self->showPage(Page::Error);
            return;
        }
        self->showSaved(
            tr("You are signed in"),
            tr("Qwen Bridge keeps you signed in from now on. This window closes by itself."));
    });
}

void SignInDialog::showSaved(const QString &title, const QString &detail)
{
    m_successPage->setMessage(title, detail);
    showPage(Page::Success);
    Q_EMIT signedIn();
    QTimer::singleShot(m_successDelayMs, this, &QDialog::accept);
}

void SignInDialog::checkAndSave()
{
    if (m_page != Page::ApiKey || isCheckingApiKey())
        return;
    m_apiKeyPage->hideError();
    const QString presetId = m_apiKeyPage->presetId();
    QUrl baseUrl;
    if (presetId == PlanCatalog::customPlanId()) {
        const QString problem = checkBaseUrl(m_apiKeyPage->baseUrlText(), &baseUrl);
        if (!problem.isEmpty()) {
            m_apiKeyPage->showError(problem, SignInApiKeyPage::Field::BaseUrl);
            return;
        }
    } else {
        baseUrl = PlanCatalog::instance().plan(presetId).baseUrl;
    }
    const QString key = m_apiKeyPage->key();
    const QString keyProblem = checkApiKeyText(key);
    if (!keyProblem.isEmpty()) {
        m_apiKeyPage->showError(keyProblem, SignInApiKeyPage::Field::Key);
        return;
    }
    m_apiKeyCheck = m_backend.createApiKeyCheck(this);
    if (!m_apiKeyCheck) {
        m_apiKeyPage->showError(tr("The key could not be checked."), SignInApiKeyPage::Field::None);
        return;
    }
    m_pendingPresetName = PlanCatalog::instance().displayName(presetId, baseUrl);
    m_pendingKey = Credentials();
    m_pendingKey.method = AuthMethod::ApiKey;
    m_pendingKey.apiKey = key;
    m_pendingKey.preset = presetId;
    m_pendingKey.baseUrl = m_backend.demoApiBase.isValid() ? m_backend.demoApiBase : baseUrl;
    connect(m_apiKeyCheck, &ApiKeyCheck::finished, this, &SignInDialog::onApiKeyChecked);
    setApiKeyBusy(true);
    qCInfo(lcUi) << "checking an API key for" << presetId << "at" << m_pendingKey.baseUrl.host();
    m_apiKeyCheck->check(PlanCatalog::instance().plan(presetId), m_pendingKey.baseUrl, key);
}

void SignInDialog::onApiKeyChecked(ApiKeyCheck::Outcome outcome, const QString &message)
{
    stopApiKeyCheck();
    setApiKeyBusy(false);
    if (outcome != ApiKeyCheck::Outcome::Accepted) {
        qCInfo(lcUi) << "the API key was not accepted:" << outcome;
        m_pendingKey = Credentials();
        if (outcome == ApiKeyCheck::Outcome::Refused) {
            // A refused key is of no further use; a passing failure may be retried as it is.
            m_apiKeyPage->clearKey();
            m_apiKeyPage->showError(message + QLatin1Char('\n') + tr("Nothing was stored."),
                                    SignInApiKeyPage::Field::Key);
        } else {
            m_apiKeyPage->showError(message, SignInApiKeyPage::Field::None);
        }
        return;
    }
    qCInfo(lcUi) << "the API key was accepted; storing it";
    m_apiKeyPage->clearKey();
    const Credentials credentials = m_pendingKey;
    m_pendingKey = Credentials();
    const QString presetName = m_pendingPresetName;
    const QString host = credentials.baseUrl.host();
    m_finishingPage->setMessage(tr("Key accepted"), tr("Saving your key in the system keychain…"));
    showPage(Page::Finishing);
    QPointer<SignInDialog> self(this);
    // A note from the check (the service's own words on an accepted key) stays visible.
    const QString note = message;
    m_backend.signIn(credentials, [self, presetName, host, note](const ServiceError &e) {
        if (!self)
            return;
        if (!e.ok()) {
            qCWarning(lcUi) << "storing the API key failed:" << e.message;
            self->m_errorPage->setMessage(tr("Your key could not be saved"), e.message);
            self->showPage(Page::Error);
            return;
        }
        self->showSaved(
            tr("Signed in with an API key for %1").arg(presetName),
            tr("OpenCode's requests now go to %1. This window closes by itself.").arg(host) +
                (note.isEmpty() ? QString() : QStringLiteral("\n") + note));
    });
}

void SignInDialog::setApiKeyBusy(bool busy)
{
    m_apiKeyPage->setBusy(busy, m_pendingPresetName);
    m_checkButton->setEnabled(!busy);
    m_apiKeyButton->setEnabled(!busy);
}

void SignInDialog::stopApiKeyCheck()
{
    if (!m_apiKeyCheck)
        return;
    m_apiKeyCheck->disconnect(this);
    m_apiKeyCheck->abort();
    m_apiKeyCheck->deleteLater();
    m_apiKeyCheck.clear();
}

void SignInDialog::forgetKey()
{
    m_apiKeyPage->clearKey();
    m_pendingKey = Credentials();
}

void SignInDialog::onFailed(const AuthFailure &failure)
{
    switch (failure.error) {
    case AuthError::Cancelled:
        return;
    case AuthError::Denied:
        showPage(Page::Denied);
        break;
    case AuthError::Expired:
        showPage(Page::Expired);
        break;
    case AuthError::Network:
        m_networkPage->setDetail(
            tr("Check your internet connection, then try again.\n\n%1").arg(failure.message));
        showPage(Page::Network);
        break;
    case AuthError::Server:
    case AuthError::Rejected:
        m_errorPage->setMessage(tr("Sign-in did not work"), failure.message);
        showPage(Page::Error);
        break;
    }
    qCInfo(lcUi) << "sign-in ended:" << failure.message;
}
