#include "signindialog.h"

#include "credentials/apikeyinput.h"
#include "oauth/deviceauthorization.h"
#include "plans/plancatalog.h"
#include "qrwidget.h"
#include "settings/urlpolicy.h"
#include "util/logcategories.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace {
QLabel *makeTitle(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 1.35);
    font.setBold(true);
    label->setFont(font);
    label->setWordWrap(true);
    return label;
}

QLabel *makeText(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

// Small print under a field, in the dimmer text colour.
QLabel *makeNote(const QString &text, QWidget *parent)
{
    QLabel *label = makeText(text, parent);
    QPalette dim = label->palette();
    dim.setColor(QPalette::WindowText, dim.color(QPalette::PlaceholderText));
    label->setPalette(dim);
    QFont small = label->font();
    small.setPointSizeF(small.pointSizeF() * 0.92);
    label->setFont(small);
    return label;
}

// Where Alibaba Cloud explains how to create a key, with the Key Management page of each
// region one click away.
const char kGetKeyUrl[] = "https://www.alibabacloud.com/help/en/model-studio/get-api-key";
const char kExampleBaseUrl[] = "https://dashscope-intl.aliyuncs.com/compatible-mode/v1";
} // namespace

SignInDialog::SignInDialog(SignInBackend backend, bool demo, QWidget *parent)
    : QDialog(parent)
    , m_backend(std::move(backend))
    , m_pages(new QStackedWidget(this))
    , m_copiedTimer(new QTimer(this))
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

    m_pageIndex.insert(Page::Starting, m_pages->addWidget(buildStartingPage()));
    m_pageIndex.insert(Page::Code, m_pages->addWidget(buildCodePage()));
    m_pageIndex.insert(Page::ApiKey, m_pages->addWidget(buildApiKeyPage()));

    QLabel *title = nullptr;
    QLabel *detail = nullptr;
    // The texts of these two depend on the way in; they are set when they are shown.
    m_pageIndex.insert(Page::Finishing,
                       m_pages->addWidget(buildMessagePage(Page::Finishing, &m_finishingTitle,
                                                           &m_finishingDetail)));
    m_pageIndex.insert(Page::Success, m_pages->addWidget(buildMessagePage(
                                          Page::Success, &m_successTitle, &m_successDetail)));
    m_pageIndex.insert(Page::Denied,
                       m_pages->addWidget(buildMessagePage(Page::Denied, &title, &detail)));
    title->setText(tr("Sign-in was refused"));
    detail->setText(tr("The request was declined on the Qwen page. If that was a mistake, try "
                       "again and choose to approve."));
    m_pageIndex.insert(Page::Expired,
                       m_pages->addWidget(buildMessagePage(Page::Expired, &title, &detail)));
    title->setText(tr("The code expired"));
    detail->setText(tr("The code was not approved in time. Try again to get a new one."));
    m_pageIndex.insert(Page::Network, m_pages->addWidget(buildMessagePage(Page::Network, &title,
                                                                          &m_networkDetail)));
    title->setText(tr("Qwen could not be reached"));
    m_pageIndex.insert(Page::Error, m_pages->addWidget(buildMessagePage(Page::Error, &m_errorTitle,
                                                                        &m_errorDetail)));
    m_errorTitle->setText(tr("Sign-in did not work"));
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

    m_copiedTimer->setSingleShot(true);
    m_copiedTimer->setInterval(2000);
    connect(m_copiedTimer, &QTimer::timeout, this, [this] { m_copyButton->setText(tr("Copy")); });

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
    const QString example = QLatin1String(kExampleBaseUrl);
    // A key must not travel in the clear, except to this computer.
    switch (UrlPolicy::checkBaseUrl(text, url)) {
    case UrlPolicy::Problem::None:
        return {};
    case UrlPolicy::Problem::Empty:
        return tr("Enter the base URL of the endpoint, such as %1.").arg(example);
    case UrlPolicy::Problem::NotWebAddress:
    case UrlPolicy::Problem::PlainHttp:
        break;
    case UrlPolicy::Problem::UserInfo:
        return tr("The base URL must not contain a user name or password.");
    case UrlPolicy::Problem::QueryOrFragment:
        return tr("The base URL must not have a query (?…) or a fragment (#…).");
    }
    return tr("The base URL must be an https:// address (http:// only for this computer), "
              "such as %1.")
        .arg(example);
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

QString SignInDialog::formatCountdown(int seconds)
{
    return DeviceAuthorization::formatCountdown(seconds);
}

QWidget *SignInDialog::buildStartingPage()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->addStretch(1);
    layout->addWidget(makeTitle(tr("Connecting to Qwen…"), page));
    layout->addWidget(makeText(tr("Asking Qwen for a sign-in code."), page));
    auto *busy = new QProgressBar(page);
    busy->setRange(0, 0);
    busy->setTextVisible(false);
    layout->addWidget(busy);
    layout->addStretch(2);
    return page;
}

QWidget *SignInDialog::buildCodePage()
{
    auto *page = new QWidget(this);
    auto *columns = new QHBoxLayout(page);
    columns->setSpacing(24);

    auto *left = new QVBoxLayout;
    left->addWidget(makeTitle(tr("Approve this code in your browser"), page));
    left->addWidget(makeText(tr("Qwen Bridge opened the Qwen sign-in page in your browser. "
                                "Sign in there, check that the page shows this code, and "
                                "approve."),
                             page));

    auto *codeRow = new QHBoxLayout;
    m_codeLabel = new QLabel(page);
    m_codeLabel->setObjectName(QStringLiteral("userCode"));
    QFont codeFont = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    codeFont.setPointSizeF(QFontInfo(font()).pointSizeF() * 2.4);
    codeFont.setBold(true);
    codeFont.setLetterSpacing(QFont::PercentageSpacing, 110);
    m_codeLabel->setFont(codeFont);
    m_codeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_codeLabel->setAlignment(Qt::AlignCenter);
    m_codeLabel->setFrameShape(QFrame::StyledPanel);
    m_codeLabel->setMargin(8);
    m_codeLabel->setAccessibleName(tr("Sign-in code"));
    // Sized for the code before there is one, so that the dialog does not have to grow.
    m_codeLabel->setMinimumHeight(QFontMetrics(codeFont).height() + 2 * m_codeLabel->margin() +
                                  2 * m_codeLabel->frameWidth() + 8);
    codeRow->addWidget(m_codeLabel, 1);
    m_copyButton = new QPushButton(tr("Copy"), page);
    m_copyButton->setObjectName(QStringLiteral("copyButton"));
    m_copyButton->setIcon(QIcon::fromTheme(QStringLiteral("edit-copy")));
    m_copyButton->setToolTip(tr("Copy the code to the clipboard"));
    connect(m_copyButton, &QPushButton::clicked, this, &SignInDialog::copyCode);
    codeRow->addWidget(m_copyButton);
    left->addLayout(codeRow);

    m_openBrowserButton = new QPushButton(tr("Open browser"), page);
    m_openBrowserButton->setObjectName(QStringLiteral("openBrowserButton"));
    m_openBrowserButton->setDefault(true);
    connect(m_openBrowserButton, &QPushButton::clicked, this, &SignInDialog::openBrowser);
    auto *browserRow = new QHBoxLayout;
    browserRow->addWidget(m_openBrowserButton);
    browserRow->addStretch(1);
    left->addLayout(browserRow);

    m_browserHint = makeText(QString(), page);
    m_browserHint->setObjectName(QStringLiteral("browserHint"));
    m_browserHint->setVisible(false);
    left->addWidget(m_browserHint);

    m_linkLabel = makeText(QString(), page);
    m_linkLabel->setObjectName(QStringLiteral("verificationLink"));
    m_linkLabel->setTextFormat(Qt::PlainText);
    QPalette dim = m_linkLabel->palette();
    dim.setColor(QPalette::WindowText, dim.color(QPalette::PlaceholderText));
    m_linkLabel->setPalette(dim);
    left->addWidget(m_linkLabel);

    left->addStretch(1);
    m_countdownLabel = new QLabel(page);
    m_countdownLabel->setObjectName(QStringLiteral("countdown"));
    left->addWidget(m_countdownLabel);
    m_transientLabel = makeText(QString(), page);
    m_transientLabel->setObjectName(QStringLiteral("transientError"));
    m_transientLabel->setVisible(false);
    left->addWidget(m_transientLabel);
    columns->addLayout(left, 3);

    auto *right = new QVBoxLayout;
    m_qr = new QrWidget(page);
    m_qr->setObjectName(QStringLiteral("qrCode"));
    m_qr->setMinimumSize(210, 210);
    right->addWidget(m_qr, 1);
    auto *qrCaption = makeText(tr("On another device? Scan this with its camera."), page);
    qrCaption->setAlignment(Qt::AlignHCenter);
    right->addWidget(qrCaption);
    columns->addLayout(right, 2);
    return page;
}

QWidget *SignInDialog::buildApiKeyPage()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(makeTitle(tr("Sign in with an API key"), page));
    layout->addWidget(makeText(tr("An API key of Alibaba Cloud Model Studio (pay-as-you-go or "
                                  "Coding Plan) lets OpenCode use Qwen models through Qwen "
                                  "Bridge. A key only works in the plan and region it was "
                                  "made for."),
                               page));
    layout->addSpacing(6);

    auto *form = new QFormLayout;
    m_apiKeyForm = form;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setVerticalSpacing(12);
    // A field with its small print right below it, as one row: word-wrapped labels in rows of
    // their own get more height than they need.
    auto withNote = [](QWidget *field, QLabel *note) {
        auto *column = new QVBoxLayout;
        column->setSpacing(2);
        column->addWidget(field);
        column->addWidget(note);
        return column;
    };
    m_presetCombo = new QComboBox(page);
    m_presetCombo->setObjectName(QStringLiteral("presetCombo"));
    // One group per kind of plan, its name as a header that cannot be chosen.
    auto *model = new QStandardItemModel(m_presetCombo);
    QString group;
    const QList<Plan> plans = PlanCatalog::instance().plans();
    for (const Plan &plan : plans) {
        if (plan.groupKey() != group) {
            group = plan.groupKey();
            if (model->rowCount() > 0) {
                auto *gap = new QStandardItem;
                gap->setFlags(Qt::NoItemFlags);
                gap->setSizeHint(QSize(1, 6));
                model->appendRow(gap);
            }
            if (!plan.isCustom()) {
                auto *header = new QStandardItem(plan.groupName());
                header->setFlags(Qt::NoItemFlags);
                QFont bold = header->font();
                bold.setBold(true);
                header->setFont(bold);
                model->appendRow(header);
            }
        }
        auto *item = new QStandardItem(plan.isCustom() ? tr("Custom endpoint…") : plan.name());
        item->setData(plan.id, Qt::UserRole);
        if (!plan.isCustom())
            item->setToolTip(plan.baseUrl.toString());
        model->appendRow(item);
    }
    m_presetCombo->setModel(model);
    m_presetCombo->setCurrentIndex(m_presetCombo->findData(PlanCatalog::defaultPlanId()));
    connect(m_presetCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_apiKeyError->setVisible(false);
        updateBaseUrlRow();
        updateKeyNotes();
    });
    m_baseUrlNote = makeNote(QString(), page);
    m_baseUrlNote->setObjectName(QStringLiteral("baseUrlNote"));
    auto *presetLabel = new QLabel(tr("&Plan and region:"), page);
    presetLabel->setBuddy(m_presetCombo);
    form->addRow(presetLabel, withNote(m_presetCombo, m_baseUrlNote));

    m_baseUrlEdit = new QLineEdit(page);
    m_baseUrlEdit->setObjectName(QStringLiteral("baseUrlEdit"));
    m_baseUrlEdit->setPlaceholderText(QLatin1String(kExampleBaseUrl));
    m_baseUrlEdit->setInputMethodHints(Qt::ImhUrlCharactersOnly | Qt::ImhNoAutoUppercase);
    m_baseUrlLabel = new QLabel(tr("&Base URL:"), page);
    m_baseUrlLabel->setBuddy(m_baseUrlEdit);
    m_customUrlNote = makeNote(tr("An OpenAI-compatible https:// address; http:// only for "
                                  "this computer."),
                               page);
    form->addRow(m_baseUrlLabel, withNote(m_baseUrlEdit, m_customUrlNote));

    m_keyEdit = new QLineEdit(page);
    m_keyEdit->setObjectName(QStringLiteral("apiKeyEdit"));
    m_keyEdit->setEchoMode(QLineEdit::Password);
    m_keyEdit->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhSensitiveData |
                                   Qt::ImhNoPredictiveText | Qt::ImhNoAutoUppercase);
    m_keyEdit->setPlaceholderText(tr("sk-…"));
    m_keyEdit->setAccessibleName(tr("API key"));
    connect(m_keyEdit, &QLineEdit::textEdited, this, [this] {
        m_apiKeyError->setVisible(false);
        updateKeyNotes();
    });
    m_keyHint = makeNote(QString(), page);
    m_keyHint->setObjectName(QStringLiteral("keyHint"));
    m_keyHint->setTextFormat(Qt::RichText);
    m_keyHint->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_keyHint->setOpenExternalLinks(true);
    // Before any request: a key of another kind of plan is named as such at once.
    m_prefixHint = makeNote(QString(), page);
    m_prefixHint->setObjectName(QStringLiteral("keyPrefixHint"));
    m_prefixHint->setVisible(false);
    auto *keyLabel = new QLabel(tr("API &key:"), page);
    keyLabel->setBuddy(m_keyEdit);
    QVBoxLayout *keyColumn = withNote(m_keyEdit, m_prefixHint);
    keyColumn->addWidget(m_keyHint);
    form->addRow(keyLabel, keyColumn);
    layout->addLayout(form);

    layout->addSpacing(6);
    auto *busyRow = new QHBoxLayout;
    m_checkBusy = new QProgressBar(page);
    m_checkBusy->setObjectName(QStringLiteral("checkBusy"));
    m_checkBusy->setRange(0, 0);
    m_checkBusy->setTextVisible(false);
    m_checkBusy->setMaximumWidth(120);
    m_checkBusy->setVisible(false);
    busyRow->addWidget(m_checkBusy);
    m_checkStatus = makeText(QString(), page);
    m_checkStatus->setObjectName(QStringLiteral("checkStatus"));
    m_checkStatus->setVisible(false);
    busyRow->addWidget(m_checkStatus, 1);
    layout->addLayout(busyRow);

    m_apiKeyError = makeText(QString(), page);
    m_apiKeyError->setObjectName(QStringLiteral("apiKeyError"));
    // Fixed colours on both sides, so the box reads the same on light and dark themes.
    m_apiKeyError->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #5f1a14; "
                                                "border: 1px solid #e8a29b; border-radius: 4px; "
                                                "padding: 6px; }"));
    m_apiKeyError->setVisible(false);
    layout->addWidget(m_apiKeyError);
    layout->addStretch(1);

    updateBaseUrlRow();
    updateKeyNotes();
    return page;
}

void SignInDialog::updateKeyNotes()
{
    const Plan plan = PlanCatalog::instance().plan(m_presetCombo->currentData().toString());
    const QUrl link = plan.keyPage.isEmpty() ? QUrl(QLatin1String(kGetKeyUrl)) : plan.keyPage;
    m_keyHint->setText((plan.whereToGetKey() + QLatin1Char(' ') +
                        tr("Qwen Bridge keeps it in the system keychain and never shows it again."))
                           .toHtmlEscaped() +
                       QStringLiteral("<br><a href=\"%1\">%2</a>")
                           .arg(link.toString(QUrl::FullyEncoded).toHtmlEscaped(),
                                tr("Where to get a key").toHtmlEscaped()));
    m_keyEdit->setPlaceholderText(plan.keyPrefix.isEmpty() ? tr("sk-…")
                                                           : plan.keyPrefix + QChar(0x2026));
    const QString key = m_keyEdit->text().trimmed();
    const QString hint = key.isEmpty() ? QString() : PlanCatalog::keyPrefixHint(plan, key);
    m_prefixHint->setText(hint);
    m_prefixHint->setVisible(!hint.isEmpty());
}

void SignInDialog::updateBaseUrlRow()
{
    const bool custom = m_presetCombo->currentData().toString() == PlanCatalog::customPlanId();
    // The whole row, spacing included.
    m_apiKeyForm->setRowVisible(m_baseUrlLabel, custom);
    m_baseUrlNote->setVisible(!custom || m_backend.demoApiBase.isValid());
    if (m_backend.demoApiBase.isValid()) {
        m_baseUrlNote->setText(tr("DEMO: whatever you choose here, the key is checked by the "
                                  "fake service at %1, which accepts the key %2.")
                                   .arg(m_backend.demoApiBase.toString(), m_backend.demoApiKey));
    } else {
        m_baseUrlNote->setText(
            tr("Requests go to %1.").arg(m_presetCombo->currentData(Qt::ToolTipRole).toString()));
    }
}

QWidget *SignInDialog::buildMessagePage(Page which, QLabel **title, QLabel **detail)
{
    auto *page = new QWidget(this);
    // Centred a little above the middle: the pages share the height of the code page.
    auto *outer = new QVBoxLayout(page);
    outer->setContentsMargins(24, 0, 24, 0);
    outer->addStretch(2);
    auto *layout = new QHBoxLayout;
    layout->setSpacing(16);
    outer->addLayout(layout);
    outer->addStretch(3);
    QStyle::StandardPixmap pixmap = QStyle::SP_MessageBoxWarning;
    switch (which) {
    case Page::Finishing:
    case Page::Success:
        pixmap = QStyle::SP_DialogApplyButton;
        break;
    case Page::Denied:
    case Page::Expired:
        pixmap = QStyle::SP_MessageBoxInformation;
        break;
    case Page::Network:
    case Page::Error:
        pixmap = QStyle::SP_MessageBoxWarning;
        break;
    case Page::Starting:
    case Page::Code:
    case Page::ApiKey:
        break;
    }
    auto *icon = new QLabel(page);
    icon->setPixmap(style()->standardIcon(pixmap).pixmap(48, 48));
    icon->setFixedSize(48, 48);
    icon->setAlignment(Qt::AlignTop);
    layout->addWidget(icon);
    auto *text = new QVBoxLayout;
    *title = makeTitle(QString(), page);
    *detail = makeText(QString(), page);
    (*detail)->setObjectName(QStringLiteral("detail"));
    text->addWidget(*title);
    text->addWidget(*detail);
    layout->addLayout(text, 1);
    return page;
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
    m_code = {};
    m_apiKeyError->setVisible(false);
    setApiKeyBusy(false);
    updateBaseUrlRow();
    showPage(Page::ApiKey);
    m_keyEdit->setFocus();
}

void SignInDialog::start()
{
    stopAuthorization();
    stopApiKeyCheck();
    forgetKey();
    m_apiKeyFlow = false;
    m_code = {};
    m_qr->setText(QString());
    m_codeLabel->clear();
    m_transientLabel->setVisible(false);
    m_browserHint->setVisible(false);
    m_countdownLabel->clear();
    showPage(Page::Starting);

    m_authorization = m_backend.createAuthorization(this);
    if (!m_authorization) {
        m_errorDetail->setText(tr("The sign-in could not be started."));
        showPage(Page::Error);
        return;
    }
    connect(m_authorization, &DeviceAuthorization::codeReady, this, &SignInDialog::onCodeReady);
    connect(m_authorization, &DeviceAuthorization::countdown, this, &SignInDialog::onCountdown);
    connect(m_authorization, &DeviceAuthorization::transientError, this,
            &SignInDialog::onTransientError);
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
    m_authorization->cancel();
    m_authorization->deleteLater();
    m_authorization.clear();
}

void SignInDialog::onCodeReady(const DeviceCode &code)
{
    m_code = code;
    m_codeLabel->setText(code.userCode);
    m_qr->setText(code.verificationUriComplete.toString(QUrl::FullyEncoded));
    // The short address and the code, the way the device flow is meant to be typed by hand;
    // the full link is in the QR code and behind the button.
    const QUrl typed =
        code.verificationUri.isValid() ? code.verificationUri : code.verificationUriComplete;
    m_linkLabel->setText(tr("Or open %1 yourself and enter the code.")
                             .arg(typed.toString(QUrl::RemoveQuery | QUrl::RemoveFragment)));
    onCountdown(code.expiresInSeconds);
    showPage(Page::Code);
    m_openBrowserButton->setDefault(true);
    m_openBrowserButton->setFocus();
    // Once by itself for each new code; the button is there for every later time.
    openBrowser();
}

void SignInDialog::onCountdown(int secondsLeft)
{
    m_countdownLabel->setText(tr("The code expires in %1").arg(formatCountdown(secondsLeft)));
}

void SignInDialog::onTransientError(const QString &message)
{
    m_transientLabel->setText(
        tr("Qwen did not answer the last check (%1). Still trying…").arg(message));
    m_transientLabel->setVisible(true);
}

void SignInDialog::onSucceeded(const TokenSet &tokens)
{
    m_finishingTitle->setText(tr("Approved"));
    m_finishingDetail->setText(tr("Saving your sign-in in the system keychain…"));
    showPage(Page::Finishing);
    QPointer<SignInDialog> self(this);
    m_backend.completeSignIn(tokens, [self](bool ok, const QString &message) {
        if (!self)
            return;
        if (!ok) {
            qCWarning(lcUi) << "storing the sign-in failed:" << message;
            self->m_errorTitle->setText(tr("Your sign-in could not be saved"));
            self->m_errorDetail->setText(message);
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
    m_successTitle->setText(title);
    m_successDetail->setText(detail);
    showPage(Page::Success);
    Q_EMIT signedIn();
    QTimer::singleShot(m_successDelayMs, this, &QDialog::accept);
}

void SignInDialog::checkAndSave()
{
    if (m_page != Page::ApiKey || isCheckingApiKey())
        return;
    m_apiKeyError->setVisible(false);
    const QString presetId = m_presetCombo->currentData().toString();
    QUrl baseUrl;
    if (presetId == PlanCatalog::customPlanId()) {
        const QString problem = checkBaseUrl(m_baseUrlEdit->text(), &baseUrl);
        if (!problem.isEmpty()) {
            showApiKeyError(problem, m_baseUrlEdit);
            return;
        }
    } else {
        baseUrl = PlanCatalog::instance().plan(presetId).baseUrl;
    }
    const QString key = m_keyEdit->text().trimmed();
    const QString keyProblem = checkApiKeyText(key);
    if (!keyProblem.isEmpty()) {
        showApiKeyError(keyProblem, m_keyEdit);
        return;
    }
    m_apiKeyCheck = m_backend.createApiKeyCheck(this);
    if (!m_apiKeyCheck) {
        showApiKeyError(tr("The key could not be checked."), nullptr);
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
            m_keyEdit->clear();
            showApiKeyError(message + QLatin1Char('\n') + tr("Nothing was stored."), m_keyEdit);
        } else {
            showApiKeyError(message, nullptr);
        }
        return;
    }
    qCInfo(lcUi) << "the API key was accepted; storing it";
    m_keyEdit->clear();
    const Credentials credentials = m_pendingKey;
    m_pendingKey = Credentials();
    const QString presetName = m_pendingPresetName;
    const QString host = credentials.baseUrl.host();
    m_finishingTitle->setText(tr("Key accepted"));
    m_finishingDetail->setText(tr("Saving your key in the system keychain…"));
    showPage(Page::Finishing);
    QPointer<SignInDialog> self(this);
    // A note from the check (the service's own words on an accepted key) stays visible.
    const QString note = message;
    m_backend.signIn(credentials, [self, presetName, host, note](bool ok, const QString &error) {
        if (!self)
            return;
        if (!ok) {
            qCWarning(lcUi) << "storing the API key failed:" << error;
            self->m_errorTitle->setText(tr("Your key could not be saved"));
            self->m_errorDetail->setText(error);
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
    m_presetCombo->setEnabled(!busy);
    m_baseUrlEdit->setEnabled(!busy);
    m_keyEdit->setEnabled(!busy);
    m_checkButton->setEnabled(!busy);
    m_apiKeyButton->setEnabled(!busy);
    m_checkBusy->setVisible(busy);
    m_checkStatus->setVisible(busy);
    if (busy)
        m_checkStatus->setText(tr("Checking the key with %1…").arg(m_pendingPresetName));
}

void SignInDialog::showApiKeyError(const QString &message, QWidget *field)
{
    m_apiKeyError->setText(message);
    m_apiKeyError->setVisible(true);
    if (field)
        field->setFocus();
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
    m_keyEdit->clear();
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
        m_networkDetail->setText(
            tr("Check your internet connection, then try again.\n\n%1").arg(failure.message));
        showPage(Page::Network);
        break;
    case AuthError::Server:
    case AuthError::Rejected:
        m_errorTitle->setText(tr("Sign-in did not work"));
        m_errorDetail->setText(failure.message);
        showPage(Page::Error);
        break;
    }
    qCInfo(lcUi) << "sign-in ended:" << failure.message;
}

void SignInDialog::openBrowser()
{
    const QUrl url = m_code.verificationUriComplete;
    if (!url.isValid())
        return;
    if (!QDesktopServices::openUrl(url)) {
        m_browserHint->setText(
            tr("No browser could be opened. Open the address below yourself, or scan the QR "
               "code."));
        m_browserHint->setVisible(true);
        return;
    }
    m_browserHint->setVisible(false);
}

void SignInDialog::copyCode()
{
    if (m_code.userCode.isEmpty())
        return;
    QApplication::clipboard()->setText(m_code.userCode);
    m_copyButton->setText(tr("Copied"));
    m_copiedTimer->start();
}
