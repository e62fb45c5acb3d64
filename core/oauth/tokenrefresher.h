#pragma once

#include "oauth/oauthtypes.h"

#include <QObject>
#include <QPointer>

class QNetworkAccessManager;
class QNetworkReply;

// One refresh_token grant (PROTOCOL.md §2.4), its outcome classified once.
// Scheduling, single flight and storage belong to the session manager.
class TokenRefresher : public QObject
{
    Q_OBJECT
public:
    enum class Outcome {
        Success,
        SignInRequired, // the refresh token is dead: 400/401, invalid_grant
        Transient,      // 5xx, timeout, network: try again later
    };
    Q_ENUM(Outcome)

    struct Result
    {
        Outcome outcome = Outcome::Transient;
        TokenSet tokens; // on success; the old refresh token kept when none came back
        QString message; // a sentence a person can act on
        int httpStatus = 0;
        bool rotated = false; // the server issued a new refresh token
    };

    TokenRefresher(QNetworkAccessManager *nam, const OAuthConfig &config,
                   QObject *parent = nullptr);
    ~TokenRefresher() override;

    void setRequestTimeout(int ms) { m_timeoutMs = ms; }
    bool isRunning() const { return !m_reply.isNull(); }

    // Starts a refresh; ignored while one runs.
    void refresh(const TokenSet &current);
    void abort();

    static Result classify(int httpStatus, bool transportFailed, const QString &error,
                           const QString &description);

Q_SIGNALS:
    void finished(const TokenRefresher::Result &result);

private:
    void onReply(QNetworkReply *reply);

    QNetworkAccessManager *m_nam;
    OAuthConfig m_config;
    TokenSet m_current;
    QPointer<QNetworkReply> m_reply;
    int m_timeoutMs = 20000;
};

Q_DECLARE_METATYPE(TokenRefresher::Result)
