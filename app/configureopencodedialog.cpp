#include "configureopencodedialog.h"

#include "util/logcategories.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

ConfigureOpenCodeDialog::ConfigureOpenCodeDialog(const OpenCodeConfig &config, const QString &path,
                                                 bool demo, QWidget *parent)
    : QDialog(parent)
    , m_config(config)
{
    setObjectName(QStringLiteral("configureOpenCodeDialog"));
    setWindowTitle(demo ? tr("Configure OpenCode — DEMO") : tr("Configure OpenCode"));
    auto *layout = new QVBoxLayout(this);

    auto *intro = new QLabel(tr("Qwen Bridge can point OpenCode at its proxy by adding the "
                                "provider “%1” to OpenCode's configuration file. Everything "
                                "else in the file, comments included, stays as it is.")
                                 .arg(config.providerId),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *fileRow = new QHBoxLayout;
    auto *fileCaption = new QLabel(tr("File:"), this);
    QFont bold = fileCaption->font();
    bold.setBold(true);
    fileCaption->setFont(bold);
    fileRow->addWidget(fileCaption);
    m_pathLabel = new QLabel(this);
    m_pathLabel->setObjectName(QStringLiteral("pathLabel"));
    m_pathLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_pathLabel->setWordWrap(true);
    fileRow->addWidget(m_pathLabel, 1);
    m_chooseButton = new QPushButton(tr("Other file…"), this);
    m_chooseButton->setObjectName(QStringLiteral("chooseButton"));
    connect(m_chooseButton, &QPushButton::clicked, this, &ConfigureOpenCodeDialog::chooseFile);
    fileRow->addWidget(m_chooseButton);
    layout->addLayout(fileRow);

    m_changes = new QLabel(this);
    m_changes->setObjectName(QStringLiteral("changesLabel"));
    m_changes->setWordWrap(true);
    m_changes->setTextFormat(Qt::RichText);
    m_changes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_changes);

    m_outcome = new QLabel(this);
    m_outcome->setObjectName(QStringLiteral("outcomeLabel"));
    m_outcome->setWordWrap(true);
    m_outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_outcome->setVisible(false);
    layout->addWidget(m_outcome);
    layout->addStretch(1);

    auto *buttons = new QDialogButtonBox(this);
    m_writeButton = buttons->addButton(tr("Write"), QDialogButtonBox::AcceptRole);
    m_writeButton->setObjectName(QStringLiteral("writeButton"));
    m_closeButton = buttons->addButton(QDialogButtonBox::Cancel);
    connect(m_writeButton, &QPushButton::clicked, this, &ConfigureOpenCodeDialog::write);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    setMinimumWidth(560);
    setPath(path);
}

void ConfigureOpenCodeDialog::setPath(const QString &path)
{
    m_path = path;
    m_pathLabel->setText(QDir::toNativeSeparators(path));
    m_outcome->setVisible(false);
    refresh();
}

bool ConfigureOpenCodeDialog::canWrite() const
{
    return m_preview.ok() && m_preview.changed;
}

void ConfigureOpenCodeDialog::refresh()
{
    QByteArray existing;
    const bool exists = QFileInfo::exists(m_path);
    if (exists) {
        QFile file(m_path);
        if (!file.open(QIODevice::ReadOnly)) {
            m_preview = {};
            m_preview.error = OpenCodeConfig::Error::ReadFailed;
            m_preview.errorMessage = tr("The file cannot be read: %1").arg(file.errorString());
        } else {
            existing = file.readAll();
            m_preview = m_config.mergeInto(existing);
        }
    } else {
        m_preview = m_config.mergeInto(existing);
    }

    QString html;
    if (!m_preview.ok()) {
        html = tr("<p><b>This file cannot be changed safely.</b></p><p>%1</p>")
                   .arg(m_preview.errorMessage.toHtmlEscaped());
        if (m_preview.error == OpenCodeConfig::Error::InvalidJsonc) {
            html += tr("<p>Line %1, column %2. Fix the file in an editor, or choose another "
                       "file.</p>")
                        .arg(m_preview.errorLine)
                        .arg(m_preview.errorColumn);
        }
    } else if (!m_preview.changed) {
        html = tr("<p><b>OpenCode is already set up.</b> The file says everything Qwen Bridge "
                  "would write; nothing needs to change.</p>");
    } else {
        html = exists ? tr("<p>These changes will be made:</p>")
                      : tr("<p>The file does not exist yet and will be created with:</p>");
        html += QStringLiteral("<ul>");
        for (const QString &change : m_preview.changes)
            html += QStringLiteral("<li>%1</li>").arg(change.toHtmlEscaped());
        html += QStringLiteral("</ul>");
        if (exists)
            html += tr("<p>A copy of the current file is saved next to it first (%1.bak-…), "
                       "so you can go back.</p>")
                        .arg(QFileInfo(m_path).fileName().toHtmlEscaped());
        html += tr("<p>The file will hold the bridge's local key. It only opens the proxy on "
                   "this computer.</p>");
    }
    if (m_preview.ok() && m_preview.modelDiffers) {
        html += tr("<p>Your file already chooses the model “%1”; it is kept. Choose “%2” in "
                   "OpenCode to use Qwen through the bridge.</p>")
                    .arg(m_preview.existingModel.toHtmlEscaped(),
                         m_preview.suggestedModel.toHtmlEscaped());
    }
    m_changes->setText(html);
    m_writeButton->setVisible(canWrite());
    m_writeButton->setEnabled(canWrite());
    m_closeButton->setText(canWrite() ? tr("Cancel") : tr("Close"));
}

void ConfigureOpenCodeDialog::write()
{
    if (!canWrite())
        return;
    const OpenCodeConfig::Result result = m_config.writeFile(m_path);
    if (!result.ok()) {
        qCWarning(lcUi) << "writing the OpenCode configuration failed:" << result.errorMessage;
        m_outcome->setText(tr("Nothing was written: %1").arg(result.errorMessage));
        m_outcome->setStyleSheet(QStringLiteral("QLabel { color: #b91c1c; }"));
        m_outcome->setVisible(true);
        return;
    }
    qCInfo(lcUi) << "OpenCode configuration written:" << result.path;
    m_outcome->setStyleSheet(QString());
    m_outcome->setText(tr("Done: %1. Restart OpenCode to pick it up.").arg(result.summary()));
    m_outcome->setVisible(true);
    m_changes->setVisible(false);
    m_chooseButton->setEnabled(false);
    m_writeButton->setVisible(false);
    m_closeButton->setText(tr("Close"));
    Q_EMIT written(result);
}

void ConfigureOpenCodeDialog::chooseFile()
{
    auto *dialog =
        new QFileDialog(this, tr("OpenCode configuration file"), QFileInfo(m_path).absolutePath(),
                        tr("OpenCode configuration (*.json *.jsonc);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    // The file is merged into, never replaced: no "overwrite?" question.
    dialog->setOption(QFileDialog::DontConfirmOverwrite);
    dialog->selectFile(m_path);
    connect(dialog, &QFileDialog::fileSelected, this, &ConfigureOpenCodeDialog::setPath);
    dialog->open();
}
