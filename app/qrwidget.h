#pragma once

#include "qr/qrcode.h"

#include <QImage>
#include <QWidget>

// Shows a QR code that a phone can scan from the screen: black on white whatever the
// theme, the standard's quiet zone around it, and every module the same whole number of
// device pixels, so the code stays sharp at any size and any scale factor.
class QrWidget : public QWidget
{
    Q_OBJECT
public:
    explicit QrWidget(QWidget *parent = nullptr);

    void setText(const QString &text);
    QString text() const { return m_text; }
    bool isEmpty() const { return m_code.isNull(); }
    int modulesWithQuietZone() const; // 0 when empty

    // The symbol with its quiet zone, as large as fits in maxSide pixels with whole-pixel
    // modules (never smaller than one pixel a module). A null image when empty.
    QImage toImage(int maxSide) const;
    // Pixels per module when `modules` must fit in `side` pixels.
    static int moduleScale(int side, int modules);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return width; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_text;
    QrCode m_code;
};
