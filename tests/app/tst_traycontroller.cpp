#include "traycontroller.h"
#include "usagewindow.h"

#include "autostart.h"
#include "bridge/bridgeservice.h"
#include "bridge/quotastate.h"
#include "configureopencodedialog.h"
#include "credentials/credentialstore.h"
#include "credentials/keychainstore.h"
#include "credentials/legacyimport.h"
#include "fakeqwenservice.h"
#include "gui.h"
#include "importofferdialog.h"
#include "opencode/opencodeconfig.h"
#include "plans/plancatalog.h"
#include "proxy/localkey.h"
#include "settings/settings.h"
#include "settingsdialog.h"
#include "signindialog.h"
#include "statuswindow.h"
#include "testhome.h"
#include "testprocess.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

class UrlRecorder : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> opened;
public Q_SLOTS:
    void open(const QUrl &url) { opened << url; }
};

// The tray menu and the status window for each state of the session and the proxy, with a
// real BridgeService (keychain on the test's private D-Bus session) against the fake Qwen
// service. There is no tray under the offscreen platform, which also covers the fallback.
// Also: signing in with an API key and switching methods while running, the quota state,
// the first-run offer to take over another tool's sign-in, and a second start's handover.
class TestTrayController : public QObject
{
    Q_OBJECT

    TestHome m_home;
    UrlRecorder m_urls;
    FakeQwenService *m_fake = nullptr;
    BridgeService *m_service = nullptr;
    TrayController *m_tray = nullptr;
    QList<QPair<QString, QString>> m_notes;
    int m_round = 0;

    static quint16 freePort()
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        return probe.serverPort();
    }

    QAction *action(const char *name) const
    {
        return m_tray->menu()->findChild<QAction *>(QLatin1String(name));
    }

    // What a person sees in the menu, top to bottom; separators as "--".
    QStringList visibleMenu() const
    {
        QStringList items;
        for (QAction *a : m_tray->menu()->actions()) {
            if (!a->isVisible())
                continue;
            items << (a->isSeparator() ? QStringLiteral("--") : a->objectName());
        }
        return items;
    }

    void makeBridge(bool demo)
    {
        m_service = new BridgeService;
        m_tray = new TrayController(m_service, demo);
        connect(m_tray, &TrayController::notified, this,
                [this](const QString &title, const QString &message) {
                    m_notes << qMakePair(title, message);
                });
        m_service->start();
    }

    void waitUntilReady()
    {
        QTRY_VERIFY_WITH_TIMEOUT(m_service->isProxyListening(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(m_service->session()->state() != SessionState::Starting, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(m_service->localKey()->isLoaded(), 30000);
    }

    void signInThroughTheDialog()
    {
        m_tray->signIn();
        SignInDialog *dialog = m_tray->signInDialog();
        QVERIFY(dialog);
        dialog->setSuccessDelay(100);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->page(), SignInDialog::Page::Code, 30000);
        QCOMPARE(m_service->session()->state(), SessionState::SigningIn);
        QVERIFY(m_fake->approve(dialog->code().userCode));
        QTRY_COMPARE_WITH_TIMEOUT(m_service->session()->state(), SessionState::SignedIn, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_tray->signInDialog(), 30000);
    }

    bool notifiedAbout(const QString &words) const
    {
        for (const auto &note : m_notes) {
            if (note.first.contains(words) || note.second.contains(words))
                return true;
        }
        return false;
    }

    int notesTitled(const QString &words) const
    {
        int count = 0;
        for (const auto &note : m_notes)
            count += note.first.contains(words) ? 1 : 0;
        return count;
    }

    // The API-key page, a custom endpoint (the fake service), and "Check and save".
    void submitApiKey(const QString &key)
    {
        SignInDialog *dialog = m_tray->signInDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->page(), SignInDialog::Page::ApiKey);
        auto *combo = dialog->findChild<QComboBox *>(QStringLiteral("presetCombo"));
        combo->setCurrentIndex(combo->findData(PlanCatalog::customPlanId()));
        auto *url = dialog->findChild<QLineEdit *>(QStringLiteral("baseUrlEdit"));
        url->setText(m_fake->apiBaseUrl().toString());
        auto *field = dialog->findChild<QLineEdit *>(QStringLiteral("apiKeyEdit"));
        field->setText(key);
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("checkButton")),
                          Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isCheckingApiKey(), 30000);
    }

    void signInWithApiKey(const QString &key)
    {
        action("useApiKeyAction")->trigger();
        SignInDialog *dialog = m_tray->signInDialog();
        QVERIFY(dialog);
        dialog->setSuccessDelay(100);
        submitApiKey(key);
        if (QTest::currentTestFailed())
            return;
        QTRY_COMPARE_WITH_TIMEOUT(m_service->session()->method(), AuthMethod::ApiKey, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(m_service->session()->state(), SessionState::SignedIn, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_tray->signInDialog(), 30000);
    }

    // What the keychain holds now, read the way the next start would.
    Credentials storedCredentials(bool *found)
    {
        Settings settings;
        CredentialStore store(settings);
        Credentials c;
        bool done = false;
        store.load([&](const CredentialStore::LoadResult &r) {
            c = r.credentials;
            *found = r.keychain.ok();
            done = true;
        });
        QDeadlineTimer deadline(30000);
        while (!done && !deadline.hasExpired())
            QTest::qWait(5);
        return c;
    }

    struct Answer
    {
        int status = 0;
        QByteArray body;
    };

    // A request through the proxy with the local key, as OpenCode sends it.
    Answer throughProxy(const QString &path, const QByteArray &body = {})
    {
        QNetworkAccessManager nam;
        QNetworkRequest request(QUrl(m_service->proxyUrl().toString() + path));
        request.setRawHeader("Authorization", "Bearer " + m_service->localKey()->value().toUtf8());
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
        QNetworkReply *reply = body.isEmpty() ? nam.get(request) : nam.post(request, body);
        QSignalSpy done(reply, &QNetworkReply::finished);
        done.wait(30000);
        Answer a;
        a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        a.body = reply->readAll();
        reply->deleteLater();
        return a;
    }

    static QByteArray chatBody()
    {
        return QByteArrayLiteral(
            R"({"model":"coder-model","messages":[{"role":"user","content":"hi"}]})");
    }

    void writeQwenCodeFile(QByteArray *written)
    {
        const QString path = LegacyImport::qwenCodePath(QDir::homePath());
        QDir().mkpath(QFileInfo(path).absolutePath());
        const qint64 expiry = QDateTime::currentMSecsSinceEpoch() + 3600 * 1000;
        *written = QByteArrayLiteral(R"({"access_token":"legacy-access","refresh_token":)"
                                     R"("legacy-refresh","token_type":"Bearer","expiry_date":)") +
                   QByteArray::number(expiry) + "}";
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(*written);
    }

    // For people to look at: <build>/artifacts/<name>.
    static void saveShot(QWidget *widget, const QString &name)
    {
        const QString dir = QStringLiteral(QWEN_BRIDGE_BUILD_DIR "/artifacts");
        QDir().mkpath(dir);
        widget->grab().save(dir + QLatin1Char('/') + name);
    }

    static QByteArray readFile(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QDesktopServices::setUrlHandler(QStringLiteral("http"), &m_urls, "open");
        QDesktopServices::setUrlHandler(QStringLiteral("https"), &m_urls, "open");
        QDesktopServices::setUrlHandler(QStringLiteral("file"), &m_urls, "open");
    }

    void cleanupTestCase()
    {
        for (const char *scheme : {"http", "https", "file"})
            QDesktopServices::unsetUrlHandler(QLatin1String(scheme));
        // Keychain jobs outlive their store to finish; none may be cut off by the exit.
        QTRY_COMPARE_WITH_TIMEOUT(KeychainStore::jobsInFlight(), 0, 30000);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }

    void init()
    {
        // A keychain entry of its own for each test: nothing carries over.
        m_home.setSetting(QStringLiteral("keychain/service"),
                          QString(m_home.keychainService() + QStringLiteral("-%1").arg(++m_round)));
        m_fake = new FakeQwenService;
        QVERIFY(m_fake->start());
        m_fake->setPollInterval(1);
        qputenv("QWEN_BRIDGE_OAUTH_URL", m_fake->baseUrl().toString().toUtf8());
        qputenv("QWEN_BRIDGE_API_URL", m_fake->apiBaseUrl().toString().toUtf8());
        qputenv("QWEN_BRIDGE_PORT", QByteArray::number(freePort()));
        m_notes.clear();
        m_urls.opened.clear();
    }

    void cleanup()
    {
        delete m_tray;
        m_tray = nullptr;
        if (m_service) {
            // Leave the keychain as it was found.
            bool done = false;
            m_service->signOut([&done](const ServiceError &) { done = true; });
            QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
            // A sign-out makes the credentials be read again: nothing left in flight.
            QTRY_COMPARE_WITH_TIMEOUT(KeychainStore::jobsInFlight(), 0, 30000);
        }
        delete m_service;
        m_service = nullptr;
        delete m_fake;
        m_fake = nullptr;
        qunsetenv("QWEN_BRIDGE_PORT");
        const QWidgetList windows = QApplication::topLevelWidgets();
        for (QWidget *w : windows)
            w->deleteLater();
        QFile::remove(Autostart::filePath());
        QFile::remove(LegacyImport::qwenCodePath(QDir::homePath()));
        QFile::remove(LegacyImport::pluginTokenPath(QDir::homePath()));
        QSettings(Settings::configFilePath(), QSettings::IniFormat)
            .remove(QStringLiteral("ui/importOffered"));
    }

    void mapsStatesToIcons()
    {
        // Which status each state gets: tst_traystatusmodel.
        // Each status has an icon of its own.
        QSet<QString> resources;
        for (TrayStatus s : {TrayStatus::SignedOut, TrayStatus::SigningIn, TrayStatus::SignedIn,
                             TrayStatus::Attention}) {
            QVERIFY(!AppIcons::tray(s).isNull());
            QVERIFY(!AppIcons::tray(s).pixmap(22, 22).isNull());
            resources.insert(AppIcons::trayResource(s));
        }
        QCOMPARE(resources.size(), 4);
        // The windows show the picture the installed menu entry shows.
        const QImage installed(QStringLiteral(
            QWEN_BRIDGE_SOURCE_DIR "/packaging/icons/48x48/io.github.qwen_bridge.QwenBridge.png"));
        QVERIFY(!installed.isNull());
        QCOMPARE(
            AppIcons::application().pixmap(48, 48).toImage().convertToFormat(installed.format()),
            installed);
    }

    void signedOutMenu()
    {
        makeBridge(false);
        waitUntilReady();
        QCOMPARE(m_service->session()->state(), SessionState::SignedOut);
        m_tray->refresh();
        QCOMPARE(
            visibleMenu(),
            (QStringList{"stateLine", "proxyLine", "requestsLine", "--", "signInAction",
                         "useApiKeyAction", "--", "configureOpenCodeAction", "copyConfigAction",
                         "copyProxyAction", "usageAction", "--", "openLogsAction", "settingsAction",
                         "startAtLoginAction", "aboutAction", "--", "quitAction"}));
        for (const char *line : {"stateLine", "proxyLine", "requestsLine"})
            QVERIFY2(!action(line)->isEnabled(), line);
        QCOMPARE(action("stateLine")->text(), QStringLiteral("Signed out"));
        const QString proxy = m_service->proxyUrl().toString();
        QCOMPARE(action("proxyLine")->text(), QStringLiteral("Proxy: %1").arg(proxy));
        QCOMPARE(action("requestsLine")->text(), QStringLiteral("Requests today: 0"));
        QVERIFY(action("signInAction")->isEnabled());
        QCOMPARE(action("signInAction")->text(), QStringLiteral("Sign in…"));
        QCOMPARE(action("useApiKeyAction")->text(), QStringLiteral("Use an API key…"));
        QVERIFY(action("useApiKeyAction")->isEnabled());
        QVERIFY(action("configureOpenCodeAction")->isEnabled());
        QVERIFY(action("startAtLoginAction")->isCheckable());
        QCOMPARE(m_tray->status(), TrayStatus::SignedOut);
        QVERIFY(m_tray->toolTip().contains(QStringLiteral("Signed out")));
        QVERIFY(m_tray->toolTip().contains(proxy));
        QCOMPARE(m_tray->trayIcon()->toolTip(), m_tray->toolTip());
    }

    void signingInAndSignedInMenus()
    {
        makeBridge(false);
        waitUntilReady();
        m_tray->signIn();
        QTRY_COMPARE_WITH_TIMEOUT(m_tray->status(), TrayStatus::SigningIn, 10000);
        QCOMPARE(action("stateLine")->text(), QStringLiteral("Signing in…"));
        QVERIFY(action("signInAction")->isVisible()); // brings the dialog back
        QVERIFY(!action("signOutAction")->isVisible());
        QVERIFY(m_tray->toolTip().contains(QStringLiteral("Signing in")));
        SignInDialog *dialog = m_tray->signInDialog();
        QTRY_COMPARE_WITH_TIMEOUT(dialog->page(), SignInDialog::Page::Code, 30000);
        QCOMPARE(m_urls.opened.size(), 1); // the browser opened by itself
        dialog->setSuccessDelay(100);
        QVERIFY(m_fake->approve(dialog->code().userCode));
        QTRY_COMPARE_WITH_TIMEOUT(m_service->session()->state(), SessionState::SignedIn, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_tray->signInDialog(), 30000);

        QVERIFY(notifiedAbout(QStringLiteral("Signed in")));
        QCOMPARE(m_tray->status(), TrayStatus::SignedIn);
        m_tray->refresh();
        QCOMPARE(visibleMenu().mid(0, 7),
                 (QStringList{"stateLine", "expiryLine", "proxyLine", "requestsLine", "--",
                              "useApiKeyAction", "signOutAction"}));
        QCOMPARE(action("stateLine")->text(), QStringLiteral("Signed in with your Qwen account"));
        QVERIFY2(action("expiryLine")->text().startsWith(QStringLiteral("Token expires in 59 min")),
                 qPrintable(action("expiryLine")->text()));
        QVERIFY(!action("signInAction")->isVisible());
        QVERIFY(m_tray->toolTip().contains(QStringLiteral("Signed in")));
        // The tooltip can be read at any time: it names the time, not a countdown.
        QVERIFY2(m_tray->toolTip().contains(QStringLiteral("Token valid until ")),
                 qPrintable(m_tray->toolTip()));
        QVERIFY(!m_tray->toolTip().contains(QStringLiteral("expires in")));

        // The countdown runs only while the menu is open, to the next minute it shows.
        TrayStatusModel *model = m_tray->model();
        QCOMPARE(model->countdownRemainingMs(), -1);
        auto *menu = qobject_cast<QMenu *>(action("stateLine")->parent());
        QVERIFY(menu);
        Q_EMIT menu->aboutToShow();
        QVERIFY(model->isWatched());
        QVERIFY2(model->countdownRemainingMs() > 0 && model->countdownRemainingMs() <= 61000,
                 qPrintable(QString::number(model->countdownRemainingMs())));
        Q_EMIT menu->aboutToHide();
        QVERIFY(!model->isWatched());
        QCOMPARE(model->countdownRemainingMs(), -1);

        // A request through the proxy shows up in the menu without anyone asking.
        QNetworkAccessManager nam;
        QNetworkRequest request(QUrl(m_service->proxyUrl().toString() + QStringLiteral("/models")));
        request.setRawHeader("Authorization", "Bearer " + m_service->localKey()->value().toUtf8());
        QNetworkReply *reply = nam.get(request);
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(30000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        reply->deleteLater();
        QTRY_COMPARE_WITH_TIMEOUT(action("requestsLine")->text(),
                                  QStringLiteral("Requests today: 1"), 10000);
        QVERIFY(m_tray->toolTip().contains(QStringLiteral("Requests today: 1")));

        // A chat request is counted by the usage meter, and the menu and tooltip say so.
        QVERIFY(!action("usageLine")->isVisible());
        QNetworkRequest chat(
            QUrl(m_service->proxyUrl().toString() + QStringLiteral("/chat/completions")));
        chat.setRawHeader("Authorization", "Bearer " + m_service->localKey()->value().toUtf8());
        chat.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        QNetworkReply *chatReply = nam.post(
            chat, QByteArrayLiteral(
                      R"({"model":"coder-model","messages":[{"role":"user","content":"Hi"}]})"));
        QSignalSpy chatDone(chatReply, &QNetworkReply::finished);
        QVERIFY(chatDone.wait(30000));
        QCOMPARE(chatReply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        chatReply->deleteLater();
        QTRY_VERIFY_WITH_TIMEOUT(action("usageLine")->isVisible(), 30000);
        QVERIFY2(action("usageLine")->text().startsWith(QStringLiteral("today: 1 request,")),
                 qPrintable(action("usageLine")->text()));
        QVERIFY(m_tray->toolTip().contains(action("usageLine")->text()));
        QVERIFY(action("usageAction")->isVisible());
        // The charts (QtCharts, 1.2 MB) are not loaded with the tray, but with the window.
#ifdef Q_OS_LINUX
        const auto chartsMapped = [] {
            QFile maps(QStringLiteral("/proc/self/maps"));
            return maps.open(QIODevice::ReadOnly) && maps.readAll().contains("libQt6Charts");
        };
        QVERIFY(!chartsMapped());
#endif
        // "Usage…" opens the window with the same numbers.
        m_tray->showUsage();
        UsageWindow *window = nullptr;
        for (QWidget *w : QApplication::topLevelWidgets()) {
            if (auto *u = qobject_cast<UsageWindow *>(w); u && u->isVisible())
                window = u;
        }
        QVERIFY(window);
        QCOMPARE(window->report().today.requests, 1);
        QVERIFY(window->findChild<QWidget *>(QStringLiteral("requestsChart")));
        QVERIFY(!window->findChild<QWidget *>(QStringLiteral("chartsUnavailable")));
#ifdef Q_OS_LINUX
        QVERIFY(chartsMapped());
#endif
        window->close();
    }

    void cancelledSignInGoesBack()
    {
        makeBridge(false);
        waitUntilReady();
        m_tray->signIn();
        QTRY_COMPARE_WITH_TIMEOUT(m_tray->status(), TrayStatus::SigningIn, 10000);
        m_tray->signInDialog()->reject();
        QTRY_COMPARE_WITH_TIMEOUT(m_service->session()->state(), SessionState::SignedOut, 10000);
        QCOMPARE(m_tray->status(), TrayStatus::SignedOut);
    }

    void signInRequiredAsksForAttention()
    {
        makeBridge(false);
        waitUntilReady();
        // Credentials whose refresh token the service does not know: the first renewal is
        // refused and the session says "sign in again".
        Credentials dead;
        dead.method = AuthMethod::OAuth;
        dead.accessToken = QStringLiteral("old-access");
        dead.refreshToken = QStringLiteral("dead-refresh");
        dead.tokenType = QStringLiteral("Bearer");
        dead.expiresAt = QDateTime::currentDateTimeUtc().addSecs(2);
        bool stored = false;
        m_service->signIn(dead, [&stored](const ServiceError &e) { stored = e.ok(); });
        QTRY_VERIFY_WITH_TIMEOUT(stored, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(m_service->session()->state(), SessionState::SignInRequired,
                                  30000);
        QCOMPARE(m_tray->status(), TrayStatus::Attention);
        QVERIFY(notifiedAbout(QStringLiteral("Sign in to Qwen again")));
        m_tray->refresh();
        QVERIFY(action("signInAction")->isVisible());
        QCOMPARE(action("signInAction")->text(), QStringLiteral("Sign in again…"));
        QVERIFY(action("signOutAction")->isVisible());
        QCOMPARE(action("stateLine")->text(), QStringLiteral("Sign in again"));

        // The next start of the tray begins there, from what the keychain now says,
        // without asking the service again.
        bool found = false;
        QTRY_VERIFY_WITH_TIMEOUT(storedCredentials(&found).signInRequired, 30000);
        const int refreshes = m_fake->counters().refreshRequests;
        delete m_tray;
        m_tray = nullptr;
        delete m_service;
        m_service = nullptr;
        m_notes.clear();
        makeBridge(false);
        waitUntilReady();
        QCOMPARE(m_service->session()->state(), SessionState::SignInRequired);
        QCOMPARE(m_tray->status(), TrayStatus::Attention);
        QVERIFY(notifiedAbout(QStringLiteral("Sign in to Qwen again")));
        m_tray->refresh();
        QCOMPARE(action("stateLine")->text(), QStringLiteral("Sign in again"));
        QCOMPARE(m_fake->counters().refreshRequests, refreshes);
    }

    void portTakenAsksForAttention()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        qputenv("QWEN_BRIDGE_PORT", QByteArray::number(squatter.serverPort()));
        makeBridge(false);
        QTRY_VERIFY_WITH_TIMEOUT(notifiedAbout(QStringLiteral("The proxy could not start")), 30000);
        QCOMPARE(m_tray->status(), TrayStatus::Attention);
        QVERIFY(action("proxyLine")->text().startsWith(QStringLiteral("Proxy stopped")));
        QVERIFY(m_tray->toolTip().contains(QStringLiteral("Proxy stopped")));
        // The copy actions still work: they name the configured port.
        QVERIFY(action("copyProxyAction")->isEnabled());
        m_tray->copyProxyUrlAndKey();
        QVERIFY(QApplication::clipboard()->text().contains(
            QStringLiteral(":%1/v1").arg(squatter.serverPort())));

        // The port is free again: restarting the proxy clears the attention.
        squatter.close();
        m_service->restartProxy();
        QTRY_VERIFY_WITH_TIMEOUT(m_service->isProxyListening(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_tray->status(), TrayStatus::SignedOut, 10000);
    }

    void quotaNoticeIsNotRepeated()
    {
        makeBridge(false);
        waitUntilReady();
        signInThroughTheDialog();
        for (int i = 0; i < 3; ++i)
            m_service->quota()->report(QStringLiteral("Free allocated quota exceeded."));
        QCOMPARE(notesTitled(QStringLiteral("quota")), 1);
        QVERIFY(m_tray->isQuotaExhausted());
    }

    void apiKeySignInFromTheMenu()
    {
        m_fake->setApiKeys({QStringLiteral("sk-tray-good")});
        makeBridge(false);
        waitUntilReady();
        action("useApiKeyAction")->trigger();
        SignInDialog *dialog = m_tray->signInDialog();
        QVERIFY(dialog && dialog->isVisible());
        QCOMPARE(dialog->page(), SignInDialog::Page::ApiKey);
        QCOMPARE(m_service->session()->state(), SessionState::SigningIn);

        // A refused key: the reason on the page, nothing in the keychain.
        submitApiKey(QStringLiteral("sk-tray-wrong"));
        QCOMPARE(dialog->page(), SignInDialog::Page::ApiKey);
        QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("apiKeyError"))
                    ->text()
                    .contains(QStringLiteral("refused")));
        bool found = true;
        storedCredentials(&found);
        QVERIFY(!found);
        QCOMPARE(m_service->session()->method(), AuthMethod::None);

        // The right key: stored, and the session uses it at once.
        dialog->setSuccessDelay(100);
        submitApiKey(QStringLiteral("sk-tray-good"));
        QTRY_COMPARE_WITH_TIMEOUT(m_service->session()->state(), SessionState::SignedIn, 30000);
        QCOMPARE(m_service->session()->method(), AuthMethod::ApiKey);
        QCOMPARE(m_service->session()->preset(), PlanCatalog::customPlanId());
        const Credentials stored = storedCredentials(&found);
        QVERIFY(found);
        QCOMPARE(stored.method, AuthMethod::ApiKey);
        QCOMPARE(stored.apiKey, QStringLiteral("sk-tray-good"));
        QTRY_VERIFY_WITH_TIMEOUT(!m_tray->signInDialog(), 30000);
        QVERIFY(notifiedAbout(
            QStringLiteral("Signed in with an API key for the custom endpoint 127.0.0.1")));

        // The menu says the method and the plan, never the key.
        m_tray->refresh();
        QCOMPARE(m_tray->status(), TrayStatus::SignedIn);
        QCOMPARE(action("stateLine")->text(), QStringLiteral("Signed in with an API key"));
        QVERIFY(action("methodLine")->isVisible());
        QCOMPARE(action("methodLine")->text(),
                 QStringLiteral("Key for the custom endpoint 127.0.0.1"));
        QVERIFY(!action("expiryLine")->isVisible());
        QCOMPARE(action("useApiKeyAction")->text(), QStringLiteral("Use another API key…"));
        QVERIFY(action("signInAction")->isVisible());
        QCOMPARE(action("signInAction")->text(), QStringLiteral("Sign in with your Qwen account…"));
        QVERIFY(action("signOutAction")->isVisible());
        for (QAction *a : m_tray->menu()->actions())
            QVERIFY2(!a->text().contains(QStringLiteral("sk-tray")), qPrintable(a->text()));
        QVERIFY(!m_tray->toolTip().contains(QStringLiteral("sk-tray")));
        QVERIFY(m_tray->toolTip().contains(QStringLiteral("Key for the custom endpoint")));

        // OpenCode's requests now carry the key upstream.
        QCOMPARE(throughProxy(QStringLiteral("/chat/completions"), chatBody()).status, 200);
        QCOMPARE(m_fake->lastChatRequest().tokenKind, FakeTokenKind::ApiKey);
    }

    void switchesMethodsWhileRunning()
    {
        m_fake->setApiKeys({QStringLiteral("sk-switch")});
        makeBridge(false);
        waitUntilReady();
        signInThroughTheDialog();
        const QUrl proxyUrl = m_service->proxyUrl();
        const QString localKey = m_service->localKey()->value();
        QCOMPARE(throughProxy(QStringLiteral("/chat/completions"), chatBody()).status, 200);
        QCOMPARE(m_fake->lastChatRequest().tokenKind, FakeTokenKind::OAuthLive);

        // Signed in, the key page is one click away; the OAuth session keeps serving meanwhile.
        action("useApiKeyAction")->trigger();
        QCOMPARE(m_service->session()->state(), SessionState::SignedIn);
        QCOMPARE(m_tray->status(), TrayStatus::SignedIn);
        QCOMPARE(throughProxy(QStringLiteral("/chat/completions"), chatBody()).status, 200);
        m_tray->signInDialog()->setSuccessDelay(100);
        submitApiKey(QStringLiteral("sk-switch"));
        QTRY_COMPARE_WITH_TIMEOUT(m_service->session()->method(), AuthMethod::ApiKey, 30000);
        QCOMPARE(throughProxy(QStringLiteral("/chat/completions"), chatBody()).status, 200);
        QCOMPARE(m_fake->lastChatRequest().tokenKind, FakeTokenKind::ApiKey);

        // And back to the Qwen account: same proxy address, same local key throughout.
        QTRY_VERIFY_WITH_TIMEOUT(!m_tray->signInDialog(), 30000);
        m_tray->refresh();
        action("signInAction")->trigger();
        SignInDialog *dialog = m_tray->signInDialog();
        QVERIFY(dialog);
        dialog->setSuccessDelay(100);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->page(), SignInDialog::Page::Code, 30000);
        QVERIFY(m_fake->approve(dialog->code().userCode));
        QTRY_COMPARE_WITH_TIMEOUT(m_service->session()->method(), AuthMethod::OAuth, 30000);
        QCOMPARE(throughProxy(QStringLiteral("/chat/completions"), chatBody()).status, 200);
        QCOMPARE(m_fake->lastChatRequest().tokenKind, FakeTokenKind::OAuthLive);
        QCOMPARE(m_service->proxyUrl(), proxyUrl);
        QCOMPARE(m_service->localKey()->value(), localKey);
    }

    void quotaStateOffersTheApiKey()
    {
        m_fake->setApiKeys({QStringLiteral("sk-after-quota")});
        makeBridge(false);
        waitUntilReady();
        signInThroughTheDialog();
        m_tray->start(true); // the status window too
        m_notes.clear();

        // Every request hits the empty quota: one notice, however many there are.
        m_fake->failNextChats(FakeChatFault::QuotaExceeded, 3);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(throughProxy(QStringLiteral("/chat/completions"), chatBody()).status, 429);
        QVERIFY(!m_service->quotaMessage().isEmpty());
        QTRY_VERIFY(m_tray->isQuotaExhausted());
        QCOMPARE(notesTitled(QStringLiteral("quota")), 1);
        QCOMPARE(m_notes.size(), 1);
        QVERIFY2(m_notes.first().second.size() < 120, qPrintable(m_notes.first().second));
        QVERIFY(m_notes.first().second.contains(QStringLiteral("API key")));

        // Needs attention, says why, and the way out is the first thing to choose.
        m_tray->refresh();
        QCOMPARE(m_tray->status(), TrayStatus::Attention);
        QCOMPARE(action("stateLine")->text(), QStringLiteral("OAuth quota used up"));
        QVERIFY(action("quotaLine")->isVisible());
        QVERIFY(m_tray->toolTip().contains(QStringLiteral("OAuth quota used up")));
        const QStringList menu = visibleMenu();
        const int firstCommand = int(menu.indexOf(QStringLiteral("--"))) + 1;
        QCOMPARE(menu.at(firstCommand), QStringLiteral("useApiKeyAction"));
        QCOMPARE(action("useApiKeyAction")->text(), QStringLiteral("Use an API key instead…"));
        QVERIFY(action("useApiKeyAction")->font().bold());

        // The status window shows the notice with the same offer beside it.
        StatusWindow *window = m_tray->statusWindow();
        QVERIFY(window->notice().contains(QStringLiteral("quota")));
        auto *offer = window->findChild<QPushButton *>(QStringLiteral("noticeButton"));
        QVERIFY(offer && offer->isVisible());
        QCOMPARE(offer->text(), QStringLiteral("Use an API key instead…"));
        QTest::qWait(50); // the window grows for the new lines
        saveShot(window, QStringLiteral("status-window-quota-offscreen.png"));
        QVERIFY(window->findChild<QAbstractButton *>(QStringLiteral("useApiKeyActionButton"))
                    ->font()
                    .bold());
        QTest::mouseClick(offer, Qt::LeftButton);
        QVERIFY(m_tray->signInDialog());
        QCOMPARE(m_tray->signInDialog()->page(), SignInDialog::Page::ApiKey);
        m_tray->signInDialog()->reject();
        QTRY_VERIFY(!m_tray->signInDialog());
        QCOMPARE(m_service->session()->state(), SessionState::SignedIn);

        // A click on the notification does the same.
        Q_EMIT m_tray->trayIcon()->messageClicked();
        QVERIFY(m_tray->signInDialog());
        QCOMPARE(m_tray->signInDialog()->page(), SignInDialog::Page::ApiKey);
        m_tray->signInDialog()->setSuccessDelay(100);

        // A new sign-in clears it all.
        submitApiKey(QStringLiteral("sk-after-quota"));
        QTRY_COMPARE_WITH_TIMEOUT(m_service->session()->method(), AuthMethod::ApiKey, 30000);
        QVERIFY(!m_tray->isQuotaExhausted());
        QVERIFY(m_service->quotaMessage().isEmpty());
        m_tray->refresh();
        QCOMPARE(m_tray->status(), TrayStatus::SignedIn);
        QVERIFY(!action("quotaLine")->isVisible());
        QVERIFY(!action("useApiKeyAction")->font().bold());
        QCOMPARE(action("stateLine")->text(), QStringLiteral("Signed in with an API key"));
        QVERIFY(visibleMenu().indexOf(QStringLiteral("signInAction")) <
                visibleMenu().indexOf(QStringLiteral("useApiKeyAction")));
        QCOMPARE(throughProxy(QStringLiteral("/chat/completions"), chatBody()).status, 200);
    }

    void quotaStateOutlivesARenewal()
    {
        // Renewing the same sign-in does not bring the quota back: the state stays, and the
        // quota errors that follow do not notify again.
        m_fake->setTokenLifetime(6);
        makeBridge(false);
        waitUntilReady();
        signInThroughTheDialog();
        m_fake->failNextChats(FakeChatFault::QuotaExceeded, 2);
        QCOMPARE(throughProxy(QStringLiteral("/chat/completions"), chatBody()).status, 429);
        QTRY_VERIFY(m_tray->isQuotaExhausted());
        const int renewals = m_service->session()->refreshCount();
        QTRY_VERIFY_WITH_TIMEOUT(m_service->session()->refreshCount() > renewals, 30000);
        QVERIFY(m_tray->isQuotaExhausted());
        // The service says the same as the tray: `status --json` reads it from there.
        QVERIFY(m_service->quota()->isExhausted());
        QVERIFY(!m_service->quotaMessage().isEmpty());
        QCOMPARE(throughProxy(QStringLiteral("/chat/completions"), chatBody()).status, 429);
        QCOMPARE(notesTitled(QStringLiteral("quota")), 1);
        QCOMPARE(m_tray->status(), TrayStatus::Attention);
    }

    void apiKeyQuotaSaysSo()
    {
        m_fake->setApiKeys({QStringLiteral("sk-empty")});
        makeBridge(false);
        waitUntilReady();
        signInWithApiKey(QStringLiteral("sk-empty"));
        m_notes.clear();
        m_fake->failNextChats(FakeChatFault::QuotaExceeded, 1);
        QCOMPARE(throughProxy(QStringLiteral("/chat/completions"), chatBody()).status, 429);
        QTRY_VERIFY(m_tray->isQuotaExhausted());
        QCOMPARE(notesTitled(QStringLiteral("This API key has no quota left")), 1);
        m_tray->refresh();
        QCOMPARE(action("stateLine")->text(), QStringLiteral("API key quota used up"));
        QCOMPARE(action("useApiKeyAction")->text(), QStringLiteral("Use another API key…"));
        QCOMPARE(m_tray->status(), TrayStatus::Attention);
    }

    void demoKeyGoesToTheFakeService()
    {
        // In the demo a preset of a real plan is on the page, but the key is checked by and
        // used with the demo's fake service only.
        m_fake->setApiKeys({demoApiKey()});
        makeBridge(true);
        waitUntilReady();
        action("useApiKeyAction")->trigger();
        SignInDialog *dialog = m_tray->signInDialog();
        QVERIFY(dialog);
        dialog->setSuccessDelay(100);
        QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("baseUrlNote"))
                    ->text()
                    .contains(demoApiKey()));
        dialog->findChild<QLineEdit *>(QStringLiteral("apiKeyEdit"))->setText(demoApiKey());
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("checkButton")),
                          Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(m_service->session()->method(), AuthMethod::ApiKey, 30000);
        QCOMPARE(m_service->session()->preset(), PlanCatalog::defaultPlanId());
        QCOMPARE(m_service->session()->apiBase(), m_fake->apiBaseUrl());
        QCOMPARE(throughProxy(QStringLiteral("/chat/completions"), chatBody()).status, 200);
        QCOMPARE(m_fake->lastChatRequest().tokenKind, FakeTokenKind::ApiKey);
    }

    void offersTheImportOnce()
    {
        QByteArray written;
        writeQwenCodeFile(&written);
        const QString path = LegacyImport::qwenCodePath(QDir::homePath());
        makeBridge(false);
        waitUntilReady();
        QTRY_VERIFY_WITH_TIMEOUT(m_tray->importOfferDialog(), 30000);
        ImportOfferDialog *offer = m_tray->importOfferDialog();
        QVERIFY(offer->isVisible());
        QCOMPARE(offer->findChild<QLabel *>(QStringLiteral("importTitle"))->text(),
                 QStringLiteral("Use the sign-in of Qwen Code?"));
        QCOMPARE(offer->findChild<QLabel *>(QStringLiteral("importWarning"))->text(),
                 LegacyImport::rotationWarning(LegacyImport::Source::QwenCode));
        QVERIFY(offer->findChild<QLabel *>(QStringLiteral("importWhere"))->text().contains(path));
        auto *remove = offer->findChild<QCheckBox *>(QStringLiteral("deleteOriginalCheck"));
        QVERIFY(remove && !remove->isChecked());
        QCOMPARE(m_service->session()->state(), SessionState::SignedOut); // nothing yet
        saveShot(offer, QStringLiteral("import-offer-offscreen.png"));

        QTest::mouseClick(offer->findChild<QPushButton *>(QStringLiteral("importButton")),
                          Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(m_service->session()->state(), SessionState::SignedIn, 30000);
        QCOMPARE(m_service->session()->method(), AuthMethod::OAuth);
        bool found = false;
        QCOMPARE(storedCredentials(&found).refreshToken, QStringLiteral("legacy-refresh"));
        QTRY_VERIFY(notifiedAbout(QStringLiteral("renews the session of Qwen Code")));
        // The original is left exactly as it was.
        QCOMPARE(readFile(path), written);
        QVERIFY(Settings().value(QStringLiteral("ui/importOffered")).toBool());

        // The next start (signed out again, file still there) does not ask again.
        delete m_tray;
        m_tray = nullptr;
        bool out = false;
        m_service->signOut([&out](const ServiceError &) { out = true; });
        QTRY_VERIFY_WITH_TIMEOUT(out, 30000);
        delete m_service;
        m_service = nullptr;
        makeBridge(false);
        waitUntilReady();
        QCOMPARE(m_service->session()->state(), SessionState::SignedOut);
        QTest::qWait(200);
        QVERIFY(!m_tray->importOfferDialog());
    }

    void declinedImportIsRemembered()
    {
        QByteArray written;
        writeQwenCodeFile(&written);
        makeBridge(false);
        waitUntilReady();
        QTRY_VERIFY_WITH_TIMEOUT(m_tray->importOfferDialog(), 30000);
        QTest::mouseClick(
            m_tray->importOfferDialog()->findChild<QPushButton *>(QStringLiteral("declineButton")),
            Qt::LeftButton);
        QTRY_VERIFY(!m_tray->importOfferDialog());
        QCOMPARE(m_service->session()->state(), SessionState::SignedOut);
        QVERIFY(Settings().value(QStringLiteral("ui/importOffered")).toBool());
        QCOMPARE(readFile(LegacyImport::qwenCodePath(QDir::homePath())), written);
    }

    void importCanDeleteTheOriginal()
    {
        QByteArray written;
        writeQwenCodeFile(&written);
        makeBridge(false);
        waitUntilReady();
        QTRY_VERIFY_WITH_TIMEOUT(m_tray->importOfferDialog(), 30000);
        ImportOfferDialog *offer = m_tray->importOfferDialog();
        offer->findChild<QCheckBox *>(QStringLiteral("deleteOriginalCheck"))->setChecked(true);
        QTest::mouseClick(offer->findChild<QPushButton *>(QStringLiteral("importButton")),
                          Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(m_service->session()->state(), SessionState::SignedIn, 30000);
        QTRY_VERIFY(!QFileInfo::exists(LegacyImport::qwenCodePath(QDir::homePath())));
    }

    void nothingToImportAsksNothing()
    {
        // A file that cannot be used is not offered, and the question stays for later.
        const QString path = LegacyImport::pluginTokenPath(QDir::homePath());
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"access_token\":\"only-access\"}");
        file.close();
        makeBridge(false);
        waitUntilReady();
        QTest::qWait(200);
        QVERIFY(!m_tray->importOfferDialog());
        QVERIFY(!Settings().value(QStringLiteral("ui/importOffered")).toBool());
    }

    void secondStartShowsThisOne()
    {
        makeBridge(false);
        waitUntilReady();
        m_tray->setTrayWaitMs(100);
        // Signed out: the sign-in dialog comes up.
        Q_EMIT m_service->showRequested();
        QVERIFY(m_tray->signInDialog());
        QVERIFY(m_tray->signInDialog()->isVisible());
        m_tray->signInDialog()->reject();
        QTRY_VERIFY(!m_tray->signInDialog());

        // Signed in, without a tray: the status window.
        signInThroughTheDialog();
        QVERIFY(!m_tray->statusWindow());
        Q_EMIT m_service->showRequested();
        QVERIFY(m_tray->statusWindow());
        QVERIFY(m_tray->statusWindow()->isVisible());
    }

    void copiesTheOpenCodeBlockAndTheKey()
    {
        makeBridge(false);
        waitUntilReady();
        const QString key = m_service->localKey()->value();
        QVERIFY(key.size() >= 32);
        const QString url = m_service->proxyUrl().toString();

        action("copyProxyAction")->trigger();
        const QString copied = QApplication::clipboard()->text();
        QVERIFY(copied.contains(url));
        QVERIFY(copied.contains(key));

        action("copyConfigAction")->trigger();
        const QJsonObject doc =
            QJsonDocument::fromJson(QApplication::clipboard()->text().toUtf8()).object();
        const QJsonObject options = doc.value(QStringLiteral("provider"))
                                        .toObject()
                                        .value(QStringLiteral("alibaba"))
                                        .toObject()
                                        .value(QStringLiteral("options"))
                                        .toObject();
        QCOMPARE(options.value(QStringLiteral("baseURL")).toString(), url);
        QCOMPARE(options.value(QStringLiteral("apiKey")).toString(), key);
        QCOMPARE(doc.value(QStringLiteral("model")).toString(),
                 QStringLiteral("alibaba/coder-model"));
    }

    // `opencode-config` and the tray build their config through one core function.
    void cliAndTrayWriteTheSameConfig()
    {
        m_fake->setApiKeys({QStringLiteral("sk-tray-good")});
        makeBridge(false);
        waitUntilReady();
        for (const bool withKey : {false, true}) {
            if (withKey)
                signInWithApiKey(QStringLiteral("sk-tray-good"));
            const QByteArray tray = m_tray->openCodeConfig().toJson();
            TestProcess cli(m_home.environment());
            cli.startBridge({QStringLiteral("opencode-config")});
            QCOMPARE(cli.finish(30000), 0);
            QCOMPARE(cli.output(), tray);
            // With a key, the plan's models come with their limits; the aliases stay.
            QCOMPARE(tray.contains("qwen3-coder-flash"), withKey);
            QVERIFY(tray.contains("\"coder-model\""));
        }
    }

    QWidget *rewriteQuestion() const
    {
        for (QWidget *w : QApplication::topLevelWidgets()) {
            if (w->objectName() == QLatin1String("rewriteOpenCodeQuestion") && w->isVisible())
                return w;
        }
        return nullptr;
    }

    void signInWithPlan(const QString &planId)
    {
        action("useApiKeyAction")->trigger();
        SignInDialog *dialog = m_tray->signInDialog();
        QVERIFY(dialog);
        dialog->setSuccessDelay(100);
        auto *combo = dialog->findChild<QComboBox *>(QStringLiteral("presetCombo"));
        combo->setCurrentIndex(combo->findData(planId));
        dialog->findChild<QLineEdit *>(QStringLiteral("apiKeyEdit"))->setText(demoApiKey());
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("checkButton")),
                          Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!m_tray->signInDialog(), 30000);
        QCOMPARE(m_service->session()->preset(), planId);
    }

    // After a sign-in with another plan, the tray offers to rewrite an existing config.
    void planChangeOffersToRewriteTheOpenCodeConfig()
    {
        const QString path = OpenCodeConfig::defaultConfigPath();
        QDir folder(QFileInfo(path).absolutePath());
        folder.removeRecursively();
        // The demo's fake service stands in for every plan.
        m_fake->setApiKeys({demoApiKey()});
        makeBridge(true);
        waitUntilReady();
        signInWithPlan(QStringLiteral("payg-singapore"));
        QVERIFY(!rewriteQuestion()); // no config to rewrite yet
        QVERIFY(m_tray->openCodeConfig().writeFile(path).ok());

        signInWithPlan(QStringLiteral("payg-us")); // the same models
        QTest::qWait(100);
        QVERIFY(!rewriteQuestion());

        signInWithPlan(QStringLiteral("coding-plan-global"));
        QTRY_VERIFY_WITH_TIMEOUT(rewriteQuestion(), 10000);
        auto *box = qobject_cast<QMessageBox *>(rewriteQuestion());
        QVERIFY2(box->text().contains(QStringLiteral("Coding Plan (global)")),
                 qPrintable(box->text()));
        QPushButton *review = nullptr;
        for (QAbstractButton *b : box->buttons()) {
            if (b->text() == QStringLiteral("Review and rewrite…"))
                review = qobject_cast<QPushButton *>(b);
        }
        QVERIFY(review);
        QTest::mouseClick(review, Qt::LeftButton);
        ConfigureOpenCodeDialog *dialog = nullptr;
        for (QWidget *w : QApplication::topLevelWidgets())
            dialog = dialog ? dialog : qobject_cast<ConfigureOpenCodeDialog *>(w);
        QTRY_VERIFY(dialog && dialog->isVisible());
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("writeButton")),
                          Qt::LeftButton);
        QFile written(path);
        QVERIFY(written.open(QIODevice::ReadOnly));
        const QByteArray text = written.readAll();
        QVERIFY(text.contains("\"MiniMax-M2.5\""));
        QVERIFY(!text.contains("\"qwen3-coder-flash\""));
        dialog->close();
        folder.removeRecursively(); // the file and its backup
    }

    void configuresOpenCodeWithABackup()
    {
        makeBridge(false);
        waitUntilReady();
        const QString path = OpenCodeConfig::defaultConfigPath();
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile existing(path);
        QVERIFY(existing.open(QIODevice::WriteOnly));
        existing.write("{\n  // mine\n  \"theme\": \"dark\"\n}\n");
        existing.close();

        action("configureOpenCodeAction")->trigger();
        ConfigureOpenCodeDialog *dialog = nullptr;
        for (QWidget *w : QApplication::topLevelWidgets())
            dialog = dialog ? dialog : qobject_cast<ConfigureOpenCodeDialog *>(w);
        QVERIFY(dialog && dialog->isVisible());
        QCOMPARE(dialog->path(), path);
        QVERIFY(dialog->canWrite());
        const QString changes = dialog->findChild<QLabel *>(QStringLiteral("changesLabel"))->text();
        QVERIFY2(changes.contains(QStringLiteral("alibaba")), qPrintable(changes));

        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("writeButton")),
                          Qt::LeftButton);
        QVERIFY(notifiedAbout(QStringLiteral("OpenCode configured")));
        QFile written(path);
        QVERIFY(written.open(QIODevice::ReadOnly));
        const QByteArray text = written.readAll();
        QVERIFY(text.contains("// mine"));
        QVERIFY(text.contains(m_service->localKey()->value().toUtf8()));
        const QStringList backups =
            QDir(QFileInfo(path).absolutePath()).entryList({QFileInfo(path).fileName() + ".bak-*"});
        QCOMPARE(backups.size(), 1);
    }

    void opensTheLogsFolder()
    {
        makeBridge(false);
        waitUntilReady();
        QDir(Settings::stateDir()).removeRecursively();
        action("openLogsAction")->trigger();
        QCOMPARE(m_urls.opened.size(), 1);
        QCOMPARE(m_urls.opened.first(), QUrl::fromLocalFile(Settings::stateDir()));
        QVERIFY(QFileInfo(Settings::stateDir()).isDir());
    }

    void startAtLoginFollowsTheFile()
    {
        makeBridge(false);
        waitUntilReady();
        QAction *startAtLogin = action("startAtLoginAction");
        QVERIFY(!startAtLogin->isChecked());
        startAtLogin->trigger();
        QVERIFY(startAtLogin->isChecked());
        QVERIFY(QFileInfo::exists(Autostart::filePath()));
        startAtLogin->trigger();
        QVERIFY(!startAtLogin->isChecked());
        QVERIFY(!QFileInfo::exists(Autostart::filePath()));
    }

    void signOutAsksFirst()
    {
        makeBridge(false);
        waitUntilReady();
        signInThroughTheDialog();
        action("signOutAction")->trigger();
        auto findQuestion = [] {
            for (QWidget *w : QApplication::topLevelWidgets()) {
                if (w->objectName() == QLatin1String("signOutQuestion") && w->isVisible())
                    return qobject_cast<QMessageBox *>(w);
            }
            return static_cast<QMessageBox *>(nullptr);
        };
        QTRY_VERIFY(findQuestion());
        QMessageBox *question = findQuestion();
        QCOMPARE(m_service->session()->state(), SessionState::SignedIn); // nothing yet
        QAbstractButton *confirm = nullptr;
        for (QAbstractButton *b : question->buttons())
            if (question->buttonRole(b) == QMessageBox::AcceptRole)
                confirm = b;
        QVERIFY(confirm);
        QTest::mouseClick(confirm, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(m_service->session()->state(), SessionState::SignedOut, 30000);
        QCOMPARE(m_tray->status(), TrayStatus::SignedOut);
        QVERIFY(action("signInAction")->isVisible());
    }

    void newPortInSettingsMovesTheProxy()
    {
        qunsetenv("QWEN_BRIDGE_PORT");
        const quint16 first = freePort();
        m_home.setSetting(QStringLiteral("proxy/port"), first);
        makeBridge(false);
        waitUntilReady();
        QCOMPARE(m_service->proxyUrl().port(), int(first));

        m_tray->showSettings();
        SettingsDialog *dialog = nullptr;
        for (QWidget *w : QApplication::topLevelWidgets())
            dialog = dialog ? dialog : qobject_cast<SettingsDialog *>(w);
        QVERIFY(dialog && dialog->isVisible());
        const quint16 second = freePort();
        auto *port = dialog->findChild<QLineEdit *>(QStringLiteral("portEdit"));
        QVERIFY(port->isEnabled());
        port->setText(QString::number(second));
        QVERIFY(dialog->apply());
        QTRY_COMPARE_WITH_TIMEOUT(m_service->proxyUrl().port(), int(second), 10000);
        QVERIFY(m_service->isProxyListening());
        QVERIFY(notifiedAbout(QStringLiteral("Proxy moved to port %1").arg(second)));
        m_tray->refresh();
        QVERIFY(action("proxyLine")->text().contains(QStringLiteral(":%1/v1").arg(second)));
    }

    void keychainTroubleIsNotified()
    {
        makeBridge(false);
        waitUntilReady();
        // The real keychain works here; the notice is driven through the session's signal.
        Q_EMIT m_service->session()->stateChanged(SessionState::KeychainUnavailable,
                                                  QStringLiteral("The keychain is locked."));
        QVERIFY(notifiedAbout(QStringLiteral("The keychain is locked.")));
    }

    void fallsBackToTheStatusWindow()
    {
        makeBridge(false);
        QVERIFY(!QSystemTrayIcon::isSystemTrayAvailable()); // offscreen has none
        m_tray->setTrayWaitMs(300);
        m_tray->start(false);
        QVERIFY(!m_tray->statusWindow()); // it waits for a tray first
        QTRY_VERIFY_WITH_TIMEOUT(m_tray->statusWindow() && m_tray->statusWindow()->isVisible(),
                                 10000);
        waitUntilReady();
        StatusWindow *window = m_tray->statusWindow();
        QVERIFY(!window->isTrayAvailable());
        auto *signInButton =
            window->findChild<QAbstractButton *>(QStringLiteral("signInActionButton"));
        QVERIFY(signInButton && signInButton->isVisible());
        QVERIFY(window->findChild<QAbstractButton *>(QStringLiteral("quitActionButton")));
        QVERIFY(!window->findChild<QAbstractButton *>(QStringLiteral("signOutActionButton"))
                     ->isVisible());

        // Closing it without a tray only minimizes it: the application goes on.
        window->close();
        QVERIFY(window->isVisible());
        QVERIFY(window->isMinimized());

        // Notifications land in the window.
        m_service->quota()->report(QStringLiteral("Free allocated quota exceeded."));
        QVERIFY(window->notice().contains(QStringLiteral("quota")));

        // Its buttons are the menu's actions.
        QTest::mouseClick(signInButton, Qt::LeftButton);
        QTRY_VERIFY(m_tray->signInDialog());
        QTRY_COMPARE_WITH_TIMEOUT(m_service->session()->state(), SessionState::SigningIn, 10000);
        m_tray->signInDialog()->reject();
    }

    void windowedShowsTheWindowAtOnce()
    {
        makeBridge(false);
        m_tray->start(true);
        QVERIFY(m_tray->statusWindow());
        QVERIFY(m_tray->statusWindow()->isVisible());
    }

    void demoIsLabelled()
    {
        makeBridge(true);
        waitUntilReady();
        m_tray->refresh();
        QCOMPARE(visibleMenu().first(), QStringLiteral("demoLine"));
        QVERIFY(action("demoLine")->text().contains(QStringLiteral("DEMO")));
        QVERIFY(m_tray->toolTip().startsWith(QStringLiteral("Qwen Bridge DEMO")));
        m_tray->start(true);
        QVERIFY(m_tray->statusWindow()->windowTitle().contains(QStringLiteral("DEMO")));
        m_service->quota()->report(QStringLiteral("Free allocated quota exceeded."));
        QVERIFY(m_notes.last().first.contains(QStringLiteral("DEMO")));
    }
};

QTEST_MAIN(TestTrayController)
#include "tst_traycontroller.moc"
