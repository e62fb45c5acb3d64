#include "appicons.h"

#include <QCoreApplication>
#include <QMap>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

// Outside any namespace: the macro declares a global function.
static void initResources()
{
    Q_INIT_RESOURCE(qwenbridge);
}

namespace {
// Rendered here rather than left to the SVG icon engine plugin: the icon then works even
// where that plugin is missing, and every size is drawn from the vector, so tray hosts
// that ask for 22 or 24 pixels get a sharp picture instead of a scaled one.
QIcon renderIcon(const QString &resource)
{
    initResources();
    QSvgRenderer renderer(resource);
    QIcon icon;
    if (!renderer.isValid())
        return icon;
    for (const int size : {16, 22, 24, 32, 48, 64, 128, 256}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        renderer.render(&painter, QRectF(0, 0, size, size));
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

// Rendered once each (the tray asks again on every status change), and dropped while the
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
        for (const int size : {16, 22, 24, 32, 48, 64, 128, 256})
            icon.addFile(QStringLiteral(":/icons/app/%1.png").arg(size), QSize(size, size));
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
