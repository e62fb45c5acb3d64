// fake-qwen: the fake Qwen service as a standalone process, for benchmarks and manual
// runs. Prints its base URL as the first line of standard output, then serves until
// SIGINT or SIGTERM.

#include "fakeqwenservice.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>

#include <fcntl.h>
#include <unistd.h>

namespace {

int signalPipe[2] = {-1, -1};

// Only async-signal-safe work here: wake the event loop through the pipe.
void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(signalPipe[1], &byte, 1);
}

bool installSignalHandlers()
{
    if (::pipe2(signalPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return false;
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0 &&
           ::sigaction(SIGTERM, &action, nullptr) == 0;
}

bool parseInt(const QCommandLineParser &parser, const QString &name, int minimum, int *out)
{
    if (!parser.isSet(name))
        return true;
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok || value < minimum) {
        std::fprintf(stderr, "fake-qwen: --%s needs a whole number of at least %d\n",
                     qPrintable(name), minimum);
        return false;
    }
    *out = value;
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fake-qwen"));
    // One debug line per request would weigh on benchmarks; QT_LOGGING_RULES brings them back.
    if (!qEnvironmentVariableIsSet("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "A fake of the remote Qwen services (OAuth device sign-in and an OpenAI-compatible "
        "API) on 127.0.0.1, for tests, the demo and benchmarks. Prints its base URL on the "
        "first line of standard output and serves until SIGINT or SIGTERM."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("port"), QStringLiteral("Port on 127.0.0.1 (0: any free port)."),
         QStringLiteral("N"), QStringLiteral("0")},
        {QStringLiteral("token-lifetime"), QStringLiteral("Access token lifetime in seconds."),
         QStringLiteral("S")},
        {QStringLiteral("auto-approve"),
         QStringLiteral("Approve each device code after N polls (0: on the first poll)."),
         QStringLiteral("N")},
        {QStringLiteral("interval"), QStringLiteral("Polling interval sent to clients, seconds."),
         QStringLiteral("S")},
        {QStringLiteral("events"), QStringLiteral("Content events per streamed answer."),
         QStringLiteral("N")},
        {QStringLiteral("event-delay-ms"), QStringLiteral("Delay between streamed events."),
         QStringLiteral("MS")},
        {QStringLiteral("reply"), QStringLiteral("The assistant's reply text."),
         QStringLiteral("TEXT")},
        {QStringLiteral("api-key"), QStringLiteral("Accept KEY as an API key (repeatable)."),
         QStringLiteral("KEY")},
        {QStringLiteral("stamp-events"),
         QStringLiteral("Add \"x_sent_us\" (CLOCK_MONOTONIC microseconds at send) to every "
                        "streamed chunk, for benchmarks.")},
        {QStringLiteral("record-limit"),
         QStringLiteral("Remember only the last N chat requests (default: all)."),
         QStringLiteral("N")},
        {QStringLiteral("burst"),
         QStringLiteral("Send each streamed answer's events all in one write, after the "
                        "event delay (a fast upstream, or one catching up after a stall).")},
        {QStringLiteral("counters-endpoint"),
         QStringLiteral("Serve GET /__fake/counters and POST /__fake/counters/reset-peak, "
                        "/__fake/counters/burst-on and /__fake/counters/burst-off.")},
        {QStringLiteral("idle-timeout-ms"),
         QStringLiteral("Close keep-alive connections idle this long (default 60000)."),
         QStringLiteral("MS")},
    });
    parser.process(app);

    int port = 0;
    int tokenLifetime = 3600;
    int autoApprove = -1;
    int interval = 5;
    int events = 5;
    int eventDelayMs = 0;
    int recordLimit = -1;
    int idleTimeoutMs = -1;
    if (!parseInt(parser, QStringLiteral("port"), 0, &port) || port > 65535 ||
        !parseInt(parser, QStringLiteral("token-lifetime"), 1, &tokenLifetime) ||
        !parseInt(parser, QStringLiteral("auto-approve"), 0, &autoApprove) ||
        !parseInt(parser, QStringLiteral("interval"), 0, &interval) ||
        !parseInt(parser, QStringLiteral("events"), 1, &events) ||
        !parseInt(parser, QStringLiteral("event-delay-ms"), 0, &eventDelayMs) ||
        !parseInt(parser, QStringLiteral("record-limit"), 0, &recordLimit) ||
        !parseInt(parser, QStringLiteral("idle-timeout-ms"), 1, &idleTimeoutMs))
        return 2;

    if (!installSignalHandlers()) {
        std::perror("fake-qwen: signal handlers");
        return 1;
    }
    QSocketNotifier notifier(signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, [] {
        char drain[16];
        while (::read(signalPipe[0], drain, sizeof drain) > 0) {
        }
        QCoreApplication::quit();
    });

    FakeQwenService service;
    service.setTokenLifetime(tokenLifetime);
    service.setAutoApproveAfterPolls(autoApprove);
    service.setPollInterval(interval);
    service.setStreamEventCount(events);
    service.setStreamEventDelayMs(eventDelayMs);
    service.setApiKeys(parser.values(QStringLiteral("api-key")));
    service.setStampEvents(parser.isSet(QStringLiteral("stamp-events")));
    service.setStreamBurst(parser.isSet(QStringLiteral("burst")));
    service.setChatRecordLimit(recordLimit);
    service.setCountersEndpoint(parser.isSet(QStringLiteral("counters-endpoint")));
    if (idleTimeoutMs > 0)
        service.setIdleTimeoutMs(idleTimeoutMs);
    if (parser.isSet(QStringLiteral("reply")))
        service.setReplyText(parser.value(QStringLiteral("reply")));
    if (!service.start(quint16(port))) {
        std::fprintf(stderr, "fake-qwen: cannot listen on 127.0.0.1 port %d\n", port);
        return 1;
    }
    QObject::connect(
        &service, &FakeQwenService::deviceCodeIssued, &app, [&service](const QString &userCode) {
            std::fprintf(stderr, "fake-qwen: user code %s, approve at %s\n", qPrintable(userCode),
                         qPrintable(service.baseUrl().toString() +
                                    QStringLiteral("/authorize?user_code=") + userCode));
        });

    std::printf("%s\n", qPrintable(service.baseUrl().toString()));
    std::fflush(stdout);
    return app.exec();
}
