#include "qr/qrcode.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

// Decodes what QrCode drew with a real QR reader (zbarimg), so a wrong matrix, a missing
// quiet zone or inverted modules fail here.
class TestQrCode : public QObject
{
    Q_OBJECT

    static QByteArray decode(const QrCode &code, const QString &dir)
    {
        const int scale = 4;
        const int side = (code.size() + 2 * QrCode::kQuietZone) * scale;
        QByteArray pgm = QByteArray("P5\n") + QByteArray::number(side) + ' ' +
                         QByteArray::number(side) + "\n255\n";
        for (int py = 0; py < side; ++py)
            for (int px = 0; px < side; ++px)
                pgm += code.isDark(px / scale - QrCode::kQuietZone, py / scale - QrCode::kQuietZone)
                           ? char(0)
                           : char(255);
        const QString path = dir + QStringLiteral("/qr.pgm");
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(pgm);
        f.close();
        QProcess p;
        p.start(QStringLiteral("zbarimg"), {QStringLiteral("--raw"), QStringLiteral("-q"), path});
        p.waitForFinished(30000);
        return p.readAllStandardOutput().trimmed();
    }

private Q_SLOTS:
    void decodesBack_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("verification url")
            << QByteArray("https://chat.qwen.ai/authorize?user_code=ABCD-1234&client=qwen-code");
        QTest::newRow("long") << QByteArray("https://example.com/") + QByteArray(300, 'x');
    }
    void decodesBack()
    {
        QFETCH(QByteArray, text);
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("zbarimg")).isEmpty(),
                 "zbarimg (zbar-tools) is required; ./scripts/test installs it");
        const QrCode code = QrCode::encode(text);
        QVERIFY(!code.isNull());
        QTemporaryDir dir;
        QCOMPARE(decode(code, dir.path()), text);
    }
    void terminalText()
    {
        const QrCode code = QrCode::encode("hello");
        const QString plain = code.toTerminalText(false);
        const int rows = (code.size() + 2 * QrCode::kQuietZone + 1) / 2;
        QCOMPARE(plain.count(QLatin1Char('\n')), rows);
        QVERIFY(!plain.contains(QLatin1Char('\x1b')));
        const QString ansi = code.toTerminalText(true);
        QVERIFY(ansi.contains(QStringLiteral("\x1b[30;107m")));
        QVERIFY(ansi.contains(QStringLiteral("\x1b[0m")));
        // The quiet zone: the first row has no ink in the plain rendering (light = full block).
        const QString first = plain.section(QLatin1Char('\n'), 0, 0);
        QCOMPARE(first, QString(code.size() + 2 * QrCode::kQuietZone, QChar(0x2588)));
    }
    void empty() { QVERIFY(QrCode::encode({}).isNull()); }
};

QTEST_GUILESS_MAIN(TestQrCode)
#include "tst_qrcode.moc"
