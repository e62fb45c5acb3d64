#pragma once

#include "oauth/oauthtypes.h"
#include "oauth/pkce.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QNetworkAccessManager;
class QNetworkReply;

// The OAuth 2.0 device authorization grant (RFC 8628) with PKCE S256, as Qwen speaks it
// (PROTOCOL.md §2): ask for a device code, then poll the token endpoint at the server's
// interval until the person approves, refuses or the code expires.
class DeviceAuthorization : public QObject
{
    Q_OBJECT
public:
    DeviceAuthorization(QNetworkAccessManager *nam, const OAuthConfig &config,
                        QObject *parent = nullptr);
    ~DeviceAuthorization() override;

    // RFC 8628: 5 s when the server names no interval; slow_down adds 5 s for good.
    // Tests shrink both; nobody else needs to.
    void setTiming(int defaultIntervalMs, int slowDownStepMs);
    void setRequestTimeout(int ms) { m_requestTimeoutMs = ms; }

    bool isRunning() const { return m_running; }
    int currentIntervalMs() const { return m_intervalMs; }
    int secondsLeft() const;
    // The countdown as people read it, "mm:ss" (minutes padded too: "04:59"); never
    // negative. The terminal and the sign-in dialog both show this.
    static QString formatCountdown(int seconds);

public Q_SLOTS:
    void start();
    void cancel();

Q_SIGNALS:
    void codeReady(const DeviceCode &code);
    void countdown(int secondsLeft);
    // A poll failed in a way worth retrying (5xx, network); polling goes on.
    void transientError(const QString &message);
    void succeeded(const TokenSet &tokens);
    void failed(const AuthFailure &failure);

private:
    void onDeviceCodeReply(QNetworkReply *reply);
    void poll();
    void onTokenReply(QNetworkReply *reply);
    void scheduleNextPoll();
    void onTick();
    void finishWith(const AuthFailure &failure);
    void stop();

    QNetworkAccessManager *m_nam;
    OAuthConfig m_config;
    Pkce m_pkce;
    QByteArray m_deviceCode;
    QPointer<QNetworkReply> m_reply;
    QTimer m_pollTimer;
    QTimer m_tickTimer;
    QDeadlineTimer m_deadline;
    QString m_lastTransientError;
    int m_defaultIntervalMs = 5000;
    int m_slowDownStepMs = 5000;
    int m_intervalMs = 5000;
    int m_requestTimeoutMs = 20000;
    bool m_running = false;
};
