#include "signinapikeypage.h"

#include "plans/plancatalog.h"
#include "signinlabels.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace {
// Where Alibaba Cloud explains how to create a key, with the Key Management page of each
// region one click away.
const char kGetKeyUrl[] = "https://www.alibabacloud.com/help/en/model-studio/get-api-key";
} // namespace

SignInApiKeyPage::SignInApiKeyPage(const QUrl &demoApiBase, const QString &demoApiKey,
                                   QWidget *parent)
    : QWidget(parent)
    , m_demoApiBase(demoApiBase)
    , m_demoApiKey(demoApiKey)
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(SignInLabels::title(tr("Sign in with an API key"), this));
    layout->addWidget(SignInLabels::text(tr("An API key of Alibaba Cloud Model Studio "
                                            "(pay-as-you-go or Coding Plan) lets OpenCode use "
                                            "Qwen models through Qwen Bridge. A key only works "
                                            "in the plan and region it was made for."),
                                         this));
    layout->addSpacing(6);

    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->setVerticalSpacing(12);
    // A field with its small print right below it, as one row: word-wrapped labels in rows of
    // their own get more height than they need.
    auto withNote = [](QWidget *field, QLabel *note) {
        auto *column = new QVBoxLayout;
        column->setSpacing(2);
        column->addWidget(field);
        column->addWidget(note);
        return column;
    };
    m_presetCombo = new QComboBox(this);
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
        hideError();
        updateBaseUrlRow();
        updateKeyNotes();
    });
    m_baseUrlNote = SignInLabels::note(QString(), this);
    m_baseUrlNote->setObjectName(QStringLiteral("baseUrlNote"));
    auto *presetLabel = new QLabel(tr("&Plan and region:"), this);
    presetLabel->setBuddy(m_presetCombo);
    m_form->addRow(presetLabel, withNote(m_presetCombo, m_baseUrlNote));

    m_baseUrlEdit = new QLineEdit(this);
    m_baseUrlEdit->setObjectName(QStringLiteral("baseUrlEdit"));
    m_baseUrlEdit->setInputMethodHints(Qt::ImhUrlCharactersOnly | Qt::ImhNoAutoUppercase);
    m_baseUrlLabel = new QLabel(tr("&Base URL:"), this);
    m_baseUrlLabel->setBuddy(m_baseUrlEdit);
    // What a custom base URL must be.
    QLabel *customUrlNote = SignInLabels::note(tr("An OpenAI-compatible https:// address; "
                                                  "http:// only for this computer."),
                                               this);
    m_form->addRow(m_baseUrlLabel, withNote(m_baseUrlEdit, customUrlNote));

    m_keyEdit = new QLineEdit(this);
    m_keyEdit->setObjectName(QStringLiteral("apiKeyEdit"));
    m_keyEdit->setEchoMode(QLineEdit::Password);
    m_keyEdit->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhSensitiveData |
                                   Qt::ImhNoPredictiveText | Qt::ImhNoAutoUppercase);
    m_keyEdit->setPlaceholderText(tr("sk-…"));
    m_keyEdit->setAccessibleName(tr("API key"));
    connect(m_keyEdit, &QLineEdit::textEdited, this, [this] {
        hideError();
        updateKeyNotes();
    });
    m_keyHint = SignInLabels::note(QString(), this);
    m_keyHint->setObjectName(QStringLiteral("keyHint"));
    m_keyHint->setTextFormat(Qt::RichText);
    m_keyHint->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_keyHint->setOpenExternalLinks(true);
    // Before any request: a key of another kind of plan is named as such at once.
    m_prefixHint = SignInLabels::note(QString(), this);
    m_prefixHint->setObjectName(QStringLiteral("keyPrefixHint"));
    m_prefixHint->setVisible(false);
    auto *keyLabel = new QLabel(tr("API &key:"), this);
    keyLabel->setBuddy(m_keyEdit);
    QVBoxLayout *keyColumn = withNote(m_keyEdit, m_prefixHint);
    keyColumn->addWidget(m_keyHint);
    m_form->addRow(keyLabel, keyColumn);
    layout->addLayout(m_form);

    layout->addSpacing(6);
    auto *busyRow = new QHBoxLayout;
    m_checkBusy = new QProgressBar(this);
    m_checkBusy->setObjectName(QStringLiteral("checkBusy"));
    m_checkBusy->setRange(0, 0);
    m_checkBusy->setTextVisible(false);
    m_checkBusy->setMaximumWidth(120);
    m_checkBusy->setVisible(false);
    busyRow->addWidget(m_checkBusy);
    m_checkStatus = SignInLabels::text(QString(), this);
    m_checkStatus->setObjectName(QStringLiteral("checkStatus"));
    m_checkStatus->setVisible(false);
    busyRow->addWidget(m_checkStatus, 1);
    layout->addLayout(busyRow);

    m_error = SignInLabels::text(QString(), this);
    m_error->setObjectName(QStringLiteral("apiKeyError"));
    // Fixed colours on both sides, so the box reads the same on light and dark themes.
    m_error->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #5f1a14; "
                                          "border: 1px solid #e8a29b; border-radius: 4px; "
                                          "padding: 6px; }"));
    m_error->setVisible(false);
    layout->addWidget(m_error);
    layout->addStretch(1);

    updateBaseUrlRow();
    updateKeyNotes();
}

QString SignInApiKeyPage::presetId() const
{
    return m_presetCombo->currentData().toString();
}

QString SignInApiKeyPage::baseUrlText() const
{
    return m_baseUrlEdit->text();
}

QString SignInApiKeyPage::key() const
{
    return m_keyEdit->text().trimmed();
}

void SignInApiKeyPage::setBaseUrlPlaceholder(const QString &example)
{
    m_baseUrlEdit->setPlaceholderText(example);
}

void SignInApiKeyPage::reset()
{
    hideError();
    updateBaseUrlRow();
}

void SignInApiKeyPage::focusKey()
{
    m_keyEdit->setFocus();
}

void SignInApiKeyPage::setBusy(bool busy, const QString &presetName)
{
    m_presetCombo->setEnabled(!busy);
    m_baseUrlEdit->setEnabled(!busy);
    m_keyEdit->setEnabled(!busy);
    m_checkBusy->setVisible(busy);
    m_checkStatus->setVisible(busy);
    if (busy)
        m_checkStatus->setText(tr("Checking the key with %1…").arg(presetName));
}

void SignInApiKeyPage::showError(const QString &message, Field field)
{
    m_error->setText(message);
    m_error->setVisible(true);
    switch (field) {
    case Field::None:
        break;
    case Field::BaseUrl:
        m_baseUrlEdit->setFocus();
        break;
    case Field::Key:
        m_keyEdit->setFocus();
        break;
    }
}

void SignInApiKeyPage::hideError()
{
    m_error->setVisible(false);
}

void SignInApiKeyPage::clearKey()
{
    m_keyEdit->clear();
}

void SignInApiKeyPage::updateKeyNotes()
{
    const Plan plan = PlanCatalog::instance().plan(presetId());
    const QUrl link = plan.keyPage.isEmpty() ? QUrl(QLatin1String(kGetKeyUrl)) : plan.keyPage;
    m_keyHint->setText(QString(plan.whereToGetKey() + QLatin1Char(' ') +
                               tr("Qwen Bridge keeps it in the system keychain and never shows "
                                  "it again."))
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

void SignInApiKeyPage::updateBaseUrlRow()
{
    const bool custom = presetId() == PlanCatalog::customPlanId();
    // The whole row, spacing included.
    m_form->setRowVisible(m_baseUrlLabel, custom);
    m_baseUrlNote->setVisible(!custom || m_demoApiBase.isValid());
    if (m_demoApiBase.isValid()) {
        m_baseUrlNote->setText(tr("DEMO: whatever you choose here, the key is checked by the "
                                  "fake service at %1, which accepts the key %2.")
                                   .arg(m_demoApiBase.toString(), m_demoApiKey));
    } else {
        m_baseUrlNote->setText(
            tr("Requests go to %1.").arg(m_presetCombo->currentData(Qt::ToolTipRole).toString()));
    }
}
