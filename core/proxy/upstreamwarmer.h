#pragma once

#include <QObject>
#include <QUrl>

class HttpClient;

// A warm upstream (issue 18, item 3): the first request after a pause should not pay the
// TCP and TLS handshakes to a server a continent away. HttpClient keeps one connection to
// the origin last used open for keepWarmMs() after the last request, past its idle timeout,
// and replaces it when the server closes it. This tells the pool the moments a connection
// it holds is likely dead or missing: after a sign-in, after the machine wakes from sleep
// (WallClockWatch: the kernel says when the wall clock moved against the monotonic one),
// after a network change (QNetworkInformation, when a backend loads).
class UpstreamWarmer : public QObject
{
    Q_OBJECT
public:
    static constexpr int kKeepWarmMs = 30 * 60 * 1000;

    // fallbackOrigin: warmed after a sign-in when no request has named an origin yet.
    explicit UpstreamWarmer(HttpClient *client, QObject *parent = nullptr);

    void setFallbackOrigin(const QUrl &url) { m_fallback = url; }

    // A sign-in (or new credentials): someone is about to use the upstream.
    void signedIn();
    // The network changed (or came back): the kept connection may lead nowhere.
    void networkChanged();
    // The wall clock jumped (WallClockWatch::jumped): the machine slept, the kept
    // connection is likely dead; renews it.
    void clockJumped();

    int renewals() const { return m_renewals; }

private:
    void renew(const char *why);

    HttpClient *m_client;
    QUrl m_fallback;
    int m_renewals = 0;
};
