// bench_proxy: a load generator on raw QTcpSocket (QNetworkAccessManager would queue after
// six connections per host, which is the very thing being measured). In one run it drives
// N concurrent non-streaming and streaming chat requests at each target (the fake upstream
// directly, qwen-bridge, nginx) and prints one table plus the
// issue's targets. bench/run sets everything up; bench/README.md explains the columns.

#include "benchsupport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QTcpSocket>
#include <QTimer>

#include <climits>
#include <cstdio>
#include <map>
#include <memory>

using bench::nowUs;

namespace {

struct Target
{
    QString name;
    QUrl url;
    QByteArray bearer;
    QList<qint64> pids; // processes that make up this proxy (empty: none)
    QByteArray hostHeader() const
    {
        return url.host().toUtf8() + ':' + QByteArray::number(url.port());
    }
};

struct PhaseStats
{
    std::vector<qint64> ttfbUs;
    std::vector<qint64> eventLatencyUs; // receive time minus the upstream's send stamp
    std::vector<std::pair<qint64, qint64>> streamSpans; // first byte → end, client clock
    qint64 doneInWindow = 0;   // successful answers completed inside the window
    qint64 eventsInWindow = 0; // stamped events received inside the window
    qint64 requests = 0;       // answers completed, any status
    qint64 errors = 0;         // non-200, broken connections, deadline
    qint64 windowUs = 0;
};

class Phase;

// One concurrent slot: a keep-alive connection that sends one request after another.
class Client : public QObject
{
public:
    Client(Phase *phase, const Target &target, bool stream)
        : m_phase(phase)
        , m_target(target)
        , m_request(bench::chatRequest(target.hostHeader(), target.bearer, stream))
        , m_stream(stream)
    {}

    void begin();
    void abortNow();
    bool busy() const { return m_busy; }

private:
    void newSocket();
    void dropSocket();
    void onReadyRead();
    void onClosed();
    void complete(bool ok);

    Phase *m_phase;
    const Target &m_target;
    QByteArray m_request;
    bool m_stream;
    QTcpSocket *m_socket = nullptr;
    bench::ResponseParser m_parser;
    QByteArray m_in;
    bool m_busy = false;
    bool m_sent = false;
    qint64 m_startUs = 0;
    qint64 m_firstByteUs = 0;
};

// N slots against one target. Slot i starts at ramp*i/N, so that paced streams arrive
// spread out as real ones do; measurement covers [lead, lead + window) from the start,
// when every slot is busy; no slot starts a request after the window; stragglers finish.
class Phase : public QObject
{
public:
    struct Config
    {
        int concurrency = 1;
        bool stream = false;
        int rampMs = 0;
        int leadMs = 0; // window start, from the phase start (at least rampMs)
        int windowMs = 1000;
        int maxPerClient = 100000;
        int deadlineMs = 10000; // after the window: stragglers are cut off and counted
    };

    Phase(const Target &target, const Config &config)
        : m_target(target)
        , m_config(config)
    {}

    PhaseStats run()
    {
        const int n = m_config.concurrency;
        for (int i = 0; i < n; ++i)
            m_clients.push_back(std::make_unique<Client>(this, m_target, m_config.stream));
        m_sent.assign(size_t(n), 0);
        const qint64 start = nowUs();
        m_windowStartUs = start + qint64(std::max(m_config.leadMs, m_config.rampMs)) * 1000;
        m_windowEndUs = m_windowStartUs + qint64(m_config.windowMs) * 1000;
        m_stats.windowUs = m_windowEndUs - m_windowStartUs;
        for (int i = 0; i < n; ++i) {
            Client *c = m_clients[size_t(i)].get();
            QTimer::singleShot(int(qint64(m_config.rampMs) * i / n), Qt::PreciseTimer, c,
                               [this, c, i] { startClient(c, i); });
        }
        QTimer deadline;
        deadline.setSingleShot(true);
        QObject::connect(&deadline, &QTimer::timeout, &m_loop, [this] {
            for (auto &c : m_clients) {
                if (c->busy()) {
                    ++m_stats.errors;
                    c->abortNow();
                }
            }
            m_loop.quit();
        });
        deadline.start(int((m_windowEndUs - start) / 1000) + m_config.deadlineMs);
        m_loop.exec();
        m_clients.clear();
        return std::move(m_stats);
    }

    // Called by a client when an answer is complete (or broken).
    void clientDone(Client *c, int index)
    {
        if (nowUs() < m_windowEndUs && m_sent[size_t(index)] < m_config.maxPerClient) {
            startClient(c, index);
            return;
        }
        if (nowUs() < m_windowEndUs)
            return; // this slot is done; the others go on
        for (const auto &other : m_clients) {
            if (other->busy())
                return;
        }
        m_loop.quit();
    }

    int indexOf(const Client *c) const
    {
        for (size_t i = 0; i < m_clients.size(); ++i) {
            if (m_clients[i].get() == c)
                return int(i);
        }
        return -1;
    }

    PhaseStats &stats() { return m_stats; }
    bool inWindow(qint64 t) const { return t >= m_windowStartUs && t < m_windowEndUs; }

private:
    void startClient(Client *c, int index)
    {
        if (nowUs() >= m_windowEndUs) {
            clientDone(c, index);
            return;
        }
        ++m_sent[size_t(index)];
        c->begin();
    }

    const Target &m_target;
    Config m_config;
    std::vector<std::unique_ptr<Client>> m_clients;
    std::vector<int> m_sent;
    qint64 m_windowStartUs = 0;
    qint64 m_windowEndUs = 0;
    PhaseStats m_stats;
    QEventLoop m_loop;
};

void Client::newSocket()
{
    dropSocket();
    m_socket = new QTcpSocket(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::connected, this, [this] {
        m_socket->write(m_request);
        m_socket->flush();
        m_sent = true;
    });
    connect(m_socket, &QTcpSocket::readyRead, this, &Client::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &Client::onClosed);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        if (e != QAbstractSocket::RemoteHostClosedError)
            onClosed();
    });
    m_socket->connectToHost(QHostAddress(m_target.url.host()), quint16(m_target.url.port()));
}

void Client::begin()
{
    m_busy = true;
    m_sent = false;
    m_parser.reset();
    m_in.clear();
    m_firstByteUs = 0;
    // Time to first byte counts from here, connection set-up included when there is one.
    m_startUs = nowUs();
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState) {
        m_socket->write(m_request);
        m_socket->flush();
        m_sent = true;
    } else {
        newSocket();
    }
}

void Client::abortNow()
{
    m_busy = false;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void Client::onReadyRead()
{
    const qint64 t = nowUs();
    m_in += m_socket->readAll();
    if (!m_busy) {
        m_in.clear(); // nothing is expected between answers
        return;
    }
    if (m_firstByteUs == 0 && !m_in.isEmpty()) {
        m_firstByteUs = t;
        if (m_phase->inWindow(m_startUs))
            m_phase->stats().ttfbUs.push_back(t - m_startUs);
    }
    const bench::ResponseParser::Result r = m_parser.feed(m_in);
    if (m_stream && m_parser.headersDone()) {
        PhaseStats &s = m_phase->stats();
        if (m_phase->inWindow(t)) {
            bench::takeSseEvents(m_parser.body(), [&](qint64 stamp, QByteArrayView) {
                if (stamp < 0)
                    return;
                s.eventLatencyUs.push_back(t - stamp);
                ++s.eventsInWindow;
            });
        } else {
            m_parser.body().clear(); // outside the window: not counted, whole events or not
        }
    }
    if (r == bench::ResponseParser::Result::Done) {
        if (!m_parser.keepAlive())
            dropSocket();
        complete(m_parser.status() == 200);
    } else if (r == bench::ResponseParser::Result::Error) {
        dropSocket();
        complete(false);
    }
}

void Client::dropSocket()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
}

void Client::onClosed()
{
    const bool busy = m_busy;
    dropSocket(); // the next request reconnects
    if (busy)
        complete(m_parser.finishOnClose() && m_parser.status() == 200);
}

void Client::complete(bool ok)
{
    if (!m_busy)
        return;
    m_busy = false;
    const qint64 t = nowUs();
    PhaseStats &s = m_phase->stats();
    ++s.requests;
    if (!ok)
        ++s.errors;
    else if (!m_stream && m_phase->inWindow(t))
        ++s.doneInWindow;
    if (ok && m_stream && m_firstByteUs > 0)
        s.streamSpans.emplace_back(m_firstByteUs, t);
    // Queued: a new request must not start inside the socket's own signal.
    QMetaObject::invokeMethod(
        this, [this] { m_phase->clientDone(this, m_phase->indexOf(this)); }, Qt::QueuedConnection);
}

// The most streams open at one instant, seen from the client (first byte to last byte).
qint64 maxOverlap(std::vector<std::pair<qint64, qint64>> spans)
{
    std::vector<std::pair<qint64, int>> edges;
    edges.reserve(spans.size() * 2);
    for (const auto &s : spans) {
        edges.emplace_back(s.first, +1);
        edges.emplace_back(s.second, -1);
    }
    std::sort(edges.begin(), edges.end()); // at equal times the close (-1) comes first
    qint64 open = 0, best = 0;
    for (const auto &e : edges) {
        open += e.second;
        best = std::max(best, open);
    }
    return best;
}

struct Row
{
    QString target;
    int n = 0;
    bool stream = false;
    double throughput = 0; // requests/s or events/s
    double ttfbP50 = 0, ttfbP99 = 0;
    double evP50 = std::nan(""), evP99 = std::nan("");
    double addP50 = std::nan(""), addP99 = std::nan(""); // minus direct's, same round
    double addTtfbP50 = std::nan("");                    // TTFB p50 minus direct's, same round
    double proxyCpuPerUnit = std::nan("");               // µs of proxy CPU per request or event
    double upstreamCpuPerUnit = std::nan("");
    double rssMb = std::nan("");
    int upstreamPeak = -1; // the fake's maxActiveStreams during the phase
    qint64 clientPeak = 0;
    qint64 requests = 0;
    qint64 errors = 0;
};

qint64 sumRss(const QList<qint64> &pids)
{
    qint64 kb = 0;
    for (qint64 pid : pids)
        kb += std::max<qint64>(0, bench::rssKb(pid));
    return kb;
}

qint64 sumCpu(const QList<qint64> &pids)
{
    qint64 us = 0;
    for (qint64 pid : pids)
        us += std::max<qint64>(0, bench::cpuUs(pid));
    return us;
}

QList<qint64> parsePids(const QStringList &values)
{
    QList<qint64> pids;
    for (const QString &v : values) {
        for (const QString &p : v.split(QLatin1Char(','), Qt::SkipEmptyParts))
            pids.append(p.toLongLong());
    }
    return pids;
}

double median(std::vector<double> v)
{
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
    if (v.empty())
        return std::nan("");
    std::sort(v.begin(), v.end());
    const size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

QString ms(double us)
{
    return std::isnan(us) ? QStringLiteral("-") : QString::number(us / 1000.0, 'f', 3);
}

QString signedMs(double us)
{
    return std::isnan(us)
               ? QStringLiteral("-")
               : (us >= 0 ? QStringLiteral("+") : QString()) + QString::number(us / 1000.0, 'f', 3);
}

void line(const QString &s)
{
    std::printf("%s\n", qPrintable(s));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Drives concurrent chat requests at the upstream, qwen-bridge and nginx. Keys come "
        "from BENCH_UPSTREAM_KEY (upstream and nginx) and BENCH_BRIDGE_KEY."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("upstream"), QStringLiteral("Upstream base URL."), QStringLiteral("URL")},
        {QStringLiteral("bridge"), QStringLiteral("qwen-bridge base URL."), QStringLiteral("URL")},
        {QStringLiteral("nginx"), QStringLiteral("nginx base URL."), QStringLiteral("URL")},
        {QStringLiteral("upstream-pid"), QStringLiteral("The upstream's process."),
         QStringLiteral("PID")},
        {QStringLiteral("bridge-pid"), QStringLiteral("qwen-bridge's process."),
         QStringLiteral("PID")},
        {QStringLiteral("nginx-pid"), QStringLiteral("nginx processes (comma list, repeatable)."),
         QStringLiteral("PIDS")},
        {QStringLiteral("concurrency"), QStringLiteral("Concurrency levels."),
         QStringLiteral("LIST"), QStringLiteral("1,64,256")},
        {QStringLiteral("window-ms"), QStringLiteral("Measured window per phase."),
         QStringLiteral("MS"), QStringLiteral("4000")},
        {QStringLiteral("stream-ms"), QStringLiteral("Expected length of one stream."),
         QStringLiteral("MS"), QStringLiteral("1000")},
        {QStringLiteral("events"), QStringLiteral("Stamped events per stream (for CPU per event)."),
         QStringLiteral("N"), QStringLiteral("51")},
        {QStringLiteral("rounds"), QStringLiteral("Rounds over every phase; samples are pooled."),
         QStringLiteral("N"), QStringLiteral("3")},
        {QStringLiteral("modes"), QStringLiteral("json, stream or both."), QStringLiteral("LIST"),
         QStringLiteral("json,stream")},
        {QStringLiteral("min-streams"),
         QStringLiteral("Paced streams: widen a phase's window so that about N streams start "
                        "in it (N x stream-ms / concurrency), for a steadier TTFB median."),
         QStringLiteral("N"), QStringLiteral("0")},
        {QStringLiteral("settle-ms"),
         QStringLiteral("Pause before each phase, so that the upstream closes the idle "
                        "connections the previous target left (see fake-qwen "
                        "--idle-timeout-ms)."),
         QStringLiteral("MS"), QStringLiteral("0")},
        {QStringLiteral("burst"),
         QStringLiteral("Streams arrive in one read: the upstream (fake-qwen with "
                        "--counters-endpoint) is switched to bursts for the run and back "
                        "after it; streams start at once instead of spread out.")},
        {QStringLiteral("results"),
         QStringLiteral("Append LABEL.target.mode.N.measure value lines to this file (for "
                        "bench/run's summary)."),
         QStringLiteral("FILE")},
        {QStringLiteral("label"), QStringLiteral("First part of each results key."),
         QStringLiteral("LABEL"), QStringLiteral("run")},
        {QStringLiteral("targets"), QStringLiteral("Which of direct, bridge, nginx to drive."),
         QStringLiteral("LIST"), QStringLiteral("direct,bridge,nginx")},
        {QStringLiteral("extra"),
         QStringLiteral("Another qwen-bridge to drive, with the bridge's key, named in the "
                        "table and added to the targets (repeatable): NAME=URL or "
                        "NAME=URL@PID."),
         QStringLiteral("NAME=URL[@PID]")},
    });
    parser.process(app);

    const int windowMs = std::clamp(parser.value(QStringLiteral("window-ms")).toInt(), 200, 60000);
    const int streamMs = std::clamp(parser.value(QStringLiteral("stream-ms")).toInt(), 0, 60000);
    const int eventsPerStream =
        std::clamp(parser.value(QStringLiteral("events")).toInt(), 1, 100000);
    const int minStreams = std::clamp(parser.value(QStringLiteral("min-streams")).toInt(), 0, 1000);
    const int settleMs = std::clamp(parser.value(QStringLiteral("settle-ms")).toInt(), 0, 60000);
    const int rounds = std::clamp(parser.value(QStringLiteral("rounds")).toInt(), 1, 20);
    const bool burst = parser.isSet(QStringLiteral("burst"));
    std::vector<bool> modes;
    const QString modeList = parser.value(QStringLiteral("modes"));
    if (modeList.contains(QLatin1String("json")))
        modes.push_back(false);
    if (modeList.contains(QLatin1String("stream")))
        modes.push_back(true);
    QList<int> levels;
    for (const QString &s :
         parser.value(QStringLiteral("concurrency")).split(QLatin1Char(','), Qt::SkipEmptyParts))
        levels.append(std::clamp(s.toInt(), 1, 1000));

    const QByteArray upstreamKey = qgetenv("BENCH_UPSTREAM_KEY");
    const QByteArray bridgeKey = qgetenv("BENCH_BRIDGE_KEY");
    auto loopback = [](const QUrl &u) {
        return u.isValid() && QHostAddress(u.host()).isLoopback() && u.port() > 0;
    };
    std::vector<Target> targets;
    const QUrl upstreamUrl(parser.value(QStringLiteral("upstream")));
    const QList<qint64> upstreamPids = parsePids(parser.values(QStringLiteral("upstream-pid")));
    if (!loopback(upstreamUrl)) {
        std::fprintf(stderr, "bench_proxy: --upstream must be http://127.0.0.1:PORT\n");
        return 2;
    }
    targets.push_back({QStringLiteral("direct"), upstreamUrl, upstreamKey, {}});
    if (parser.isSet(QStringLiteral("bridge"))) {
        const QUrl u(parser.value(QStringLiteral("bridge")));
        if (!loopback(u))
            return 2;
        targets.push_back({QStringLiteral("bridge"), u, bridgeKey,
                           parsePids(parser.values(QStringLiteral("bridge-pid")))});
    }
    if (parser.isSet(QStringLiteral("nginx"))) {
        const QUrl u(parser.value(QStringLiteral("nginx")));
        if (!loopback(u))
            return 2;
        targets.push_back({QStringLiteral("nginx"), u, upstreamKey,
                           parsePids(parser.values(QStringLiteral("nginx-pid")))});
    }
    QStringList wanted = parser.value(QStringLiteral("targets")).split(QLatin1Char(','));
    for (const QString &extra : parser.values(QStringLiteral("extra"))) {
        const qsizetype eq = extra.indexOf(QLatin1Char('='));
        const qsizetype at = extra.indexOf(QLatin1Char('@'));
        const QString name = extra.left(eq);
        const QUrl u(extra.mid(eq + 1, at < 0 ? -1 : at - eq - 1));
        if (eq <= 0 || name.size() > 7 || !loopback(u)) {
            std::fprintf(stderr, "bench_proxy: --extra wants NAME=http://127.0.0.1:PORT[@PID], "
                                 "NAME at most 7 characters\n");
            return 2;
        }
        targets.push_back(
            {name, u, bridgeKey, at < 0 ? QList<qint64>() : parsePids({extra.mid(at + 1)})});
        wanted.append(name);
    }
    targets.erase(std::remove_if(targets.begin(), targets.end(),
                                 [&wanted](const Target &t) { return !wanted.contains(t.name); }),
                  targets.end());
    QUrl countersUrl = upstreamUrl;
    countersUrl.setPath(QStringLiteral("/__fake/counters"));
    QUrl resetPeakUrl = upstreamUrl;
    resetPeakUrl.setPath(QStringLiteral("/__fake/counters/reset-peak"));
    if (burst) {
        QUrl u = upstreamUrl;
        u.setPath(QStringLiteral("/__fake/counters/burst-on"));
        if (bench::simpleRequest(u, "POST").isEmpty())
            std::fprintf(stderr, "bench_proxy: the upstream did not take burst-on\n");
    }

    // Hard bounds: a phase ends by its window, each slot by a count, stragglers by a deadline.
    Phase::Config base;
    base.maxPerClient = 100000;
    base.deadlineMs = streamMs * 3 + 10000;

    // Warm-up, not reported: connections, pools and allocators settle first.
    std::fprintf(stderr, "bench_proxy: warming up\n");
    for (const Target &t : targets) {
        for (bool stream : {false, true}) {
            Phase::Config c = base;
            c.concurrency = 16;
            c.stream = stream;
            c.windowMs = 500;
            Phase(t, c).run();
        }
    }

    // Counts and CPU are summed over the rounds. Latency percentiles are taken per round and
    // the median over the rounds is reported; added latency is paired with direct's in the
    // same round. Targets take turns inside each round in a rotating order. On a shared
    // machine this keeps one noisy moment from deciding a p99.
    struct Acc
    {
        PhaseStats s;                                   // counts only
        std::vector<double> ttfb50, ttfb99, ev50, ev99; // one per round, µs
        qint64 proxyCpuUs = 0, upstreamCpuUs = 0, allUnits = 0;
        int upstreamPeakMin = INT_MAX;
        qint64 clientPeakMin = LLONG_MAX;
        qint64 rssKb = -1; // after this phase in the last round
    };
    std::map<std::tuple<QString, int, bool>, Acc> accs;
    for (int round = 0; round < rounds; ++round) {
        for (int n : levels) {
            for (bool stream : modes) {
                for (size_t k = 0; k < targets.size(); ++k) {
                    const Target &t = targets[(k + size_t(round)) % targets.size()];
                    std::fprintf(stderr, "bench_proxy: round %d/%d  %-6s N=%-3d %s\n", round + 1,
                                 rounds, qPrintable(t.name), n, stream ? "stream" : "json");
                    Phase::Config c = base;
                    c.concurrency = n;
                    c.stream = stream;
                    // Paced streams: long enough for minStreams first bytes, however
                    // few streams run at once (at 1, a 6 s window holds only ~6).
                    c.windowMs = stream && !burst && minStreams > 0
                                     ? std::max(windowMs, minStreams * streamMs / std::max(1, n))
                                     : windowMs;
                    // Streams: arrivals spread over one stream length, so N are in flight
                    // in a steady state. Plain requests: a short settling time.
                    c.rampMs = stream && !burst ? streamMs : 0;
                    c.leadMs = stream && !burst ? streamMs : 300;
                    if (settleMs > 0) {
                        QEventLoop settle;
                        QTimer::singleShot(settleMs, &settle, &QEventLoop::quit);
                        settle.exec();
                    }
                    bench::simpleRequest(resetPeakUrl, "POST");
                    const qint64 cpu0 = sumCpu(t.pids);
                    const qint64 upCpu0 = sumCpu(upstreamPids);
                    PhaseStats s = Phase(t, c).run();
                    const qint64 cpu1 = sumCpu(t.pids);
                    const qint64 upCpu1 = sumCpu(upstreamPids);
                    const QJsonObject counters = bench::simpleRequest(countersUrl, "GET");

                    Acc &acc = accs[{t.name, n, stream}];
                    if (!t.pids.isEmpty())
                        acc.rssKb = sumRss(t.pids);
                    // CPU over the whole phase (ramp and stragglers too) per unit of it.
                    acc.proxyCpuUs += cpu1 - cpu0;
                    acc.upstreamCpuUs += upCpu1 - upCpu0;
                    acc.allUnits += stream ? s.requests * eventsPerStream : s.requests;
                    if (stream) {
                        acc.upstreamPeakMin =
                            std::min(acc.upstreamPeakMin,
                                     counters.value(QLatin1String("maxActiveStreams")).toInt(-1));
                        acc.clientPeakMin = std::min(acc.clientPeakMin, maxOverlap(s.streamSpans));
                    }
                    acc.ttfb50.push_back(bench::percentile(s.ttfbUs, 0.50));
                    acc.ttfb99.push_back(bench::percentile(s.ttfbUs, 0.99));
                    acc.ev50.push_back(bench::percentile(s.eventLatencyUs, 0.50));
                    acc.ev99.push_back(bench::percentile(s.eventLatencyUs, 0.99));
                    PhaseStats &p = acc.s;
                    p.doneInWindow += s.doneInWindow;
                    p.eventsInWindow += s.eventsInWindow;
                    p.requests += s.requests;
                    p.errors += s.errors;
                    p.windowUs += s.windowUs;
                }
            }
        }
    }

    std::map<std::tuple<QString, int, bool>, Row> rows;
    for (auto &[key, acc] : accs) {
        const Target *t = nullptr;
        for (const Target &x : targets) {
            if (x.name == std::get<0>(key))
                t = &x;
        }
        const bool stream = std::get<2>(key);
        PhaseStats &s = acc.s;
        Row r;
        r.target = std::get<0>(key);
        r.n = std::get<1>(key);
        r.stream = stream;
        r.throughput =
            double(stream ? s.eventsInWindow : s.doneInWindow) / (double(s.windowUs) / 1e6);
        r.ttfbP50 = median(acc.ttfb50);
        r.ttfbP99 = median(acc.ttfb99);
        if (!t->pids.isEmpty() && acc.allUnits > 0)
            r.proxyCpuPerUnit = double(acc.proxyCpuUs) / double(acc.allUnits);
        if (!upstreamPids.isEmpty() && acc.allUnits > 0)
            r.upstreamCpuPerUnit = double(acc.upstreamCpuUs) / double(acc.allUnits);
        if (stream) {
            r.evP50 = median(acc.ev50);
            r.evP99 = median(acc.ev99);
            const auto direct = accs.find({QStringLiteral("direct"), r.n, true});
            if (r.target != QLatin1String("direct") && direct != accs.end()) {
                std::vector<double> d50, d99;
                for (size_t i = 0; i < acc.ev50.size() && i < direct->second.ev50.size(); ++i) {
                    d50.push_back(acc.ev50[i] - direct->second.ev50[i]);
                    d99.push_back(acc.ev99[i] - direct->second.ev99[i]);
                }
                r.addP50 = median(d50);
                r.addP99 = median(d99);
            }
            r.upstreamPeak = acc.upstreamPeakMin;
            r.clientPeak = acc.clientPeakMin;
        }
        if (const auto direct = accs.find({QStringLiteral("direct"), r.n, stream});
            r.target != QLatin1String("direct") && direct != accs.end()) {
            std::vector<double> d;
            for (size_t i = 0; i < acc.ttfb50.size() && i < direct->second.ttfb50.size(); ++i)
                d.push_back(acc.ttfb50[i] - direct->second.ttfb50[i]);
            r.addTtfbP50 = median(d);
        }
        if (acc.rssKb >= 0)
            r.rssMb = double(acc.rssKb) / 1024.0;
        r.requests = s.requests;
        r.errors = s.errors;
        rows[key] = r;
    }

    // --- the table ----------------------------------------------------------------------
    line(QString());
    line(QStringLiteral("Times in ms; percentiles per round, median over the rounds. ev = event "
                        "receive time minus the upstream's send stamp; +ev = the same minus "
                        "direct's (same N, percentile and round)."));
    line(QStringLiteral(
        "CPU = user+system µs per request (json) or per event (stream): proxy's "
        "own, and the upstream's. RSS after the phase (last round). up.peak = streams open "
        "at once at the upstream; cl.peak = seen by the client."));
    const QString header = QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10 %11 %12 %13 %14 %15 %16")
                               .arg(QStringLiteral("target"), -7)
                               .arg(QStringLiteral("N"), 4)
                               .arg(QStringLiteral("mode"), -6)
                               .arg(QStringLiteral("throughput"), 14)
                               .arg(QStringLiteral("TTFB p50"), 9)
                               .arg(QStringLiteral("TTFB p99"), 9)
                               .arg(QStringLiteral("ev p50"), 8)
                               .arg(QStringLiteral("ev p99"), 8)
                               .arg(QStringLiteral("+ev p50"), 8)
                               .arg(QStringLiteral("+ev p99"), 8)
                               .arg(QStringLiteral("CPU prx"), 8)
                               .arg(QStringLiteral("CPU up"), 7)
                               .arg(QStringLiteral("RSS MB"), 7)
                               .arg(QStringLiteral("up.peak"), 7)
                               .arg(QStringLiteral("cl.peak"), 7)
                               .arg(QStringLiteral("done/err"), 12);
    line(header);
    line(QString(header.size(), QLatin1Char('-')));
    for (int n : levels) {
        for (bool stream : modes) {
            for (const Target &t : targets) {
                const Row &r = rows[{t.name, n, stream}];
                const QString evP50 = ms(r.evP50), evP99 = ms(r.evP99);
                const QString addP50 = signedMs(r.addP50), addP99 = signedMs(r.addP99);
                const QString thr =
                    QStringLiteral("%1 %2")
                        .arg(r.throughput, 0, 'f', 0)
                        .arg(stream ? QStringLiteral("ev/s") : QStringLiteral("req/s"));
                line(QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10 %11 %12 %13 %14 %15 %16")
                         .arg(r.target, -7)
                         .arg(r.n, 4)
                         .arg(stream ? QStringLiteral("stream") : QStringLiteral("json"), -6)
                         .arg(thr, 14)
                         .arg(ms(r.ttfbP50), 9)
                         .arg(ms(r.ttfbP99), 9)
                         .arg(evP50, 8)
                         .arg(evP99, 8)
                         .arg(addP50, 8)
                         .arg(addP99, 8)
                         .arg(std::isnan(r.proxyCpuPerUnit)
                                  ? QStringLiteral("-")
                                  : QString::number(r.proxyCpuPerUnit, 'f', 1),
                              8)
                         .arg(std::isnan(r.upstreamCpuPerUnit)
                                  ? QStringLiteral("-")
                                  : QString::number(r.upstreamCpuPerUnit, 'f', 1),
                              7)
                         .arg(std::isnan(r.rssMb) ? QStringLiteral("-")
                                                  : QString::number(r.rssMb, 'f', 1),
                              7)
                         .arg(stream ? QString::number(r.upstreamPeak) : QStringLiteral("-"), 7)
                         .arg(stream ? QString::number(r.clientPeak) : QStringLiteral("-"), 7)
                         .arg(QStringLiteral("%1/%2").arg(r.requests).arg(r.errors), 12));
            }
        }
    }

    // --- targets --------------------------------------------------------------------------
    auto row = [&rows](const char *name, int n, bool stream) -> const Row * {
        const auto it = rows.find({QString::fromLatin1(name), n, stream});
        return it == rows.end() ? nullptr : &it->second;
    };
    auto verdict = [](bool pass) { return pass ? QStringLiteral("PASS") : QStringLiteral("MISS"); };
    auto modeName = [](bool stream) {
        return stream ? QStringLiteral("stream") : QStringLiteral("json  ");
    };
    line(QString());
    line(QStringLiteral("Targets (issue 4, item 10; item 6):"));
    for (int n : levels) {
        for (bool stream : modes) {
            const Row *b = row("bridge", n, stream);
            const Row *x = row("nginx", n, stream);
            if (!b || !x)
                continue;
            const double ratio = x->throughput > 0 ? b->throughput / x->throughput : 0;
            line(QStringLiteral("  %1  throughput >= 1/2 nginx's, N=%2 %3: %4 vs %5 %6 = %7x")
                     .arg(verdict(ratio >= 0.5))
                     .arg(n, 3)
                     .arg(modeName(stream))
                     .arg(b->throughput, 0, 'f', 0)
                     .arg(x->throughput, 0, 'f', 0)
                     .arg(stream ? QStringLiteral("ev/s") : QStringLiteral("req/s"))
                     .arg(ratio, 0, 'f', 2));
        }
    }
    if (const Row *b = row("bridge", 64, true); b && !std::isnan(b->addP99)) {
        QString ref;
        for (const char *other : {"nginx"}) {
            if (const Row *x = row(other, 64, true))
                ref += QStringLiteral(", %1 %2 ms").arg(QString::fromLatin1(other), ms(x->addP99));
        }
        if (!ref.isEmpty())
            ref = QStringLiteral(" (") + ref.mid(2) + QLatin1Char(')');
        line(QStringLiteral("  %1  added per-event p99 < 1 ms at 64 streams: %2 ms%3")
                 .arg(verdict(b->addP99 < 1000.0), ms(b->addP99), ref));
    }
    for (bool stream : modes) {
        const Row *one = row("bridge", 1, stream);
        const Row *many = row("bridge", 256, stream);
        if (!one || !many)
            continue;
        const double ratio = one->ttfbP50 > 0 ? many->ttfbP50 / one->ttfbP50 : 0;
        QString ref;
        for (const char *other : {"nginx", "direct"}) {
            const Row *o1 = row(other, 1, stream);
            const Row *o256 = row(other, 256, stream);
            if (o1 && o256 && o1->ttfbP50 > 0)
                ref += QStringLiteral(", %1 %2x")
                           .arg(QString::fromLatin1(other))
                           .arg(o256->ttfbP50 / o1->ttfbP50, 0, 'f', 2);
        }
        // Closed-loop plain requests at saturation wait in line by Little's law
        // (TTFB ~ N / throughput) whatever the proxy does: reported, not judged.
        line(QStringLiteral("  %1  TTFB p50 at 256 <= 2x at 1, %2: %3 vs %4 ms = %5x (%6)%7")
                 .arg(stream ? verdict(ratio > 0 && ratio <= 2.0) : QStringLiteral("info"))
                 .arg(modeName(stream))
                 .arg(ms(many->ttfbP50), ms(one->ttfbP50))
                 .arg(ratio, 0, 'f', 2)
                 .arg(ref.mid(2))
                 .arg(stream ? QString() : QStringLiteral(" saturated closed loop")));
        // What the proxy itself adds, with the upstream's own slowdown taken out.
        const Row *d1 = row("direct", 1, stream);
        const Row *d256 = row("direct", 256, stream);
        if (stream && d1 && d256) {
            const double a1 = one->ttfbP50 - d1->ttfbP50, a256 = many->ttfbP50 - d256->ttfbP50;
            line(
                QStringLiteral("        TTFB p50 the bridge adds to direct's: %1 ms at 1, %2 ms at "
                               "256 = %3x")
                    .arg(ms(a1), ms(a256))
                    .arg(a1 > 0 ? a256 / a1 : 0, 0, 'f', 2));
        }
    }
    if (const Row *r = row("bridge", 64, true)) {
        line(QStringLiteral("  %1  64 streams through the bridge all open at the upstream at once: "
                            "upstream peak %2, client-side peak %3 (lowest over the rounds)")
                 .arg(verdict(r->upstreamPeak >= 64))
                 .arg(r->upstreamPeak)
                 .arg(r->clientPeak));
    }
    // The usage meter (issue 16): the same bridge with the meter off runs as "norec"
    // (bench/usage). Recording is a queue push on the request path; the table shows whether
    // that is visible at all next to the noise between the two.
    bool norec = false;
    for (const Target &t : targets)
        norec = norec || t.name == QLatin1String("norec");
    if (norec) {
        line(QString());
        line(QStringLiteral("Usage meter on (bridge) vs off (norec), medians over the rounds:"));
        for (int n : levels) {
            for (bool stream : modes) {
                const Row *on = row("bridge", n, stream);
                const Row *off = row("norec", n, stream);
                if (!on || !off)
                    continue;
                QString text = QStringLiteral("  N=%1 %2  TTFB p50 %3 vs %4 ms (%5 ms)")
                                   .arg(n, 3)
                                   .arg(modeName(stream))
                                   .arg(ms(on->ttfbP50), ms(off->ttfbP50))
                                   .arg(signedMs(on->ttfbP50 - off->ttfbP50));
                if (stream)
                    text += QStringLiteral(", added per event p50 %1 vs %2, p99 %3 vs %4 ms")
                                .arg(signedMs(on->addP50), signedMs(off->addP50))
                                .arg(signedMs(on->addP99), signedMs(off->addP99));
                else
                    text += QStringLiteral(", TTFB p99 %1 vs %2 ms")
                                .arg(ms(on->ttfbP99), ms(off->ttfbP99));
                if (!std::isnan(on->proxyCpuPerUnit) && !std::isnan(off->proxyCpuPerUnit))
                    text += QStringLiteral(", CPU %1 vs %2 us/%3")
                                .arg(on->proxyCpuPerUnit, 0, 'f', 1)
                                .arg(off->proxyCpuPerUnit, 0, 'f', 1)
                                .arg(stream ? QStringLiteral("event") : QStringLiteral("req"));
                line(text);
            }
        }
    }
    // What the proxy adds to the upstream's own time to first byte (issue 18), and the
    // numbers bench/run's summary puts next to their references.
    bool anyAdded = false;
    for (const auto &[key, r] : rows)
        anyAdded = anyAdded || !std::isnan(r.addTtfbP50);
    if (anyAdded) {
        line(QString());
        line(QStringLiteral("TTFB p50 added to direct's (same round, median over the rounds)%1:")
                 .arg(burst ? QStringLiteral(", bursting upstream") : QString()));
        for (int n : levels) {
            for (bool stream : modes) {
                QString text = QStringLiteral("  N=%1 %2 ").arg(n, 3).arg(modeName(stream));
                for (const Target &t : targets) {
                    const Row *r = row(qPrintable(t.name), n, stream);
                    if (r && t.name != QLatin1String("direct"))
                        text += QStringLiteral(" %1 %2 ms").arg(t.name, signedMs(r->addTtfbP50));
                }
                line(text);
            }
        }
    }
    if (parser.isSet(QStringLiteral("results"))) {
        QFile out(parser.value(QStringLiteral("results")));
        if (out.open(QIODevice::Append | QIODevice::Text)) {
            const QString label = parser.value(QStringLiteral("label"));
            for (const auto &[key, r] : rows) {
                const QString prefix =
                    QStringLiteral("%1.%2.%3.%4.")
                        .arg(label, r.target,
                             r.stream ? QStringLiteral("stream") : QStringLiteral("json"))
                        .arg(r.n);
                auto put = [&](const char *what, double v) {
                    if (!std::isnan(v))
                        out.write((prefix + QLatin1String(what) + QLatin1Char(' ') +
                                   QString::number(v, 'f', 4) + QLatin1Char('\n'))
                                      .toUtf8());
                };
                put("thr", r.throughput);
                put("ttfb", r.ttfbP50 / 1000.0);
                put("ttfb_add", r.addTtfbP50 / 1000.0);
                put("cpu", r.proxyCpuPerUnit);
                put("ev_add", r.addP50 / 1000.0);
                put("errors", double(r.errors));
            }
        }
    }
    if (burst) {
        QUrl u = upstreamUrl;
        u.setPath(QStringLiteral("/__fake/counters/burst-off"));
        bench::simpleRequest(u, "POST");
    }
    return 0;
}
