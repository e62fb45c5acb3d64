// bench_soak: stream churn through qwen-bridge for a fixed time with a steady number of
// requests in flight: streams read to the end, streams dropped after a few events, streams
// dropped before their first byte, and plain requests, on kept-alive and on fresh
// connections. Samples the proxy's RSS (and threads, open files) every few seconds and
// prints the curve and the growth after the warm-up (issue 8, item 5). bench/soak sets up.

#include "benchsupport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <sys/socket.h>
#include <vector>

using bench::nowUs;

namespace {

// --reset: a client that drops a request resets the connection (RST) instead of closing it.
bool g_resetOnDrop = false;

struct Totals
{
    qint64 completed = 0;    // streams read to [DONE]
    qint64 droppedMid = 0;   // streams dropped after some events
    qint64 droppedEarly = 0; // dropped before the first byte
    qint64 plain = 0;        // non-streaming answers
    qint64 errors = 0;       // non-200 or broken before we meant to drop
    qint64 done() const { return completed + droppedMid + droppedEarly + plain; }
};

struct Sample
{
    double t;
    qint64 rssKb;
    qint64 anonKb; // RssAnon: heap, stacks, anonymous mappings
    qint64 fileKb; // RssFile: pages of the executable and libraries in memory
    qint64 threads;
    int fds;
    qint64 done;
};

class Slot : public QObject
{
public:
    enum class Action { Complete, DropMid, DropEarly, Plain };

    Slot(const QUrl &url, const QByteArray &key, int eventsPerStream, Totals *totals,
         std::function<bool()> mayStart)
        : m_url(url)
        , m_streamRequest(bench::chatRequest(
              url.host().toUtf8() + ':' + QByteArray::number(url.port()), key, true))
        , m_plainRequest(bench::chatRequest(
              url.host().toUtf8() + ':' + QByteArray::number(url.port()), key, false))
        , m_events(eventsPerStream)
        , m_totals(totals)
        , m_mayStart(std::move(mayStart))
    {
        m_dropTimer.setSingleShot(true);
        connect(&m_dropTimer, &QTimer::timeout, this, [this] { drop(); });
    }

    bool busy() const { return m_busy; }

    void next()
    {
        if (!m_mayStart()) {
            m_busy = false;
            closeSocket();
            return;
        }
        m_busy = true;
        QRandomGenerator *rng = QRandomGenerator::global();
        const int r = int(rng->bounded(100));
        m_action = r < 55   ? Action::Complete
                   : r < 80 ? Action::DropMid
                   : r < 90 ? Action::DropEarly
                            : Action::Plain;
        m_dropAfter =
            m_action == Action::DropMid ? 1 + int(rng->bounded(std::max(1, m_events - 1))) : -1;
        m_seen = 0;
        m_parser.reset();
        m_in.clear();
        const QByteArray &request = m_action == Action::Plain ? m_plainRequest : m_streamRequest;
        // Half the requests on a fresh connection: connection set-up and teardown churn too.
        if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState ||
            rng->bounded(2) == 0) {
            closeSocket();
            m_socket = new QTcpSocket(this);
            connect(m_socket, &QTcpSocket::connected, this,
                    [this, request] { m_socket->write(request); });
            connect(m_socket, &QTcpSocket::readyRead, this, [this] { onReadyRead(); });
            connect(m_socket, &QTcpSocket::disconnected, this, [this] { onBroken(); });
            connect(m_socket, &QTcpSocket::errorOccurred, this,
                    [this](QAbstractSocket::SocketError e) {
                        if (e != QAbstractSocket::RemoteHostClosedError)
                            onBroken();
                    });
            m_socket->connectToHost(QHostAddress(m_url.host()), quint16(m_url.port()));
        } else {
            m_socket->write(request);
        }
        if (m_action == Action::DropEarly)
            m_dropTimer.start(int(QRandomGenerator::global()->bounded(4)));
    }

    void stop()
    {
        m_dropTimer.stop();
        closeSocket();
        m_busy = false;
    }

private:
    void closeSocket()
    {
        if (!m_socket)
            return;
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }

    void finishAndContinue()
    {
        m_dropTimer.stop();
        QMetaObject::invokeMethod(
            this, [this] { next(); }, Qt::QueuedConnection);
    }

    void drop()
    {
        if (!m_busy)
            return;
        if (m_action == Action::DropEarly && m_parser.headersDone())
            ++m_totals->droppedMid; // the answer was faster than the timer
        else if (m_action == Action::DropEarly)
            ++m_totals->droppedEarly;
        else
            ++m_totals->droppedMid;
        if (g_resetOnDrop && m_socket && m_socket->socketDescriptor() != -1) {
            // SO_LINGER with a zero timeout: close() sends a reset.
            linger l{1, 0};
            ::setsockopt(int(m_socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &l, sizeof l);
        }
        closeSocket(); // the proxy sees the client go away mid-request
        finishAndContinue();
    }

    void onReadyRead()
    {
        m_in += m_socket->readAll();
        const bench::ResponseParser::Result r = m_parser.feed(m_in);
        if (m_parser.headersDone() && m_parser.status() != 200) {
            ++m_totals->errors;
            closeSocket();
            finishAndContinue();
            return;
        }
        if (m_action != Action::Plain && m_parser.headersDone()) {
            m_seen += bench::takeSseEvents(m_parser.body(), [](qint64, QByteArrayView) {});
            if (m_dropAfter > 0 && m_seen >= m_dropAfter &&
                r != bench::ResponseParser::Result::Done) {
                drop();
                return;
            }
        }
        if (r == bench::ResponseParser::Result::Done) {
            if (m_action == Action::Plain)
                ++m_totals->plain;
            else if (m_action == Action::Complete || m_action == Action::DropEarly)
                ++m_totals->completed;
            else
                ++m_totals->completed; // ended before the planned drop point
            if (!m_parser.keepAlive())
                closeSocket();
            finishAndContinue();
        } else if (r == bench::ResponseParser::Result::Error) {
            ++m_totals->errors;
            closeSocket();
            finishAndContinue();
        }
    }

    void onBroken()
    {
        if (!m_busy)
            return;
        ++m_totals->errors;
        closeSocket();
        finishAndContinue();
    }

    QUrl m_url;
    QByteArray m_streamRequest;
    QByteArray m_plainRequest;
    int m_events;
    Totals *m_totals;
    std::function<bool()> m_mayStart;
    QTcpSocket *m_socket = nullptr;
    bench::ResponseParser m_parser;
    QByteArray m_in;
    QTimer m_dropTimer;
    Action m_action = Action::Complete;
    int m_dropAfter = -1;
    int m_seen = 0;
    bool m_busy = false;
};

double mean(const std::vector<Sample> &v, size_t from, size_t to, qint64 Sample::*field)
{
    double sum = 0;
    for (size_t i = from; i < to; ++i)
        sum += double(v[i].*field);
    return to > from ? sum / double(to - from) : 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Stream churn through qwen-bridge with its RSS sampled. The proxy's "
                       "local key comes from BENCH_BRIDGE_KEY."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("bridge"), QStringLiteral("qwen-bridge base URL."), QStringLiteral("URL")},
        {QStringLiteral("bridge-pid"), QStringLiteral("qwen-bridge's process."),
         QStringLiteral("PID")},
        {QStringLiteral("upstream"), QStringLiteral("The fake upstream (for its counters)."),
         QStringLiteral("URL")},
        {QStringLiteral("duration"), QStringLiteral("Seconds of churn."), QStringLiteral("S"),
         QStringLiteral("600")},
        {QStringLiteral("warmup"),
         QStringLiteral("Seconds before growth is counted (default: "
                        "60, or a fifth of a shorter run)."),
         QStringLiteral("S")},
        {QStringLiteral("inflight"), QStringLiteral("Requests in flight."), QStringLiteral("N"),
         QStringLiteral("32")},
        {QStringLiteral("sample"), QStringLiteral("Seconds between RSS samples."),
         QStringLiteral("S"), QStringLiteral("5")},
        {QStringLiteral("events"), QStringLiteral("Events per stream upstream."),
         QStringLiteral("N"), QStringLiteral("50")},
        {QStringLiteral("reset"),
         QStringLiteral("Dropped requests end with a TCP reset instead of a close.")},
    });
    parser.process(app);
    g_resetOnDrop = parser.isSet(QStringLiteral("reset"));

    const QUrl url(parser.value(QStringLiteral("bridge")));
    const qint64 pid = parser.value(QStringLiteral("bridge-pid")).toLongLong();
    if (!url.isValid() || !QHostAddress(url.host()).isLoopback() || pid <= 0 ||
        bench::rssKb(pid) < 0) {
        std::fprintf(stderr, "bench_soak: needs --bridge http://127.0.0.1:PORT and a live "
                             "--bridge-pid\n");
        return 2;
    }
    const int duration = std::clamp(parser.value(QStringLiteral("duration")).toInt(), 10, 86400);
    const int warmup =
        parser.isSet(QStringLiteral("warmup"))
            ? std::clamp(parser.value(QStringLiteral("warmup")).toInt(), 0, duration - 5)
            : std::min(60, duration / 5);
    const int inflight = std::clamp(parser.value(QStringLiteral("inflight")).toInt(), 1, 512);
    const int sampleS = std::clamp(parser.value(QStringLiteral("sample")).toInt(), 1, 600);
    const int events = std::clamp(parser.value(QStringLiteral("events")).toInt(), 2, 100000);
    const QByteArray key = qgetenv("BENCH_BRIDGE_KEY");
    // Bounded by count too: no more requests than a very fast proxy could ever serve.
    const qint64 maxRequests = qint64(duration) * 20000;

    Totals totals;
    const qint64 start = nowUs();
    // Set once the last sample under load has been taken (by the end timer), so that the
    // sample sees full load and not streams already winding down.
    bool stopping = false;
    auto mayStart = [&] { return !stopping && totals.done() + totals.errors < maxRequests; };

    std::vector<std::unique_ptr<Slot>> workers;
    for (int i = 0; i < inflight; ++i)
        workers.push_back(std::make_unique<Slot>(url, key, events, &totals, mayStart));

    std::vector<Sample> samples;
    auto sample = [&] {
        const Sample s{double(nowUs() - start) / 1e6,
                       bench::rssKb(pid),
                       bench::procStatusKb(pid, "RssAnon"),
                       bench::procStatusKb(pid, "RssFile"),
                       bench::threadCount(pid),
                       bench::openFds(pid),
                       totals.done()};
        samples.push_back(s);
        std::printf("%7.0f %9.1f %7.1f %7.1f %7lld %5d %10lld %9lld %9lld %9lld %7lld %6lld\n", s.t,
                    double(s.rssKb) / 1024.0, double(s.anonKb) / 1024.0, double(s.fileKb) / 1024.0,
                    s.threads, s.fds, s.done, totals.completed, totals.droppedMid,
                    totals.droppedEarly, totals.plain, totals.errors);
        std::fflush(stdout);
    };

    std::printf("Soak: %d s, %d in flight (55%% streams read to the end, 25%% dropped after "
                "some events, 10%% dropped before the first byte, 10%% plain), RSS every %d s, "
                "warm-up %d s.\n\n",
                duration, inflight, sampleS, warmup);
    std::printf("%7s %9s %7s %7s %7s %5s %10s %9s %9s %9s %7s %6s\n", "t (s)", "RSS (MB)", "anon",
                "file", "threads", "fds", "done", "complete", "drop-mid", "drop-early", "plain",
                "errors");
    const qint64 rss0 = bench::rssKb(pid);
    sample();

    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, &app, sample);
    sampler.start(sampleS * 1000);
    for (size_t i = 0; i < workers.size(); ++i) {
        Slot *s = workers[i].get();
        // Spread the first requests over a second rather than one burst.
        QTimer::singleShot(int(1000 * i / workers.size()), s, [s] { s->next(); });
    }
    QTimer endTimer;
    endTimer.setSingleShot(true);
    QObject::connect(&endTimer, &QTimer::timeout, &app, [&] {
        sampler.stop();
        sample(); // the last sample under load
        stopping = true;
        QTimer *drain = new QTimer(&app);
        const qint64 drainDeadline = nowUs() + 10 * 1000000;
        QObject::connect(drain, &QTimer::timeout, &app, [&, drain, drainDeadline] {
            bool busy = false;
            for (const auto &s : workers)
                busy = busy || s->busy();
            if (busy && nowUs() < drainDeadline)
                return;
            drain->stop();
            for (const auto &s : workers)
                s->stop();
            // Give the proxy a moment to finish the last teardowns, then look once more.
            QTimer::singleShot(3000, &app, [] { QCoreApplication::quit(); });
        });
        drain->start(100);
    });
    endTimer.start(duration * 1000);
    app.exec();

    const qint64 idleRss = bench::rssKb(pid);
    const Sample last = samples.back();
    std::printf("\n");
    // Samples at or after the warm-up, the last (under load) included.
    size_t first = 0;
    while (first < samples.size() && samples[first].t < warmup)
        ++first;
    if (samples.size() - first < 2) {
        std::printf("Too few samples after the warm-up to judge growth.\n");
        return 0;
    }
    const size_t k = std::min<size_t>(3, (samples.size() - first) / 2);
    const double atWarmup = mean(samples, first, first + k, &Sample::rssKb);
    const double atEnd = mean(samples, samples.size() - k, samples.size(), &Sample::rssKb);
    const double anonGrowth = mean(samples, samples.size() - k, samples.size(), &Sample::anonKb) -
                              mean(samples, first, first + k, &Sample::anonKb);
    const double fileGrowth = mean(samples, samples.size() - k, samples.size(), &Sample::fileKb) -
                              mean(samples, first, first + k, &Sample::fileKb);
    qint64 maxAfter = 0;
    for (size_t i = first; i < samples.size(); ++i)
        maxAfter = std::max(maxAfter, samples[i].rssKb);
    // Least-squares slope after the warm-up: a leak shows as a steady climb.
    double st = 0, sr = 0, stt = 0, str = 0;
    const double n = double(samples.size() - first);
    for (size_t i = first; i < samples.size(); ++i) {
        st += samples[i].t;
        sr += double(samples[i].rssKb);
        stt += samples[i].t * samples[i].t;
        str += samples[i].t * double(samples[i].rssKb);
    }
    const double slopeKbPerS = (n * str - st * sr) / std::max(1e-9, n * stt - st * st);
    const double growthKb = atEnd - atWarmup;

    std::printf("Requests: %lld done (%lld complete, %lld dropped mid-stream, %lld dropped "
                "before the first byte, %lld plain), %lld errors, %.0f per second.\n",
                totals.done(), totals.completed, totals.droppedMid, totals.droppedEarly,
                totals.plain, totals.errors, double(totals.done()) / last.t);
    std::printf("RSS: %.1f MB at start, %.1f MB after the warm-up (mean of %zu samples from "
                "%.0f s), %.1f MB at the end (mean of the last %zu), highest after the "
                "warm-up %.1f MB, %.1f MB idle after the drain.\n",
                double(rss0) / 1024.0, atWarmup / 1024.0, k, samples[first].t, atEnd / 1024.0, k,
                double(maxAfter) / 1024.0, double(idleRss) / 1024.0);
    std::printf("Trend after the warm-up: %+.1f KB per minute (least squares over %zu samples). "
                "Of the growth, %+.2f MB anonymous memory (heap) and %+.2f MB pages of the "
                "program and its libraries (RssFile).\n",
                slopeKbPerS * 60.0, samples.size() - first, anonGrowth / 1024.0,
                fileGrowth / 1024.0);
    if (parser.isSet(QStringLiteral("upstream"))) {
        QUrl counters(parser.value(QStringLiteral("upstream")));
        counters.setPath(QStringLiteral("/__fake/counters"));
        const QJsonObject c = bench::simpleRequest(counters, "GET");
        std::printf("Upstream: %d streams started, %d completed, %d ended because the client "
                    "left, %d still open after the drain.\n",
                    c.value(QLatin1String("streamsStarted")).toInt(),
                    c.value(QLatin1String("streamsCompleted")).toInt(),
                    c.value(QLatin1String("streamsClientGone")).toInt(),
                    c.value(QLatin1String("activeStreams")).toInt());
    }
    std::printf("%s  RSS growth after the warm-up < 1 MB: %+.2f MB\n",
                growthKb < 1024.0 ? "PASS" : "MISS", growthKb / 1024.0);
    return 0;
}
