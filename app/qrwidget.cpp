#include "qrwidget.h"

#include <QPainter>

QrWidget::QrWidget(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    setAccessibleName(tr("QR code of the sign-in link"));
}

void QrWidget::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_code = text.isEmpty() ? QrCode() : QrCode::encode(text.toUtf8());
    setAccessibleDescription(text);
    updateGeometry();
    update();
}

int QrWidget::modulesWithQuietZone() const
{
    return m_code.isNull() ? 0 : m_code.size() + 2 * QrCode::kQuietZone;
}

int QrWidget::moduleScale(int side, int modules)
{
    if (modules <= 0)
        return 1;
    return qMax(1, side / modules);
}

QImage QrWidget::toImage(int maxSide) const
{
    const int modules = modulesWithQuietZone();
    if (modules == 0)
        return {};
    const int scale = moduleScale(maxSide, modules);
    QImage image(modules * scale, modules * scale, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing, false);
    for (int y = 0; y < m_code.size(); ++y) {
        for (int x = 0; x < m_code.size(); ++x) {
            if (m_code.isDark(x, y)) {
                painter.fillRect((x + QrCode::kQuietZone) * scale, (y + QrCode::kQuietZone) * scale,
                                 scale, scale, Qt::black);
            }
        }
    }
    return image;
}

QSize QrWidget::sizeHint() const
{
    const int modules = qMax(modulesWithQuietZone(), 33);
    return QSize(modules * 5, modules * 5);
}

QSize QrWidget::minimumSizeHint() const
{
    // Two pixels a module is about the least a phone camera reads off a screen.
    const int modules = qMax(modulesWithQuietZone(), 33);
    return QSize(modules * 2, modules * 2);
}

void QrWidget::paintEvent(QPaintEvent *)
{
    if (m_code.isNull())
        return;
    // Work in device pixels: with a fractional scale factor, whole logical pixels would
    // still land between device pixels and blur the module edges.
    const qreal dpr = devicePixelRatioF();
    const int deviceSide = int(qMin(width(), height()) * dpr);
    QImage image = toImage(deviceSide);
    const int dx = (int(width() * dpr) - image.width()) / 2;
    const int dy = (int(height() * dpr) - image.height()) / 2;
    image.setDevicePixelRatio(dpr);

    QPainter painter(this);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter.drawImage(QPointF(dx / dpr, dy / dpr), image);
}
