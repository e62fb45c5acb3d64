#include "qrwidget.h"

#include <QImage>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

// The QR code on the sign-in page must scan: drawn pixels are written to PNG and read back
// with a real decoder (zbarimg), and the drawing must stay pure black and white with whole
// pixels per module and the quiet zone, at sizes that do not divide evenly.
class TestQrWidget : public QObject
{
    Q_OBJECT

    const QString m_url =
        QStringLiteral("https://chat.qwen.ai/authorize?user_code=WXYZ-2345&client=qwen-code");

    static QByteArray decodePng(const QImage &image, const QString &dir, const QString &name)
    {
        const QString path = dir + QLatin1Char('/') + name + QStringLiteral(".png");
        if (!image.save(path, "PNG"))
            return "<could not write png>";
        QProcess zbar;
        zbar.start(QStringLiteral("zbarimg"),
                   {QStringLiteral("--raw"), QStringLiteral("-q"), path});
        if (!zbar.waitForFinished(60000))
            return "<zbarimg did not finish>";
        return zbar.readAllStandardOutput().trimmed();
    }

    static QSet<QRgb> colours(const QImage &image)
    {
        QSet<QRgb> seen;
        const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
        for (int y = 0; y < rgb.height(); ++y)
            for (int x = 0; x < rgb.width(); ++x)
                seen.insert(rgb.pixel(x, y) & 0xffffff);
        return seen;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("zbarimg")).isEmpty(),
                 "zbarimg (zbar-tools) is required; ./scripts/test installs it");
    }

    void emptyWidgetDrawsNothing()
    {
        QrWidget widget;
        QVERIFY(widget.isEmpty());
        QVERIFY(widget.toImage(200).isNull());
        QCOMPARE(widget.modulesWithQuietZone(), 0);
    }

    void moduleScaleIsWholePixels()
    {
        QCOMPARE(QrWidget::moduleScale(290, 29), 10);
        QCOMPARE(QrWidget::moduleScale(299, 29), 10);
        QCOMPARE(QrWidget::moduleScale(57, 29), 1);
        QCOMPARE(QrWidget::moduleScale(10, 29), 1); // never below one pixel
    }

    void imageDecodesBackToTheUrl_data()
    {
        QTest::addColumn<int>("side");
        QTest::newRow("small") << 120;
        QTest::newRow("odd") << 257;
        QTest::newRow("large") << 600;
    }
    void imageDecodesBackToTheUrl()
    {
        QFETCH(int, side);
        QrWidget widget;
        widget.setText(m_url);
        const QImage image = widget.toImage(side);
        QVERIFY(!image.isNull());
        const int modules = widget.modulesWithQuietZone();
        const int scale = QrWidget::moduleScale(side, modules);
        QCOMPARE(image.width(), modules * scale);
        QCOMPARE(image.height(), modules * scale);
        QVERIFY(image.width() <= qMax(side, modules));

        // Only black and white: no smoothing, no grey edges.
        const QSet<QRgb> seen = colours(image);
        QCOMPARE(seen, (QSet<QRgb>{0x000000, 0xffffff}));

        // The quiet zone (four modules) is white all round.
        const int quiet = QrCode::kQuietZone * scale;
        for (int i = 0; i < image.width(); ++i) {
            for (int j = 0; j < quiet; ++j) {
                QCOMPARE(image.pixel(i, j) & 0xffffff, 0xffffffu);
                QCOMPARE(image.pixel(j, i) & 0xffffff, 0xffffffu);
                QCOMPARE(image.pixel(i, image.height() - 1 - j) & 0xffffff, 0xffffffu);
                QCOMPARE(image.pixel(image.width() - 1 - j, i) & 0xffffff, 0xffffffu);
            }
        }

        QTemporaryDir dir;
        QCOMPARE(decodePng(image, dir.path(), QStringLiteral("qr-%1").arg(side)), m_url.toUtf8());
    }

    void paintedWidgetDecodes()
    {
        // What the person sees: the widget painted at a size the symbol does not divide.
        QrWidget widget;
        widget.setText(m_url);
        widget.resize(263, 241);
        const QImage shot = widget.grab().toImage();
        QVERIFY(!shot.isNull());
        QTemporaryDir dir;
        QCOMPARE(decodePng(shot, dir.path(), QStringLiteral("widget")), m_url.toUtf8());
    }

    void textChangeRedraws()
    {
        QrWidget widget;
        widget.setText(m_url);
        const QImage first = widget.toImage(300);
        widget.setText(m_url + QStringLiteral("&again=1"));
        QVERIFY(widget.toImage(300) != first);
        widget.setText(QString());
        QVERIFY(widget.isEmpty());
    }

    void keepsSquareGeometry()
    {
        QrWidget widget;
        widget.setText(m_url);
        QVERIFY(widget.hasHeightForWidth());
        QCOMPARE(widget.heightForWidth(300), 300);
        QVERIFY(widget.minimumSizeHint().width() >= widget.modulesWithQuietZone() * 2);
    }
};

QTEST_MAIN(TestQrWidget)
#include "tst_qrwidget.moc"
