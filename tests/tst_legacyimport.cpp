#include "credentials/legacyimport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

Q_DECLARE_METATYPE(LegacyImport::Original)

class TestLegacyImport : public QObject
{
    Q_OBJECT

    static void write(const QString &path, const QByteArray &text)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    }

private Q_SLOTS:
    void pluginFormat()
    {
        QTemporaryDir home;
        const QString path = LegacyImport::pluginTokenPath(home.path());
        write(path, R"({"access_token":"at-1","refresh_token":"rt-1","expires":1800000000000,)"
                    R"("resource_url":"portal.qwen.ai"})");
        const QList<LegacyImport::Found> found = LegacyImport::findAll(home.path());
        QCOMPARE(found.size(), 1);
        const LegacyImport::Found &f = found.first();
        QVERIFY2(f.ok(), qPrintable(f.error));
        QCOMPARE(f.source, LegacyImport::Source::OpenCodePlugin);
        QCOMPARE(f.credentials.method, AuthMethod::OAuth);
        QCOMPARE(f.credentials.accessToken, QStringLiteral("at-1"));
        QCOMPARE(f.credentials.refreshToken, QStringLiteral("rt-1"));
        QCOMPARE(f.credentials.expiresAt.toMSecsSinceEpoch(), 1800000000000LL);
        QCOMPARE(f.credentials.resourceUrl, QStringLiteral("portal.qwen.ai"));
        QVERIFY(LegacyImport::rotationWarning(f.source).contains(QStringLiteral("plugin")));
    }

    void qwenCodeFormat()
    {
        QTemporaryDir home;
        write(LegacyImport::qwenCodePath(home.path()),
              R"({"access_token":"at-2","refresh_token":"rt-2","token_type":"Bearer",)"
              R"("resource_url":"portal.qwen.ai","expiry_date":1800000001000})");
        const QList<LegacyImport::Found> found = LegacyImport::findAll(home.path());
        QCOMPARE(found.size(), 1);
        QVERIFY(found.first().ok());
        QCOMPARE(found.first().source, LegacyImport::Source::QwenCode);
        QCOMPARE(found.first().credentials.expiresAt.toMSecsSinceEpoch(), 1800000001000LL);
        QCOMPARE(found.first().credentials.tokenType, QStringLiteral("Bearer"));
        QVERIFY(LegacyImport::rotationWarning(found.first().source)
                    .contains(QStringLiteral("Qwen Code")));
    }

    void bothPluginFirstAndFilesUntouched()
    {
        QTemporaryDir home;
        const QByteArray plugin = R"({"access_token":"a","refresh_token":"r","expires":1})";
        const QByteArray qwen = R"({"access_token":"b","refresh_token":"s","expiry_date":2})";
        write(LegacyImport::pluginTokenPath(home.path()), plugin);
        write(LegacyImport::qwenCodePath(home.path()), qwen);
        const QList<LegacyImport::Found> found = LegacyImport::findAll(home.path());
        QCOMPARE(found.size(), 2);
        QCOMPARE(found.at(0).source, LegacyImport::Source::OpenCodePlugin);
        QCOMPARE(found.at(1).source, LegacyImport::Source::QwenCode);
        QFile a(LegacyImport::pluginTokenPath(home.path()));
        QVERIFY(a.open(QIODevice::ReadOnly));
        QCOMPARE(a.readAll(), plugin);
    }

    void rejects_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("not json") << QByteArray("nope");
        QTest::newRow("array") << QByteArray("[]");
        QTest::newRow("no tokens") << QByteArray(R"({"expires":1})");
        QTest::newRow("no refresh token") << QByteArray(R"({"access_token":"a","expires":1})");
    }
    void rejects()
    {
        QFETCH(QByteArray, json);
        const LegacyImport::Found f =
            LegacyImport::parse(json, QStringLiteral("/x.json"), LegacyImport::Source::File);
        QVERIFY(!f.ok());
        QVERIFY(f.error.contains(QStringLiteral("/x.json")));
    }

    void unknownExpiryRefreshesFirst()
    {
        const LegacyImport::Found f =
            LegacyImport::parse(R"({"refresh_token":"r"})", {}, LegacyImport::Source::File);
        QVERIFY(f.ok());
        QVERIFY(f.credentials.expiresAt < QDateTime::currentDateTimeUtc());
    }

    void nothingThere()
    {
        QTemporaryDir home;
        QVERIFY(LegacyImport::findAll(home.path()).isEmpty());
        QVERIFY(!LegacyImport::firstUsable({}));
    }

    void firstUsable_data()
    {
        // Which of the found files is taken over: "p" usable plugin, "q" usable Qwen Code,
        // "x" unusable; the answer is the index, or -1 for none.
        QTest::addColumn<QString>("files");
        QTest::addColumn<int>("chosen");
        QTest::newRow("plugin only") << "p" << 0;
        QTest::newRow("both: plugin first") << "pq" << 0;
        QTest::newRow("broken plugin") << "xq" << 1;
        QTest::newRow("all broken") << "xx" << -1;
        QTest::newRow("none") << "" << -1;
    }
    void firstUsable()
    {
        QFETCH(QString, files);
        QFETCH(int, chosen);
        QList<LegacyImport::Found> found;
        for (const QChar c : files) {
            const QByteArray json = c == QLatin1Char('x')
                                        ? QByteArray("{}")
                                        : QByteArray(R"({"refresh_token":"r","expires":1})");
            found << LegacyImport::parse(json, QStringLiteral("/%1.json").arg(found.size()),
                                         c == QLatin1Char('q')
                                             ? LegacyImport::Source::QwenCode
                                             : LegacyImport::Source::OpenCodePlugin);
        }
        const std::optional<LegacyImport::Found> usable = LegacyImport::firstUsable(found);
        QCOMPARE(usable.has_value(), chosen >= 0);
        if (usable)
            QCOMPARE(usable->path, found.at(chosen).path);
    }

    void takeOver_data()
    {
        QTest::addColumn<bool>("stored");
        QTest::addColumn<bool>("deleteOriginal");
        QTest::addColumn<bool>("removable"); // the file is there to delete
        QTest::addColumn<LegacyImport::Original>("original");
        QTest::newRow("kept") << true << false << true << LegacyImport::Original::Kept;
        QTest::newRow("deleted") << true << true << true << LegacyImport::Original::Deleted;
        QTest::newRow("delete failed")
            << true << true << false << LegacyImport::Original::DeleteFailed;
        // Nothing stored: the original stays, whatever was asked.
        QTest::newRow("store failed") << false << true << true << LegacyImport::Original::Kept;
    }
    void takeOver()
    {
        QFETCH(bool, stored);
        QFETCH(bool, deleteOriginal);
        QFETCH(bool, removable);
        QFETCH(LegacyImport::Original, original);
        QTemporaryDir home;
        const QString path = LegacyImport::pluginTokenPath(home.path());
        write(path, R"({"access_token":"a","refresh_token":"r","expires":1})");
        LegacyImport::Found found = LegacyImport::readFile(path);
        QVERIFY(found.ok());
        if (!removable)
            found.path = home.filePath(QStringLiteral("not-there.json"));

        Credentials seen;
        const LegacyImport::Store store = [&](const Credentials &c,
                                              std::function<void(bool, const QString &)> done) {
            seen = c;
            // Deleting waits for the store to answer.
            QVERIFY(QFile::exists(path));
            done(stored, stored ? QString() : QStringLiteral("no keychain"));
        };
        std::optional<LegacyImport::TakeOverResult> result;
        LegacyImport::takeOver(found, deleteOriginal, store,
                               [&](const LegacyImport::TakeOverResult &r) { result = r; });
        QVERIFY(result);
        QCOMPARE(seen.refreshToken, QStringLiteral("r"));
        QCOMPARE(result->ok, stored);
        QCOMPARE(result->message, stored ? QString() : QStringLiteral("no keychain"));
        QCOMPARE(result->original, original);
        QCOMPARE(QFile::exists(path), original != LegacyImport::Original::Deleted);
    }
};

QTEST_GUILESS_MAIN(TestLegacyImport)
#include "tst_legacyimport.moc"
