#include "proxy/upstreamwarmer.h"

#include "http/httpclient.h"
#include "session/clock.h"
#include "util/logcategories.h"
#include "util/minuteticker.h"

#include <QLoggingCategory>
#include <QNetworkInformation>

UpstreamWarmer::UpstreamWarmer(HttpClient *client, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_clock(clock ? clock : Clock::system())
{
    m_client->setKeepWarmMs(kKeepWarmMs);
    m_lastWall = m_clock->nowUtc();
    m_lastMono.start();
    connect(MinuteTicker::instance(), &MinuteTicker::tick, this, &UpstreamWarmer::checkClock);
    // The backend is loaded by whoever wants it first (the session does, for its retries);
    // no backend (Qt 6.4 on a system without NetworkManager): no network-change renewals.
    if (QNetworkInformation *info = QNetworkInformation::instance()) {
        connect(info, &QNetworkInformation::reachabilityChanged, this,
                [this](QNetworkInformation::Reachability r) {
                    if (r == QNetworkInformation::Reachability::Online)
                        networkChanged();
                });
    }
}

void UpstreamWarmer::signedIn()
{
    const QUrl origin = m_client->warmOrigin().isValid() ? m_client->warmOrigin() : m_fallback;
    if (!origin.isValid())
        return;
    qCDebug(lcProxy) << "signed in: warming" << origin.host();
    m_client->warmUp(origin);
}

void UpstreamWarmer::networkChanged()
{
    renew("the network changed");
}

void UpstreamWarmer::checkClock()
{
    const QDateTime wall = m_clock->nowUtc();
    const qint64 wallDelta = m_lastWall.msecsTo(wall);
    const qint64 monoDelta = m_lastMono.restart();
    m_lastWall = wall;
    if (qAbs(wallDelta - monoDelta) > kClockJumpMs)
        renew("the clock jumped (the computer slept)");
}

void UpstreamWarmer::renew(const char *why)
{
    if (!m_client->isKeepingWarm())
        return; // nobody used the upstream lately: nothing to keep
    ++m_renewals;
    qCInfo(lcProxy) << why << "- opening a fresh connection to" << m_client->warmOrigin().host();
    m_client->rewarm();
}
