// The smallest Qt 6 tray application: an icon and a one-entry menu, nothing else. bench/run
// measures its idle RSS next to the tray's and nm-tray's, so the part of the tray's memory
// that is Qt 6 itself (on this machine, with these libraries) is a number, not a guess.
#include <QApplication>
#include <QMenu>
#include <QPixmap>
#include <QSystemTrayIcon>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    app.setQuitOnLastWindowClosed(false);
    QPixmap picture(22, 22);
    picture.fill(Qt::darkCyan);
    QSystemTrayIcon icon{QIcon(picture)};
    QMenu menu;
    menu.addAction(QStringLiteral("Quit"), &app, &QApplication::quit);
    icon.setContextMenu(&menu);
    icon.setToolTip(QStringLiteral("bare Qt 6 tray"));
    icon.show();
    return app.exec();
}
