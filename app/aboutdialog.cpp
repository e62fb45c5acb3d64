#include "aboutdialog.h"

#include "appicons.h"
#include "autostart.h"
#include "opencode/opencodeconfig.h"
#include "settings/settings.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace {
QLabel *pathLabel(const QString &path, QWidget *parent)
{
    auto *label = new QLabel(QDir::toNativeSeparators(path), parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}
} // namespace

AboutDialog::AboutDialog(const Settings *settings, bool demo, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(demo ? tr("About Qwen Bridge — DEMO") : tr("About Qwen Bridge"));
    auto *layout = new QVBoxLayout(this);

    auto *header = new QHBoxLayout;
    auto *icon = new QLabel(this);
    icon->setPixmap(AppIcons::application().pixmap(64, 64));
    icon->setAlignment(Qt::AlignTop);
    header->addWidget(icon);
    auto *text = new QVBoxLayout;
    auto *name = new QLabel(demo ? tr("Qwen Bridge (DEMO)") : tr("Qwen Bridge"), this);
    QFont big = name->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    name->setFont(big);
    text->addWidget(name);
    auto *version = new QLabel(tr("Version %1").arg(QCoreApplication::applicationVersion()), this);
    version->setObjectName(QStringLiteral("version"));
    version->setTextInteractionFlags(Qt::TextSelectableByMouse);
    text->addWidget(version);
    auto *description =
        new QLabel(tr("Signs you in to your Qwen account and lets OpenCode use Qwen models "
                      "through a proxy that only this computer can reach."),
                   this);
    description->setWordWrap(true);
    description->setMinimumWidth(420);
    text->addWidget(description);
    text->addStretch(1);
    header->addLayout(text, 1);
    layout->addLayout(header);

    auto *files = new QGroupBox(tr("Where things are kept"), this);
    auto *form = new QFormLayout(files);
    form->addRow(tr("Settings:"), pathLabel(Settings::configFilePath(), files));
    form->addRow(tr("Logs:"), pathLabel(Settings::stateDir(), files));
    form->addRow(tr("Request logs:"), pathLabel(Settings::requestLogDir(), files));
    auto *keychain = new QLabel(
        tr("The system keychain, under the name “%1”").arg(settings->keychainService()), files);
    keychain->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Sign-in and local key:"), keychain);
    form->addRow(tr("OpenCode configuration:"),
                 pathLabel(OpenCodeConfig::defaultConfigPath(), files));
    form->addRow(tr("Start at login:"), pathLabel(Autostart::filePath(), files));
    layout->addWidget(files);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    // Exactly as large as the text: nothing here gains from a bigger window.
    layout->setSizeConstraint(QLayout::SetFixedSize);
}
