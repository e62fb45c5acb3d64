#include "appicons.h"

#include <QCoreApplication>
#include <QIconEngine>
#include <QImageReader>
#include <QMap>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

#include <functional>
#include <iterator>

// Outside any namespace: the macro declares a global function.
static void initResources()
{
    Q_INIT_RESOURCE(qwenbridge);
}

namespace {
constexpr int kSizes[] = {16, 22, 24, 32, 48, 64, 128, 256};
constexpr int kLargestKept = 64;

// Draws each size when it is first asked for, and keeps it. An icon made with addFile() or
// addPixmap() would decode or render every size up front, and addFile() probes each file
// with every image format plugin Qt has (webp, tiff, jpeg, …: a dozen libraries mapped
// into a tray that only shows PNGs and SVGs). Here the format is named, so Qt's built-in
// PNG reader and the SVG renderer are all that run, and a tray that asks for 22 pixels
// never pays for the 256-pixel picture.
class LazyIconEngine : public QIconEngine
{
public:
    using Draw = std::function<QPixmap(int size)>;
    explicit LazyIconEngine(Draw draw)
        : m_draw(std::move(draw))
    {}

    QPixmap pixmap(const QSize &size, QIcon::Mode, QIcon::State) override
    {
        const int wanted = qMax(1, qMax(size.width(), size.height()));
        // The smallest size drawn from the source that is at least as large, else the
        // largest; scaled down when it is not exact.
        int source = kSizes[std::size(kSizes) - 1];
        for (const int s : kSizes) {
            if (s >= wanted) {
                source = s;
                break;
            }
        }
        // Sizes a tray or a title bar shows are kept; the large ones (asked for once, when
        // a window hands its icon to the window manager) are drawn again when needed.
        QPixmap drawn = m_cache.value(source);
        if (drawn.isNull()) {
            drawn = m_draw(source);
            if (source <= kLargestKept)
                m_cache.insert(source, drawn);
        }
        if (drawn.isNull() || drawn.width() == wanted)
            return drawn;
        return drawn.scaled(wanted, wanted, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override
    {
        painter->drawPixmap(rect, pixmap(rect.size(), mode, state));
    }

    QSize actualSize(const QSize &size, QIcon::Mode, QIcon::State) override
    {
        const int side = qMin(size.width(), size.height());
        return QSize(side, side);
    }

    QList<QSize> availableSizes(QIcon::Mode, QIcon::State) override
    {
        QList<QSize> sizes;
        for (const int s : kSizes)
            sizes << QSize(s, s);
        return sizes;
    }

    QIconEngine *clone() const override { return new LazyIconEngine(m_draw); }
    QString key() const override { return QStringLiteral("QwenBridgeLazy"); }

private:
    Draw m_draw;
    QMap<int, QPixmap> m_cache;
};

// Rendered here rather than left to the SVG icon engine plugin: the icon then works even
// where that plugin is missing, and every size is drawn from the vector, so tray hosts
// that ask for 22 or 24 pixels get a sharp picture instead of a scaled one.
QIcon renderIcon(const QString &resource)
{
    initResources();
    if (!QSvgRenderer(resource).isValid())
        return QIcon();
    return QIcon(new LazyIconEngine([resource](int size) {
        QSvgRenderer renderer(resource);
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        renderer.render(&painter, QRectF(0, 0, size, size));
        painter.end();
        return pixmap;
    }));
}

// Made once each (the tray asks again on every status change), and dropped while the
// application object still exists: pixmaps must not outlive it.
QIcon cachedIcon(const QString &resource)
{
    static QMap<QString, QIcon> cache;
    static bool cleanupRegistered = false;
    if (!cleanupRegistered) {
        cleanupRegistered = true;
        qAddPostRoutine([] {
            cache.clear();
            cleanupRegistered = false;
        });
    }
    auto it = cache.find(resource);
    if (it == cache.end())
        it = cache.insert(resource, renderIcon(resource));
    return it.value();
}
} // namespace

QIcon AppIcons::application()
{
    // The PNGs the package installs for menus (packaging/icons, rendered from its SVG with
    // librsvg): the windows then show exactly the picture of the menu entry. Qt's own SVG
    // renderer would lose the rounded clip of that SVG.
    static QIcon icon;
    static bool cleanupRegistered = false;
    if (!cleanupRegistered) {
        cleanupRegistered = true;
        qAddPostRoutine([] {
            icon = QIcon();
            cleanupRegistered = false;
        });
    }
    if (icon.isNull()) {
        initResources();
        icon = QIcon(new LazyIconEngine([](int size) {
            // PNG named and no guessing: otherwise the reader asks every image format
            // plugin whether it knows the file first.
            QImageReader reader(QStringLiteral(":/icons/app/%1.png").arg(size), "png");
            reader.setAutoDetectImageFormat(false);
            return QPixmap::fromImage(reader.read());
        }));
    }
    return icon;
}

QString AppIcons::trayResource(TrayStatus status)
{
    switch (status) {
    case TrayStatus::SignedOut:
        break;
    case TrayStatus::SigningIn:
        return QStringLiteral(":/icons/tray-signing-in.svg");
    case TrayStatus::SignedIn:
        return QStringLiteral(":/icons/tray-signed-in.svg");
    case TrayStatus::Attention:
        return QStringLiteral(":/icons/tray-attention.svg");
    }
    return QStringLiteral(":/icons/tray-signed-out.svg");
}

QIcon AppIcons::tray(TrayStatus status)
{
    return cachedIcon(trayResource(status));
}
