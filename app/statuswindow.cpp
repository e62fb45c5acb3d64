#include "statuswindow.h"

#include <QAction>
#include <QCheckBox>
#include <QCloseEvent>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

StatusWindow::StatusWindow(bool demo, QWidget *parent)
    : QWidget(parent)
    , m_icon(new QLabel(this))
    , m_title(new QLabel(this))
    , m_lines(new QVBoxLayout)
    , m_noticeFrame(new QFrame(this))
    , m_notice(new QLabel(m_noticeFrame))
    , m_noticeButton(new QPushButton(m_noticeFrame))
    , m_buttons(new QGridLayout)
    , m_footer(new QVBoxLayout)
    , m_noTrayNote(new QLabel(this))
{
    setObjectName(QStringLiteral("statusWindow"));
    setWindowTitle(demo ? tr("Qwen Bridge — DEMO") : tr("Qwen Bridge"));
    setWindowIcon(AppIcons::application());

    auto *layout = new QVBoxLayout(this);
    auto *header = new QHBoxLayout;
    m_icon->setFixedSize(48, 48);
    header->addWidget(m_icon, 0, Qt::AlignTop);
    auto *headerText = new QVBoxLayout;
    m_title->setObjectName(QStringLiteral("stateTitle"));
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_title->setFont(big);
    m_title->setWordWrap(true);
    headerText->addWidget(m_title);
    if (demo) {
        auto *demoLabel = new QLabel(tr("DEMO — uses a fake Qwen service on this computer"), this);
        demoLabel->setObjectName(QStringLiteral("demoLabel"));
        demoLabel->setWordWrap(true);
        demoLabel->setStyleSheet(QStringLiteral("QLabel { background: #fde68a; color: #3b2f00; "
                                                "border-radius: 3px; padding: 2px 6px; }"));
        headerText->addWidget(demoLabel);
    }
    headerText->addLayout(m_lines);
    header->addLayout(headerText, 1);
    layout->addLayout(header);

    m_noticeFrame->setObjectName(QStringLiteral("noticeFrame"));
    m_noticeFrame->setStyleSheet(QStringLiteral("#noticeFrame { background: "
                                                "palette(alternate-base); border: 1px solid "
                                                "palette(mid); border-radius: 4px; }"));
    auto *noticeLayout = new QHBoxLayout(m_noticeFrame);
    noticeLayout->setContentsMargins(8, 6, 8, 6);
    m_notice->setObjectName(QStringLiteral("notice"));
    m_notice->setWordWrap(true);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    noticeLayout->addWidget(m_notice, 1);
    m_noticeButton->setObjectName(QStringLiteral("noticeButton"));
    m_noticeButton->setVisible(false);
    connect(m_noticeButton, &QPushButton::clicked, this, [this] {
        if (m_noticeAction)
            m_noticeAction->trigger();
    });
    noticeLayout->addWidget(m_noticeButton, 0, Qt::AlignVCenter);
    m_noticeFrame->setVisible(false);
    layout->addWidget(m_noticeFrame);

    layout->addLayout(m_buttons);
    layout->addLayout(m_footer);

    m_noTrayNote->setObjectName(QStringLiteral("noTrayNote"));
    m_noTrayNote->setWordWrap(true);
    QPalette dim = m_noTrayNote->palette();
    dim.setColor(QPalette::WindowText, dim.color(QPalette::PlaceholderText));
    m_noTrayNote->setPalette(dim);
    layout->addWidget(m_noTrayNote);
    setTrayAvailable(false);
    setMinimumWidth(420);
}

QWidget *StatusWindow::buttonFor(QAction *action)
{
    QAbstractButton *button = nullptr;
    if (action->isCheckable())
        button = new QCheckBox(this);
    else
        button = new QPushButton(this);
    button->setObjectName(action->objectName() + QStringLiteral("Button"));
    auto sync = [button, action] {
        button->setText(action->text());
        button->setFont(action->font());
        button->setToolTip(action->toolTip());
        button->setEnabled(action->isEnabled());
        button->setVisible(action->isVisible());
        if (action->isCheckable())
            button->setChecked(action->isChecked());
    };
    sync();
    connect(action, &QAction::changed, button, sync);
    connect(action, &QAction::toggled, button, sync);
    if (action->isCheckable())
        connect(button, &QAbstractButton::clicked, action, &QAction::setChecked);
    else
        connect(button, &QAbstractButton::clicked, action, &QAction::trigger);
    return button;
}

void StatusWindow::setActions(const QList<QAction *> &main, const QList<QAction *> &footer)
{
    for (QAction *action : main) {
        QWidget *button = buttonFor(action);
        m_mainButtons << button;
        // Which actions show changes with the state; the grid closes the gaps.
        connect(action, &QAction::changed, this, &StatusWindow::arrangeButtons);
    }
    arrangeButtons();
    auto *row = new QHBoxLayout;
    for (QAction *action : footer) {
        QWidget *button = buttonFor(action);
        if (qobject_cast<QCheckBox *>(button)) {
            row->addWidget(button);
            row->addStretch(1);
        } else {
            row->addWidget(button);
        }
    }
    m_footer->addLayout(row);
}

void StatusWindow::arrangeButtons()
{
    QList<QWidget *> shown;
    for (QWidget *button : qAsConst(m_mainButtons)) {
        if (!button->isHidden())
            shown << button;
    }
    if (shown == m_arranged)
        return; // text or state changed, not which buttons show
    m_arranged = shown;
    for (QWidget *button : qAsConst(m_mainButtons))
        m_buttons->removeWidget(button);
    for (int i = 0; i < shown.size(); ++i)
        m_buttons->addWidget(shown.at(i), i / 2, i % 2);
}

void StatusWindow::setStatus(TrayStatus status, const QString &title, const QStringList &lines)
{
    m_icon->setPixmap(AppIcons::tray(status).pixmap(48, 48));
    m_title->setText(title);
    while (m_lines->count() < lines.size()) {
        auto *label = new QLabel(this);
        label->setObjectName(QStringLiteral("statusLine%1").arg(m_lines->count()));
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setWordWrap(true);
        m_lines->addWidget(label);
    }
    for (int i = 0; i < m_lines->count(); ++i) {
        auto *label = qobject_cast<QLabel *>(m_lines->itemAt(i)->widget());
        label->setVisible(i < lines.size());
        if (i < lines.size())
            label->setText(lines.at(i));
    }
    fitHeight();
}

void StatusWindow::fitHeight()
{
    // A window keeps its size when lines or a notice are added; grow it so that nothing is
    // squeezed (wrapped labels need the height for the width they get).
    QLayout *top = layout();
    top->activate();
    const int needed = top->hasHeightForWidth() ? top->totalHeightForWidth(width())
                                                : top->totalSizeHint().height();
    if (needed > height())
        resize(width(), needed);
}

void StatusWindow::showNotice(const QString &title, const QString &message, QAction *action)
{
    m_notice->setText(
        QStringLiteral("<b>%1</b><br>%2").arg(title.toHtmlEscaped(), message.toHtmlEscaped()));
    m_noticeAction = action;
    m_noticeButton->setVisible(action != nullptr);
    if (action)
        m_noticeButton->setText(action->text());
    m_noticeFrame->setVisible(true);
    fitHeight();
}

QString StatusWindow::notice() const
{
    return m_noticeFrame->isVisible() ? m_notice->text() : QString();
}

void StatusWindow::setTrayAvailable(bool available)
{
    m_trayAvailable = available;
    updateNote();
}

void StatusWindow::setWindowedOnPurpose(bool onPurpose)
{
    m_onPurpose = onPurpose;
    updateNote();
}

void StatusWindow::updateNote()
{
    if (m_trayAvailable) {
        m_noTrayNote->setText(tr("Qwen Bridge is also in the system tray. Closing this window "
                                 "keeps it running there."));
    } else if (m_onPurpose) {
        m_noTrayNote->setText(tr("Qwen Bridge runs in this window (--windowed). Closing it only "
                                 "minimizes it; use Quit to stop Qwen Bridge."));
    } else {
        m_noTrayNote->setText(tr("No system tray was found, so Qwen Bridge shows this window "
                                 "instead. Closing it only minimizes it; use Quit to stop "
                                 "Qwen Bridge."));
    }
}

void StatusWindow::closeEvent(QCloseEvent *event)
{
    if (m_trayAvailable) {
        event->accept();
        return;
    }
    event->ignore();
    showMinimized();
}
