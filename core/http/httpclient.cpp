#include "http/httpclient.h"

#include "http/networkproxy.h"
#include "util/logcategories.h"

#include <QLoggingCategory>
#include <QSslSocket>
#include <QTcpSocket>

// The keep-alive pool: HttpClientReply (httpclientreply.cpp) takes a connection from it
// before opening one, and gives it back when its answer is complete. And the warm upstream:
// one connection to the origin last used, kept open while someone uses it.

namespace {
// At most this many idle connections are kept per scheme, host and port: after a burst of
// parallel requests every connection of it is worth keeping for the next burst; the idle
// timeout closes them once things calm down.
constexpr qsizetype kMaxIdlePerHost = 512;
// The sweep runs at the earliest deadline, but no sooner than this after the last one:
// a burst of connections going idle a few ms apart is closed in one pass.
constexpr int kMinSweepMs = 20;
// While keeping an origin warm, its newest idle connection becomes the kept one this long
// after it went idle, so that the wake-up for it falls in the quiet moment right after the
// requests (with the proxy's own memory trim) and not in the idle time later.
constexpr int kKeepQuietMs = 2000;

bool isHttps(const QUrl &url)
{
    return url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
}
} // namespace

HttpClient::HttpClient(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    m_sweepTimer.setSingleShot(true);
    connect(&m_sweepTimer, &QTimer::timeout, this, &HttpClient::sweep);
    m_reopenTimer.setSingleShot(true);
    connect(&m_reopenTimer, &QTimer::timeout, this, &HttpClient::openWarm);
}

HttpClient::~HttpClient()
{
    closeIdleConnections();
    if (m_warming)
        m_warming->abort();
}

QString HttpClient::poolKey(const QUrl &url)
{
    const bool https = isHttps(url);
    return url.scheme().toLower() + QLatin1String("://") + url.host().toLower() + QLatin1Char(':') +
           QString::number(url.port(https ? 443 : 80));
}

HttpClientReply *HttpClient::send(const HttpClientRequest &request, QObject *parent)
{
    auto *reply = new HttpClientReply(this, request, parent);
    reply->start();
    return reply;
}

void HttpClient::setIdleTimeoutMs(int ms)
{
    m_idleTimeoutMs = qMax(0, ms);
}

int HttpClient::idleConnectionCount() const
{
    // Connections the server has closed meanwhile do not count; sweep() removes them.
    int n = 0;
    for (const QList<Idle> &list : m_idle) {
        for (const Idle &e : list)
            n += e.socket->state() == QAbstractSocket::ConnectedState ? 1 : 0;
    }
    return n;
}

void HttpClient::closeIdleConnections()
{
    for (const QList<Idle> &list : std::as_const(m_idle)) {
        for (const Idle &e : list) {
            e.socket->disconnect(this);
            e.socket->abort();
            e.socket->deleteLater();
        }
    }
    m_idle.clear();
    m_kept.clear();
    m_sweepTimer.stop();
    m_sweepDueMs = -1;
}

QTcpSocket *HttpClient::takeIdle(const QString &key)
{
    auto it = m_idle.find(key);
    if (it == m_idle.end())
        return nullptr;
    QTcpSocket *found = nullptr;
    QList<Idle> &list = it.value();
    while (!list.isEmpty() && !found) {
        // The most recently used first: the least likely to have been closed by now.
        const Idle e = list.takeLast();
        const bool kept = e.socket == m_kept;
        if (kept) {
            e.socket->disconnect(this);
            m_kept.clear();
        }
        if (e.socket->state() == QAbstractSocket::ConnectedState &&
            e.socket->bytesAvailable() == 0 &&
            (kept || m_clock.elapsed() - e.since < m_idleTimeoutMs)) {
            found = e.socket;
        } else {
            e.socket->abort();
            e.socket->deleteLater();
        }
    }
    if (list.isEmpty())
        m_idle.erase(it);
    return found;
}

void HttpClient::putIdle(const QString &key, QTcpSocket *socket)
{
    QList<Idle> &list = m_idle[key];
    if (list.size() >= kMaxIdlePerHost || m_idleTimeoutMs == 0) {
        if (list.isEmpty())
            m_idle.remove(key);
        socket->abort();
        socket->deleteLater();
        return;
    }
    // No signal connections while idle (making and breaking them for every request costs
    // more than the rest of the pool): takeIdle() checks a connection before using it, and
    // sweep() closes the ones the server closed or wrote to meanwhile. The one connection
    // kept warm is the exception (keep()).
    socket->setParent(this);
    const qint64 now = m_clock.elapsed();
    list.append({socket, now});
    const bool toKeep = socket != m_kept && key == m_warmKey && isKeepingWarm();
    const qint64 due = now + (toKeep ? kKeepQuietMs : m_idleTimeoutMs);
    if (m_sweepDueMs < 0 || due < m_sweepDueMs)
        scheduleSweep();
}

void HttpClient::noteSend(const QString &key, const QUrl &url)
{
    m_lastSendMs = m_clock.elapsed();
    m_warmPaused = false;
    if (m_keepWarmMs <= 0 || key == m_warmKey)
        return;
    // Another origin is in use now: the old one's kept connection times out as usual.
    if (m_kept) {
        m_kept->disconnect(this);
        m_kept.clear();
    }
    m_warmKey = key;
    m_warmUrl = url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment |
                             QUrl::RemoveUserInfo);
}

void HttpClient::noteReleased(const QString &key)
{
    const auto it = m_busy.find(key);
    if (it == m_busy.end() || --it.value() > 0)
        return;
    m_busy.erase(it);
    // The last connection to the warm origin closed instead of going idle: open the next
    // one (from the event loop: this runs inside the reply that let it go).
    if (key == m_warmKey && needsWarmConnection())
        QMetaObject::invokeMethod(this, &HttpClient::openWarm, Qt::QueuedConnection);
}

bool HttpClient::needsWarmConnection() const
{
    return isKeepingWarm() && !m_warmPaused && !m_warming && !m_idle.contains(m_warmKey) &&
           !m_busy.contains(m_warmKey);
}

void HttpClient::setKeepWarmMs(int ms)
{
    m_keepWarmMs = qMax(0, ms);
    if (m_keepWarmMs == 0 && m_kept) {
        m_kept->disconnect(this);
        m_kept.clear();
    }
    scheduleSweep();
}

bool HttpClient::isKeepingWarm() const
{
    return m_keepWarmMs > 0 && !m_warmKey.isEmpty() && m_lastSendMs >= 0 &&
           m_clock.elapsed() - m_lastSendMs < m_keepWarmMs;
}

void HttpClient::warmUp(const QUrl &url)
{
    if (m_keepWarmMs <= 0 || !url.isValid() || url.host().isEmpty())
        return;
    noteSend(poolKey(url), url);
    sweep(); // keeps an idle connection if there is one, else opens one
}

void HttpClient::rewarm()
{
    if (!isKeepingWarm() || m_warmPaused)
        return;
    qCDebug(lcHttp) << "renewing the warm connection to" << m_warmKey;
    const auto it = m_idle.find(m_warmKey);
    if (it != m_idle.end()) {
        for (const Idle &e : std::as_const(it.value())) {
            e.socket->disconnect(this);
            e.socket->abort();
            e.socket->deleteLater();
        }
        m_idle.erase(it);
    }
    m_kept.clear();
    m_lastWarmOpenMs = -1; // a renewal is not a reopen loop: no delay
    openWarm();
}

// The connection kept warm is watched, so that a close by the server is noticed at once
// and replaced.
void HttpClient::keep(QTcpSocket *socket)
{
    if (m_kept == socket)
        return;
    if (m_kept)
        m_kept->disconnect(this);
    m_kept = socket;
    connect(socket, &QTcpSocket::disconnected, this, &HttpClient::onKeptClosed,
            Qt::QueuedConnection);
    connect(socket, &QTcpSocket::readyRead, this, &HttpClient::onKeptClosed, Qt::QueuedConnection);
}

void HttpClient::onKeptClosed()
{
    // Data or a close on an idle connection: it cannot be used again. sweep() drops it
    // and, while keeping warm, opens the next one.
    sweep();
}

void HttpClient::openWarm()
{
    m_reopenTimer.stop();
    if (!isKeepingWarm() || m_warming)
        return;
    const qint64 now = m_clock.elapsed();
    if (m_lastWarmOpenMs >= 0 && now - m_lastWarmOpenMs < m_warmReopenDelayMs) {
        m_reopenTimer.start(int(m_warmReopenDelayMs - (now - m_lastWarmOpenMs)));
        return;
    }
    m_lastWarmOpenMs = now;
    const QUrl url = m_warmUrl;
    const QString key = m_warmKey;
    const bool https = isHttps(url);
    if (https && !QSslSocket::supportsSsl())
        return;
    QTcpSocket *socket = https ? new QSslSocket(this) : new QTcpSocket(this);
    m_warming = socket;
    ++m_opened;
    auto *timeout = new QTimer(socket);
    timeout->setSingleShot(true);
    auto ready = [this, socket, key, timeout] {
        timeout->stop();
        timeout->deleteLater();
        socket->disconnect(this);
        m_warming.clear();
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        qCDebug(lcHttp) << "warm connection to" << key << "ready";
        putIdle(key, socket);
        sweep(); // makes it the kept one
        Q_EMIT warmConnectionReady();
    };
    auto failed = [this, socket, key] {
        if (m_warming != socket)
            return;
        qCDebug(lcHttp) << "warm connection to" << key << "failed:" << socket->errorString();
        socket->disconnect(this);
        m_warming.clear();
        socket->abort();
        socket->deleteLater();
        // Tried again after the reopen delay, while keeping warm.
        m_reopenTimer.start(m_warmReopenDelayMs);
    };
    connect(timeout, &QTimer::timeout, this, failed);
    connect(socket, &QAbstractSocket::errorOccurred, this, failed);
    if (https)
        connect(static_cast<QSslSocket *>(socket), &QSslSocket::encrypted, this, ready);
    else
        connect(socket, &QTcpSocket::connected, this, ready);
    socket->setProxy(NetworkProxy::forUrl(url));
    timeout->start(m_connectTimeoutMs);
    const quint16 port = quint16(url.port(https ? 443 : 80));
    if (https)
        static_cast<QSslSocket *>(socket)->connectToHostEncrypted(url.host(), port);
    else
        socket->connectToHost(url.host(), port);
}

void HttpClient::sweep()
{
    const qint64 now = m_clock.elapsed();
    const bool warm = isKeepingWarm();
    for (auto it = m_idle.begin(); it != m_idle.end();) {
        QList<Idle> &list = it.value();
        // While keeping warm, the newest usable connection to the warm origin stays.
        QTcpSocket *keepThis = nullptr;
        if (warm && it.key() == m_warmKey) {
            for (auto e = list.crbegin(); e != list.crend() && !keepThis; ++e) {
                if (e->socket->state() == QAbstractSocket::ConnectedState &&
                    e->socket->bytesAvailable() == 0)
                    keepThis = e->socket;
            }
        }
        const bool warmList = warm && it.key() == m_warmKey;
        list.removeIf([&](const Idle &e) {
            const bool open = e.socket->state() == QAbstractSocket::ConnectedState &&
                              e.socket->bytesAvailable() == 0;
            if (e.socket == keepThis || (open && now - e.since < m_idleTimeoutMs))
                return false;
            if (warmList && !open && now - e.since < m_warmMinIdleLifeMs && !m_warmPaused) {
                // Keeping one ready would mean a new connection more often than a minute.
                qCDebug(lcHttp) << it.key() << "closes idle connections within"
                                << m_warmMinIdleLifeMs / 1000 << "s; not keeping one warm";
                m_warmPaused = true;
            }
            if (e.socket == m_kept)
                m_kept.clear();
            e.socket->disconnect(this);
            e.socket->abort();
            e.socket->deleteLater();
            return true;
        });
        if (keepThis)
            keep(keepThis);
        it = list.isEmpty() ? m_idle.erase(it) : std::next(it);
    }
    // A connection in use comes back when its request ends: no second one meanwhile.
    if (needsWarmConnection())
        openWarm();
    if (!warm && m_kept) {
        // Nobody has used it for keepWarmMs: from now on it times out like the others.
        m_kept->disconnect(this);
        m_kept.clear();
        sweep();
        return;
    }
    scheduleSweep();
}

// One timer for the whole pool, at the next moment something is due: the earliest idle
// connection's timeout, or the end of keeping warm. Idle, with nothing pooled, it sleeps.
void HttpClient::scheduleSweep()
{
    qint64 due = -1;
    const auto earlier = [&due](qint64 t) { due = due < 0 ? t : qMin(due, t); };
    const bool warm = isKeepingWarm();
    for (auto it = m_idle.cbegin(); it != m_idle.cend(); ++it) {
        const QList<Idle> &list = it.value();
        // The newest connection to the warm origin is to be kept (sweep() does that).
        const bool warmList = warm && it.key() == m_warmKey;
        if (warmList && !list.isEmpty() && list.constLast().socket != m_kept)
            earlier(list.constLast().since + kKeepQuietMs);
        for (const Idle &e : list) {
            if (e.socket == m_kept || (warmList && &e == &list.constLast()))
                continue;
            earlier(e.since + m_idleTimeoutMs);
            break; // each list is in the order connections went idle: the first is due first
        }
    }
    if (m_kept && m_lastSendMs >= 0)
        earlier(m_lastSendMs + m_keepWarmMs);
    if (due < 0) {
        m_sweepTimer.stop();
        m_sweepDueMs = -1;
        return;
    }
    const qint64 now = m_clock.elapsed();
    const qint64 wait = qMax<qint64>(kMinSweepMs, due - now);
    m_sweepDueMs = now + wait;
    m_sweepTimer.start(int(qMin<qint64>(wait, std::numeric_limits<int>::max())));
}
