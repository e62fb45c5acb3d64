#include "appicons.h"

#include <QCoreApplication>
#include <QIconEngine>
#include <QImageReader>
#include <QMap>
#include <QPainter>
#include <QPixmap>

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

// Reads each size when it is first asked for, and keeps it. An icon made with addFile() or
// addPixmap() would decode every size up front, and addFile() probes each file with every
// image format plugin Qt has (webp, tiff, jpeg, …: a dozen libraries mapped into a tray
// that only shows PNGs). Here the format is named, so Qt's built-in PNG reader is all that
// runs, and a tray that asks for 22 pixels never pays for the 256-pixel picture.
class LazyIconEngine : public QIconEngine
{
public:
    using Draw = std::function<QPixmap(int size)>;
    // Sizes from kSizes up to largest; a larger request is scaled from that one.
    LazyIconEngine(Draw draw, int largest)
        : m_draw(std::move(draw))
        , m_largest(largest)
    {}

    QPixmap pixmap(const QSize &size, QIcon::Mode, QIcon::State) override
    {
        const int wanted = qMax(1, qMax(size.width(), size.height()));
        // The smallest size drawn from the source that is at least as large, else the
        // largest; scaled down when it is not exact.
        int source = m_largest;
        for (const int s : kSizes) {
            if (s >= wanted && s <= m_largest) {
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
        for (const int s : kSizes) {
            if (s <= m_largest)
                sizes << QSize(s, s);
        }
        return sizes;
    }

    QIconEngine *clone() const override { return new LazyIconEngine(m_draw, m_largest); }
    QString key() const override { return QStringLiteral("QwenBridgeLazy"); }

private:
    Draw m_draw;
    int m_largest;
    QMap<int, QPixmap> m_cache;
};

// The PNG of each size, read when that size is first asked for. The PNG is named and no
// guessing: otherwise the reader asks every image format plugin whether it knows the file.
QIcon pngIcon(const QString &pattern, int largest)
{
    initResources();
    return QIcon(new LazyIconEngine(
        [pattern](int size) {
            QImageReader reader(pattern.arg(size), "png");
            reader.setAutoDetectImageFormat(false);
            return QPixmap::fromImage(reader.read());
        },
        largest));
}

// Made once each (the tray asks again on every status change), and dropped while the
// application object still exists: pixmaps must not outlive it.
QIcon cachedIcon(const QString &resource, int largest)
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
        it = cache.insert(resource, pngIcon(resource + QStringLiteral("/%1.png"), largest));
    return it.value();
}
} // namespace

QIcon AppIcons::application()
{
    // The PNGs the package installs for menus (packaging/icons, rendered from its SVG with
    // librsvg): the windows then show exactly the picture of the menu entry.
    return cachedIcon(QStringLiteral(":/icons/app"), 256);
}

QString AppIcons::trayResource(TrayStatus status)
{
    switch (status) {
    case TrayStatus::SignedOut:
        break;
    case TrayStatus::SigningIn:
        return QStringLiteral(":/icons/tray-signing-in");
    case TrayStatus::SignedIn:
        return QStringLiteral(":/icons/tray-signed-in");
    case TrayStatus::Attention:
        return QStringLiteral(":/icons/tray-attention");
    }
    return QStringLiteral(":/icons/tray-signed-out");
}

QIcon AppIcons::tray(TrayStatus status)
{
    // No tray shows more than 64 pixels: larger sizes would only weigh on the binary.
    return cachedIcon(trayResource(status), 64);
}
