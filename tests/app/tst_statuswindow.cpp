#include "statuswindow.h"

#include <QAction>
#include <QCheckBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

// The window stands in for the tray: its buttons are the menu's actions, and without a
// tray closing it never hides the only way back.
class TestStatusWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void buttonsFollowTheirActions()
    {
        QAction signIn(QStringLiteral("Sign in…"));
        signIn.setObjectName(QStringLiteral("signInAction"));
        QAction signOut(QStringLiteral("Sign out"));
        signOut.setObjectName(QStringLiteral("signOutAction"));
        signOut.setVisible(false);
        QAction startAtLogin(QStringLiteral("Start at login"));
        startAtLogin.setObjectName(QStringLiteral("startAtLoginAction"));
        startAtLogin.setCheckable(true);

        StatusWindow window(false);
        window.setActions({&signIn, &signOut}, {&startAtLogin});
        window.show();
        auto *signInButton = window.findChild<QPushButton *>(QStringLiteral("signInActionButton"));
        auto *signOutButton =
            window.findChild<QPushButton *>(QStringLiteral("signOutActionButton"));
        auto *check = window.findChild<QCheckBox *>(QStringLiteral("startAtLoginActionButton"));
        QVERIFY(signInButton && signOutButton && check);
        QCOMPARE(signInButton->text(), QStringLiteral("Sign in…"));
        QVERIFY(signInButton->isVisible());
        QVERIFY(!signOutButton->isVisible());

        QSignalSpy triggered(&signIn, &QAction::triggered);
        QTest::mouseClick(signInButton, Qt::LeftButton);
        QCOMPARE(triggered.size(), 1);

        signIn.setVisible(false);
        signOut.setVisible(true);
        signOut.setEnabled(false);
        signOut.setText(QStringLiteral("Sign out now"));
        QVERIFY(!signInButton->isVisible());
        QVERIFY(signOutButton->isVisible());
        QVERIFY(!signOutButton->isEnabled());
        QCOMPARE(signOutButton->text(), QStringLiteral("Sign out now"));

        QTest::mouseClick(check, Qt::LeftButton);
        QVERIFY(startAtLogin.isChecked());
        startAtLogin.setChecked(false);
        QVERIFY(!check->isChecked());
    }

    void closingWithoutATrayOnlyMinimizes()
    {
        StatusWindow window(false);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.close();
        QVERIFY(window.isVisible());
        QVERIFY(window.isMinimized());
        QVERIFY(window.findChild<QLabel *>(QStringLiteral("noTrayNote"))
                    ->text()
                    .contains(QStringLiteral("No system tray")));

        window.setTrayAvailable(true);
        window.showNormal();
        window.close();
        QVERIFY(!window.isVisible());
    }

    void showsStatusAndNotices()
    {
        StatusWindow window(true);
        QVERIFY(window.windowTitle().contains(QStringLiteral("DEMO")));
        QVERIFY(window.findChild<QLabel *>(QStringLiteral("demoLabel")));
        window.setStatus(
            TrayStatus::SignedIn, QStringLiteral("Signed in"),
            {QStringLiteral("Proxy: http://127.0.0.1:1/v1"), QStringLiteral("Requests today: 3")});
        window.show();
        QCOMPARE(window.findChild<QLabel *>(QStringLiteral("stateTitle"))->text(),
                 QStringLiteral("Signed in"));
        QCOMPARE(window.findChild<QLabel *>(QStringLiteral("statusLine1"))->text(),
                 QStringLiteral("Requests today: 3"));
        window.setStatus(TrayStatus::SignedOut, QStringLiteral("Signed out"),
                         {QStringLiteral("x")});
        QVERIFY(!window.findChild<QLabel *>(QStringLiteral("statusLine1"))->isVisible());

        QVERIFY(window.notice().isEmpty());
        window.showNotice(QStringLiteral("Signed in to Qwen"), QStringLiteral("<ready>"));
        QVERIFY(window.notice().contains(QStringLiteral("Signed in to Qwen")));
        QVERIFY(window.notice().contains(QStringLiteral("&lt;ready&gt;"))); // shown as text
        QVERIFY(!window.findChild<QPushButton *>(QStringLiteral("noticeButton"))->isVisible());
    }

    void noticeCanOfferItsAction()
    {
        QAction useKey(QStringLiteral("Use an API key instead…"));
        useKey.setObjectName(QStringLiteral("useApiKeyAction"));
        QFont bold = useKey.font();
        bold.setBold(true);
        useKey.setFont(bold);
        StatusWindow window(false);
        window.setActions({&useKey}, {});
        window.show();
        // The menu's emphasis carries over to the window's button.
        QVERIFY(window.findChild<QPushButton *>(QStringLiteral("useApiKeyActionButton"))
                    ->font()
                    .bold());

        window.showNotice(QStringLiteral("Qwen's OAuth quota is used up"),
                          QStringLiteral("Use an API key."), &useKey);
        auto *offer = window.findChild<QPushButton *>(QStringLiteral("noticeButton"));
        QVERIFY(offer && offer->isVisible());
        QCOMPARE(offer->text(), QStringLiteral("Use an API key instead…"));
        QSignalSpy triggered(&useKey, &QAction::triggered);
        QTest::mouseClick(offer, Qt::LeftButton);
        QCOMPARE(triggered.size(), 1);

        // A notice without an action has no button.
        window.showNotice(QStringLiteral("Signed in"), QStringLiteral("Done."));
        QVERIFY(!offer->isVisible());
    }
};

QTEST_MAIN(TestStatusWindow)
#include "tst_statuswindow.moc"
