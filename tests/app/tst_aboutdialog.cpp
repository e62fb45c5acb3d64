#include "aboutdialog.h"

#include "settings/settings.h"
#include "testhome.h"

#include <QCoreApplication>
#include <QDir>
#include <QLabel>
#include <QTest>

// About: name, version, and where each file lives.
class TestAboutDialog : public QObject
{
    Q_OBJECT
    TestHome m_home;

    static QStringList texts(const QWidget &w)
    {
        QStringList all;
        for (const QLabel *label : w.findChildren<QLabel *>())
            all << label->text();
        return all;
    }

private Q_SLOTS:
    void showsVersionAndPlaces()
    {
        QCoreApplication::setApplicationVersion(QStringLiteral("9.8.7"));
        Settings settings;
        AboutDialog dialog(&settings, false);
        QCOMPARE(dialog.findChild<QLabel *>(QStringLiteral("version"))->text(),
                 QStringLiteral("Version 9.8.7"));
        const QStringList all = texts(dialog);
        QVERIFY(all.contains(QDir::toNativeSeparators(Settings::configFilePath())));
        QVERIFY(all.contains(QDir::toNativeSeparators(Settings::stateDir())));
        QVERIFY(all.join(QLatin1Char('\n')).contains(settings.keychainService()));
        QVERIFY(!dialog.windowTitle().contains(QStringLiteral("DEMO")));
    }

    void demoIsLabelled()
    {
        Settings settings;
        AboutDialog dialog(&settings, true);
        QVERIFY(dialog.windowTitle().contains(QStringLiteral("DEMO")));
    }
};

QTEST_MAIN(TestAboutDialog)
#include "tst_aboutdialog.moc"
