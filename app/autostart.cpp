#include "autostart.h"

#include "util/logcategories.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace {
// Desktop Entry Specification, "The Exec key": arguments with reserved characters are
// quoted, and inside quotes `"`, `` ` ``, `$` and `\` are escaped with a backslash.
QString quoteExecArgument(const QString &argument)
{
    static const QString reserved = QStringLiteral(" \t\n\"'\\><~|&;$*?#()`");
    bool needsQuotes = argument.isEmpty();
    for (const QChar c : argument)
        needsQuotes = needsQuotes || reserved.contains(c);
    QString escaped;
    for (const QChar c : argument) {
        if (c == QLatin1Char('"') || c == QLatin1Char('`') || c == QLatin1Char('$') ||
            c == QLatin1Char('\\'))
            escaped += QLatin1Char('\\');
        escaped += c;
    }
    // A literal percent sign is written twice, quoted or not (field codes).
    escaped.replace(QLatin1Char('%'), QStringLiteral("%%"));
    return needsQuotes ? QLatin1Char('"') + escaped + QLatin1Char('"') : escaped;
}
} // namespace

QString Autostart::filePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/autostart/qwen-bridge.desktop");
}

QString Autostart::executable()
{
    const QString appImage = qEnvironmentVariable("APPIMAGE");
    if (!appImage.isEmpty() && QFileInfo(appImage).isExecutable())
        return appImage;
    return QCoreApplication::applicationFilePath();
}

QByteArray Autostart::desktopEntry(const QString &executable)
{
    // Name and Comment stay in English: the file outlives a change of language, and desktops
    // show the application's own translated name from its installed .desktop file.
    QByteArray text = "[Desktop Entry]\n"
                      "Type=Application\n"
                      "Name=Qwen Bridge\n"
                      "Comment=Use Qwen models in OpenCode with your Qwen account\n";
    text += "Exec=" + quoteExecArgument(executable).toUtf8() + "\n";
    // The icon the package installs under the application id (packaging/icons).
    text += "Icon=io.github.qwen_bridge.QwenBridge\n"
            "Terminal=false\n"
            "Categories=Development;Utility;\n"
            "X-GNOME-Autostart-enabled=true\n";
    return text;
}

bool Autostart::isEnabled()
{
    QFile file(filePath());
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return false;
    // Read by hand: QSettings would take the commas and quotes of a desktop entry for its
    // own syntax.
    bool inMainGroup = false;
    bool enabled = true;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.startsWith('[')) {
            inMainGroup = line == "[Desktop Entry]";
            continue;
        }
        if (!inMainGroup)
            continue;
        const int eq = line.indexOf('=');
        if (eq < 0)
            continue;
        const QByteArray key = line.left(eq).trimmed();
        const QByteArray value = line.mid(eq + 1).trimmed().toLower();
        if (key == "Hidden" && value == "true")
            enabled = false;
        else if (key == "X-GNOME-Autostart-enabled" && value == "false")
            enabled = false;
    }
    return enabled;
}

bool Autostart::setEnabled(bool on, QString *error)
{
    const QString path = filePath();
    if (!on) {
        if (QFileInfo::exists(path) && !QFile::remove(path)) {
            if (error)
                *error = QCoreApplication::translate("Autostart", "%1 could not be removed.")
                             .arg(QDir::toNativeSeparators(path));
            return false;
        }
        qCInfo(lcUi) << "start at login switched off";
        return true;
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(desktopEntry(executable())) < 0 ||
        !file.commit()) {
        if (error)
            *error = QCoreApplication::translate("Autostart", "%1 could not be written: %2")
                         .arg(QDir::toNativeSeparators(path), file.errorString());
        return false;
    }
    qCInfo(lcUi) << "start at login switched on:" << path;
    return true;
}
