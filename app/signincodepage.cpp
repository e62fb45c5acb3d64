#include "signincodepage.h"

#include "oauth/deviceauthorization.h"
#include "qrwidget.h"
#include "signinlabels.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

SignInCodePage::SignInCodePage(QWidget *parent)
    : QWidget(parent)
    , m_copiedTimer(new QTimer(this))
{
    auto *columns = new QHBoxLayout(this);
    columns->setSpacing(24);

    auto *left = new QVBoxLayout;
    left->addWidget(SignInLabels::title(tr("Approve this code in your browser"), this));
    left->addWidget(SignInLabels::text(tr("Qwen Bridge opened the Qwen sign-in page in your "
                                          "browser. Sign in there, check that the page shows "
                                          "this code, and approve."),
                                       this));

    auto *codeRow = new QHBoxLayout;
    m_codeLabel = new QLabel(this);
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
    m_copyButton = new QPushButton(tr("Copy"), this);
    m_copyButton->setObjectName(QStringLiteral("copyButton"));
    m_copyButton->setIcon(QIcon::fromTheme(QStringLiteral("edit-copy")));
    m_copyButton->setToolTip(tr("Copy the code to the clipboard"));
    connect(m_copyButton, &QPushButton::clicked, this, &SignInCodePage::copyCode);
    codeRow->addWidget(m_copyButton);
    left->addLayout(codeRow);

    m_openBrowserButton = new QPushButton(tr("Open browser"), this);
    m_openBrowserButton->setObjectName(QStringLiteral("openBrowserButton"));
    m_openBrowserButton->setDefault(true);
    connect(m_openBrowserButton, &QPushButton::clicked, this, &SignInCodePage::openBrowser);
    auto *browserRow = new QHBoxLayout;
    browserRow->addWidget(m_openBrowserButton);
    browserRow->addStretch(1);
    left->addLayout(browserRow);

    m_browserHint = SignInLabels::text(QString(), this);
    m_browserHint->setObjectName(QStringLiteral("browserHint"));
    m_browserHint->setVisible(false);
    left->addWidget(m_browserHint);

    m_linkLabel = SignInLabels::text(QString(), this);
    m_linkLabel->setObjectName(QStringLiteral("verificationLink"));
    m_linkLabel->setTextFormat(Qt::PlainText);
    QPalette dim = m_linkLabel->palette();
    dim.setColor(QPalette::WindowText, dim.color(QPalette::PlaceholderText));
    m_linkLabel->setPalette(dim);
    left->addWidget(m_linkLabel);

    left->addStretch(1);
    m_countdownLabel = new QLabel(this);
    m_countdownLabel->setObjectName(QStringLiteral("countdown"));
    left->addWidget(m_countdownLabel);
    m_transientLabel = SignInLabels::text(QString(), this);
    m_transientLabel->setObjectName(QStringLiteral("transientError"));
    m_transientLabel->setVisible(false);
    left->addWidget(m_transientLabel);
    columns->addLayout(left, 3);

    auto *right = new QVBoxLayout;
    m_qr = new QrWidget(this);
    m_qr->setObjectName(QStringLiteral("qrCode"));
    m_qr->setMinimumSize(210, 210);
    right->addWidget(m_qr, 1);
    auto *qrCaption = SignInLabels::text(tr("On another device? Scan this with its camera."), this);
    qrCaption->setAlignment(Qt::AlignHCenter);
    right->addWidget(qrCaption);
    columns->addLayout(right, 2);

    m_copiedTimer->setSingleShot(true);
    m_copiedTimer->setInterval(2000);
    connect(m_copiedTimer, &QTimer::timeout, this, [this] { m_copyButton->setText(tr("Copy")); });
}

void SignInCodePage::showCode(const DeviceCode &code)
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
    setCountdown(code.expiresInSeconds);
}

void SignInCodePage::clear()
{
    m_code = {};
    m_qr->setText(QString());
    m_codeLabel->clear();
    m_transientLabel->setVisible(false);
    m_browserHint->setVisible(false);
    m_countdownLabel->clear();
}

void SignInCodePage::setCountdown(int secondsLeft)
{
    m_countdownLabel->setText(
        tr("The code expires in %1").arg(DeviceAuthorization::formatCountdown(secondsLeft)));
}

void SignInCodePage::showTransientError(const QString &message)
{
    m_transientLabel->setText(
        tr("Qwen did not answer the last check (%1). Still trying…").arg(message));
    m_transientLabel->setVisible(true);
}

void SignInCodePage::focusOpenBrowser()
{
    m_openBrowserButton->setDefault(true);
    m_openBrowserButton->setFocus();
}

void SignInCodePage::openBrowser()
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

void SignInCodePage::copyCode()
{
    if (m_code.userCode.isEmpty())
        return;
    QApplication::clipboard()->setText(m_code.userCode);
    m_copyButton->setText(tr("Copied"));
    m_copiedTimer->start();
}
