#include "http/httpclient.h"

#include <QTcpSocket>

// The keep-alive pool: HttpClientReply (httpclientreply.cpp) takes a connection from it
// before opening one, and gives it back when its answer is complete.

namespace {
// At most this many idle connections are kept per scheme, host and port: after a burst of
// parallel requests every connection of it is worth keeping for the next burst; the idle
// timeout closes them once things calm down.
constexpr qsizetype kMaxIdlePerHost = 512;
} // namespace

HttpClient::HttpClient(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    connect(&m_sweepTimer, &QTimer::timeout, this, &HttpClient::sweep);
}

HttpClient::~HttpClient()
{
    closeIdleConnections();
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
            e.socket->abort();
            e.socket->deleteLater();
        }
    }
    m_idle.clear();
    m_sweepTimer.stop();
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
        if (e.socket->state() == QAbstractSocket::ConnectedState &&
            e.socket->bytesAvailable() == 0 && m_clock.elapsed() - e.since < m_idleTimeoutMs) {
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
    // sweep() closes the ones the server closed or wrote to meanwhile.
    socket->setParent(this);
    list.append({socket, m_clock.elapsed()});
    if (!m_sweepTimer.isActive())
        m_sweepTimer.start(qBound(20, m_idleTimeoutMs / 2, 5000));
}

void HttpClient::sweep()
{
    const qint64 now = m_clock.elapsed();
    for (auto it = m_idle.begin(); it != m_idle.end();) {
        QList<Idle> &list = it.value();
        list.removeIf([&](const Idle &e) {
            if (now - e.since < m_idleTimeoutMs &&
                e.socket->state() == QAbstractSocket::ConnectedState &&
                e.socket->bytesAvailable() == 0)
                return false;
            e.socket->abort();
            e.socket->deleteLater();
            return true;
        });
        it = list.isEmpty() ? m_idle.erase(it) : std::next(it);
    }
    if (m_idle.isEmpty())
        m_sweepTimer.stop();
}
