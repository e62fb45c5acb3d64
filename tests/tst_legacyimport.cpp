#include "credentials/legacyimport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

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
    }
};

QTEST_GUILESS_MAIN(TestLegacyImport)
#include "tst_legacyimport.moc"
