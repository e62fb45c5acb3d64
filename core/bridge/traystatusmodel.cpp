#include "traystatusmodel.h"

#include "bridge/bridgeservice.h"
#include "bridge/quotastate.h"
#include "proxy/localkey.h"
#include "proxy/proxyserver.h"
#include "proxy/upstreamcontext.h"
#include "usage/usagemonitor.h"
#include "util/logcategories.h"
#include "util/wallclockwatch.h"

#include <QLocale>

QStringList TrayView::linesWith(const QString &expiry) const
{
    QStringList out;
    for (const QString *line : {&reasonLine, &methodLine, &quotaLine, &expiry, &proxyLine,
                                &localKeyLine, &requestsLine, &usageLine}) {
        if (!line->isEmpty())
            out << *line;
    }
    return out;
}

TrayStatusModel::TrayStatusModel(BridgeService *service, bool demo, QObject *parent)
    : QObject(parent)
    , m_service(service)
    , m_demo(demo)
    , m_usageMonitor(new UsageMonitor(service->usage(), service->settings(), this))
{
    SessionManager *session = service->session();
    connect(session, &SessionManager::stateChanged, this, &TrayStatusModel::refresh);
    connect(session, &SessionManager::credentialsChanged, this, &TrayStatusModel::refresh);
    connect(service, &BridgeService::proxyStarted, this, [this](const QUrl &url) {
        m_proxyError.clear();
        qCInfo(lcUi) << "proxy listening on" << url.toString();
        refresh();
    });
    connect(service, &BridgeService::proxyFailed, this, [this](const ServiceError &e) {
        m_proxyError = e.message;
        refresh();
    });
    connect(service, &BridgeService::localKeyReady, this, [this] {
        m_localKeyError.clear();
        refresh();
    });
    connect(service, &BridgeService::localKeyFailed, this, [this](const ServiceError &e) {
        m_localKeyError = e.message;
        refresh();
    });
    connect(service->quota(), &QuotaState::changed, this, &TrayStatusModel::refresh);
    // Counting requests must not redraw the tray for every one of them.
    m_statsRefresh.setSingleShot(true);
    m_statsRefresh.setInterval(500);
    connect(&m_statsRefresh, &QTimer::timeout, this, &TrayStatusModel::refresh);
    if (ProxyServer *proxy = service->proxy()) {
        connect(proxy, &ProxyServer::statsChanged, this, [this] {
            if (!m_statsRefresh.isActive())
                m_statsRefresh.start();
        });
        connect(proxy->upstream(), &UpstreamContext::requestFinished, m_usageMonitor,
                &UsageMonitor::requestRefresh);
    }
    connect(m_usageMonitor, &UsageMonitor::changed, this, &TrayStatusModel::refresh);
    // The first numbers a moment after start, off the start-up path (not a minute later).
    m_usageMonitor->requestRefresh();

    // "Expires in" counts down only while someone looks (setWatched); a resume or a clock
    // change makes every line current at once.
    m_countdown.setSingleShot(true);
    connect(&m_countdown, &QTimer::timeout, this, &TrayStatusModel::refresh);
    connect(WallClockWatch::instance(), &WallClockWatch::jumped, this, &TrayStatusModel::refresh);

    m_view = viewFor(input());
}

TrayStatus TrayStatusModel::statusFor(SessionState state, bool proxyFailed)
{
    switch (state) {
    case SessionState::SigningIn:
        return TrayStatus::SigningIn;
    case SessionState::SignInRequired:
    case SessionState::KeychainUnavailable:
    case SessionState::OfflineRetrying:
        return TrayStatus::Attention;
    case SessionState::SignedIn:
    case SessionState::Refreshing:
        return proxyFailed ? TrayStatus::Attention : TrayStatus::SignedIn;
    case SessionState::Starting:
    case SessionState::SignedOut:
        break;
    }
    return proxyFailed ? TrayStatus::Attention : TrayStatus::SignedOut;
}

QString TrayStatusModel::formatDuration(qint64 seconds)
{
    if (seconds < 60)
        return tr("less than a minute");
    const qint64 minutes = seconds / 60;
    if (minutes < 60)
        return tr("%1 min").arg(minutes);
    const qint64 hours = minutes / 60;
    if (hours < 24)
        return tr("%1 h %2 min").arg(hours).arg(minutes % 60);
    return tr("%1 d %2 h").arg(hours / 24).arg(hours % 24);
}

namespace {

QString stateTextFor(const StatusReport &report)
{
    if (report.quotaExhausted) {
        return report.method == AuthMethod::ApiKey ? TrayStatusModel::tr("API key quota used up")
                                                   : TrayStatusModel::tr("OAuth quota used up");
    }
    switch (report.state) {
    case SessionState::Starting:
        return TrayStatusModel::tr("Starting…");
    case SessionState::SignedOut:
        return TrayStatusModel::tr("Signed out");
    case SessionState::SigningIn:
        return TrayStatusModel::tr("Signing in…");
    case SessionState::SignedIn:
        return report.method == AuthMethod::ApiKey
                   ? TrayStatusModel::tr("Signed in with an API key")
                   : TrayStatusModel::tr("Signed in with your Qwen account");
    case SessionState::Refreshing:
        return TrayStatusModel::tr("Renewing the sign-in…");
    case SessionState::OfflineRetrying:
        return TrayStatusModel::tr("Offline: retrying");
    case SessionState::SignInRequired:
        return TrayStatusModel::tr("Sign in again");
    case SessionState::KeychainUnavailable:
        return TrayStatusModel::tr("The keychain is not available");
    }
    return {};
}

} // namespace

TrayView TrayStatusModel::viewFor(const Input &input)
{
    const StatusReport &report = input.report;
    const SessionState state = report.state;
    const AuthMethod method = report.method;
    const bool quota = report.quotaExhausted;
    const bool proxyFailed = !input.proxyError.isEmpty() && !report.proxyRunning;

    TrayView v;
    v.status = statusFor(state, proxyFailed || !input.localKeyError.isEmpty());
    if (quota)
        v.status = TrayStatus::Attention;
    v.stateText = stateTextFor(report);

    if ((state == SessionState::SignInRequired || state == SessionState::KeychainUnavailable ||
         state == SessionState::OfflineRetrying))
        v.reasonLine = report.message;

    const bool signedIn = report.isSignedIn();
    // Which plan and region the key is for; never the key.
    if (signedIn && method == AuthMethod::ApiKey)
        v.methodLine = tr("Key for %1").arg(report.presetName);
    if (quota) {
        v.quotaLine = method == AuthMethod::ApiKey
                          ? tr("Requests fail until the key's plan has quota again.")
                          : tr("Requests fail until you switch to an API key.");
    }
    if (signedIn && method == AuthMethod::OAuth && report.expiresAt.isValid()) {
        const qint64 left = input.nowUtc.secsTo(report.expiresAt);
        v.expiryLine =
            left > 0 ? tr("Token expires in %1 (renewed automatically)").arg(formatDuration(left))
                     : tr("Token expired; renewing");
        // The tooltip can be read at any moment without the app knowing: it names the time,
        // which stays true without a timer.
        v.expiryTipLine = left > 0 ? tr("Token valid until %1 (renewed automatically)")
                                         .arg(formatClockTime(report.expiresAt, input.nowUtc))
                                   : v.expiryLine;
        v.expiryChangesInMs = left > 0 ? (left % 60 + 1) * 1000 : 0;
    }

    if (report.proxyRunning)
        v.proxyLine = tr("Proxy: %1").arg(report.proxyUrl.toString());
    else if (!input.proxyError.isEmpty())
        v.proxyLine = tr("Proxy stopped: %1").arg(input.proxyError);
    else
        v.proxyLine = tr("Proxy starting…");
    if (!input.localKeyError.isEmpty())
        v.localKeyLine = tr("Local key: %1").arg(input.localKeyError);
    if (input.hasProxy)
        v.requestsLine = tr("Requests today: %1").arg(input.requestsToday);
    v.usageLine = input.usageLine;

    const bool withKey = signedIn && method == AuthMethod::ApiKey;
    // Either way in stays on offer: switching needs no restart of anything.
    v.signInVisible = !signedIn || withKey;
    v.signInEnabled = state != SessionState::Starting;
    if (withKey)
        v.signInText = tr("Sign in with your Qwen account…");
    else if (state == SessionState::SignInRequired)
        v.signInText = tr("Sign in again…");
    else
        v.signInText = tr("Sign in…");
    v.useApiKeyEnabled = state != SessionState::Starting;
    if (quota && method == AuthMethod::OAuth)
        v.useApiKeyText = tr("Use an API key instead…");
    else if (withKey)
        v.useApiKeyText = tr("Use another API key…");
    else
        v.useApiKeyText = tr("Use an API key…");
    v.useApiKeyProminent = quota;
    // Credentials that exist can be forgotten, whatever state they are in.
    v.signOutVisible = method != AuthMethod::None;

    v.localKeyReady = input.localKeyLoaded;
    if (!v.localKeyReady)
        v.waitingForKeyText = tr("Waiting for the local key from the keychain");
    return v;
}

TrayStatusModel::Input TrayStatusModel::input() const
{
    Input in;
    in.report = StatusReport::fromService(*m_service);
    in.proxyError = m_proxyError;
    in.localKeyError = m_localKeyError;
    if (const ProxyServer *proxy = m_service->proxy()) {
        in.hasProxy = true;
        in.requestsToday = proxy->stats().requestsOn(QDate::currentDate());
    }
    in.localKeyLoaded = m_service->localKey() && m_service->localKey()->isLoaded();
    in.usageLine = m_usageMonitor->statusLine();
    in.nowUtc = QDateTime::currentDateTimeUtc();
    return in;
}

QString TrayStatusModel::formatClockTime(const QDateTime &atUtc, const QDateTime &nowUtc)
{
    const QDateTime at = atUtc.toLocalTime();
    const QLocale locale;
    const QString time = locale.toString(at.time(), QLocale::ShortFormat);
    const qint64 days = nowUtc.toLocalTime().date().daysTo(at.date());
    if (days == 0)
        return time;
    if (days == 1)
        return tr("%1 tomorrow").arg(time);
    return tr("%1, %2").arg(locale.toString(at.date(), QLocale::ShortFormat), time);
}

QString TrayStatusModel::toolTip() const
{
    QStringList lines;
    lines << (m_demo ? tr("Qwen Bridge DEMO") : tr("Qwen Bridge"));
    lines << m_view.stateText;
    lines << m_view.toolTipLines();
    return lines.join(QLatin1Char('\n'));
}

bool TrayStatusModel::isQuotaExhausted() const
{
    return m_service->quota()->isExhausted();
}

QString TrayStatusModel::apiKeyPresetName() const
{
    return StatusReport::fromService(*m_service).presetName;
}

QString TrayStatusModel::proxyBaseUrl() const
{
    return StatusReport::fromService(*m_service).proxyUrl.toString();
}

void TrayStatusModel::refresh()
{
    m_view = viewFor(input());
    // Only while someone looks: the next moment the countdown shows another minute.
    if (m_watchers > 0 && m_view.expiryChangesInMs > 0)
        m_countdown.start(m_view.expiryChangesInMs);
    else
        m_countdown.stop();
    Q_EMIT changed();
}

void TrayStatusModel::setWatched(bool watched)
{
    m_watchers = qMax(0, m_watchers + (watched ? 1 : -1));
    if (watched) {
        // What may have changed unseen: the plan's settings, a reset passed.
        m_usageMonitor->checkNow();
        refresh();
    } else if (m_watchers == 0) {
        m_countdown.stop();
    }
}

void TrayStatusModel::clearProxyError()
{
    m_proxyError.clear();
}
