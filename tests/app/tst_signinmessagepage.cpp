#include "signinmessagepage.h"

#include <QLabel>
#include <QTest>

// A message page shows its icon, and the title and detail it is given; the detail is
// selectable so that an error can be copied, and is the label the dialog's tests look for.
class TestSignInMessagePage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsItsIconAndTexts()
    {
        SignInMessagePage page(QStyle::SP_MessageBoxWarning);
        page.show();
        const auto *icon = page.findChild<QLabel *>(QStringLiteral("icon"));
        QVERIFY(icon);
        QVERIFY(!icon->pixmap().isNull());
        QVERIFY(page.title().isEmpty());
        QVERIFY(page.detail().isEmpty());

        page.setMessage(QStringLiteral("Sign-in did not work"), QStringLiteral("Because."));
        QCOMPARE(page.title(), QStringLiteral("Sign-in did not work"));
        QCOMPARE(page.detail(), QStringLiteral("Because."));
        const auto *title = page.findChild<QLabel *>(QStringLiteral("title"));
        const auto *detail = page.findChild<QLabel *>(QStringLiteral("detail"));
        QCOMPARE(title->text(), page.title());
        QCOMPARE(detail->text(), page.detail());
        QVERIFY(detail->isVisible());
        QVERIFY(detail->textInteractionFlags() & Qt::TextSelectableByMouse);
        QVERIFY(title->font().pointSizeF() > detail->font().pointSizeF());

        // Each text can change on its own.
        page.setDetail(QStringLiteral("Another reason."));
        QCOMPARE(page.title(), QStringLiteral("Sign-in did not work"));
        page.setTitle(QStringLiteral("Approved"));
        QCOMPARE(page.detail(), QStringLiteral("Another reason."));
    }
};

QTEST_MAIN(TestSignInMessagePage)
#include "tst_signinmessagepage.moc"
