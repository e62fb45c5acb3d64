// The tray's Accounts submenu on a real service and keychain: the credentials in order with
// their states, the edits it makes (read back from the keychain), adding under a name, and
// one notice per switch of the serving credential.
#include "accountsmenu.h"
#include "bridge/bridgeservice.h"
#include "credentials/accountstore.h"
#include "credentials/credentialstore.h"
#include "session/accountpool.h"
#include "settings/settings.h"
#include "signindialog.h"
#include "testhome.h"
#include "testtokens.h"
#include "traycontroller.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

class TestAccountsMenu : public QObject
{
    Q_OBJECT

    TestHome m_home;
    std::unique_ptr<BridgeService> m_bridge;

    static Credentials key(const QString &secret, const QString &plan)
    {
        Credentials c;
        c.method = AuthMethod::ApiKey;
        c.apiKey = secret;
        c.preset = plan;
        c.baseUrl = QUrl(QStringLiteral("https://example.invalid/v1"));
        return c;
    }

    QStringList stored()
    {
        Settings settings;
        AccountStore store(settings);
        std::optional<QStringList> names;
        store.list([&](const AccountStore::Listing &l) { names = l.index.names(); });
        if (!QTest::qWaitFor([&] { return names.has_value(); }, 30000))
            return {};
        return *names;
    }

    static QStringList titles(QMenu *menu)
    {
        QStringList list;
        const QList<QAction *> actions = menu->actions();
        for (QAction *a : actions) {
            if (a->menu())
                list << a->menu()->objectName().mid(int(qstrlen("account:")));
        }
        return list;
    }

    static QMenu *entry(QMenu *menu, const QString &name)
    {
        return menu->findChild<QMenu *>(QStringLiteral("account:") + name);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qputenv("QWEN_BRIDGE_PORT", QByteArray::number(freeLoopbackPort()));
        {
            Settings settings;
            CredentialStore def(settings);
            bool saved = false;
            def.save(key(QStringLiteral("sk-sp-one"), QStringLiteral("coding-plan-global")),
                     [&](const KeychainResult &r) { saved = r.ok(); });
            QTRY_VERIFY(saved);
            AccountStore store(settings);
            std::optional<bool> put;
            store.put(QStringLiteral("payg"),
                      key(QStringLiteral("sk-two"), QStringLiteral("payg-singapore")),
                      [&](const AccountStore::Result &r) { put = r.ok(); });
            QTRY_VERIFY(put.has_value());
            QVERIFY(*put);
        }
        m_bridge = std::make_unique<BridgeService>();
        QSignalSpy started(m_bridge.get(), &BridgeService::proxyStarted);
        m_bridge->start();
        QTRY_VERIFY_WITH_TIMEOUT(!started.isEmpty(), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(m_bridge->accounts()->size(), 2, 30000);
    }
    void cleanupTestCase()
    {
        m_bridge.reset();
        QTRY_COMPARE(KeychainStore::jobsInFlight(), 0);
    }

    void listsTheCredentialsWithTheirStates()
    {
        AccountsMenu menu(m_bridge.get(), false);
        QTRY_COMPARE(titles(&menu),
                     (QStringList{QStringLiteral("default"), QStringLiteral("payg")}));
        QTRY_VERIFY2(entry(&menu, QStringLiteral("default"))->title().contains(QStringLiteral("▶")),
                     qPrintable(entry(&menu, QStringLiteral("default"))->title()));
        QVERIFY(entry(&menu, QStringLiteral("default"))
                    ->title()
                    .contains(QLatin1String("Coding Plan")));
        QVERIFY(!entry(&menu, QStringLiteral("payg"))->title().contains(QStringLiteral("▶")));
        // The first cannot move up, the last cannot move down.
        QVERIFY(!entry(&menu, QStringLiteral("default"))
                     ->findChild<QAction *>(QStringLiteral("moveUp"))
                     ->isEnabled());
        QVERIFY(!entry(&menu, QStringLiteral("payg"))
                     ->findChild<QAction *>(QStringLiteral("moveDown"))
                     ->isEnabled());
        // A credential that ran out says so, with the reason as its tooltip.
        m_bridge->accounts()->reportFailure(QStringLiteral("default"),
                                            AccountPool::Failure::WindowExhausted,
                                            QDateTime::currentDateTimeUtc().addSecs(3600),
                                            QStringLiteral("The 5-hour window is used up."));
        QTRY_VERIFY(
            entry(&menu, QStringLiteral("default"))->title().contains(QLatin1String("used up")));
        QCOMPARE(entry(&menu, QStringLiteral("default"))->toolTip(),
                 QStringLiteral("The 5-hour window is used up."));
        m_bridge->accounts()->reportSuccess(QStringLiteral("default"));
    }

    void editsReachTheKeychainAndTheMenu()
    {
        AccountsMenu menu(m_bridge.get(), false);
        QSignalSpy edited(&menu, &AccountsMenu::edited);
        entry(&menu, QStringLiteral("payg"))
            ->findChild<QAction *>(QStringLiteral("useFirst"))
            ->trigger();
        QTRY_COMPARE(edited.size(), 1);
        QVERIFY(edited.takeFirst().first().toString().isEmpty());
        QCOMPARE(stored(), (QStringList{QStringLiteral("payg"), QStringLiteral("default")}));
        QTRY_COMPARE(titles(&menu),
                     (QStringList{QStringLiteral("payg"), QStringLiteral("default")}));

        entry(&menu, QStringLiteral("payg"))
            ->findChild<QAction *>(QStringLiteral("moveDown"))
            ->trigger();
        QTRY_COMPARE(edited.size(), 1);
        edited.clear();
        QCOMPARE(stored(), (QStringList{QStringLiteral("default"), QStringLiteral("payg")}));
        QTRY_COMPARE(titles(&menu),
                     (QStringList{QStringLiteral("default"), QStringLiteral("payg")}));

        menu.rename(QStringLiteral("payg"), QStringLiteral("backup"));
        QTRY_COMPARE(edited.size(), 1);
        edited.clear();
        QCOMPARE(stored(), (QStringList{QStringLiteral("default"), QStringLiteral("backup")}));
        QTRY_COMPARE(titles(&menu),
                     (QStringList{QStringLiteral("default"), QStringLiteral("backup")}));

        // A refused edit says why and changes nothing.
        menu.rename(QStringLiteral("backup"), QStringLiteral("default"));
        QTRY_COMPARE(edited.size(), 1);
        QVERIFY(edited.takeFirst().first().toString().contains(QLatin1String("exists already")));
        menu.rename(QStringLiteral("backup"), QStringLiteral("no good"));
        QTRY_COMPARE(edited.size(), 1);
        QVERIFY(edited.takeFirst().first().toString().contains(QLatin1String("cannot name")));
        QCOMPARE(stored(), (QStringList{QStringLiteral("default"), QStringLiteral("backup")}));

        menu.remove(QStringLiteral("backup"));
        QTRY_COMPARE(edited.size(), 1);
        edited.clear();
        QCOMPARE(stored(), QStringList{QStringLiteral("default")});
        QTRY_COMPARE(titles(&menu), QStringList{QStringLiteral("default")});

        // Adding under a name: the sign-in dialog on its API-key page, and what it stores
        // (through the service, as the dialog's backend does) goes under that name.
        SignInDialog *dialog = menu.add(QStringLiteral("payg"), true);
        QVERIFY(dialog);
        QCOMPARE(dialog->page(), SignInDialog::Page::ApiKey);
        QVERIFY(dialog->windowTitle().contains(QLatin1String("payg")));
        dialog->close();
        std::optional<ServiceError> added;
        m_bridge->addAccount(QStringLiteral("payg"),
                             key(QStringLiteral("sk-two"), QStringLiteral("payg-singapore")),
                             [&](const ServiceError &e) { added = e; });
        QTRY_VERIFY(added.has_value());
        QVERIFY(added->ok());
        QCOMPARE(stored(), (QStringList{QStringLiteral("default"), QStringLiteral("payg")}));
        QTRY_COMPARE(titles(&menu),
                     (QStringList{QStringLiteral("default"), QStringLiteral("payg")}));
    }

    void oneNoticePerSwitch()
    {
        TrayController tray(m_bridge.get(), false);
        QVERIFY(tray.accountsMenu());
        QVERIFY(tray.menu()->actions().contains(tray.accountsMenu()->menuAction()));
        QSignalSpy notified(&tray, &TrayController::notified);
        AccountPool *pool = m_bridge->accounts();
        pool->reportSuccess(QStringLiteral("default"));
        notified.clear();
        pool->reportFailure(QStringLiteral("default"), AccountPool::Failure::RateLimited,
                            QDateTime::currentDateTimeUtc().addSecs(30),
                            QStringLiteral("Too many requests."));
        pool->reportSuccess(QStringLiteral("payg"));
        pool->reportSuccess(QStringLiteral("payg")); // more answers from the same: no news
        QCOMPARE(notified.size(), 1);
        QVERIFY(notified.first().at(0).toString().contains(QLatin1String("payg")));
        QVERIFY(notified.first().at(1).toString().contains(QLatin1String("Too many requests.")));
        pool->reportSuccess(QStringLiteral("default"));
    }
};

QTEST_MAIN(TestAccountsMenu)
#include "tst_accountsmenu.moc"
