#include "signindialog.h"

#include "oauth/deviceauthorization.h"
#include "qrwidget.h"
#include "uilog.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>

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

    QLabel *title = nullptr;
    QLabel *detail = nullptr;
    m_pageIndex.insert(Page::Finishing,
                       m_pages->addWidget(buildMessagePage(Page::Finishing, &title, &detail)));
    title->setText(tr("Approved"));
    detail->setText(tr("Saving your sign-in in the system keychain…"));
    m_pageIndex.insert(Page::Success,
                       m_pages->addWidget(buildMessagePage(Page::Success, &title, &detail)));
    title->setText(tr("You are signed in"));
    detail->setText(
        tr("Qwen Bridge keeps you signed in from now on. This window closes by itself."));
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
    // Room for the second way in: signing in with a Model Studio API key comes with its own
    // issue; until then the button stays hidden.
    m_apiKeyButton = new QPushButton(tr("Use an API key instead…"), this);
    m_apiKeyButton->setObjectName(QStringLiteral("apiKeyButton"));
    m_apiKeyButton->setFlat(true);
    m_apiKeyButton->setVisible(false);
    buttons->addWidget(m_apiKeyButton);
    buttons->addStretch(1);
    m_tryAgainButton = new QPushButton(tr("Try again"), this);
    m_tryAgainButton->setObjectName(QStringLiteral("tryAgainButton"));
    connect(m_tryAgainButton, &QPushButton::clicked, this, &SignInDialog::start);
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
}

QString SignInDialog::formatCountdown(int seconds)
{
    seconds = qMax(0, seconds);
    return QStringLiteral("%1:%2")
        .arg(seconds / 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
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
    const bool running = page == Page::Starting || page == Page::Code;
    m_tryAgainButton->setVisible(failed);
    m_tryAgainButton->setDefault(failed);
    m_closeButton->setText(running ? tr("Cancel") : tr("Close"));
    // Nothing is left to cancel while the keychain stores the tokens.
    m_closeButton->setEnabled(page != Page::Finishing);
    if (failed)
        m_tryAgainButton->setFocus();
}

void SignInDialog::start()
{
    stopAuthorization();
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
        self->showPage(Page::Success);
        Q_EMIT self->signedIn();
        QTimer::singleShot(self->m_successDelayMs, self, &QDialog::accept);
    });
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
