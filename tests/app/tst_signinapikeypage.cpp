#include "signinapikeypage.h"

#include "plans/plancatalog.h"
#include "uitranslator.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QTest>

// The API-key form on its own: what it reads out, the rows and small print for each plan,
// a demo's note, an error and where it puts the focus, and the busy state during a check.
// The flow around it (the check itself, storing, the pages) is tst_signindialog's.
class TestSignInApiKeyPage : public QObject
{
    Q_OBJECT

    static QComboBox *presets(const QWidget &page)
    {
        return page.findChild<QComboBox *>(QStringLiteral("presetCombo"));
    }

    static QLineEdit *edit(const QWidget &page, const char *name)
    {
        return page.findChild<QLineEdit *>(QLatin1String(name));
    }

    static QLabel *label(const QWidget &page, const char *name)
    {
        return page.findChild<QLabel *>(QLatin1String(name));
    }

    static void choose(const QWidget &page, const QString &planId)
    {
        QComboBox *combo = presets(page);
        combo->setCurrentIndex(combo->findData(planId));
        QCOMPARE(combo->currentData().toString(), planId);
    }

private Q_SLOTS:
    void readsTheForm()
    {
        SignInApiKeyPage page;
        page.setBaseUrlPlaceholder(QStringLiteral("https://example.com/v1"));
        page.show();
        QCOMPARE(page.presetId(), PlanCatalog::defaultPlanId());
        QVERIFY(page.key().isEmpty());
        QCOMPARE(edit(page, "baseUrlEdit")->placeholderText(),
                 QStringLiteral("https://example.com/v1"));

        choose(page, PlanCatalog::customPlanId());
        QTest::keyClicks(edit(page, "baseUrlEdit"), QStringLiteral(" https://example.com/v1"));
        QTest::keyClicks(edit(page, "apiKeyEdit"), QStringLiteral("  sk-abc "));
        QCOMPARE(page.presetId(), PlanCatalog::customPlanId());
        // The URL as typed, for the rule to judge; the key without the white space around it.
        QCOMPARE(page.baseUrlText(), QStringLiteral(" https://example.com/v1"));
        QCOMPARE(page.key(), QStringLiteral("sk-abc"));
        page.clearKey();
        QVERIFY(page.key().isEmpty());
        QVERIFY(edit(page, "apiKeyEdit")->text().isEmpty());
    }

    void rowsAndNotesFollowThePlan()
    {
        SignInApiKeyPage page;
        page.show();
        const Plan plan = PlanCatalog::instance().plan(PlanCatalog::defaultPlanId());
        QVERIFY(!edit(page, "baseUrlEdit")->isVisible());
        QVERIFY(label(page, "baseUrlNote")->isVisible());
        QVERIFY(label(page, "baseUrlNote")->text().contains(plan.baseUrl.toString()));

        choose(page, QStringLiteral("coding-plan-global"));
        QCOMPARE(edit(page, "apiKeyEdit")->placeholderText(), QStringLiteral("sk-sp-…"));
        QVERIFY(label(page, "keyHint")->text().contains(QStringLiteral("<a href=\"https://")));
        QLabel *prefix = label(page, "keyPrefixHint");
        QVERIFY(!prefix->isVisible());
        QTest::keyClicks(edit(page, "apiKeyEdit"), QStringLiteral("sk-payg-key"));
        QVERIFY(prefix->isVisible());

        choose(page, PlanCatalog::customPlanId());
        QVERIFY(edit(page, "baseUrlEdit")->isVisible());
        // Where a custom endpoint's requests go is the URL itself.
        QVERIFY(!label(page, "baseUrlNote")->isVisible());
    }

    void demoSaysWhereKeysGo()
    {
        const QUrl demoBase(QStringLiteral("http://127.0.0.1:9/compatible-mode/v1"));
        SignInApiKeyPage page(demoBase, QStringLiteral("sk-demo"));
        page.show();
        choose(page, PlanCatalog::customPlanId());
        const QLabel *note = label(page, "baseUrlNote");
        QVERIFY(note->isVisible());
        QVERIFY(note->text().contains(QStringLiteral("DEMO")));
        QVERIFY(note->text().contains(demoBase.toString()));
        QVERIFY(note->text().contains(QStringLiteral("sk-demo")));
    }

    void errorsFocusTheirFieldAndGoOnEditing()
    {
        SignInApiKeyPage page;
        page.show();
        const QLabel *error = label(page, "apiKeyError");
        QVERIFY(!error->isVisible());

        choose(page, PlanCatalog::customPlanId());
        page.showError(QStringLiteral("Bad URL."), SignInApiKeyPage::Field::BaseUrl);
        QVERIFY(error->isVisible());
        QCOMPARE(error->text(), QStringLiteral("Bad URL."));
        QCOMPARE(page.focusWidget(), edit(page, "baseUrlEdit"));
        // Typing in the key field puts the message away.
        QTest::keyClicks(edit(page, "apiKeyEdit"), QStringLiteral("k"));
        QVERIFY(!error->isVisible());

        page.showError(QStringLiteral("Bad key."), SignInApiKeyPage::Field::Key);
        QCOMPARE(page.focusWidget(), edit(page, "apiKeyEdit"));
        // So does another plan.
        choose(page, QStringLiteral("payg-us"));
        QVERIFY(!error->isVisible());

        page.showError(QStringLiteral("No answer."), SignInApiKeyPage::Field::None);
        QVERIFY(error->isVisible());
        page.reset();
        QVERIFY(!error->isVisible());
    }

    void busyWhileChecking()
    {
        SignInApiKeyPage page;
        page.show();
        page.setBusy(true, QStringLiteral("Model Studio (US)"));
        QVERIFY(!presets(page)->isEnabled());
        QVERIFY(!edit(page, "baseUrlEdit")->isEnabled());
        QVERIFY(!edit(page, "apiKeyEdit")->isEnabled());
        QVERIFY(page.findChild<QProgressBar *>(QStringLiteral("checkBusy"))->isVisible());
        QVERIFY(label(page, "checkStatus")->isVisible());
        QVERIFY(label(page, "checkStatus")->text().contains(QStringLiteral("Model Studio (US)")));

        page.setBusy(false);
        QVERIFY(presets(page)->isEnabled());
        QVERIFY(edit(page, "apiKeyEdit")->isEnabled());
        QVERIFY(!page.findChild<QProgressBar *>(QStringLiteral("checkBusy"))->isVisible());
        QVERIFY(!label(page, "checkStatus")->isVisible());
    }

    void inChinese()
    {
        QVERIFY(UiTranslator::install(QLocale(QStringLiteral("zh_CN"))));
        {
            SignInApiKeyPage page;
            QCOMPARE(edit(page, "apiKeyEdit")->accessibleName(), QStringLiteral("API 密钥"));
            choose(page, PlanCatalog::customPlanId());
            QCOMPARE(presets(page)->currentText(), QStringLiteral("自定义端点…"));
        }
        UiTranslator::uninstall();
    }
};

QTEST_MAIN(TestSignInApiKeyPage)
#include "tst_signinapikeypage.moc"
