#pragma once

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QUrl>

class Clock;
class HttpClient;

// A warm upstream (issue 18, item 3): the first request after a pause should not pay the
// TCP and TLS handshakes to a server a continent away. HttpClient keeps one connection to
// the origin last used open for keepWarmMs() after the last request, past its idle timeout,
// and replaces it when the server closes it. This tells the pool the moments a connection
// it holds is likely dead or missing: after a sign-in, after the machine wakes from sleep
// (the wall clock moved further than the monotonic one, looked at once a minute on
// MinuteTicker), after a network change (QNetworkInformation, when a backend loads).
class UpstreamWarmer : public QObject
{
    Q_OBJECT
public:
    static constexpr int kKeepWarmMs = 30 * 60 * 1000;
    // A wall clock that moved this much further than the monotonic one: the machine slept.
    static constexpr qint64 kClockJumpMs = 10 * 1000;

    // fallbackOrigin: warmed after a sign-in when no request has named an origin yet.
    UpstreamWarmer(HttpClient *client, Clock *clock = nullptr, QObject *parent = nullptr);

    void setFallbackOrigin(const QUrl &url) { m_fallback = url; }

    // A sign-in (or new credentials): someone is about to use the upstream.
    void signedIn();
    // The network changed (or came back): the kept connection may lead nowhere.
    void networkChanged();
    // Compares the wall clock with the monotonic one since the last call; after a jump
    // (sleep), renews the kept connection. Runs on MinuteTicker; public for tests.
    void checkClock();

    int renewals() const { return m_renewals; }

private:
    void renew(const char *why);

    HttpClient *m_client;
    Clock *m_clock;
    QUrl m_fallback;
    QDateTime m_lastWall;
    QElapsedTimer m_lastMono;
    int m_renewals = 0;
};
