#include "configureopencodedialog.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

// "Configure OpenCode…" says what it will do to which file, writes only when asked and only
// when something changes, keeps the person's comments, and leaves a backup.
class TestConfigureOpenCodeDialog : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

    OpenCodeConfig config() const
    {
        OpenCodeConfig c;
        c.baseUrl = OpenCodeConfig::baseUrlForPort(38417);
        c.apiKey = QStringLiteral("local-key-for-tests");
        return c;
    }

    QString path(const char *name) const { return m_dir.filePath(QLatin1String(name)); }

    static void write(const QString &path, const QByteArray &text)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    }

    static QByteArray read(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    static QString changes(const ConfigureOpenCodeDialog &dialog)
    {
        return dialog.findChild<QLabel *>(QStringLiteral("changesLabel"))->text();
    }

    QStringList backups(const QString &file) const
    {
        return QDir(m_dir.path()).entryList({QFileInfo(file).fileName() + ".bak-*"});
    }

private Q_SLOTS:
    void createsAMissingFile()
    {
        const QString file = path("new/opencode.json");
        ConfigureOpenCodeDialog dialog(config(), file, false);
        QCOMPARE(dialog.findChild<QLabel *>(QStringLiteral("pathLabel"))->text(),
                 QDir::toNativeSeparators(file));
        QVERIFY(dialog.canWrite());
        QVERIFY(changes(dialog).contains(QStringLiteral("will be created")));
        QVERIFY(!QFile::exists(file)); // nothing before the person agrees

        QSignalSpy written(&dialog, &ConfigureOpenCodeDialog::written);
        dialog.show();
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("writeButton")),
                          Qt::LeftButton);
        QCOMPARE(written.size(), 1);
        QVERIFY(read(file).contains("local-key-for-tests"));
        QVERIFY(read(file).contains("http://127.0.0.1:38417/v1"));
        QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("writeButton"))->isVisible());
        QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("outcomeLabel"))->isVisible());
    }

    void keepsCommentsAndMakesABackup()
    {
        const QString file = path("commented.jsonc");
        const QByteArray before = "{\n  // my theme\n  \"theme\": \"dark\"\n}\n";
        write(file, before);
        ConfigureOpenCodeDialog dialog(config(), file, false);
        QVERIFY(dialog.canWrite());
        QVERIFY(changes(dialog).contains(QStringLiteral("These changes will be made")));
        QVERIFY(changes(dialog).contains(QStringLiteral("alibaba")));
        QVERIFY(changes(dialog).contains(QStringLiteral(".bak-")));
        dialog.write();
        const QByteArray after = read(file);
        QVERIFY(after.contains("// my theme"));
        QVERIFY(after.contains("\"theme\": \"dark\""));
        QVERIFY(after.contains("local-key-for-tests"));
        const QStringList saved = backups(file);
        QCOMPARE(saved.size(), 1);
        QCOMPARE(read(m_dir.filePath(saved.first())), before);
    }

    void nothingToDoWhenAlreadyConfigured()
    {
        const QString file = path("done.json");
        QVERIFY(config().writeFile(file).ok());
        ConfigureOpenCodeDialog dialog(config(), file, false);
        QVERIFY(!dialog.canWrite());
        QVERIFY(changes(dialog).contains(QStringLiteral("already set up")));
        dialog.show();
        QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("writeButton"))->isVisible());
    }

    void refusesAFileItCannotParse()
    {
        const QString file = path("broken.json");
        write(file, "{\n  \"theme\": \"dark\",,\n}\n");
        ConfigureOpenCodeDialog dialog(config(), file, false);
        QVERIFY(!dialog.canWrite());
        QCOMPARE(dialog.preview().error, OpenCodeConfig::Error::InvalidJsonc);
        QVERIFY(changes(dialog).contains(QStringLiteral("cannot be changed safely")));
        QVERIFY(changes(dialog).contains(QStringLiteral("Line 2")));
        dialog.write(); // must not write anyway
        QCOMPARE(read(file), QByteArray("{\n  \"theme\": \"dark\",,\n}\n"));
        QVERIFY(backups(file).isEmpty());
    }

    void saysWhenTheModelIsKept()
    {
        const QString file = path("model.json");
        write(file, "{ \"model\": \"other-provider/big-model\" }\n");
        ConfigureOpenCodeDialog dialog(config(), file, false);
        QVERIFY(dialog.canWrite());
        QVERIFY(changes(dialog).contains(QStringLiteral("other-provider/big-model")));
        QVERIFY(changes(dialog).contains(QStringLiteral("alibaba/coder-model")));
    }

    void switchingFilesPreviewsAgain()
    {
        const QString done = path("again-done.json");
        QVERIFY(config().writeFile(done).ok());
        ConfigureOpenCodeDialog dialog(config(), done, false);
        QVERIFY(!dialog.canWrite());
        dialog.setPath(path("again-new.json"));
        QVERIFY(dialog.canWrite());
        QCOMPARE(dialog.path(), path("again-new.json"));
    }

    void demoIsLabelled()
    {
        ConfigureOpenCodeDialog dialog(config(), path("demo.json"), true);
        QVERIFY(dialog.windowTitle().contains(QStringLiteral("DEMO")));
    }
};

QTEST_MAIN(TestConfigureOpenCodeDialog)
#include "tst_configureopencodedialog.moc"
