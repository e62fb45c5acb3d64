#include "testhome.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QUuid>

namespace {
const char *const kXdgVars[][2] = {
    {"XDG_CONFIG_HOME", ".config"},     {"XDG_DATA_HOME", ".local/share"},
    {"XDG_STATE_HOME", ".local/state"}, {"XDG_CACHE_HOME", ".cache"},
    {"XDG_RUNTIME_DIR", "run"},
};
}

TestHome::TestHome()
    : m_service(QStringLiteral("qwen-bridge-test-%1")
                    .arg(QUuid::createUuid().toString(QUuid::WithoutBraces).left(8)))
    , m_savedHome(qgetenv("HOME"))
{
    if (!m_dir.isValid())
        return;
    qputenv("HOME", m_dir.path().toLocal8Bit());
    for (const auto &var : kXdgVars) {
        const QString p = m_dir.path() + QLatin1Char('/') + QLatin1String(var[1]);
        QDir().mkpath(p);
        qputenv(var[0], p.toLocal8Bit());
    }
    QFile::setPermissions(runtimeDir(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QStandardPaths::setTestModeEnabled(false);
    setSetting(QStringLiteral("keychain/service"), m_service);
}

TestHome::~TestHome()
{
    qputenv("HOME", m_savedHome);
}

QString TestHome::configDir() const
{
    return m_dir.path() + QStringLiteral("/.config");
}

QString TestHome::stateDir() const
{
    return m_dir.path() + QStringLiteral("/.local/state");
}

QString TestHome::runtimeDir() const
{
    return m_dir.path() + QStringLiteral("/run");
}

QProcessEnvironment TestHome::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), m_dir.path());
    for (const auto &var : kXdgVars)
        env.insert(QLatin1String(var[0]), m_dir.path() + QLatin1Char('/') + QLatin1String(var[1]));
    return env;
}

void TestHome::setSetting(const QString &key, const QVariant &value) const
{
    QSettings settings(configDir() + QStringLiteral("/qwen-bridge/settings.ini"),
                       QSettings::IniFormat);
    settings.setValue(key, value);
    settings.sync();
}

QStringList TestHome::filesContaining(const QByteArray &needle) const
{
    QStringList hits;
    if (needle.isEmpty())
        return hits;
    QDirIterator it(m_dir.path(), QDir::Files | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        QFile f(file);
        if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle))
            hits << file;
    }
    return hits;
}
