#include "proxy/qwenmode.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

class TestQwenMode : public QObject
{
    Q_OBJECT

private:
    // Writes ~/.opencode/qwen/auth-config.json in home with the given bytes.
    static void writeConfig(const QString &home, const QByteArray &content)
    {
        const QString path = QwenMode::configFilePath(home);
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(file.write(content), content.size());
    }

private slots:
    void configFilePath()
    {
        QCOMPARE(QwenMode::configFilePath(QStringLiteral("/home/ann")),
                 QStringLiteral("/home/ann/.opencode/qwen/auth-config.json"));
    }

    void resolve_data()
    {
        QTest::addColumn<bool>("envSet");
        QTest::addColumn<QString>("env");
        QTest::addColumn<QByteArray>("file"); // empty: no file
        QTest::addColumn<bool>("enabled");
        QTest::addColumn<QString>("source");
        QTest::addColumn<int>("warnings");

        const QByteArray none;
        QTest::newRow("nothing") << false << QString() << none << true << "default" << 0;
        QTest::newRow("env 1") << true << "1" << none << true << "env" << 0;
        QTest::newRow("env true") << true << "true" << none << true << "env" << 0;
        QTest::newRow("env TRUE") << true << "TRUE" << none << true << "env" << 0;
        QTest::newRow("env True spaced") << true << " True " << none << true << "env" << 0;
        QTest::newRow("env 0") << true << "0" << none << false << "env" << 0;
        QTest::newRow("env false") << true << "false" << none << false << "env" << 0;
        QTest::newRow("env FaLsE") << true << "FaLsE" << none << false << "env" << 0;
        QTest::newRow("env empty is unset") << true << "" << none << true << "default" << 0;
        QTest::newRow("env yes ignored") << true << "yes" << none << true << "default" << 1;
        QTest::newRow("env 2 ignored") << true << "2" << none << true << "default" << 1;
        QTest::newRow("env off ignored") << true << "off" << none << true << "default" << 1;

        QTest::newRow("file false")
            << false << QString() << QByteArray(R"({"qwenMode": false})") << false << "file" << 0;
        QTest::newRow("file true")
            << false << QString() << QByteArray(R"({"qwenMode": true})") << true << "file" << 0;
        QTest::newRow("file other keys")
            << false << QString() << QByteArray(R"({"debug": 1, "qwenMode": false})") << false
            << "file" << 0;
        QTest::newRow("file without key")
            << false << QString() << QByteArray(R"({"x": 1})") << true << "default" << 0;
        QTest::newRow("file string value")
            << false << QString() << QByteArray(R"({"qwenMode": "false"})") << true << "default"
            << 1;
        QTest::newRow("file number value")
            << false << QString() << QByteArray(R"({"qwenMode": 0})") << true << "default" << 1;
        QTest::newRow("file not json")
            << false << QString() << QByteArray("qwenMode=false") << true << "default" << 1;
        QTest::newRow("file array")
            << false << QString() << QByteArray("[false]") << true << "default" << 1;
        QTest::newRow("file truncated")
            << false << QString() << QByteArray(R"({"qwenMode": fa)") << true << "default" << 1;

        QTest::newRow("env beats file")
            << true << "1" << QByteArray(R"({"qwenMode": false})") << true << "env" << 0;
        QTest::newRow("env 0 beats file")
            << true << "0" << QByteArray(R"({"qwenMode": true})") << false << "env" << 0;
        QTest::newRow("bad env falls to file")
            << true << "maybe" << QByteArray(R"({"qwenMode": false})") << false << "file" << 1;
        QTest::newRow("bad env and bad file")
            << true << "maybe" << QByteArray("{") << true << "default" << 2;
    }

    void resolve()
    {
        QFETCH(bool, envSet);
        QFETCH(QString, env);
        QFETCH(QByteArray, file);
        QFETCH(bool, enabled);
        QFETCH(QString, source);
        QFETCH(int, warnings);

        QTemporaryDir home;
        QVERIFY(home.isValid());
        if (!file.isEmpty())
            writeConfig(home.path(), file);
        for (int i = 0; i < warnings; ++i)
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(".*")));

        const std::optional<QString> envValue = envSet ? std::optional<QString>(env) : std::nullopt;
        const QwenMode mode = QwenMode::resolve(envValue, home.path());
        QCOMPARE(mode.enabled, enabled);
        QCOMPARE(QwenMode::sourceKey(mode.source), source);
        QCOMPARE(mode.warnings.size(), warnings);
        QVERIFY(!QwenMode::sourceDescription(mode.source).isEmpty());
    }

    void warningNamesTheValue()
    {
        QTemporaryDir home;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("yes")));
        const QwenMode mode = QwenMode::resolve(QStringLiteral("yes"), home.path());
        QCOMPARE(mode.warnings.size(), 1);
        QVERIFY(mode.warnings.first().contains(QLatin1String("yes")));
    }

    void unreadableFileIsIgnored()
    {
        QTemporaryDir home;
        // A folder where the file should be: exists, but cannot be read as a file.
        QVERIFY(QDir().mkpath(QwenMode::configFilePath(home.path())));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(".*")));
        const QwenMode mode = QwenMode::resolve(std::nullopt, home.path());
        QVERIFY(mode.enabled);
        QCOMPARE(mode.source, QwenMode::Source::Default);
        QCOMPARE(mode.warnings.size(), 1);
    }

    // The settings dialog's choice sits between the environment and the file.
    void settingBetweenEnvironmentAndFile()
    {
        QTemporaryDir home;
        writeConfig(home.path(), R"({"qwenMode": true})");
        QwenMode mode = QwenMode::resolve(std::nullopt, QStringLiteral("off"), home.path());
        QCOMPARE(mode.source, QwenMode::Source::Settings);
        QVERIFY(!mode.enabled);
        mode = QwenMode::resolve(QStringLiteral("1"), QStringLiteral("off"), home.path());
        QCOMPARE(mode.source, QwenMode::Source::Environment);
        QVERIFY(mode.enabled);
        mode = QwenMode::resolve(std::nullopt, QString(), home.path());
        QCOMPARE(mode.source, QwenMode::Source::ConfigFile);
        mode = QwenMode::resolve(std::nullopt, QStringLiteral("sometimes"), home.path());
        QCOMPARE(mode.source, QwenMode::Source::ConfigFile);
        QCOMPARE(QwenMode::sourceKey(QwenMode::Source::Settings), QStringLiteral("settings"));
    }

    void resolveFromSystem()
    {
        QTemporaryDir home;
        writeConfig(home.path(), R"({"qwenMode": false})");
        const QByteArray savedHome = qgetenv("HOME");
        const bool hadMode = qEnvironmentVariableIsSet("QWEN_MODE");
        const QByteArray savedMode = qgetenv("QWEN_MODE");
        qputenv("HOME", home.path().toLocal8Bit());

        qunsetenv("QWEN_MODE");
        QwenMode mode = QwenMode::resolveFromSystem();
        QCOMPARE(mode.source, QwenMode::Source::ConfigFile);
        QVERIFY(!mode.enabled);

        qputenv("QWEN_MODE", "true");
        mode = QwenMode::resolveFromSystem();
        QCOMPARE(mode.source, QwenMode::Source::Environment);
        QVERIFY(mode.enabled);

        qputenv("HOME", savedHome);
        if (hadMode)
            qputenv("QWEN_MODE", savedMode);
        else
            qunsetenv("QWEN_MODE");
    }
};

QTEST_GUILESS_MAIN(TestQwenMode)
#include "tst_qwenmode.moc"
