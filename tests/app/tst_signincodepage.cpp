#include "signincodepage.h"

#include "qrwidget.h"
#include "uitranslator.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QLabel>
#include <QPushButton>
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

// The code page on its own: what it shows of a code, the countdown, passing trouble, Copy,
// Open browser and the note when no browser opens, and clearing for the next attempt.
class TestSignInCodePage : public QObject
{
    Q_OBJECT

    BrowserRecorder m_browser;

    static DeviceCode sampleCode()
    {
        DeviceCode code;
        code.userCode = QStringLiteral("WXYZ-2345");
        code.verificationUri = QUrl(QStringLiteral("https://chat.qwen.ai/authorize"));
        code.verificationUriComplete =
            QUrl(QStringLiteral("https://chat.qwen.ai/authorize?user_code=WXYZ-2345&client=qc"));
        code.expiresInSeconds = 65;
        return code;
    }

    static QString labelText(const QWidget &page, const char *name)
    {
        const auto *label = page.findChild<QLabel *>(QLatin1String(name));
        return label ? label->text() : QStringLiteral("<no label %1>").arg(QLatin1String(name));
    }

    static QPushButton *button(const QWidget &page, const char *name)
    {
        return page.findChild<QPushButton *>(QLatin1String(name));
    }

    void handleUrls()
    {
        QDesktopServices::setUrlHandler(QStringLiteral("http"), &m_browser, "open");
        QDesktopServices::setUrlHandler(QStringLiteral("https"), &m_browser, "open");
    }

    static void unhandleUrls()
    {
        QDesktopServices::unsetUrlHandler(QStringLiteral("http"));
        QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
    }

private Q_SLOTS:
    void init()
    {
        m_browser.opened.clear();
        handleUrls();
    }

    void cleanup() { unhandleUrls(); }

    void showsTheCode()
    {
        SignInCodePage page;
        page.show();
        const DeviceCode code = sampleCode();
        page.showCode(code);
        QCOMPARE(page.code().userCode, code.userCode);
        QCOMPARE(labelText(page, "userCode"), code.userCode);
        QCOMPARE(page.findChild<QrWidget *>(QStringLiteral("qrCode"))->text(),
                 code.verificationUriComplete.toString(QUrl::FullyEncoded));
        // The short address to type by hand, without the code in its query.
        const QString link = labelText(page, "verificationLink");
        QVERIFY2(link.contains(QStringLiteral("https://chat.qwen.ai/authorize ")),
                 qPrintable(link));
        QVERIFY(!link.contains(QStringLiteral("user_code")));
        QVERIFY(labelText(page, "countdown").contains(QStringLiteral("01:05")));
        page.setCountdown(9);
        QVERIFY(labelText(page, "countdown").contains(QStringLiteral("00:09")));

        // Without a short address, the complete one stands in, still without its query.
        DeviceCode completeOnly = code;
        completeOnly.verificationUri = QUrl();
        page.showCode(completeOnly);
        QVERIFY(labelText(page, "verificationLink").contains(QStringLiteral("/authorize ")));
        QVERIFY(!labelText(page, "verificationLink").contains(QStringLiteral("user_code")));
    }

    void passingTroubleIsShownUntilCleared()
    {
        SignInCodePage page;
        page.show();
        page.showCode(sampleCode());
        const auto *transient = page.findChild<QLabel *>(QStringLiteral("transientError"));
        QVERIFY(!transient->isVisible());
        page.showTransientError(QStringLiteral("HTTP 503"));
        QVERIFY(transient->isVisible());
        QVERIFY(transient->text().contains(QStringLiteral("HTTP 503")));

        page.clear();
        QVERIFY(!transient->isVisible());
        QVERIFY(page.code().userCode.isEmpty());
        QVERIFY(labelText(page, "userCode").isEmpty());
        QVERIFY(labelText(page, "countdown").isEmpty());
        QVERIFY(page.findChild<QrWidget *>(QStringLiteral("qrCode"))->text().isEmpty());
    }

    void copyPutsTheCodeOnTheClipboard()
    {
        SignInCodePage page;
        page.show();
        // Nothing to copy yet: the clipboard keeps what it had.
        QApplication::clipboard()->setText(QStringLiteral("before"));
        QTest::mouseClick(button(page, "copyButton"), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("before"));
        QCOMPARE(button(page, "copyButton")->text(), QStringLiteral("Copy"));

        page.showCode(sampleCode());
        QTest::mouseClick(button(page, "copyButton"), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("WXYZ-2345"));
        QCOMPARE(button(page, "copyButton")->text(), QStringLiteral("Copied"));
        // After a moment the button reads as before.
        QTRY_COMPARE_WITH_TIMEOUT(button(page, "copyButton")->text(), QStringLiteral("Copy"),
                                  10000);
    }

    void openBrowserOpensTheCompleteLink()
    {
        SignInCodePage page;
        page.show();
        // No code, no link: nothing opens.
        page.openBrowser();
        QVERIFY(m_browser.opened.isEmpty());
        page.showCode(sampleCode());
        QTest::mouseClick(button(page, "openBrowserButton"), Qt::LeftButton);
        QCOMPARE(m_browser.opened, QList<QUrl>{sampleCode().verificationUriComplete});
        QVERIFY(!page.findChild<QLabel *>(QStringLiteral("browserHint"))->isVisible());
    }

    void saysSoWhenNoBrowserOpens()
    {
        if (QGuiApplication::platformName() != QLatin1String("offscreen"))
            QSKIP("only the offscreen platform is sure to open no browser");
        unhandleUrls();
        SignInCodePage page;
        page.show();
        page.showCode(sampleCode());
        const auto *hint = page.findChild<QLabel *>(QStringLiteral("browserHint"));
        QVERIFY(!hint->isVisible());
        page.openBrowser();
        QVERIFY(hint->isVisible());
        QVERIFY(hint->text().contains(QStringLiteral("QR code")));
        // A browser is back: the note goes.
        handleUrls();
        page.openBrowser();
        QCOMPARE(m_browser.opened.size(), 1);
        QVERIFY(!hint->isVisible());
    }

    void inChinese()
    {
        QVERIFY(UiTranslator::install(QLocale(QStringLiteral("zh_CN"))));
        {
            SignInCodePage page;
            QCOMPARE(button(page, "openBrowserButton")->text(), QStringLiteral("打开浏览器"));
            QCOMPARE(button(page, "copyButton")->text(), QStringLiteral("复制"));
        }
        UiTranslator::uninstall();
    }
};

QTEST_MAIN(TestSignInCodePage)
#include "tst_signincodepage.moc"
