#pragma once

#include "http/httprequest.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>
#include <QUrl>

class AccountPool;
class HttpClient;
class HttpResponse;
class RequestLogger;
class SessionManager;
class Settings;
class UpstreamWarmer;
class UsageStore;

// What every request on its way upstream shares: the connection pool to the API base, the
// session that supplies the bearer, the settings, the request log and the usage meter, and
// which bearers have worked before. Each request gets a ForwardJob of its own, which does
// the sending, relaying and retrying; this counts the jobs in flight and, when they are
// done, hands freed memory back to the system.
class UpstreamContext : public QObject
{
    Q_OBJECT
public:
    UpstreamContext(Settings *settings, SessionManager *session, RequestLogger *logger,
                    QObject *parent = nullptr);
    ~UpstreamContext() override;

    // No bytes from upstream for this long ends the request (a stalled stream).
    void setIdleTimeoutMs(int ms) { m_idleTimeoutMs = ms; }
    int idleTimeoutMs() const { return m_idleTimeoutMs; }
    void setRetryDelayMs(int ms) { m_retryDelayMs = ms; }
    int retryDelayMs() const { return m_retryDelayMs; }

    void forwardChat(const HttpRequest &request, HttpResponse *response, quint64 requestId);
    void forwardModels(const HttpRequest &request, HttpResponse *response, quint64 requestId);

    int activeCount() const { return m_active; }

    // Upstream connections: one per request in flight, kept alive in between.
    HttpClient *client() const { return m_client; }

    SessionManager *session() const { return m_session; }
    Settings *settings() const { return m_settings; }
    RequestLogger *logger() const { return m_logger; }
    QString sessionId() const { return m_sessionId; }
    // Whether Qwen mode is on (QwenMode::resolveFromSystem): an environment variable, a
    // setting and a file looked at no more than once a second, not on every request (a
    // tenth of a request's CPU before).
    bool qwenModeEnabled();

    // Whether a request with this bearer had a success answer before: a later 401 then
    // means the plan may have expired rather than a wrong key. Kept as hashes only.
    void noteBearerWorked(const QString &bearer);
    bool bearerHasWorked(const QString &bearer) const;
    // Where each chat request's outcome is recorded (the usage meter); none by default.
    void setUsageStore(UsageStore *store) { m_usage = store; }
    UsageStore *usageStore() const { return m_usage; }
    // The credentials to choose from, in their order, with failover between them; none
    // (the default) means the session's one credential.
    void setAccounts(AccountPool *pool) { m_accounts = pool; }
    AccountPool *accounts() const { return m_accounts; }

    void jobStarted();
    void jobFinished(bool ok);

    // Keeps the upstream connection warm while someone uses it (issue 18).
    UpstreamWarmer *warmer() const { return m_warmer; }

    // How often freed heap memory was handed back to the system (see jobFinished()).
    int memoryTrims() const { return m_memoryTrims; }

Q_SIGNALS:
    // resetsAt: when the window the upstream named resets; invalid when it named none.
    void quotaExhausted(const QString &message, const QDateTime &resetsAt);
    // The upstream answered a chat request in full: whatever quota was gone is back.
    void chatAnswered();
    void requestFinished(bool ok);

private:
    void trimMemory();

    Settings *m_settings;
    SessionManager *m_session;
    RequestLogger *m_logger;
    UsageStore *m_usage = nullptr;
    AccountPool *m_accounts = nullptr;
    HttpClient *m_client;
    UpstreamWarmer *m_warmer = nullptr;
    QString m_sessionId;
    bool m_qwenMode = false;
    QElapsedTimer m_qwenModeAge; // invalid: not resolved yet
    int m_idleTimeoutMs = 300000;
    int m_retryDelayMs = 500;
    int m_memoryTrims = 0;
    QTimer m_trimTimer;
    QElapsedTimer m_sinceTrim;
    int m_active = 0;
    QSet<QByteArray> m_workedBearers; // SHA-256 of each bearer that had a success
    // The last bearer hashed and its hash: one token serves request after request.
    mutable QString m_hashedBearer;
    mutable QByteArray m_hashedBearerHash;
    QByteArray bearerHash(const QString &bearer) const;
};
