#include "proxy/upstreamwarmer.h"

#include "http/httpclient.h"
#include "util/logcategories.h"
#include "util/wallclockwatch.h"

#include <QLoggingCategory>
#include <QNetworkInformation>

UpstreamWarmer::UpstreamWarmer(HttpClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    m_client->setKeepWarmMs(kKeepWarmMs);
    connect(WallClockWatch::instance(), &WallClockWatch::jumped, this,
            &UpstreamWarmer::clockJumped);
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

void UpstreamWarmer::clockJumped()
{
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
