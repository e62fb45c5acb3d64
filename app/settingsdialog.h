#pragma once

#include "http/networkproxy.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class Settings;
class UsageSettingsGroup;

// The settings a person may want to change, checked before anything is saved. Values
// that the environment overrides are shown but cannot be edited here.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr quint16 kMinPort = 1024; // lower ports need root on Linux

    SettingsDialog(Settings *settings, bool demo, QWidget *parent = nullptr);

    // Each returns an empty string when the text is acceptable, else a sentence saying why not.
    static QString checkPort(const QString &text, quint16 *port = nullptr);
    static QString checkOAuthBaseUrl(const QString &text);
    static QString checkProviderId(const QString &text);
    static QString checkClientId(const QString &text);
    static QString checkNetworkProxyUrl(const QString &text);

    // Checks every field, saves when all are good; false (with the reasons on screen) when not.
    bool apply();
    QString errorText() const;

public Q_SLOTS:
    void accept() override;
    void restoreDefaults();

Q_SIGNALS:
    void portChanged(quint16 port); // the proxy must listen somewhere else
    void qwenModeChanged();
    void loggingChanged();          // debug or request logging switched
    void openCodeSettingsChanged(); // port or provider id: OpenCode's file is stale
    void signInSettingsChanged();   // OAuth base URL or client id
    void usageSettingsSaved();      // the plan's tier, subscription day or token limit
    // The HTTP proxy choice changed, or a new password was typed (empty: keep the stored
    // one). The receiver saves it with ProxySettings::save(): the password goes to the
    // keychain, never to the settings file.
    void networkProxyChanged(NetworkProxy::Mode mode, const QString &url, const QString &password);

private:
    void load();
    void markInvalid(QWidget *field, bool invalid);
    QLabel *makeNote(const QString &text);

    Settings *m_settings;
    QLineEdit *m_port;
    QComboBox *m_qwenMode;
    QComboBox *m_routing;
    QLineEdit *m_providerId;
    QCheckBox *m_debugLogging;
    QCheckBox *m_requestLogging;
    QLineEdit *m_oauthBaseUrl;
    QLineEdit *m_clientId;
    QComboBox *m_networkProxy;
    QLineEdit *m_networkProxyUrl;
    QLineEdit *m_networkProxyPassword;
    UsageSettingsGroup *m_usage;
    QLabel *m_errors;
};
