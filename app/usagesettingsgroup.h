#pragma once

#include <QGroupBox>

class QCheckBox;
class QComboBox;
class QSpinBox;
class Settings;

// The settings dialog's "Usage meter" group: the Coding Plan's tier, the day of the month
// the subscription started, and the Token Plan's monthly limit in tokens. They only change
// what the meter compares its counts with (core/usage/planwindows.h).
class UsageSettingsGroup : public QGroupBox
{
    Q_OBJECT
public:
    explicit UsageSettingsGroup(QWidget *parent = nullptr);

    void load(const Settings &settings);
    void save(Settings &settings) const;
    void restoreDefaults();

private:
    QCheckBox *m_recording = nullptr;
    QComboBox *m_tier;
    QSpinBox *m_subscriptionDay;
    QSpinBox *m_tokenLimit; // millions of tokens; 0: not set
};
