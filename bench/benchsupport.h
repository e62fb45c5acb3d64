#pragma once
// Shared by the benchmarks: a monotonic clock that matches the fake's "x_sent_us" stamps,
// an incremental HTTP/1.1 response parser for raw sockets, SSE event scanning, /proc
// readers and small statistics. Header-only: bench/CMakeLists.txt builds bench_*.cpp.

#include <QByteArray>
#include <QFile>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QUrl>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

#include <dirent.h>
#include <time.h>
#include <unistd.h>

namespace bench {

// steady_clock is CLOCK_MONOTONIC on Linux: the same clock the fake stamps events with.
inline qint64 nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// --- HTTP/1.1 responses ---------------------------------------------------------------

// Parses one response at a time from a byte stream: status line, headers, then a body
// framed by Content-Length, chunked coding, or the end of the connection. Decoded body
// bytes are appended to body(); the caller takes them as it likes.
class ResponseParser
{
public:
    enum class Result { NeedMore, Done, Error };

    void reset()
    {
        m_state = State::Head;
        m_status = 0;
        m_keepAlive = true;
        m_contentLength = -1;
        m_chunked = false;
        m_remaining = 0;
        m_body.clear();
    }

    // Consumes what it can of `in` (the unused rest stays there: a pipelined next answer).
    Result feed(QByteArray &in)
    {
        qsizetype pos = 0;
        const Result r = run(in, pos);
        in.remove(0, pos);
        return r;
    }

    // The peer closed: an answer delimited by the close is now complete.
    bool finishOnClose() const { return m_state == State::UntilClose; }

    int status() const { return m_status; }
    bool keepAlive() const { return m_keepAlive; }
    bool headersDone() const { return m_state != State::Head; }
    QByteArray &body() { return m_body; }

private:
    enum class State { Head, Length, UntilClose, ChunkSize, ChunkData, ChunkEnd, Trailer, Done };

    Result run(const QByteArray &in, qsizetype &pos)
    {
        for (;;) {
            switch (m_state) {
            case State::Head: {
                const qsizetype end = in.indexOf("\r\n\r\n", pos);
                if (end < 0)
                    return in.size() - pos > 64 * 1024 ? Result::Error : Result::NeedMore;
                if (!parseHead(QByteArrayView(in).sliced(pos, end - pos)))
                    return Result::Error;
                pos = end + 4;
                if (m_chunked)
                    m_state = State::ChunkSize;
                else if (m_contentLength >= 0)
                    m_state = m_contentLength == 0 ? State::Done : State::Length;
                else
                    m_state = State::UntilClose;
                m_remaining = m_contentLength;
                break;
            }
            case State::Length: {
                const qsizetype take = std::min<qsizetype>(m_remaining, in.size() - pos);
                m_body.append(in.constData() + pos, take);
                pos += take;
                m_remaining -= take;
                if (m_remaining > 0)
                    return Result::NeedMore;
                m_state = State::Done;
                break;
            }
            case State::UntilClose:
                m_body.append(in.constData() + pos, in.size() - pos);
                pos = in.size();
                return Result::NeedMore;
            case State::ChunkSize: {
                const qsizetype end = in.indexOf("\r\n", pos);
                if (end < 0)
                    return in.size() - pos > 1024 ? Result::Error : Result::NeedMore;
                QByteArray line = in.mid(pos, end - pos);
                const qsizetype semi = line.indexOf(';');
                if (semi >= 0)
                    line.truncate(semi);
                bool ok = false;
                m_remaining = line.trimmed().toLongLong(&ok, 16);
                if (!ok || m_remaining < 0)
                    return Result::Error;
                pos = end + 2;
                m_state = m_remaining == 0 ? State::Trailer : State::ChunkData;
                break;
            }
            case State::ChunkData: {
                const qsizetype take = std::min<qsizetype>(m_remaining, in.size() - pos);
                m_body.append(in.constData() + pos, take);
                pos += take;
                m_remaining -= take;
                if (m_remaining > 0)
                    return Result::NeedMore;
                m_state = State::ChunkEnd;
                break;
            }
            case State::ChunkEnd:
                if (in.size() - pos < 2)
                    return Result::NeedMore;
                if (in.at(pos) != '\r' || in.at(pos + 1) != '\n')
                    return Result::Error;
                pos += 2;
                m_state = State::ChunkSize;
                break;
            case State::Trailer: {
                const qsizetype end = in.indexOf("\r\n", pos);
                if (end < 0)
                    return Result::NeedMore;
                const bool last = end == pos;
                pos = end + 2;
                if (last)
                    m_state = State::Done;
                break;
            }
            case State::Done:
                return Result::Done;
            }
        }
    }

    bool parseHead(QByteArrayView head)
    {
        const qsizetype eol = head.indexOf("\r\n");
        const QByteArrayView statusLine = eol < 0 ? head : head.first(eol);
        if (!statusLine.startsWith("HTTP/1.") || statusLine.size() < 12)
            return false;
        m_keepAlive = statusLine.at(7) == '1';
        bool ok = false;
        m_status = statusLine.sliced(9, 3).toInt(&ok);
        if (!ok)
            return false;
        qsizetype at = eol < 0 ? head.size() : eol + 2;
        while (at < head.size()) {
            qsizetype next = head.indexOf("\r\n", at);
            if (next < 0)
                next = head.size();
            const QByteArrayView line = head.sliced(at, next - at);
            at = next + 2;
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.first(colon).toByteArray().toLower();
            const QByteArray value = line.sliced(colon + 1).toByteArray().trimmed().toLower();
            if (name == "content-length")
                m_contentLength = value.toLongLong();
            else if (name == "transfer-encoding")
                m_chunked = value.contains("chunked");
            else if (name == "connection")
                m_keepAlive =
                    value.contains("keep-alive") || (m_keepAlive && !value.contains("close"));
        }
        return true;
    }

    State m_state = State::Head;
    int m_status = 0;
    bool m_keepAlive = true;
    qint64 m_contentLength = -1;
    bool m_chunked = false;
    qint64 m_remaining = 0;
    QByteArray m_body;
};

// Takes complete SSE events (ending in a blank line) off the front of `body`; for each,
// calls onEvent(stampUs) with the event's "x_sent_us" or -1 when it carries none.
template<typename F> int takeSseEvents(QByteArray &body, F onEvent)
{
    int n = 0;
    qsizetype start = 0;
    for (;;) {
        const qsizetype end = body.indexOf("\n\n", start);
        if (end < 0)
            break;
        const QByteArrayView event = QByteArrayView(body).sliced(start, end - start);
        qint64 stamp = -1;
        const qsizetype at = event.indexOf("\"x_sent_us\":");
        if (at >= 0) {
            stamp = 0;
            for (qsizetype i = at + 12;
                 i < event.size() && event.at(i) >= '0' && event.at(i) <= '9'; ++i)
                stamp = stamp * 10 + (event.at(i) - '0');
        }
        onEvent(stamp, event);
        ++n;
        start = end + 2;
    }
    body.remove(0, start);
    return n;
}

inline QByteArray chatRequest(const QByteArray &hostHeader, const QByteArray &bearer, bool stream)
{
    const QByteArray body =
        stream ? QByteArrayLiteral("{\"model\":\"coder-model\",\"stream\":true,\"messages\":"
                                   "[{\"role\":\"system\",\"content\":\"You are a "
                                   "benchmark.\"},{\"role\":\"user\",\"content\":\"Say "
                                   "hello.\"}]}")
               : QByteArrayLiteral("{\"model\":\"coder-model\",\"stream\":false,\"messages\":"
                                   "[{\"role\":\"system\",\"content\":\"You are a "
                                   "benchmark.\"},{\"role\":\"user\",\"content\":\"Say "
                                   "hello.\"}]}");
    QByteArray r;
    r.reserve(512);
    r += "POST /v1/chat/completions HTTP/1.1\r\nHost: ";
    r += hostHeader;
    r += "\r\nAuthorization: Bearer ";
    r += bearer;
    r += "\r\nContent-Type: application/json\r\nAccept: ";
    r += stream ? "text/event-stream" : "application/json";
    r += "\r\nContent-Length: ";
    r += QByteArray::number(body.size());
    r += "\r\n\r\n";
    r += body;
    return r;
}

// A blocking exchange for control requests outside measured phases (the fake's counters).
inline QJsonObject simpleRequest(const QUrl &url, const QByteArray &method, int timeoutMs = 3000)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress(url.host()), quint16(url.port()));
    if (!socket.waitForConnected(timeoutMs))
        return {};
    QByteArray req =
        method + ' ' + url.path().toUtf8() + " HTTP/1.1\r\nHost: " + url.host().toUtf8() + ':' +
        QByteArray::number(url.port()) + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    socket.write(req);
    ResponseParser parser;
    QByteArray in;
    const qint64 deadline = nowUs() + qint64(timeoutMs) * 1000;
    while (nowUs() < deadline) {
        if (!socket.waitForReadyRead(100) && socket.state() != QAbstractSocket::ConnectedState)
            break;
        in += socket.readAll();
        if (parser.feed(in) != ResponseParser::Result::NeedMore)
            break;
    }
    return QJsonDocument::fromJson(parser.body()).object();
}

// --- /proc -----------------------------------------------------------------------------

inline qint64 procStatusKb(qint64 pid, const char *field)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray key = QByteArray(field) + ':';
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

inline qint64 rssKb(qint64 pid)
{
    return procStatusKb(pid, "VmRSS");
}

inline qint64 threadCount(qint64 pid)
{
    return procStatusKb(pid, "Threads");
}

// User + system CPU time of the whole process (all threads, also those that ended), in
// microseconds: the process's CPU-time clock, with ns resolution where /proc/PID/stat
// counts 10 ms ticks.
inline qint64 cpuUs(qint64 pid)
{
    clockid_t clock;
    timespec ts;
    if (clock_getcpuclockid(pid_t(pid), &clock) == 0 && clock_gettime(clock, &ts) == 0)
        return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    const qint64 ticks = fields.at(11).toLongLong() + fields.at(12).toLongLong();
    return ticks * 1000000 / sysconf(_SC_CLK_TCK);
}

inline int openFds(qint64 pid)
{
    const QByteArray path = "/proc/" + QByteArray::number(pid) + "/fd";
    DIR *dir = opendir(path.constData());
    if (!dir)
        return -1;
    int n = 0;
    while (const dirent *e = readdir(dir)) {
        if (e->d_name[0] != '.')
            ++n;
    }
    closedir(dir);
    return n;
}

// --- statistics -----------------------------------------------------------------------

// Nearest-rank percentile; sorts in place. NaN when empty.
inline double percentile(std::vector<qint64> &v, double q)
{
    if (v.empty())
        return std::nan("");
    std::sort(v.begin(), v.end());
    const size_t rank = size_t(std::ceil(q * double(v.size())));
    return double(v[std::min(v.size() - 1, rank > 0 ? rank - 1 : 0)]);
}

} // namespace bench
