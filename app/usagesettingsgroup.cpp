#include "usagesettingsgroup.h"

#include "settings/settings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QSpinBox>

namespace {
constexpr qint64 kMillion = 1'000'000;
} // namespace

UsageSettingsGroup::UsageSettingsGroup(QWidget *parent)
    : QGroupBox(tr("Usage meter"), parent)
{
    setObjectName(QStringLiteral("usageBox"));
    auto *form = new QFormLayout(this);
    m_recording = new QCheckBox(tr("&Count requests on this computer"), this);
    m_recording->setObjectName(QStringLiteral("usageRecordingCheck"));
    m_recording->setToolTip(tr("Records the time, model, status and token counts of each "
                               "request, never its content. Off, nothing new is counted."));
    form->addRow(m_recording);

    m_tier = new QComboBox(this);
    m_tier->setObjectName(QStringLiteral("codingTierBox"));
    m_tier->addItem(tr("Lite (1,200 requests in 5 hours)"), QStringLiteral("lite"));
    m_tier->addItem(tr("Pro (6,000 requests in 5 hours)"), QStringLiteral("pro"));
    form->addRow(tr("Coding Plan &tier:"), m_tier);

    m_subscriptionDay = new QSpinBox(this);
    m_subscriptionDay->setObjectName(QStringLiteral("subscriptionDaySpin"));
    m_subscriptionDay->setRange(1, 31);
    m_subscriptionDay->setToolTip(
        tr("The monthly quota starts again on this day (the last day in shorter months)."));
    form->addRow(tr("Subscription &day of the month:"), m_subscriptionDay);

    m_tokenLimit = new QSpinBox(this);
    m_tokenLimit->setObjectName(QStringLiteral("tokenLimitSpin"));
    m_tokenLimit->setRange(0, 1'000'000);
    m_tokenLimit->setSuffix(tr(" million tokens"));
    m_tokenLimit->setSpecialValueText(tr("not set"));
    m_tokenLimit->setToolTip(tr("The Token Plan states its quota in credits; what a credit is "
                                "worth in tokens depends on the model."));
    form->addRow(tr("Token Plan monthly &limit:"), m_tokenLimit);
}

void UsageSettingsGroup::load(const Settings &settings)
{
    m_recording->setChecked(settings.usageRecording());
    m_tier->setCurrentIndex(m_tier->findData(settings.codingPlanTier()));
    m_subscriptionDay->setValue(settings.subscriptionDay());
    m_tokenLimit->setValue(int(settings.tokenPlanMonthlyTokens() / kMillion));
}

void UsageSettingsGroup::save(Settings &settings) const
{
    settings.setUsageRecording(m_recording->isChecked());
    settings.setCodingPlanTier(m_tier->currentData().toString());
    settings.setSubscriptionDay(m_subscriptionDay->value());
    settings.setTokenPlanMonthlyTokens(qint64(m_tokenLimit->value()) * kMillion);
}

void UsageSettingsGroup::restoreDefaults()
{
    m_recording->setChecked(true);
    m_tier->setCurrentIndex(0);
    m_subscriptionDay->setValue(1);
    m_tokenLimit->setValue(0);
}
