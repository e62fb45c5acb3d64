#include "settings/settings.h"
#include "testhome.h"
#include "usagesettingsgroup.h"

#include <QCheckBox>
#include <QComboBox>
#include <QSpinBox>
#include <QTest>

class TestUsageSettingsGroup : public QObject
{
    Q_OBJECT

private slots:
    void loadsSavesAndRestores()
    {
        TestHome home;
        QVERIFY(home.isValid());
        UsageSettingsGroup group;
        auto *tier = group.findChild<QComboBox *>(QStringLiteral("codingTierBox"));
        auto *day = group.findChild<QSpinBox *>(QStringLiteral("subscriptionDaySpin"));
        auto *limit = group.findChild<QSpinBox *>(QStringLiteral("tokenLimitSpin"));
        auto *recording = group.findChild<QCheckBox *>(QStringLiteral("usageRecordingCheck"));
        QVERIFY(tier && day && limit && recording);

        {
            const Settings settings;
            group.load(settings);
        }
        QVERIFY(recording->isChecked());
        QCOMPARE(tier->currentData().toString(), QStringLiteral("lite"));
        QCOMPARE(day->value(), 1);
        QCOMPARE(limit->text(), QStringLiteral("not set"));

        recording->setChecked(false);

        tier->setCurrentIndex(tier->findData(QStringLiteral("pro")));
        day->setValue(31);
        limit->setValue(50);
        {
            Settings settings;
            group.save(settings);
            settings.sync();
        }
        {
            const Settings settings;
            QVERIFY(!settings.usageRecording());
            QCOMPARE(settings.codingPlanTier(), QStringLiteral("pro"));
            QCOMPARE(settings.subscriptionDay(), 31);
            QCOMPARE(settings.tokenPlanMonthlyTokens(), qint64(50'000'000));
        }
        // A day outside 1-31 cannot be typed.
        day->setValue(40);
        QCOMPARE(day->value(), 31);

        group.restoreDefaults();
        QVERIFY(recording->isChecked());
        QCOMPARE(tier->currentData().toString(), QStringLiteral("lite"));
        QCOMPARE(day->value(), 1);
        QCOMPARE(limit->value(), 0);

        UsageSettingsGroup reloaded;
        reloaded.load(Settings());
        QCOMPARE(reloaded.findChild<QSpinBox *>(QStringLiteral("tokenLimitSpin"))->value(), 50);
    }
};

QTEST_MAIN(TestUsageSettingsGroup)
#include "tst_usagesettingsgroup.moc"
