#pragma once

#include "http/httpserver.h"

#include <QDate>
#include <QDateTime>
#include <QObject>
#include <QUrl>

class LocalKey;
class RequestLogger;
class SessionManager;
class Settings;
class UpstreamContext;

struct ProxyStats
{
    quint64 requestsTotal = 0;
    quint64 requestsToday = 0; // chat and model requests forwarded upstream today
    quint64 errors = 0;
    int activeRequests = 0;
    QDate day; // the day requestsToday counts

    // The requests of the given day: none once the day has passed without one (the count
    // starts afresh only with the next request).
    quint64 requestsOn(const QDate &date) const { return date == day ? requestsToday : 0; }
};

// The OpenAI-compatible endpoint on 127.0.0.1 that OpenCode talks to: checks who is
// asking (local key, Host, no browser Origin), routes, and hands chat and model requests
// upstream (UpstreamContext). Answers every refusal itself with an OpenAI-style JSON error.
class ProxyServer : public QObject
{
    Q_OBJECT
public:
    ProxyServer(Settings *settings, SessionManager *session, LocalKey *localKey,
                QObject *parent = nullptr);
    ~ProxyServer() override;

    // Listens on 127.0.0.1:port. False with errorString() when the port is taken.
    bool start(quint16 port);
    void stop();
    bool isListening() const;
    quint16 port() const;
    QUrl baseUrl() const; // http://127.0.0.1:PORT/v1
    QString errorString() const;
    // The last start() failed because another program listens on the port.
    bool portInUse() const { return m_portInUse; }

    void setLimits(const HttpServerLimits &limits);
    UpstreamContext *upstream() const { return m_upstream; }
    RequestLogger *requestLogger() const { return m_logger; }
    ProxyStats stats() const { return m_stats; }

Q_SIGNALS:
    void statsChanged();
    // The upstream says the account's quota is gone (OAuth free tier discontinued).
    void quotaExhausted(const QString &message, const QDateTime &resetsAt);

private:
    void onRequest(const HttpRequest &request, HttpResponse *response);
    bool hostAllowed(const QByteArray &host) const;
    void countRequest();

    Settings *m_settings;
    SessionManager *m_session;
    LocalKey *m_localKey;
    HttpServer *m_server;
    UpstreamContext *m_upstream;
    RequestLogger *m_logger;
    ProxyStats m_stats;
    qint64 m_dayStartMs = 0; // local midnight of m_stats.day and the next one, in UTC ms
    qint64 m_dayEndMs = 0;
    QString m_error;
    bool m_portInUse = false;
};
