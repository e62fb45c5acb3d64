#include "signindialog.h"

#include "credentials/apikeycheck.h"
#include "fakeqwenservice.h"
#include "oauth/deviceauthorization.h"
#include "plans/plancatalog.h"
#include "qrwidget.h"
#include "uitranslator.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardItemModel>
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

// The sign-in dialog driven through a real DeviceAuthorization and a real ApiKeyCheck against
// the fake Qwen service: each page, the countdown, Copy, Open browser and Try again; the
// API-key page with its presets, the custom endpoint, a refused and an accepted key.
class TestSignInDialog : public QObject
{
    Q_OBJECT

    FakeQwenService *m_fake = nullptr;
    QNetworkAccessManager *m_nam = nullptr;
    BrowserRecorder m_browser;
    QList<TokenSet> m_completed;
    bool m_saveFails = false;
    QUrl m_oauthBase;
    QList<Credentials> m_stored; // what the API-key page asked to store
    QUrl m_demoApiBase;
    QStringList m_log; // every message logged while a test runs

    static QStringList *s_log;
    static void collect(QtMsgType, const QMessageLogContext &, const QString &message)
    {
        if (s_log)
            s_log->append(message);
    }

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
        b.completeSignIn = [this](const TokenSet &tokens,
                                  std::function<void(const ServiceError &)> done) {
            m_completed << tokens;
            // Answer later, as the keychain does.
            QMetaObject::invokeMethod(
                this,
                [this, done] {
                    if (m_saveFails)
                        done({ServiceError::Kind::KeychainLocked,
                              QStringLiteral("The keychain is locked.")});
                    else
                        done(ServiceError{});
                },
                Qt::QueuedConnection);
        };
        b.createApiKeyCheck = [this](QObject *parent) {
            auto *check = new ApiKeyCheck(m_nam, parent);
            check->setTimeout(10000);
            return check;
        };
        b.signIn = [this](const Credentials &credentials,
                          std::function<void(const ServiceError &)> done) {
            m_stored << credentials;
            QMetaObject::invokeMethod(
                this,
                [this, done] {
                    if (m_saveFails)
                        done({ServiceError::Kind::KeychainLocked,
                              QStringLiteral("The keychain is locked.")});
                    else
                        done(ServiceError{});
                },
                Qt::QueuedConnection);
        };
        b.demoApiBase = m_demoApiBase;
        if (m_demoApiBase.isValid())
            b.demoApiKey = QStringLiteral("sk-good-key");
        return b;
    }

    // Only the device sign-in, as before the second way in existed.
    SignInBackend oauthOnlyBackend()
    {
        SignInBackend b = backend();
        b.createApiKeyCheck = nullptr;
        b.signIn = nullptr;
        return b;
    }

    static QComboBox *presets(const QDialog &dialog)
    {
        return dialog.findChild<QComboBox *>(QStringLiteral("presetCombo"));
    }

    static QLineEdit *edit(const QDialog &dialog, const char *name)
    {
        return dialog.findChild<QLineEdit *>(QLatin1String(name));
    }

    static void chooseCustom(SignInDialog &dialog, const QString &url)
    {
        QComboBox *combo = presets(dialog);
        combo->setCurrentIndex(combo->findData(PlanCatalog::customPlanId()));
        QLineEdit *baseUrl = edit(dialog, "baseUrlEdit");
        baseUrl->clear();
        QTest::keyClicks(baseUrl, url);
    }

    void enterKey(SignInDialog &dialog, const QString &key)
    {
        QLineEdit *field = edit(dialog, "apiKeyEdit");
        field->clear();
        QTest::keyClicks(field, key);
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
        m_stored.clear();
        m_saveFails = false;
        m_demoApiBase = QUrl();
        m_fake->setApiKeys({QStringLiteral("sk-good-key")});
        m_log.clear();
        s_log = &m_log;
        qInstallMessageHandler(&TestSignInDialog::collect);
    }

    void cleanup()
    {
        qInstallMessageHandler(nullptr);
        s_log = nullptr;
        delete m_nam;
        delete m_fake;
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

    void apiKeyWayNeedsABackend()
    {
        SignInDialog dialog(oauthOnlyBackend(), false);
        dialog.show();
        dialog.start();
        QVERIFY(!dialog.offersApiKey());
        QVERIFY(!button(dialog, "apiKeyButton")->isVisible());
        dialog.startWithApiKey();
        QCOMPARE(dialog.page(), SignInDialog::Page::Starting);
    }

    void apiKeyPageListsThePresets()
    {
        SignInDialog dialog(backend(), false);
        dialog.show();
        dialog.startWithApiKey();
        QCOMPARE(dialog.page(), SignInDialog::Page::ApiKey);
        QComboBox *combo = presets(dialog);
        // Every plan once, in the catalog's order, each group under a header nobody can choose.
        QStringList ids;
        QStringList headers;
        auto *model = qobject_cast<QStandardItemModel *>(combo->model());
        QVERIFY(model);
        for (int i = 0; i < combo->count(); ++i) {
            const QString id = combo->itemData(i).toString();
            if (!id.isEmpty()) {
                ids << id;
                QVERIFY(model->item(i)->isEnabled());
                const Plan plan = PlanCatalog::instance().plan(id);
                QCOMPARE(combo->itemText(i),
                         plan.isCustom() ? QStringLiteral("Custom endpoint…") : plan.name());
            } else {
                QVERIFY(!model->item(i)->isEnabled());
                if (!combo->itemText(i).isEmpty())
                    headers << combo->itemText(i);
            }
        }
        QStringList catalogIds;
        for (const Plan &plan : PlanCatalog::instance().plans())
            catalogIds << plan.id;
        QCOMPARE(ids, catalogIds);
        QCOMPARE(headers, (QStringList{"Coding Plan", "Token Plan", "Model Studio pay-as-you-go"}));
        QCOMPARE(combo->currentData().toString(), PlanCatalog::defaultPlanId());
        // Where a preset's requests go is said; the URL field is for custom endpoints only.
        QVERIFY(!edit(dialog, "baseUrlEdit")->isVisible());
        QVERIFY(
            labelText(dialog, "baseUrlNote")
                .contains(
                    PlanCatalog::instance().plan(PlanCatalog::defaultPlanId()).baseUrl.toString()));

        QLineEdit *key = edit(dialog, "apiKeyEdit");
        QCOMPARE(key->echoMode(), QLineEdit::Password);
        QVERIFY(key->hasFocus() || !dialog.isActiveWindow());
        // Where to get a key for the chosen plan, as a link the browser opens.
        QString hint = labelText(dialog, "keyHint");
        QVERIFY2(hint.contains(QStringLiteral("API-Key page")), qPrintable(hint));
        QVERIFY(hint.contains(QStringLiteral("<a href=\"https://")));
        QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("keyHint"))->openExternalLinks());
        combo->setCurrentIndex(combo->findData(QStringLiteral("coding-plan-global")));
        hint = labelText(dialog, "keyHint");
        QVERIFY2(hint.contains(QStringLiteral("Subscribe to the Coding Plan")), qPrintable(hint));
        QCOMPARE(key->placeholderText(), QStringLiteral("sk-sp-…"));
        // A key of another kind of plan is named before anything is sent.
        QLabel *prefix = dialog.findChild<QLabel *>(QStringLiteral("keyPrefixHint"));
        QVERIFY(!prefix->isVisible());
        enterKey(dialog, QStringLiteral("sk-payg-key"));
        QVERIFY(prefix->isVisible());
        QVERIFY2(prefix->text().contains(QStringLiteral("\"sk-sp-\"")), qPrintable(prefix->text()));
        QVERIFY(!prefix->text().contains(QStringLiteral("payg-key")));
        combo->setCurrentIndex(combo->findData(QStringLiteral("payg-us")));
        QVERIFY(!prefix->isVisible());
        key->clear();

        chooseCustom(dialog, QString());
        QVERIFY(edit(dialog, "baseUrlEdit")->isVisible());
        QVERIFY(labelText(dialog, "keyHint").contains(QStringLiteral("provider of this endpoint")));

        QVERIFY(button(dialog, "checkButton")->isVisible());
        QVERIFY(button(dialog, "checkButton")->isDefault());
        QVERIFY(!button(dialog, "tryAgainButton")->isVisible());
        QCOMPARE(button(dialog, "closeButton")->text(), QStringLiteral("Cancel"));
        QCOMPARE(button(dialog, "apiKeyButton")->text(),
                 QStringLiteral("Sign in with your Qwen account instead"));

        const QString artifacts = QStringLiteral(QWEN_BRIDGE_BUILD_DIR "/artifacts");
        QDir().mkpath(artifacts);
        dialog.grab().save(artifacts + QStringLiteral("/signin-apikey-offscreen.png"));
    }

    void checksTheBaseUrl()
    {
        QUrl url;
        QVERIFY(
            SignInDialog::checkBaseUrl(QStringLiteral("https://example.com/v1"), &url).isEmpty());
        QCOMPARE(url, QUrl(QStringLiteral("https://example.com/v1")));
        for (const char *good : {"http://127.0.0.1:8080/v1", "http://localhost/v1",
                                 "http://[::1]:9/v1", " https://example.com/compatible-mode/v1 "})
            QVERIFY2(SignInDialog::checkBaseUrl(QLatin1String(good)).isEmpty(), good);
        for (const char *bad :
             {"", "http://example.com/v1", "http://192.168.1.2/v1", "ftp://example.com/v1",
              "example.com/v1", "https://", "https://me:secret@example.com/v1",
              "https://example.com/v1?key=1", "https://example.com/v1#x", "https://exa mple.com"})
            QVERIFY2(!SignInDialog::checkBaseUrl(QLatin1String(bad)).isEmpty(), bad);
        QVERIFY(SignInDialog::checkBaseUrl(QStringLiteral("http://example.com/v1"))
                    .contains(QStringLiteral("https://")));

        QVERIFY(SignInDialog::checkApiKeyText(QStringLiteral("sk-abc123")).isEmpty());
        QVERIFY(!SignInDialog::checkApiKeyText(QString()).isEmpty());
        QVERIFY(!SignInDialog::checkApiKeyText(QStringLiteral("sk-abc 123")).isEmpty());
        QVERIFY(!SignInDialog::checkApiKeyText(QString(5000, QLatin1Char('k'))).isEmpty());
    }

    void badCustomUrlIsNotTried()
    {
        SignInDialog dialog(backend(), false);
        dialog.show();
        dialog.startWithApiKey();
        chooseCustom(dialog, QStringLiteral("http://example.com/v1"));
        enterKey(dialog, QStringLiteral("sk-good-key"));
        QTest::mouseClick(button(dialog, "checkButton"), Qt::LeftButton);
        QCOMPARE(dialog.page(), SignInDialog::Page::ApiKey);
        QVERIFY(!dialog.isCheckingApiKey());
        const QLabel *error = dialog.findChild<QLabel *>(QStringLiteral("apiKeyError"));
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains(QStringLiteral("https://")), qPrintable(error->text()));
        QCOMPARE(m_fake->counters().modelsRequests, 0);
        QVERIFY(m_stored.isEmpty());

        // No key at all: said on the page too, nothing asked.
        chooseCustom(dialog, m_fake->apiBaseUrl().toString());
        edit(dialog, "apiKeyEdit")->clear();
        QTest::mouseClick(button(dialog, "checkButton"), Qt::LeftButton);
        QVERIFY(error->isVisible());
        QCOMPARE(m_fake->counters().modelsRequests, 0);
    }

    void refusedKeyStoresNothing()
    {
        SignInDialog dialog(backend(), false);
        QSignalSpy signedIn(&dialog, &SignInDialog::signedIn);
        dialog.show();
        dialog.startWithApiKey();
        chooseCustom(dialog, m_fake->apiBaseUrl().toString());
        enterKey(dialog, QStringLiteral("sk-wrong-key"));
        QTest::mouseClick(button(dialog, "checkButton"), Qt::LeftButton);
        QVERIFY(dialog.isCheckingApiKey());
        QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("checkStatus"))->isVisible());
        QVERIFY(!edit(dialog, "apiKeyEdit")->isEnabled());
        QVERIFY(!button(dialog, "checkButton")->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isCheckingApiKey(), 20000);

        QCOMPARE(dialog.page(), SignInDialog::Page::ApiKey);
        const QLabel *error = dialog.findChild<QLabel *>(QStringLiteral("apiKeyError"));
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains(QStringLiteral("refused by the custom endpoint")),
                 qPrintable(error->text()));
        QVERIFY(error->text().contains(QStringLiteral("Nothing was stored.")));
        QVERIFY(m_stored.isEmpty());
        QCOMPARE(signedIn.size(), 0);
        QCOMPARE(m_fake->counters().modelsRequests, 1);
        // The refused key is gone from the widget; the form can be used again.
        QVERIFY(edit(dialog, "apiKeyEdit")->text().isEmpty());
        QVERIFY(edit(dialog, "apiKeyEdit")->isEnabled());
        QVERIFY(button(dialog, "checkButton")->isEnabled());
        QVERIFY(!dialog.findChild<QLabel *>(QStringLiteral("checkStatus"))->isVisible());
        for (const QString &line : qAsConst(m_log))
            QVERIFY2(!line.contains(QStringLiteral("sk-wrong-key")), qPrintable(line));
    }

    void acceptedKeyIsStored()
    {
        SignInDialog dialog(backend(), false);
        dialog.setSuccessDelay(200);
        QSignalSpy signedIn(&dialog, &SignInDialog::signedIn);
        QSignalSpy finished(&dialog, &QDialog::finished);
        dialog.show();
        dialog.startWithApiKey();
        chooseCustom(dialog, m_fake->apiBaseUrl().toString());
        enterKey(dialog, QStringLiteral("  sk-good-key "));
        // Return in the key field is "Check and save".
        QTest::keyClick(edit(dialog, "apiKeyEdit"), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(signedIn.size(), 1, 20000);
        QCOMPARE(dialog.page(), SignInDialog::Page::Success);
        QCOMPARE(m_stored.size(), 1);
        const Credentials c = m_stored.first();
        QCOMPARE(c.method, AuthMethod::ApiKey);
        QCOMPARE(c.apiKey, QStringLiteral("sk-good-key"));
        QCOMPARE(c.preset, PlanCatalog::customPlanId());
        QCOMPARE(c.baseUrl, m_fake->apiBaseUrl());
        QVERIFY(c.isValid());
        QVERIFY(edit(dialog, "apiKeyEdit")->text().isEmpty());
        QVERIFY(m_completed.isEmpty()); // nothing went the OAuth way
        bool titled = false;
        for (const QLabel *label : dialog.findChildren<QLabel *>()) {
            titled = titled || (label->isVisible() &&
                                label->text() == QStringLiteral("Signed in with an API key for "
                                                                "the custom endpoint 127.0.0.1"));
        }
        QVERIFY(titled);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QCOMPARE(finished.first().first().toInt(), int(QDialog::Accepted));
        for (const QString &line : qAsConst(m_log))
            QVERIFY2(!line.contains(QStringLiteral("sk-good-key")), qPrintable(line));
    }

    void demoChecksWithTheFakeService()
    {
        // A preset is chosen, but in the demo the key only ever goes to the fake service.
        m_demoApiBase = m_fake->apiBaseUrl();
        SignInDialog dialog(backend(), true);
        dialog.setSuccessDelay(100);
        dialog.show();
        dialog.startWithApiKey();
        QVERIFY(labelText(dialog, "baseUrlNote").contains(QStringLiteral("DEMO")));
        QVERIFY(labelText(dialog, "baseUrlNote").contains(QStringLiteral("sk-good-key")));
        QComboBox *combo = presets(dialog);
        combo->setCurrentIndex(combo->findData(QStringLiteral("coding-plan-global")));
        enterKey(dialog, QStringLiteral("sk-good-key"));
        QTest::mouseClick(button(dialog, "checkButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(m_stored.size(), 1, 20000);
        QCOMPARE(m_stored.first().preset, QStringLiteral("coding-plan-global"));
        QCOMPARE(m_stored.first().baseUrl, m_fake->apiBaseUrl());
    }

    void networkTroubleKeepsTheKey()
    {
        const QString base = m_fake->apiBaseUrl().toString();
        m_fake->stop();
        SignInDialog dialog(backend(), false);
        dialog.show();
        dialog.startWithApiKey();
        chooseCustom(dialog, base);
        enterKey(dialog, QStringLiteral("sk-good-key"));
        QTest::mouseClick(button(dialog, "checkButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isCheckingApiKey(), 20000);
        QCOMPARE(dialog.page(), SignInDialog::Page::ApiKey);
        QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("apiKeyError"))
                    ->text()
                    .contains(QStringLiteral("Could not reach")));
        QVERIFY(m_stored.isEmpty());
        // A passing failure: the key may be right, so it stays for another try.
        QCOMPARE(edit(dialog, "apiKeyEdit")->text(), QStringLiteral("sk-good-key"));
        // Cancel takes it out of the widget.
        QTest::mouseClick(button(dialog, "closeButton"), Qt::LeftButton);
        QVERIFY(edit(dialog, "apiKeyEdit")->text().isEmpty());
    }

    void failedSaveOffersTheKeyPageAgain()
    {
        m_saveFails = true;
        SignInDialog dialog(backend(), false);
        dialog.show();
        dialog.startWithApiKey();
        chooseCustom(dialog, m_fake->apiBaseUrl().toString());
        enterKey(dialog, QStringLiteral("sk-good-key"));
        QTest::mouseClick(button(dialog, "checkButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.page(), SignInDialog::Page::Error, 20000);
        QCOMPARE(detailText(dialog), QStringLiteral("The keychain is locked."));
        QTest::mouseClick(button(dialog, "tryAgainButton"), Qt::LeftButton);
        QCOMPARE(dialog.page(), SignInDialog::Page::ApiKey);
        QVERIFY(edit(dialog, "apiKeyEdit")->text().isEmpty());
    }

    void apiKeyPageInChinese()
    {
        QVERIFY(UiTranslator::install(QLocale(QStringLiteral("zh_CN"))));
        {
            SignInDialog dialog(backend(), false);
            dialog.show();
            dialog.startWithApiKey();
            QCOMPARE(button(dialog, "checkButton")->text(), QStringLiteral("检查并保存"));
            // Plan names come from the catalog, translated as it is read.
            QCOMPARE(presets(dialog)->currentText(),
                     PlanCatalog::instance().plan(PlanCatalog::defaultPlanId()).name());
            QTest::qWait(50); // the layout follows the longer texts
            const QString artifacts = QStringLiteral(QWEN_BRIDGE_BUILD_DIR "/artifacts");
            QDir().mkpath(artifacts);
            dialog.grab().save(artifacts + QStringLiteral("/signin-apikey-zh_CN-offscreen.png"));
        }
        UiTranslator::uninstall();
    }

    void switchesBetweenTheWaysIn()
    {
        SignInDialog dialog(backend(), false);
        dialog.show();
        dialog.start();
        waitForCode(dialog);
        QPointer<DeviceAuthorization> attempt = dialog.findChild<DeviceAuthorization *>();
        QVERIFY(attempt);
        QCOMPARE(button(dialog, "apiKeyButton")->text(), QStringLiteral("Use an API key instead…"));
        QVERIFY(button(dialog, "apiKeyButton")->isVisible());
        QTest::mouseClick(button(dialog, "apiKeyButton"), Qt::LeftButton);
        QCOMPARE(dialog.page(), SignInDialog::Page::ApiKey);
        QTRY_VERIFY(attempt.isNull()); // the device sign-in stopped
        QVERIFY(!button(dialog, "tryAgainButton")->isVisible());

        QTest::mouseClick(button(dialog, "apiKeyButton"), Qt::LeftButton);
        waitForCode(dialog);
        QCOMPARE(m_fake->counters().deviceCodeRequests, 2);
        QVERIFY(!button(dialog, "checkButton")->isVisible());
    }
};

QStringList *TestSignInDialog::s_log = nullptr;

QTEST_MAIN(TestSignInDialog)
#include "tst_signindialog.moc"
