#include "signinmessagepage.h"

#include "signinlabels.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

SignInMessagePage::SignInMessagePage(QStyle::StandardPixmap icon, QWidget *parent)
    : QWidget(parent)
{
    // Centred a little above the middle: the pages share the height of the code page.
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(24, 0, 24, 0);
    outer->addStretch(2);
    auto *layout = new QHBoxLayout;
    layout->setSpacing(16);
    outer->addLayout(layout);
    outer->addStretch(3);
    auto *iconLabel = new QLabel(this);
    iconLabel->setObjectName(QStringLiteral("icon"));
    iconLabel->setPixmap(style()->standardIcon(icon).pixmap(48, 48));
    iconLabel->setFixedSize(48, 48);
    iconLabel->setAlignment(Qt::AlignTop);
    layout->addWidget(iconLabel);
    auto *text = new QVBoxLayout;
    m_title = SignInLabels::title(QString(), this);
    m_title->setObjectName(QStringLiteral("title"));
    m_detail = SignInLabels::text(QString(), this);
    m_detail->setObjectName(QStringLiteral("detail"));
    text->addWidget(m_title);
    text->addWidget(m_detail);
    layout->addLayout(text, 1);
}

QString SignInMessagePage::title() const
{
    return m_title->text();
}

QString SignInMessagePage::detail() const
{
    return m_detail->text();
}

void SignInMessagePage::setTitle(const QString &title)
{
    m_title->setText(title);
}

void SignInMessagePage::setDetail(const QString &detail)
{
    m_detail->setText(detail);
}

void SignInMessagePage::setMessage(const QString &title, const QString &detail)
{
    setTitle(title);
    setDetail(detail);
}
