#include "signindialog.h"

#include "fakeqwenservice.h"
#include "oauth/deviceauthorization.h"
#include "qrwidget.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

// Stands in for the browser: QDesktopServices hands every http(s) URL to it.
class BrowserRecorder : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> opened;
public Q_SLOTS:
    void open(const QUrl &url) { opened << url; }
};

// The sign-in dialog driven through a real DeviceAuthorization against the fake Qwen
// service: each page, the countdown, Copy, Open browser and Try again.
class TestSignInDialog : public QObject
{
    Q_OBJECT

    FakeQwenService *m_fake = nullptr;
    QNetworkAccessManager *m_nam = nullptr;
    BrowserRecorder m_browser;
    QList<TokenSet> m_completed;
    bool m_saveFails = false;
    QUrl m_oauthBase;

    SignInBackend backend()
    {
        SignInBackend b;
        b.createAuthorization = [this](QObject *parent) {
            OAuthConfig config;
            config.baseUrl = m_oauthBase;
            config.clientId = QString::fromLatin1(FakeQwenService::DefaultClientId);
            config.scope = QString::fromLatin1(FakeQwenService::DefaultScope);
            auto *authorization = new DeviceAuthorization(m_nam, config, parent);
            authorization->setTiming(100, 100);
            authorization->setRequestTimeout(10000);
            return authorization;
        };
        b.completeSignIn = [this](const TokenSet &tokens, std::function<void(bool, QString)> done) {
            m_completed << tokens;
            // Answer later, as the keychain does.
            QMetaObject::invokeMethod(
                this,
                [this, done] {
                    if (m_saveFails)
                        done(false, QStringLiteral("The keychain is locked."));
                    else
                        done(true, {});
                },
                Qt::QueuedConnection);
        };
        return b;
    }

    static QPushButton *button(const QDialog &dialog, const char *name)
    {
        return dialog.findChild<QPushButton *>(QLatin1String(name));
    }

    static QString labelText(const QDialog &dialog, const char *name)
    {
        const auto *label = dialog.findChild<QLabel *>(QLatin1String(name));
        return label ? label->text() : QStringLiteral("<no label %1>").arg(QLatin1String(name));
    }

    // The visible detail text of the current message page.
    static QString detailText(const QDialog &dialog)
    {
        for (const QLabel *label : dialog.findChildren<QLabel *>(QStringLiteral("detail"))) {
            if (label->isVisible())
                return label->text();
        }
        return {};
    }

    void waitForCode(SignInDialog &dialog)
    {
        QTRY_COMPARE_WITH_TIMEOUT(dialog.page(), SignInDialog::Page::Code, 20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QDesktopServices::setUrlHandler(QStringLiteral("http"), &m_browser, "open");
        QDesktopServices::setUrlHandler(QStringLiteral("https"), &m_browser, "open");
    }

    void cleanupTestCase()
    {
        QDesktopServices::unsetUrlHandler(QStringLiteral("http"));
        QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
    }

    void init()
    {
        m_fake = new FakeQwenService;
        QVERIFY(m_fake->start());
        // Without a server interval the attempt polls at the test's 100 ms.
        m_fake->setSendInterval(false);
        m_oauthBase = m_fake->baseUrl();
        m_nam = new QNetworkAccessManager;
        m_browser.opened.clear();
        m_completed.clear();
        m_saveFails = false;
    }

    void cleanup()
    {
        delete m_nam;
        delete m_fake;
    }

    void formatsTheCountdown()
    {
        QCOMPARE(SignInDialog::formatCountdown(0), QStringLiteral("00:00"));
        QCOMPARE(SignInDialog::formatCountdown(9), QStringLiteral("00:09"));
        QCOMPARE(SignInDialog::formatCountdown(65), QStringLiteral("01:05"));
        QCOMPARE(SignInDialog::formatCountdown(600), QStringLiteral("10:00"));
        QCOMPARE(SignInDialog::formatCountdown(-4), QStringLiteral("00:00"));
    }

    void showsTheCodeQrAndCountdown()
    {
        m_fake->setDeviceCodeLifetime(125);
        SignInDialog dialog(backend(), false);
        dialog.show();
        dialog.start();
        QCOMPARE(dialog.page(), SignInDialog::Page::Starting);
        QCOMPARE(button(dialog, "closeButton")->text(), QStringLiteral("Cancel"));
        waitForCode(dialog);

        const QString userCode = m_fake->lastUserCode();
        QVERIFY(!userCode.isEmpty());
        QCOMPARE(labelText(dialog, "userCode"), userCode);
        const auto *codeLabel = dialog.findChild<QLabel *>(QStringLiteral("userCode"));
        QVERIFY(codeLabel->textInteractionFlags() & Qt::TextSelectableByMouse);
        QVERIFY(codeLabel->font().pointSizeF() > dialog.font().pointSizeF() * 1.5);

        const QUrl complete = dialog.code().verificationUriComplete;
        QVERIFY(complete.toString().contains(userCode));
        const auto *qr = dialog.findChild<QrWidget *>(QStringLiteral("qrCode"));
        QVERIFY(qr && qr->isVisible());
        QCOMPARE(qr->text(), complete.toString(QUrl::FullyEncoded));

        // The countdown starts at the code's lifetime and then ticks down.
        static const QRegularExpression mmss(QStringLiteral("(\\d\\d):(\\d\\d)"));
        auto secondsShown = [&] {
            const QRegularExpressionMatch m = mmss.match(labelText(dialog, "countdown"));
            return m.hasMatch() ? m.captured(1).toInt() * 60 + m.captured(2).toInt() : -1;
        };
        const int first = secondsShown();
        QVERIFY2(first > 100 && first <= 125, qPrintable(labelText(dialog, "countdown")));
        QTRY_VERIFY_WITH_TIMEOUT(secondsShown() >= 0 && secondsShown() < first, 10000);

        // The browser opened once by itself, with the complete verification address.
        QCOMPARE(m_browser.opened.size(), 1);
        QCOMPARE(m_browser.opened.first(), complete);
        QVERIFY(!button(dialog, "tryAgainButton")->isVisible());
    }

    void copyPutsTheCodeOnTheClipboard()
    {
        SignInDialog dialog(backend(), false);
        dialog.show();
        dialog.start();
        waitForCode(dialog);
        QApplication::clipboard()->clear();
        QTest::mouseClick(button(dialog, "copyButton"), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), m_fake->lastUserCode());
        QCOMPARE(button(dialog, "copyButton")->text(), QStringLiteral("Copied"));
    }

    void openBrowserCallsTheUrlHandler()
    {
        SignInDialog dialog(backend(), false);
        dialog.show();
        dialog.start();
        waitForCode(dialog);
        QCOMPARE(m_browser.opened.size(), 1);
        QTest::mouseClick(button(dialog, "openBrowserButton"), Qt::LeftButton);
        QCOMPARE(m_browser.opened.size(), 2);
        QCOMPARE(m_browser.opened.last(), dialog.code().verificationUriComplete);
    }

    void approvalSignsInAndCloses()
    {
        SignInDialog dialog(backend(), false);
        dialog.setSuccessDelay(200);
        QSignalSpy signedIn(&dialog, &SignInDialog::signedIn);
        QSignalSpy finished(&dialog, &QDialog::finished);
        dialog.show();
        dialog.start();
        waitForCode(dialog);
        QVERIFY(m_fake->approve(m_fake->lastUserCode()));
        QTRY_COMPARE_WITH_TIMEOUT(signedIn.size(), 1, 20000);
        QCOMPARE(dialog.page(), SignInDialog::Page::Success);
        QCOMPARE(m_completed.size(), 1);
        QCOMPARE(m_completed.first().accessToken.toUtf8(), m_fake->lastAccessToken());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QCOMPARE(finished.first().first().toInt(), int(QDialog::Accepted));
        QVERIFY(!dialog.isVisible());
    }

    void failedSaveShowsTheReason()
    {
        m_saveFails = true;
        SignInDialog dialog(backend(), false);
        QSignalSpy signedIn(&dialog, &SignInDialog::signedIn);
        dialog.show();
        dialog.start();
        waitForCode(dialog);
        m_fake->approve();
        QTRY_COMPARE_WITH_TIMEOUT(dialog.page(), SignInDialog::Page::Error, 20000);
        QCOMPARE(signedIn.size(), 0);
        QVERIFY(dialog.isVisible());
        QCOMPARE(detailText(dialog), QStringLiteral("The keychain is locked."));
        QVERIFY(button(dialog, "tryAgainButton")->isVisible());
    }

    void deniedOffersTryAgain()
    {
        SignInDialog dialog(backend(), false);
        dialog.show();
        dialog.start();
        waitForCode(dialog);
        const QString firstCode = m_fake->lastUserCode();
        QVERIFY(m_fake->deny(firstCode));
        QTRY_COMPARE_WITH_TIMEOUT(dialog.page(), SignInDialog::Page::Denied, 20000);
        QVERIFY(button(dialog, "tryAgainButton")->isVisible());
        QCOMPARE(button(dialog, "closeButton")->text(), QStringLiteral("Close"));

        QTest::mouseClick(button(dialog, "tryAgainButton"), Qt::LeftButton);
        waitForCode(dialog);
        QVERIFY(m_fake->lastUserCode() != firstCode);
        QCOMPARE(labelText(dialog, "userCode"), m_fake->lastUserCode());
        QCOMPARE(m_fake->counters().deviceCodeRequests, 2);
        QCOMPARE(m_browser.opened.size(), 2); // once more by itself, for the new code
    }

    void expiredOffersTryAgain()
    {
        SignInDialog dialog(backend(), false);
        dialog.show();
        dialog.start();
        waitForCode(dialog);
        QVERIFY(m_fake->expire(m_fake->lastUserCode()));
        QTRY_COMPARE_WITH_TIMEOUT(dialog.page(), SignInDialog::Page::Expired, 20000);
        QVERIFY(button(dialog, "tryAgainButton")->isVisible());

        QTest::mouseClick(button(dialog, "tryAgainButton"), Qt::LeftButton);
        QCOMPARE(dialog.page(), SignInDialog::Page::Starting);
        waitForCode(dialog);
        m_fake->approve();
        QTRY_COMPARE_WITH_TIMEOUT(m_completed.size(), 1, 20000);
    }

    void networkTroubleOffersTryAgain()
    {
        const quint16 port = m_fake->port();
        m_fake->stop(); // nothing listens there now: connection refused
        SignInDialog dialog(backend(), false);
        dialog.show();
        dialog.start();
        QTRY_COMPARE_WITH_TIMEOUT(dialog.page(), SignInDialog::Page::Network, 20000);
        QVERIFY(!detailText(dialog).isEmpty());
        QVERIFY(button(dialog, "tryAgainButton")->isVisible());

        // The service is back: Try again goes all the way to a code.
        QVERIFY(m_fake->start(port));
        QTest::mouseClick(button(dialog, "tryAgainButton"), Qt::LeftButton);
        waitForCode(dialog);
    }

    void serverRefusalShowsItsMessage()
    {
        m_fake->setExpectedClientId(QStringLiteral("someone-else"));
        SignInDialog dialog(backend(), false);
        dialog.show();
        dialog.start();
        QTRY_COMPARE_WITH_TIMEOUT(dialog.page(), SignInDialog::Page::Error, 20000);
        QVERIFY(detailText(dialog).contains(QStringLiteral("client id")));
        QVERIFY(button(dialog, "tryAgainButton")->isVisible());
    }

    void passingTroubleKeepsWaiting()
    {
        SignInDialog dialog(backend(), false);
        dialog.show();
        dialog.start();
        waitForCode(dialog);
        m_fake->failNextPolls(2, 503);
        QTRY_VERIFY_WITH_TIMEOUT(
            dialog.findChild<QLabel *>(QStringLiteral("transientError"))->isVisible(), 20000);
        QCOMPARE(dialog.page(), SignInDialog::Page::Code);
        m_fake->approve();
        QTRY_COMPARE_WITH_TIMEOUT(m_completed.size(), 1, 20000);
    }

    void cancelStopsTheAttempt()
    {
        SignInDialog dialog(backend(), false);
        QSignalSpy finished(&dialog, &QDialog::finished);
        dialog.show();
        dialog.start();
        waitForCode(dialog);
        QPointer<DeviceAuthorization> attempt = dialog.findChild<DeviceAuthorization *>();
        QVERIFY(attempt && attempt->isRunning());
        QTest::mouseClick(button(dialog, "closeButton"), Qt::LeftButton);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().toInt(), int(QDialog::Rejected));
        QVERIFY(!dialog.isVisible());
        QTRY_VERIFY(attempt.isNull());
        QCOMPARE(m_completed.size(), 0);
    }

    void demoIsLabelled()
    {
        SignInDialog dialog(backend(), true);
        QVERIFY(dialog.windowTitle().contains(QStringLiteral("DEMO")));
        const auto *banner = dialog.findChild<QLabel *>(QStringLiteral("demoBanner"));
        QVERIFY(banner && banner->text().contains(QStringLiteral("DEMO")));
        SignInDialog normal(backend(), false);
        QVERIFY(!normal.windowTitle().contains(QStringLiteral("DEMO")));
        QVERIFY(!normal.findChild<QLabel *>(QStringLiteral("demoBanner")));
    }

    void apiKeyWayIsNotOfferedYet()
    {
        SignInDialog dialog(backend(), false);
        dialog.show();
        QVERIFY(button(dialog, "apiKeyButton"));
        QVERIFY(!button(dialog, "apiKeyButton")->isVisible());
    }
};

QTEST_MAIN(TestSignInDialog)
#include "tst_signindialog.moc"
