#include "settingsdialog.h"

#include "proxy/qwenmode.h"
#include "qwenmodesetting.h"
#include "settings/settings.h"
#include "testhome.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

// Settings are checked before anything is saved, with a sentence saying what is wrong;
// good values are saved and the parts of the application that depend on them are told.
class TestSettingsDialog : public QObject
{
    Q_OBJECT
    TestHome m_home;

    static QLineEdit *edit(const QDialog &dialog, const char *name)
    {
        return dialog.findChild<QLineEdit *>(QLatin1String(name));
    }

    static void clickOk(SettingsDialog &dialog)
    {
        auto *buttons = dialog.findChild<QDialogButtonBox *>();
        QTest::mouseClick(buttons->button(QDialogButtonBox::Ok), Qt::LeftButton);
    }

    static void setText(QLineEdit *field, const QString &text)
    {
        field->selectAll();
        QTest::keyClicks(field, text);
        if (field->text() != text)
            field->setText(text);
    }

private Q_SLOTS:
    void init()
    {
        for (const char *var : {"QWEN_BRIDGE_OAUTH_URL", "QWEN_BRIDGE_PORT", "QWEN_MODE",
                                "DEBUG_QWEN_PLUGIN", "ENABLE_PLUGIN_REQUEST_LOGGING"})
            qunsetenv(var);
        QFile::remove(Settings::configFilePath());
        m_home.setSetting(QStringLiteral("keychain/service"), m_home.keychainService());
    }

    void checksPorts_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::newRow("default") << QStringLiteral("38417") << true;
        QTest::newRow("lowest") << QStringLiteral("1024") << true;
        QTest::newRow("highest") << QStringLiteral("65535") << true;
        QTest::newRow("spaces") << QStringLiteral(" 40000 ") << true;
        QTest::newRow("privileged") << QStringLiteral("80") << false;
        QTest::newRow("zero") << QStringLiteral("0") << false;
        QTest::newRow("too high") << QStringLiteral("65536") << false;
        QTest::newRow("negative") << QStringLiteral("-5") << false;
        QTest::newRow("words") << QStringLiteral("port") << false;
        QTest::newRow("empty") << QString() << false;
    }
    void checksPorts()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        quint16 port = 0;
        const QString problem = SettingsDialog::checkPort(text, &port);
        QCOMPARE(problem.isEmpty(), ok);
        if (ok)
            QCOMPARE(port, quint16(text.trimmed().toInt()));
        else
            QVERIFY(problem.contains(QStringLiteral("65535")));
    }

    void checksOAuthUrls_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("problem"); // a word the message must contain; empty: fine
        QTest::newRow("default") << QStringLiteral("https://chat.qwen.ai") << QString();
        QTest::newRow("with path") << QStringLiteral("https://example.com/qwen") << QString();
        QTest::newRow("loopback http") << QStringLiteral("http://127.0.0.1:8080") << QString();
        QTest::newRow("localhost http") << QStringLiteral("http://localhost:9") << QString();
        QTest::newRow("remote http") << QStringLiteral("http://chat.qwen.ai") << "https://";
        QTest::newRow("ftp") << QStringLiteral("ftp://chat.qwen.ai") << "https://";
        QTest::newRow("no scheme") << QStringLiteral("chat.qwen.ai") << "https://";
        QTest::newRow("empty") << QString() << "Enter the base URL";
        QTest::newRow("query") << QStringLiteral("https://chat.qwen.ai/?x=1") << "query";
        QTest::newRow("user") << QStringLiteral("https://me@chat.qwen.ai") << "user name";
    }
    void checksOAuthUrls()
    {
        QFETCH(QString, text);
        QFETCH(QString, problem);
        const QString message = SettingsDialog::checkOAuthBaseUrl(text);
        if (problem.isEmpty())
            QVERIFY2(message.isEmpty(), qPrintable(message));
        else
            QVERIFY2(message.contains(problem), qPrintable(message));
    }

    void checksProviderAndClientIds()
    {
        QVERIFY(SettingsDialog::checkProviderId(QStringLiteral("alibaba")).isEmpty());
        QVERIFY(SettingsDialog::checkProviderId(QStringLiteral("qwen-bridge_2")).isEmpty());
        QVERIFY(!SettingsDialog::checkProviderId(QString()).isEmpty());
        QVERIFY(!SettingsDialog::checkProviderId(QStringLiteral("has space")).isEmpty());
        QVERIFY(!SettingsDialog::checkProviderId(QStringLiteral("a/b")).isEmpty());
        QVERIFY(!SettingsDialog::checkProviderId(QStringLiteral("-leading")).isEmpty());
        QVERIFY(SettingsDialog::checkClientId(QStringLiteral("f0304373b74a44d2")).isEmpty());
        QVERIFY(!SettingsDialog::checkClientId(QString()).isEmpty());
        QVERIFY(!SettingsDialog::checkClientId(QStringLiteral("two words")).isEmpty());
    }

    void showsTheCurrentValues()
    {
        Settings settings;
        settings.setPort(40123);
        settings.setProviderId(QStringLiteral("qwen"));
        settings.setDebugLogging(true);
        SettingsDialog dialog(&settings, false);
        QCOMPARE(edit(dialog, "portEdit")->text(), QStringLiteral("40123"));
        QCOMPARE(edit(dialog, "providerEdit")->text(), QStringLiteral("qwen"));
        QCOMPARE(edit(dialog, "oauthUrlEdit")->text(), QStringLiteral("https://chat.qwen.ai"));
        QCOMPARE(edit(dialog, "clientIdEdit")->text(), QLatin1String(Settings::kDefaultClientId));
        QVERIFY(dialog.findChild<QCheckBox *>(QStringLiteral("debugCheck"))->isChecked());
        QVERIFY(!dialog.findChild<QCheckBox *>(QStringLiteral("requestLogCheck"))->isChecked());
        QVERIFY(!dialog.windowTitle().contains(QStringLiteral("DEMO")));
    }

    void refusesABadPortAndSavesNothing()
    {
        Settings settings;
        SettingsDialog dialog(&settings, false);
        QSignalSpy portChanged(&dialog, &SettingsDialog::portChanged);
        dialog.show();
        setText(edit(dialog, "portEdit"), QStringLiteral("99999"));
        clickOk(dialog);
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        const auto *errors = dialog.findChild<QLabel *>(QStringLiteral("errorLabel"));
        QVERIFY(errors->isVisible());
        QVERIFY(errors->text().contains(QStringLiteral("1024 to 65535")));
        QVERIFY(!edit(dialog, "portEdit")->styleSheet().isEmpty()); // marked in red
        QVERIFY(edit(dialog, "providerEdit")->styleSheet().isEmpty());
        QCOMPARE(portChanged.size(), 0);
        QCOMPARE(Settings().port(), Settings::kDefaultPort);
    }

    void savesAGoodPortAndAsksForARestart()
    {
        Settings settings;
        SettingsDialog dialog(&settings, false);
        QSignalSpy portChanged(&dialog, &SettingsDialog::portChanged);
        QSignalSpy openCodeChanged(&dialog, &SettingsDialog::openCodeSettingsChanged);
        dialog.show();
        setText(edit(dialog, "portEdit"), QStringLiteral("99999"));
        QVERIFY(!dialog.apply());
        setText(edit(dialog, "portEdit"), QStringLiteral("40555"));
        clickOk(dialog);
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(dialog.errorText().isEmpty());
        QCOMPARE(portChanged.size(), 1);
        QCOMPARE(portChanged.first().first().value<quint16>(), quint16(40555));
        QCOMPARE(openCodeChanged.size(), 1);
        QCOMPARE(Settings().port(), quint16(40555));
    }

    // Several credentials: fill first unless round robin is chosen; the environment wins.
    void routingPolicyRoundTrips()
    {
        qunsetenv("QWEN_BRIDGE_ROUTING");
        Settings settings;
        QCOMPARE(settings.routingPolicy(), QStringLiteral("fill_first"));
        {
            SettingsDialog dialog(&settings, false);
            auto *routing = dialog.findChild<QComboBox *>(QStringLiteral("routingCombo"));
            QVERIFY(routing);
            QCOMPARE(routing->currentData().toString(), QStringLiteral("fill_first"));
            routing->setCurrentIndex(routing->findData(QStringLiteral("round_robin")));
            QVERIFY(dialog.apply());
        }
        QCOMPARE(Settings().routingPolicy(), QStringLiteral("round_robin"));
        {
            SettingsDialog dialog(&settings, false);
            auto *routing = dialog.findChild<QComboBox *>(QStringLiteral("routingCombo"));
            QCOMPARE(routing->currentData().toString(), QStringLiteral("round_robin"));
            dialog.restoreDefaults();
            QVERIFY(dialog.apply());
        }
        QCOMPARE(Settings().routingPolicy(), QStringLiteral("fill_first"));
        qputenv("QWEN_BRIDGE_ROUTING", "round_robin");
        SettingsDialog dialog(&settings, false);
        auto *routing = dialog.findChild<QComboBox *>(QStringLiteral("routingCombo"));
        QVERIFY(!routing->isEnabled());
        QCOMPARE(Settings().routingPolicy(), QStringLiteral("round_robin"));
        qunsetenv("QWEN_BRIDGE_ROUTING");
    }

    void unchangedValuesRestartNothing()
    {
        Settings settings;
        SettingsDialog dialog(&settings, false);
        QSignalSpy portChanged(&dialog, &SettingsDialog::portChanged);
        QSignalSpy loggingChanged(&dialog, &SettingsDialog::loggingChanged);
        QSignalSpy signInChanged(&dialog, &SettingsDialog::signInSettingsChanged);
        QVERIFY(dialog.apply());
        QCOMPARE(portChanged.size(), 0);
        QCOMPARE(loggingChanged.size(), 0);
        QCOMPARE(signInChanged.size(), 0);
    }

    void refusesAPlainHttpSignInServer()
    {
        Settings settings;
        SettingsDialog dialog(&settings, false);
        dialog.show();
        setText(edit(dialog, "oauthUrlEdit"), QStringLiteral("http://chat.example.com"));
        QVERIFY(!dialog.apply());
        QVERIFY(dialog.errorText().contains(QStringLiteral("https://")));
        QCOMPARE(Settings().oauthBaseUrl(), QUrl(QLatin1String(Settings::kDefaultOAuthBase)));

        QSignalSpy signInChanged(&dialog, &SettingsDialog::signInSettingsChanged);
        setText(edit(dialog, "oauthUrlEdit"), QStringLiteral("https://oauth.example.com"));
        setText(edit(dialog, "clientIdEdit"), QStringLiteral("my-client"));
        QVERIFY(dialog.apply());
        QCOMPARE(signInChanged.size(), 1);
        QCOMPARE(Settings().oauthBaseUrl(), QUrl(QStringLiteral("https://oauth.example.com")));
        QCOMPARE(Settings().clientId(), QStringLiteral("my-client"));
    }

    void reportsEveryProblemAtOnce()
    {
        Settings settings;
        SettingsDialog dialog(&settings, false);
        dialog.show();
        setText(edit(dialog, "portEdit"), QStringLiteral("12"));
        setText(edit(dialog, "providerEdit"), QStringLiteral("not valid"));
        QVERIFY(!dialog.apply());
        QVERIFY(dialog.errorText().contains(QStringLiteral("port")));
        QVERIFY(dialog.errorText().contains(QStringLiteral("provider id")));
        QCOMPARE(Settings().providerId(), QStringLiteral("alibaba"));
    }

    void loggingSwitches()
    {
        Settings settings;
        SettingsDialog dialog(&settings, false);
        QSignalSpy loggingChanged(&dialog, &SettingsDialog::loggingChanged);
        dialog.findChild<QCheckBox *>(QStringLiteral("requestLogCheck"))->setChecked(true);
        QVERIFY(dialog.apply());
        QCOMPARE(loggingChanged.size(), 1);
        QVERIFY(Settings().requestLogging());
        QVERIFY(!Settings().debugLogging());
    }

    void qwenModeIsSavedAndTakesEffect()
    {
        Settings settings;
        SettingsDialog dialog(&settings, false);
        auto *combo = dialog.findChild<QComboBox *>(QStringLiteral("qwenModeCombo"));
        QVERIFY(combo->isEnabled());
        QCOMPARE(combo->currentData().toString(), QString()); // follows auth-config.json
        QSignalSpy modeChanged(&dialog, &SettingsDialog::qwenModeChanged);
        combo->setCurrentIndex(combo->findData(QStringLiteral("off")));
        QVERIFY(dialog.apply());
        QCOMPARE(modeChanged.size(), 1);
        Settings reread;
        QCOMPARE(QwenModeSetting::value(reread), QStringLiteral("off"));
        // What the proxy uses for the next request.
        QCOMPARE(QwenMode::resolveFromSystem().enabled, false);
        QCOMPARE(QwenMode::resolveFromSystem().source, QwenMode::Source::Settings);

        combo->setCurrentIndex(combo->findData(QString()));
        QVERIFY(dialog.apply());
        QCOMPARE(QwenMode::resolveFromSystem().source, QwenMode::Source::Default);
    }

    void environmentValuesCannotBeEdited()
    {
        qputenv("QWEN_BRIDGE_PORT", "41000");
        qputenv("QWEN_BRIDGE_OAUTH_URL", "http://127.0.0.1:9");
        Settings settings;
        SettingsDialog dialog(&settings, false);
        QVERIFY(!edit(dialog, "portEdit")->isEnabled());
        QCOMPARE(edit(dialog, "portEdit")->text(), QStringLiteral("41000"));
        QVERIFY(!edit(dialog, "oauthUrlEdit")->isEnabled());
        QSignalSpy portChanged(&dialog, &SettingsDialog::portChanged);
        QVERIFY(dialog.apply());
        QCOMPARE(portChanged.size(), 0);
        qunsetenv("QWEN_BRIDGE_PORT");
        qunsetenv("QWEN_BRIDGE_OAUTH_URL");
        // The environment's value was never written into the file.
        QCOMPARE(Settings().port(), Settings::kDefaultPort);
        QCOMPARE(Settings().oauthBaseUrl(), QUrl(QLatin1String(Settings::kDefaultOAuthBase)));
    }

    void restoreDefaults()
    {
        Settings settings;
        settings.setPort(40999);
        settings.setProviderId(QStringLiteral("other"));
        SettingsDialog dialog(&settings, false);
        auto *buttons = dialog.findChild<QDialogButtonBox *>();
        QTest::mouseClick(buttons->button(QDialogButtonBox::RestoreDefaults), Qt::LeftButton);
        QCOMPARE(edit(dialog, "portEdit")->text(), QString::number(Settings::kDefaultPort));
        QCOMPARE(edit(dialog, "providerEdit")->text(), QStringLiteral("alibaba"));
        QVERIFY(dialog.apply());
        QCOMPARE(Settings().port(), Settings::kDefaultPort);
    }

    void networkProxyChoice()
    {
        Settings settings;
        SettingsDialog dialog(&settings, false);
        dialog.show();
        auto *combo = dialog.findChild<QComboBox *>(QStringLiteral("networkProxyCombo"));
        QVERIFY(combo);
        QCOMPARE(combo->currentData().toInt(), int(NetworkProxy::Mode::System)); // the default
        QLineEdit *url = edit(dialog, "networkProxyUrlEdit");
        QLineEdit *password = edit(dialog, "networkProxyPasswordEdit");
        QVERIFY(!url->isEnabled() && !password->isEnabled());
        QCOMPARE(password->echoMode(), QLineEdit::Password);
        QSignalSpy changed(&dialog, &SettingsDialog::networkProxyChanged);

        combo->setCurrentIndex(combo->findData(int(NetworkProxy::Mode::Manual)));
        QVERIFY(url->isEnabled() && password->isEnabled());
        for (const char *bad : {"proxy.example:3128", "https://proxy.example:3128",
                                "http://proxy.example", "http://u:pw@proxy.example:3128"}) {
            setText(url, QLatin1String(bad));
            QVERIFY2(!dialog.apply(), bad);
            QVERIFY(dialog.errorText().contains(QStringLiteral("proxy")));
        }
        QCOMPARE(changed.size(), 0);

        setText(url, QStringLiteral("http://me@proxy.example:3128"));
        setText(password, QStringLiteral("pw-in-keychain-only"));
        QVERIFY(dialog.apply());
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).value<NetworkProxy::Mode>(), NetworkProxy::Mode::Manual);
        QCOMPARE(changed.first().at(1).toString(), QStringLiteral("http://me@proxy.example:3128"));
        QCOMPARE(changed.first().at(2).toString(), QStringLiteral("pw-in-keychain-only"));
        QVERIFY(password->text().isEmpty());
        QVERIFY(m_home.filesContaining("pw-in-keychain-only").isEmpty());

        combo->setCurrentIndex(combo->findData(int(NetworkProxy::Mode::None)));
        QVERIFY(dialog.apply());
        QCOMPARE(changed.size(), 2);
        QCOMPARE(changed.last().at(0).value<NetworkProxy::Mode>(), NetworkProxy::Mode::None);
    }

    void demoIsLabelled()
    {
        Settings settings;
        SettingsDialog dialog(&settings, true);
        QVERIFY(dialog.windowTitle().contains(QStringLiteral("DEMO")));
        QVERIFY(!edit(dialog, "oauthUrlEdit")->isEnabled());
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
