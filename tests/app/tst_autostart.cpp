#include "autostart.h"

#include "testhome.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTest>

// "Start at login" writes and removes an XDG autostart entry in the scratch home.
class TestAutostart : public QObject
{
    Q_OBJECT
    TestHome m_home;

    static QByteArray read(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private Q_SLOTS:
    void init()
    {
        qunsetenv("APPIMAGE");
        QFile::remove(Autostart::filePath());
    }

    void livesInTheXdgAutostartFolder()
    {
        QCOMPARE(Autostart::filePath(),
                 m_home.configDir() + QStringLiteral("/autostart/qwen-bridge.desktop"));
    }

    void writesAndRemovesTheEntry()
    {
        QVERIFY(!Autostart::isEnabled());
        QString error;
        QVERIFY2(Autostart::setEnabled(true, &error), qPrintable(error));
        QVERIFY(QFileInfo::exists(Autostart::filePath()));
        QVERIFY(Autostart::isEnabled());

        const QByteArray text = read(Autostart::filePath());
        QVERIFY(text.startsWith("[Desktop Entry]\n"));
        QVERIFY(text.contains("\nType=Application\n"));
        QVERIFY(text.contains("\nName=Qwen Bridge\n"));
        QVERIFY(text.contains(
            QByteArray("\nExec=" + QCoreApplication::applicationFilePath().toUtf8() + "\n")));
        // The icon the package installs, under the application id.
        QVERIFY(text.contains("\nIcon=io.github.qwen_bridge.QwenBridge\n"));

        // Writing twice is harmless.
        QVERIFY(Autostart::setEnabled(true));
        QVERIFY(Autostart::isEnabled());

        QVERIFY(Autostart::setEnabled(false, &error));
        QVERIFY(!QFileInfo::exists(Autostart::filePath()));
        QVERIFY(!Autostart::isEnabled());
        QVERIFY(Autostart::setEnabled(false)); // nothing there: still fine
    }

    void quotesExecAsTheSpecificationSays()
    {
        const QByteArray plain = Autostart::desktopEntry(QStringLiteral("/usr/bin/qwen-bridge"));
        QVERIFY(plain.contains("\nExec=/usr/bin/qwen-bridge\n"));
        const QByteArray spaced =
            Autostart::desktopEntry(QStringLiteral("/home/me/My Apps/qwen \"bridge\"$1%"));
        QVERIFY2(spaced.contains("\nExec=\"/home/me/My Apps/qwen \\\"bridge\\\"\\$1%%\"\n"),
                 spaced.constData());
    }

    void anAppImageStartsItself()
    {
        const QString appImage = m_home.path() + QStringLiteral("/Qwen_Bridge.AppImage");
        QFile file(appImage);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QFile::setPermissions(appImage, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        qputenv("APPIMAGE", appImage.toUtf8());
        QCOMPARE(Autostart::executable(), appImage);
        QVERIFY(Autostart::setEnabled(true));
        QVERIFY(
            read(Autostart::filePath()).contains(QByteArray("\nExec=" + appImage.toUtf8() + "\n")));
        qunsetenv("APPIMAGE");
    }

    void respectsADesktopThatSwitchedItOff()
    {
        QVERIFY(Autostart::setEnabled(true));
        QFile file(Autostart::filePath());
        QVERIFY(file.open(QIODevice::Append));
        file.write("Hidden=true\n");
        file.close();
        QVERIFY(!Autostart::isEnabled());

        QVERIFY(Autostart::setEnabled(true)); // switching it on again writes a clean entry
        QVERIFY(Autostart::isEnabled());
        QVERIFY(!read(Autostart::filePath()).contains("Hidden"));
    }

    void reportsAFolderItCannotWrite()
    {
        // A file where the autostart folder should be.
        const QString folder = m_home.configDir() + QStringLiteral("/autostart");
        QDir(folder).removeRecursively();
        QFile blocker(folder);
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QString error;
        QVERIFY(!Autostart::setEnabled(true, &error));
        QVERIFY(error.contains(QStringLiteral("qwen-bridge.desktop")));
        QVERIFY(!Autostart::isEnabled());
        QFile::remove(folder);
    }
};

QTEST_GUILESS_MAIN(TestAutostart)
#include "tst_autostart.moc"
