#include "credentials/credentialstore.h"
#include "fakeqwenservice.h"
#include "proxy/localkey.h"
#include "settings/settings.h"
#include "testhome.h"
#include "testprocess.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>
#include <QUrlQuery>

#include <functional>
#include <memory>

#include <csignal>
#include <sys/prctl.h>

// The real qwen-bridge binary, in --demo, on a real X server (Xvfb) with a real tray host
// (trayer, an XEmbed tray): the icon must be embedded in the tray, its menu must open on a
// click, "Sign in…" must show the dialog with a QR code that decodes to the address the
// browser was sent to, approving on the fake service's page must sign in, and Quit must end
// the process. Screenshots go to <build>/artifacts for people to look at. A second run, signed
// in against a fake service in this test, shows the API-key page and the quota state.
class TestTrayIntegration : public QObject
{
    Q_OBJECT

    struct Window
    {
        QString id;
        QString name;
        QRect geometry;
    };

    QProcess m_xvfb;
    QProcess m_trayer;
    QProcess m_app;
    QString m_display;
    QString m_artifacts;
    QTemporaryDir m_scratch;
    QString m_browserLog;
    std::unique_ptr<TestHome> m_home; // the app's scratch HOME, one per run

    static quint16 freePort()
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        return probe.serverPort();
    }

    // Runs an X client on our display to the end and returns what it printed.
    QByteArray x(const QString &program, const QStringList &arguments, int *exitCode = nullptr)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DISPLAY"), m_display);
        p.setProcessEnvironment(env);
        p.start(program, arguments);
        if (!p.waitForFinished(30000)) {
            p.kill();
            p.waitForFinished(5000);
        }
        if (exitCode)
            *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        return p.readAllStandardOutput();
    }

    // Children die with the test even when it crashes or is killed by the CTest timeout,
    // so no Xvfb, trayer or application outlives it.
    static void dieWithTheTest(QProcess &process)
    {
        process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    }

    static void stop(QProcess &process)
    {
        if (process.state() == QProcess::NotRunning)
            return;
        process.terminate();
        if (!process.waitForFinished(10000)) {
            process.kill();
            process.waitForFinished(5000);
        }
    }

    // The tray icon window: a child of trayer's panel whose class is qwen-bridge's.
    QString iconWindow()
    {
        const QStringList lines =
            QString::fromLocal8Bit(x(QStringLiteral("xwininfo"), {"-root", "-tree"}))
                .split(QLatin1Char('\n'));
        int panelIndent = -1;
        for (const QString &line : lines) {
            const int indent = int(line.indexOf(QRegularExpression(QStringLiteral("\\S"))));
            if (line.contains(QLatin1String("(\"panel\" \"trayer\")"))) {
                panelIndent = indent;
                continue;
            }
            if (panelIndent < 0)
                continue;
            if (indent <= panelIndent)
                panelIndent = -1; // left the panel's subtree
            else if (line.contains(QLatin1String("\"qwen-bridge\")")))
                return line.trimmed().section(QLatin1Char(' '), 0, 0);
        }
        return {};
    }

    Window windowInfo(const QString &id)
    {
        Window w;
        w.id = id;
        const QString info = QString::fromLocal8Bit(x(QStringLiteral("xwininfo"), {"-id", id}));
        if (!info.contains(QLatin1String("IsViewable")))
            return {};
        auto number = [&](const char *key) {
            const QRegularExpression re(QLatin1String(key) + QStringLiteral(":\\s+(-?\\d+)"));
            return re.match(info).captured(1).toInt();
        };
        w.geometry = QRect(number("Absolute upper-left X"), number("Absolute upper-left Y"),
                           number("Width"), number("Height"));
        w.name = QString::fromUtf8(x(QStringLiteral("xdotool"), {"getwindowname", id})).trimmed();
        return w;
    }

    // Visible top-level windows of the application larger than an icon: menus, dialogs;
    // with a smaller minimum also notification balloons.
    QList<Window> appWindows(int minHeight = 100)
    {
        QList<Window> windows;
        const QStringList ids =
            QString::fromLocal8Bit(x(QStringLiteral("xdotool"),
                                     {"search", "--onlyvisible", "--classname", "qwen-bridge"}))
                .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (const QString &id : ids) {
            const Window w = windowInfo(id);
            if (w.geometry.width() >= 100 && w.geometry.height() >= minHeight)
                windows << w;
        }
        return windows;
    }

    Window findWindow(const std::function<bool(const Window &)> &match)
    {
        for (const Window &w : appWindows()) {
            if (match(w))
                return w;
        }
        return {};
    }

    // The sign-in dialog is no longer on screen: not found in two looks a moment apart.
    // One look is not enough: while a window is being unmapped or resized the X tools
    // can miss it once and find it again, and QTRY_* evaluates its condition twice.
    bool signInDialogGone()
    {
        const auto isDialog = [](const Window &w) {
            return w.name.startsWith(QLatin1String("Sign in to Qwen"));
        };
        if (findWindow(isDialog).geometry.isValid())
            return false;
        QTest::qWait(250);
        return !findWindow(isDialog).geometry.isValid();
    }

    // A whole-screen screenshot, as imagemagick's import takes it.
    QImage screenshot(const QString &name)
    {
        const QString path = m_artifacts + QLatin1Char('/') + name;
        QFile::remove(path);
        int code = -1;
        x(QStringLiteral("import"), {"-display", m_display, "-window", "root", path}, &code);
        if (code != 0)
            return {};
        return QImage(path);
    }

    static int distinctColours(const QImage &image, const QRect &area)
    {
        QSet<QRgb> seen;
        const QRect r = area.intersected(image.rect());
        for (int y = r.top(); y <= r.bottom(); y += 2)
            for (int x = r.left(); x <= r.right(); x += 2)
                seen.insert(image.pixel(x, y));
        return seen.size();
    }

    // Reads the QR code in a window, as a phone would from the screen.
    QByteArray decodeQr(const QString &windowId)
    {
        const QString path = m_scratch.path() + QStringLiteral("/qr-probe.png");
        QFile::remove(path);
        int code = -1;
        x(QStringLiteral("import"), {"-display", m_display, "-window", windowId, path}, &code);
        if (code != 0)
            return {};
        QProcess zbar;
        zbar.start(QStringLiteral("zbarimg"), {"--raw", "-q", path});
        zbar.waitForFinished(30000);
        return zbar.readAllStandardOutput().trimmed();
    }

    bool iconShows(const QString &iconId, QRgb colour)
    {
        const QString path = m_scratch.path() + QStringLiteral("/icon-probe.png");
        QFile::remove(path);
        x(QStringLiteral("import"), {"-display", m_display, "-window", iconId, path});
        const QImage icon(path);
        int hits = 0;
        for (int y = 0; y < icon.height(); ++y) {
            for (int x = 0; x < icon.width(); ++x) {
                const QColor c = icon.pixelColor(x, y);
                const QColor want(colour);
                if (qAbs(c.red() - want.red()) < 24 && qAbs(c.green() - want.green()) < 24 &&
                    qAbs(c.blue() - want.blue()) < 24)
                    ++hits;
            }
        }
        return hits >= 20;
    }

    void startApp(const QMap<QString, QString> &extraEnv, const QString &logName,
                  const QStringList &arguments = {QStringLiteral("--demo")})
    {
        if (!m_home)
            m_home = std::make_unique<TestHome>();
        QProcessEnvironment env = m_home->environment();
        env.insert(QStringLiteral("DISPLAY"), m_display);
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        env.insert(QStringLiteral("QWEN_BRIDGE_PORT"), QString::number(freePort()));
        // The browser is a script that notes what it was asked to open.
        env.insert(QStringLiteral("BROWSER"), m_scratch.path() + QStringLiteral("/browser.sh"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.remove(QStringLiteral("XDG_CURRENT_DESKTOP"));
        env.remove(QStringLiteral("QT_LOGGING_RULES"));
        for (auto it = extraEnv.begin(); it != extraEnv.end(); ++it)
            env.insert(it.key(), it.value());
        m_app.setProcessEnvironment(env);
        dieWithTheTest(m_app);
        m_app.setProcessChannelMode(QProcess::MergedChannels);
        m_app.setStandardOutputFile(m_artifacts + QLatin1Char('/') + logName);
        m_app.start(QStringLiteral(QWEN_BRIDGE_BINARY), arguments);
        QVERIFY2(m_app.waitForStarted(30000), qPrintable(m_app.errorString()));
    }

    void startTrayer()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DISPLAY"), m_display);
        m_trayer.setProcessEnvironment(env);
        dieWithTheTest(m_trayer);
        m_trayer.start(QStringLiteral("trayer"),
                       {"--edge", "top", "--align", "right", "--widthtype", "request", "--height",
                        "32", "--SetDockType", "true", "--expand", "true", "--transparent",
                        "false"});
        QVERIFY2(m_trayer.waitForStarted(30000), qPrintable(m_trayer.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(
            x(QStringLiteral("xwininfo"), {"-root", "-tree"}).contains("(\"panel\" \"trayer\")"),
            30000);
    }

    // Runs f, then spins the event loop until it calls back or 30 s pass.
    static void waitFor(const std::function<void(std::function<void()>)> &f)
    {
        bool done = false;
        f([&done] { done = true; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
    }

    // The menu item a person reaches with Down from the top, by its position among those
    // that can be chosen.
    void chooseFromMenu(int downs)
    {
        QStringList keys{QStringLiteral("--delay"), QStringLiteral("150")};
        for (int i = 0; i < downs; ++i)
            keys << QStringLiteral("Down");
        keys << QStringLiteral("Return");
        x(QStringLiteral("xdotool"), QStringList{QStringLiteral("key")} + keys);
    }

    // A key for one window, as a person types it: the window gets the input focus first
    // (there is no window manager to give it), then the key goes in through XTEST. Qt
    // ignores the synthetic events of `xdotool key --window`.
    void typeInto(const Window &window, const QString &key)
    {
        x(QStringLiteral("xdotool"), {"windowfocus", "--sync", window.id});
        x(QStringLiteral("xdotool"), {"key", key});
    }

    void waitForIcon(QString *icon)
    {
        QTRY_VERIFY2_WITH_TIMEOUT(!(*icon = iconWindow()).isEmpty(),
                                  "the qwen-bridge icon never appeared inside trayer's panel",
                                  60000);
    }

    // A left click on the icon opens the menu: a tall window of the app with no title.
    void openMenu(const QString &icon, Window *menu)
    {
        x(QStringLiteral("xdotool"), {"mousemove", "--window", icon, "10", "12", "click", "1"});
        QTRY_VERIFY_WITH_TIMEOUT((*menu = findWindow([](const Window &w) {
                                      return w.geometry.height() > w.geometry.width() / 2 &&
                                             !w.name.contains(QLatin1String("Qwen"));
                                  })).geometry.isValid(),
                                 30000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        for (const char *tool : {"Xvfb", "trayer", "xdotool", "xwininfo", "import", "zbarimg"}) {
            QVERIFY2(!QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty(),
                     qPrintable(QStringLiteral("%1 is required (xvfb, trayer, xdotool, x11-utils, "
                                               "imagemagick, zbar-tools); ./scripts/test "
                                               "installs them")
                                    .arg(QLatin1String(tool))));
        }
        QVERIFY(QFile::exists(QStringLiteral(QWEN_BRIDGE_BINARY)));
        QVERIFY(m_scratch.isValid());
        m_artifacts = QStringLiteral(QWEN_BRIDGE_BUILD_DIR "/artifacts");
        QVERIFY(QDir().mkpath(m_artifacts));

        m_browserLog = m_scratch.path() + QStringLiteral("/opened.txt");
        QFile script(m_scratch.path() + QStringLiteral("/browser.sh"));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '" + m_browserLog.toLocal8Bit() + "'\n");
        script.close();
        script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);

        // Xvfb picks a free display itself and prints its number once it accepts clients.
        dieWithTheTest(m_xvfb);
        // -noreset: without it the server resets whenever its last client leaves (between two
        // runs of the application, with trayer stopped), and a client connecting just then
        // is turned away.
        m_xvfb.start(QStringLiteral("Xvfb"), {"-displayfd", "1", "-screen", "0", "1024x640x24",
                                              "-nolisten", "tcp", "-noreset"});
        QVERIFY2(m_xvfb.waitForStarted(30000), qPrintable(m_xvfb.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(m_xvfb.canReadLine() || m_xvfb.state() != QProcess::Running,
                                 30000);
        const QByteArray number = m_xvfb.readLine().trimmed();
        QVERIFY2(!number.isEmpty(), m_xvfb.readAllStandardError().constData());
        m_display = QLatin1Char(':') + QString::fromLatin1(number);

        startTrayer();
    }

    void cleanup()
    {
        stop(m_app);
        m_home.reset();
        QFile::remove(m_browserLog);
    }

    void cleanupTestCase()
    {
        stop(m_app);
        m_home.reset();
        stop(m_trayer);
        stop(m_xvfb);
    }

    void iconMenuSignInAndQuit()
    {
        startApp({{QStringLiteral("LANG"), QStringLiteral("C.UTF-8")},
                  {QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8")},
                  {QStringLiteral("LANGUAGE"), QString()}},
                 QStringLiteral("qwen-bridge-demo.log"));
        QString icon;
        waitForIcon(&icon);
        if (QTest::currentTestFailed())
            return;
        QTRY_VERIFY_WITH_TIMEOUT(iconShows(icon, qRgb(0x5b, 0x64, 0x72)), 30000); // signed out

        const QImage trayShot = screenshot(QStringLiteral("tray-icon.png"));
        QVERIFY(!trayShot.isNull());

        Window menu;
        openMenu(icon, &menu);
        if (QTest::currentTestFailed())
            return;
        const QImage menuShot = screenshot(QStringLiteral("tray-menu.png"));
        QVERIFY2(!menuShot.isNull(), "import could not take the screenshot");
        QCOMPARE(menuShot.size(), QSize(1024, 640));
        QVERIFY2(distinctColours(menuShot, menu.geometry) > 8, "the menu area is blank");

        // The first item that can be chosen is "Sign in…".
        x(QStringLiteral("xdotool"), {"key", "--delay", "150", "Down", "Return"});
        Window dialog;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = findWindow([](const Window &w) {
                                      return w.name == QStringLiteral("Sign in to Qwen — DEMO");
                                  })).geometry.isValid(),
                                 30000);

        // The QR code on screen decodes to the address the browser was sent to.
        QByteArray qr;
        QTRY_VERIFY_WITH_TIMEOUT((qr = decodeQr(dialog.id)).contains("/authorize?user_code="),
                                 60000);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(m_browserLog), 30000);
        QFile opened(m_browserLog);
        QVERIFY(opened.open(QIODevice::ReadOnly));
        const QList<QByteArray> urls = opened.readAll().trimmed().split('\n');
        QCOMPARE(urls.size(), 1); // once by itself
        QCOMPARE(urls.first(), qr);
        QVERIFY(iconShows(icon, qRgb(0x25, 0x63, 0xeb))); // signing in

        const QImage dialogShot = screenshot(QStringLiteral("signin-dialog.png"));
        QVERIFY(!dialogShot.isNull());
        QVERIFY2(distinctColours(dialogShot, dialog.geometry) > 8, "the dialog area is blank");

        // Approve on the fake service's page, as a person would with the Approve button.
        const QUrl page(QString::fromUtf8(qr));
        QUrl action = page;
        action.setQuery(QString());
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("user_code"),
                          QUrlQuery(page).queryItemValue(QStringLiteral("user_code")));
        form.addQueryItem(QStringLiteral("action"), QStringLiteral("approve"));
        QNetworkAccessManager nam;
        QNetworkRequest request(action);
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QStringLiteral("application/x-www-form-urlencoded"));
        QNetworkReply *reply = nam.post(request, form.toString(QUrl::FullyEncoded).toUtf8());
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(30000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        reply->deleteLater();

        // Signed in: the dialog closes itself and the icon turns green.
        QTRY_VERIFY_WITH_TIMEOUT(signInDialogGone(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(iconShows(icon, qRgb(0x15, 0xa3, 0x4a)), 30000);
        QVERIFY(!screenshot(QStringLiteral("signed-in.png")).isNull());

        // Settings… is the fourth item from the bottom.
        openMenu(icon, &menu);
        if (QTest::currentTestFailed())
            return;
        x(QStringLiteral("xdotool"), {"key", "--delay", "150", "Up", "Up", "Up", "Up", "Return"});
        Window settings;
        QTRY_VERIFY_WITH_TIMEOUT((settings = findWindow([](const Window &w) {
                                      return w.name ==
                                             QStringLiteral("Qwen Bridge Settings — DEMO");
                                  })).geometry.isValid(),
                                 30000);
        const QImage settingsShot = screenshot(QStringLiteral("settings-dialog.png"));
        QVERIFY2(distinctColours(settingsShot, settings.geometry) > 8, "the settings are blank");
        typeInto(settings, QStringLiteral("Escape"));

        // Quit is the last item; the process ends by itself, successfully.
        openMenu(icon, &menu);
        if (QTest::currentTestFailed())
            return;
        x(QStringLiteral("xdotool"), {"key", "--delay", "150", "Up", "Return"});
        QVERIFY2(m_app.waitForFinished(30000), "Quit did not end the application");
        QCOMPARE(m_app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(m_app.exitCode(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(iconWindow().isEmpty(), 30000);
    }

    void followsTheSystemLocale()
    {
        startApp({{QStringLiteral("LANGUAGE"), QStringLiteral("zh_CN")},
                  {QStringLiteral("LC_ALL"), QStringLiteral("zh_CN.UTF-8")},
                  {QStringLiteral("LANG"), QStringLiteral("zh_CN.UTF-8")}},
                 QStringLiteral("qwen-bridge-demo-zh_CN.log"));
        QString icon;
        waitForIcon(&icon);
        if (QTest::currentTestFailed())
            return;
        Window menu;
        openMenu(icon, &menu);
        if (QTest::currentTestFailed())
            return;
        const QImage menuShot = screenshot(QStringLiteral("tray-menu-zh_CN.png"));
        QVERIFY2(distinctColours(menuShot, menu.geometry) > 8, "the menu area is blank");
        x(QStringLiteral("xdotool"), {"key", "--delay", "150", "Down", "Return"});
        // The dialog's title is in Chinese: the translation was chosen from the locale.
        Window dialog;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = findWindow([](const Window &w) {
                                      return w.name.contains(QLatin1String("DEMO")) &&
                                             w.geometry.width() > 300;
                                  })).geometry.isValid(),
                                 30000);
        QVERIFY2(!dialog.name.startsWith(QLatin1String("Sign in")), qPrintable(dialog.name));
        QVERIFY2(dialog.name.contains(QStringLiteral("登录")), qPrintable(dialog.name));
        QTRY_VERIFY_WITH_TIMEOUT(decodeQr(dialog.id).contains("/authorize?user_code="), 60000);
        QVERIFY(!screenshot(QStringLiteral("signin-dialog-zh_CN.png")).isNull());
    }

    void apiKeyPageAndQuotaState()
    {
        // Signed in with the Qwen account before the start: credentials and the local key
        // are put into the keychain here, against a fake service this test controls.
        FakeQwenService fake;
        QVERIFY(fake.start());
        fake.setApiKeys({QStringLiteral("sk-integration")});
        m_home = std::make_unique<TestHome>();
        QString localKey;
        {
            Settings settings;
            CredentialStore store(settings);
            Credentials c;
            c.method = AuthMethod::OAuth;
            c.accessToken = QStringLiteral("integration-access");
            c.refreshToken = QStringLiteral("integration-refresh");
            c.tokenType = QStringLiteral("Bearer");
            c.expiresAt = QDateTime::currentDateTimeUtc().addSecs(3600);
            bool saved = false;
            waitFor([&](std::function<void()> done) {
                store.save(c, [&saved, done](const KeychainResult &r) {
                    saved = r.ok();
                    done();
                });
            });
            QVERIFY2(saved, "the keychain of the test session did not take the credentials");
            LocalKey key(store.keychain());
            waitFor([&](std::function<void()> done) {
                key.load([done](const KeychainResult &) { done(); });
            });
            localKey = key.value();
            QVERIFY(!localKey.isEmpty());
        }
        const QString port = QString::number(freePort());
        startApp({{QStringLiteral("LANG"), QStringLiteral("C.UTF-8")},
                  {QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8")},
                  {QStringLiteral("LANGUAGE"), QString()},
                  {QStringLiteral("QWEN_BRIDGE_OAUTH_URL"), fake.baseUrl().toString()},
                  {QStringLiteral("QWEN_BRIDGE_API_URL"), fake.apiBaseUrl().toString()},
                  {QStringLiteral("QWEN_BRIDGE_PORT"), port}},
                 QStringLiteral("qwen-bridge-quota.log"), {});
        QString icon;
        waitForIcon(&icon);
        if (QTest::currentTestFailed())
            return;
        QTRY_VERIFY_WITH_TIMEOUT(iconShows(icon, qRgb(0x15, 0xa3, 0x4a)), 30000); // signed in

        // Signed in with the account, the first item that can be chosen is the API key.
        Window menu;
        openMenu(icon, &menu);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(!screenshot(QStringLiteral("tray-menu-signed-in.png")).isNull());
        chooseFromMenu(1);
        Window dialog;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = findWindow([](const Window &w) {
                                      return w.name == QStringLiteral("Sign in to Qwen");
                                  })).geometry.isValid(),
                                 30000);
        QTest::qWait(300); // the focus frame settles
        const QImage pageShot = screenshot(QStringLiteral("signin-apikey.png"));
        QVERIFY2(distinctColours(pageShot, dialog.geometry) > 8, "the API-key page is blank");
        typeInto(dialog, QStringLiteral("Escape"));
        QTRY_VERIFY_WITH_TIMEOUT(signInDialogGone(), 30000);

        // The upstream says the quota is gone: the icon asks for attention.
        fake.failNextChats(FakeChatFault::QuotaExceeded, 3);
        QNetworkAccessManager nam;
        for (int i = 0; i < 3; ++i) {
            QNetworkRequest request(
                QUrl(QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(port)));
            request.setRawHeader("Authorization", "Bearer " + localKey.toUtf8());
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                              QByteArrayLiteral("application/json"));
            QNetworkReply *reply = nam.post(
                request,
                QByteArrayLiteral(
                    R"({"model":"coder-model","messages":[{"role":"user","content":"hi"}]})"));
            QSignalSpy finished(reply, &QNetworkReply::finished);
            QVERIFY(finished.wait(30000));
            QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 429);
            reply->deleteLater();
        }
        QTRY_VERIFY_WITH_TIMEOUT(iconShows(icon, qRgb(0xf5, 0x9e, 0x0b)), 30000); // attention
        // One notification; a click on it opens the API-key page.
        Window balloon;
        QTRY_VERIFY_WITH_TIMEOUT((balloon =
                                      [this] {
                                          for (const Window &w : appWindows(40)) {
                                              if (w.geometry.height() < 150 &&
                                                  w.geometry.width() > 200)
                                                  return w;
                                          }
                                          return Window();
                                      }())
                                     .geometry.isValid(),
                                 30000);
        QVERIFY(!screenshot(QStringLiteral("quota-notification.png")).isNull());
        x(QStringLiteral("xdotool"),
          {"mousemove", QString::number(balloon.geometry.center().x()),
           QString::number(balloon.geometry.bottom() - 12), "click", "1"});
        QTRY_VERIFY_WITH_TIMEOUT((dialog = findWindow([](const Window &w) {
                                      return w.name == QStringLiteral("Sign in to Qwen");
                                  })).geometry.isValid(),
                                 30000);
        typeInto(dialog, QStringLiteral("Escape"));
        QTRY_VERIFY_WITH_TIMEOUT(signInDialogGone(), 30000);
        openMenu(icon, &menu);
        if (QTest::currentTestFailed())
            return;
        QTest::qWait(300);
        const QImage quotaShot = screenshot(QStringLiteral("tray-menu-quota.png"));
        QVERIFY2(distinctColours(quotaShot, menu.geometry) > 8, "the quota menu is blank");
        // "Use an API key instead…" is the first item that can be chosen.
        chooseFromMenu(1);
        QTRY_VERIFY_WITH_TIMEOUT((dialog = findWindow([](const Window &w) {
                                      return w.name == QStringLiteral("Sign in to Qwen");
                                  })).geometry.isValid(),
                                 30000);
        typeInto(dialog, QStringLiteral("Escape"));

        // A key stored from a terminal: the running app switches at once, same proxy.
        QProcessEnvironment env = m_home->environment();
        env.insert(QStringLiteral("QWEN_BRIDGE_PORT"), port);
        TestProcess login(env);
        QTemporaryFile keyFile;
        QVERIFY(keyFile.open());
        keyFile.write("sk-integration\n");
        keyFile.close();
        login.setStandardInputFile(keyFile.fileName());
        login.startBridge({QStringLiteral("login"), QStringLiteral("--api-key"),
                           QStringLiteral("--base-url"), fake.apiBaseUrl().toString()});
        QVERIFY2(login.finish(60000) == 0, login.output().constData());
        QTRY_VERIFY_WITH_TIMEOUT(iconShows(icon, qRgb(0x15, 0xa3, 0x4a)), 30000);
        openMenu(icon, &menu);
        if (QTest::currentTestFailed())
            return;
        QTest::qWait(300);
        QVERIFY(!screenshot(QStringLiteral("tray-menu-apikey.png")).isNull());
        x(QStringLiteral("xdotool"), {"key", "Escape"});

        // A second start hands over: no second icon, and it ends successfully.
        TestProcess second(m_app.processEnvironment());
        second.startBridge({});
        QCOMPARE(second.finish(30000), 0);
        QCOMPARE(m_app.state(), QProcess::Running);
    }

    void trayThatComesLater()
    {
        // No tray at start-up: after its wait the application shows the status window and
        // keeps running; when a tray host appears later, the icon goes into it.
        stop(m_trayer);
        QTRY_VERIFY_WITH_TIMEOUT(
            !x(QStringLiteral("xwininfo"), {"-root", "-tree"}).contains("(\"panel\" \"trayer\")"),
            30000);
        startApp({{QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8")}},
                 QStringLiteral("qwen-bridge-demo-late-tray.log"));
        if (QTest::currentTestFailed())
            return;
        Window window;
        QTRY_VERIFY_WITH_TIMEOUT((window = findWindow([](const Window &w) {
                                      return w.name == QStringLiteral("Qwen Bridge — DEMO");
                                  })).geometry.isValid(),
                                 60000);
        QCOMPARE(m_app.state(), QProcess::Running);
        const QImage windowShot = screenshot(QStringLiteral("status-window.png"));
        QVERIFY2(distinctColours(windowShot, window.geometry) > 8, "the window is blank");

        startTrayer();
        if (QTest::currentTestFailed())
            return;
        QString icon;
        waitForIcon(&icon);
        QVERIFY(!icon.isEmpty());
        QCOMPARE(m_app.state(), QProcess::Running);
    }
};

QTEST_MAIN(TestTrayIntegration)
#include "tst_trayintegration.moc"
