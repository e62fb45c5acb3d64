#include "importofferdialog.h"

#include "appicons.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

ImportOfferDialog::ImportOfferDialog(const LegacyImport::Found &found, QWidget *parent)
    : QDialog(parent)
    , m_found(found)
{
    setObjectName(QStringLiteral("importOfferDialog"));
    const QString source = LegacyImport::sourceName(found.source);
    setWindowTitle(tr("Qwen Bridge"));

    auto *layout = new QVBoxLayout(this);
    auto *columns = new QHBoxLayout;
    columns->setSpacing(16);
    auto *icon = new QLabel(this);
    icon->setPixmap(AppIcons::application().pixmap(48, 48));
    icon->setAlignment(Qt::AlignTop);
    columns->addWidget(icon);

    auto *text = new QVBoxLayout;
    auto *title = new QLabel(tr("Use the sign-in of %1?").arg(source), this);
    title->setObjectName(QStringLiteral("importTitle"));
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    title->setFont(big);
    title->setWordWrap(true);
    text->addWidget(title);

    auto *where = new QLabel(tr("Qwen Bridge found a Qwen sign-in in %1. It can take it over, so "
                                "that you do not have to sign in again.")
                                 .arg(QDir::toNativeSeparators(found.path)),
                             this);
    where->setObjectName(QStringLiteral("importWhere"));
    where->setWordWrap(true);
    where->setTextInteractionFlags(Qt::TextSelectableByMouse);
    text->addWidget(where);

    auto *warning = new QLabel(LegacyImport::rotationWarning(found.source), this);
    warning->setObjectName(QStringLiteral("importWarning"));
    warning->setWordWrap(true);
    text->addWidget(warning);

    m_deleteOriginal = new QCheckBox(tr("&Delete the original file"), this);
    m_deleteOriginal->setObjectName(QStringLiteral("deleteOriginalCheck"));
    m_deleteOriginal->setChecked(false);
    m_deleteOriginal->setToolTip(QDir::toNativeSeparators(found.path));
    text->addSpacing(4);
    text->addWidget(m_deleteOriginal);

    auto *later = new QLabel(tr("Qwen Bridge asks only this once. To do it later, run "
                                "qwen-bridge import in a terminal."),
                             this);
    QPalette dim = later->palette();
    dim.setColor(QPalette::WindowText, dim.color(QPalette::PlaceholderText));
    later->setPalette(dim);
    later->setWordWrap(true);
    text->addWidget(later);
    columns->addLayout(text, 1);
    layout->addLayout(columns);

    auto *buttons = new QDialogButtonBox(this);
    QPushButton *use = buttons->addButton(tr("Use this sign-in"), QDialogButtonBox::AcceptRole);
    use->setObjectName(QStringLiteral("importButton"));
    use->setDefault(true);
    QPushButton *no = buttons->addButton(tr("No, thanks"), QDialogButtonBox::RejectRole);
    no->setObjectName(QStringLiteral("declineButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    setMinimumWidth(520);
}

bool ImportOfferDialog::deleteOriginal() const
{
    return m_deleteOriginal->isChecked();
}
