#include "fakeqwenservice_p.h"

#include <QAbstractSocket>

#include <chrono>
#include <utility>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

using namespace FakeQwen;

namespace {

// `data: {…}` becomes `data: {"x_sent_us":N,…}`; other events ([DONE]) pass unchanged.
// steady_clock is CLOCK_MONOTONIC on Linux, the same clock in every process.
QByteArray stampEvent(const QByteArray &event)
{
    static const QByteArray prefix = QByteArrayLiteral("data: {");
    if (!event.startsWith(prefix))
        return event;
    const qint64 us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
    QByteArray out;
    out.reserve(event.size() + 32);
    out += prefix;
    out += "\"x_sent_us\":";
    out += QByteArray::number(us);
    out += ',';
    out += QByteArrayView(event).sliced(prefix.size());
    return out;
}

} // namespace

// HttpResponse has no way to drop its connection, so find the socket behind it. Lingering
// with a zero timeout turns the close into a TCP RST: the client sees a reset, not an
// orderly end of a truncated stream.
bool FakeQwen::abortConnection(HttpResponse *response)
{
    QAbstractSocket *socket = nullptr;
    for (QObject *object = response; object && !socket; object = object->parent()) {
        socket = qobject_cast<QAbstractSocket *>(object);
        if (!socket)
            socket = object->findChild<QAbstractSocket *>(QString(), Qt::FindDirectChildrenOnly);
    }
    if (!socket) {
        qCWarning(lcFakeQwen) << "cannot find the connection to reset; leaving it stalled";
        return false;
    }
#ifdef Q_OS_UNIX
    const qintptr fd = socket->socketDescriptor();
    if (fd >= 0) {
        const struct linger hard
        {
            1, 0
        };
        ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    }
#endif
    socket->abort();
    return true;
}

FakeSseStream::FakeSseStream(FakeQwenService *service, HttpResponse *response,
                             QList<QByteArray> events, int delayMs, int abortAfter, int stallAfter)
    : QObject(service)
    , m_service(service)
    , m_response(response)
    , m_events(std::move(events))
    , m_abortAfter(abortAfter)
    , m_stallAfter(stallAfter)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer); // so tests may rely on the delay as a minimum
    m_timer.setInterval(delayMs);
    connect(&m_timer, &QTimer::timeout, this, &FakeSseStream::writeNext);
    connect(response, &HttpResponse::drained, this, [this] {
        if (m_waitingDrain) {
            m_waitingDrain = false;
            writeNext();
        }
    });
    connect(response, &HttpResponse::clientGone, this, [this] { finish(ClientGone); });
    connect(response, &QObject::destroyed, this, [this] { finish(ClientGone); });
}

void FakeSseStream::start()
{
    m_response->beginStream(200, QByteArrayLiteral("text/event-stream"),
                            {{QByteArrayLiteral("cache-control"), QByteArrayLiteral("no-cache")}});
    schedule();
}

void FakeSseStream::resume()
{
    if (m_waitingResume) {
        m_waitingResume = false;
        schedule();
    }
}

void FakeSseStream::schedule()
{
    if (!m_done)
        m_timer.start();
}

void FakeSseStream::writeNext()
{
    if (m_done)
        return;
    if (!m_response || !m_response->isConnected()) {
        finish(ClientGone);
        return;
    }
    if (m_service->m_streamsPaused) {
        m_waitingResume = true;
        return;
    }
    if (m_written == m_abortAfter) {
        // Finish first: the reset makes the response report clientGone at once.
        const QPointer<HttpResponse> response = m_response;
        finish(Aborted);
        abortConnection(response);
        return;
    }
    if (m_written == m_stallAfter)
        return; // stays open, silent, until the client gives up
    if (m_response->isBackpressured()) {
        m_waitingDrain = true;
        ++m_service->m_counters.backpressurePauses;
        return;
    }
    if (m_service->m_streamBurst && m_abortAfter < 0 && m_stallAfter < 0) {
        // The whole rest of the stream in one write, as a fast upstream (or one that
        // catches up after a stall) delivers it.
        QByteArray burst;
        for (; m_written < m_events.size(); ++m_written)
            burst += m_service->m_stampEvents ? stampEvent(m_events.at(m_written))
                                              : m_events.at(m_written);
        const QPointer<FakeSseStream> self(this);
        m_response->write(burst);
        if (!self || m_done)
            return;
        if (!m_response || !m_response->isConnected()) {
            finish(ClientGone);
            return;
        }
        m_response->end();
        finish(Completed);
        return;
    }
    const QByteArray &next = m_events.at(m_written++);
    m_response->write(m_service->m_stampEvents ? stampEvent(next) : next);
    if (m_written == m_events.size() && m_abortAfter < 0 && m_stallAfter < 0) {
        m_response->end();
        finish(Completed);
        return;
    }
    schedule();
}

void FakeSseStream::finish(End how)
{
    if (m_done)
        return;
    m_done = true;
    m_timer.stop();
    m_service->streamEnded(this, how);
    deleteLater();
}
