#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QTemporaryDir>

// A scratch HOME with its own XDG folders, set for this process and handed to children,
// so that nothing a test does touches the real user's files. Each one also names its own
// keychain service, so tests sharing one keyring daemon never see each other's entries.
class TestHome
{
public:
    TestHome();
    ~TestHome();
    TestHome(const TestHome &) = delete;
    TestHome &operator=(const TestHome &) = delete;

    bool isValid() const { return m_dir.isValid(); }
    QString path() const { return m_dir.path(); }
    QString configDir() const;  // XDG_CONFIG_HOME
    QString stateDir() const;   // XDG_STATE_HOME
    QString runtimeDir() const; // XDG_RUNTIME_DIR
    QString keychainService() const { return m_service; }

    // The environment for a child process: this scratch home plus the current session bus.
    QProcessEnvironment environment() const;

    // Writes key=value into the application's settings file in this home.
    void setSetting(const QString &key, const QVariant &value) const;

    // Every file under HOME that contains needle, for "no secret on disk" checks.
    QStringList filesContaining(const QByteArray &needle) const;

private:
    QTemporaryDir m_dir;
    QString m_service;
    QByteArray m_savedHome;
};
