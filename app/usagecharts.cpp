#include "usagecharts.h"

#include "util/logcategories.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QPluginLoader>

namespace {
struct Loaded
{
    bool tried = false;
    UsageChartFactory *factory = nullptr;
    QString error;
};

Loaded &loaded()
{
    static Loaded state;
    return state;
}
} // namespace

UsageChartFactory *UsageCharts::factory()
{
    Loaded &state = loaded();
    if (!state.tried) {
        state.tried = true;
        state.factory = load(pluginDirs(), &state.error);
    }
    return state.factory;
}

QString UsageCharts::errorString()
{
    return loaded().error;
}

QStringList UsageCharts::pluginDirs()
{
    const QDir bin(QCoreApplication::applicationDirPath());
    // A plain string, not a QStringLiteral: the package's test finds it in the executable.
    return {QDir::cleanPath(bin.filePath(QString::fromUtf8(QWEN_BRIDGE_CHARTS_PLUGIN_RELDIR))),
            QStringLiteral(QWEN_BRIDGE_CHARTS_PLUGIN_BUILD_DIR)};
}

QString UsageCharts::fileName()
{
    return QStringLiteral(QWEN_BRIDGE_CHARTS_PLUGIN_FILE);
}

UsageChartFactory *UsageCharts::load(const QStringList &dirs, QString *error)
{
    QStringList tried;
    for (const QString &dir : dirs) {
        const QString path = QDir(dir).filePath(fileName());
        if (!QFileInfo::exists(path)) {
            tried << QDir::toNativeSeparators(path);
            continue;
        }
        // The plugin stays loaded when the loader goes: only unload() would unload it.
        QPluginLoader loader(path);
        QObject *instance = loader.instance();
        auto *factory = qobject_cast<UsageChartFactory *>(instance);
        if (!factory) {
            const QString why = instance ? QCoreApplication::translate(
                                               "UsageCharts", "%1 is not the usage charts plugin")
                                               .arg(QDir::toNativeSeparators(path))
                                         : loader.errorString();
            qCWarning(lcUi) << "cannot load the charts:" << why;
            if (error)
                *error = why;
            return nullptr;
        }
        qCDebug(lcUi) << "charts loaded from" << path;
        return factory;
    }
    const QString why = QCoreApplication::translate(
                            "UsageCharts", "The charts plugin is not installed (looked for %1).")
                            .arg(tried.join(QStringLiteral(", ")));
    qCWarning(lcUi) << "cannot load the charts:" << why;
    if (error)
        *error = why;
    return nullptr;
}
