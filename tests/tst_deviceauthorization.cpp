// The real DeviceAuthorization against the in-process fake Qwen service (PROTOCOL.md §2):
// every answer the token endpoint can give, the device code's own lifetime, the request
// shape, and the failures of the device code request. Where the fake has no switch, a
// scripted stub server or a TCP relay that can be switched off stands in for it.

#include "fakeqwenservice.h"
#include "http/httpserver.h"
#include "http/networkproxy.h"
#include "oauth/deviceauthorization.h"
#include "oauth/pkce.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <utility>

namespace {

const QString ClientId = QString::fromLatin1(FakeQwenService::DefaultClientId);
const QString Scope = QString::fromLatin1(FakeQwenService::DefaultScope);
const QString DeviceGrant = QStringLiteral("urn:ietf:params:oauth:grant-type:device_code");

constexpr int kTimeout = 20000;  // generous: a busy two-core machine
constexpr int kIntervalMs = 100; // the default interval the tests give DeviceAuthorization
constexpr int kStepMs = 100;     // and the slow_down step
// Poll times come from the fake's wall clock in whole milliseconds while timers run on the
// monotonic clock: two truncations can shave one millisecond off a gap.
constexpr int kClockSlackMs = 2;

// Every signal of one DeviceAuthorization, in order, with the time it came.
struct Recorder
{
    QList<DeviceCode> codes;
    QList<int> countdowns;
    QStringList transients;
    QList<TokenSet> successes;
    QList<AuthFailure> failures;
    QElapsedTimer clock;
    qint64 codeAtMs = -1;
    qint64 endAtMs = -1;

    explicit Recorder(DeviceAuthorization *auth)
    {
        clock.start();
        QObject::connect(auth, &DeviceAuthorization::codeReady, auth, [this](const DeviceCode &c) {
            codes.append(c);
            codeAtMs = clock.elapsed();
        });
        QObject::connect(auth, &DeviceAuthorization::countdown, auth,
                         [this](int s) { countdowns.append(s); });
        QObject::connect(auth, &DeviceAuthorization::transientError, auth,
                         [this](const QString &m) { transients.append(m); });
        QObject::connect(auth, &DeviceAuthorization::succeeded, auth, [this](const TokenSet &t) {
            successes.append(t);
            endAtMs = clock.elapsed();
        });
        QObject::connect(auth, &DeviceAuthorization::failed, auth, [this](const AuthFailure &f) {
            failures.append(f);
            endAtMs = clock.elapsed();
        });
    }

    bool finished() const { return !successes.isEmpty() || !failures.isEmpty(); }
    QString describe() const
    {
        if (!failures.isEmpty())
            return QStringLiteral("failed(%1): %2")
                .arg(int(failures.first().error))
                .arg(failures.first().message);
        return successes.isEmpty() ? QStringLiteral("still running") : QStringLiteral("succeeded");
    }
};

QHash<QString, QString> formOf(const QByteArray &body)
{
    QHash<QString, QString> form;
    const QUrlQuery query(QString::fromUtf8(body));
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto &item : items)
        form.insert(item.first, item.second);
    return form;
}

bool isBase64Url(const QString &s)
{
    for (const QChar c : s) {
        if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('_'))
            return false;
    }
    return !s.isEmpty();
}

quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

// An OAuth server whose answers the test scripts, for what the fake cannot do (omit
// verification_uri_complete, fail the device code request, never answer it). Keeps every
// request it receives.
class StubServer : public QObject
{
public:
    using Handler = std::function<void(const HttpRequest &, HttpResponse *)>;

    StubServer()
    {
        connect(&m_server, &HttpServer::requestReceived, this,
                [this](const HttpRequest &request, HttpResponse *response) {
                    requests.append(request);
                    if (handler)
                        handler(request, response);
                });
    }
    bool start() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl baseUrl() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
    }
    QList<HttpRequest> requestsTo(const QByteArray &path) const
    {
        QList<HttpRequest> hits;
        for (const HttpRequest &r : requests) {
            if (r.path == path)
                hits.append(r);
        }
        return hits;
    }

    Handler handler;
    QList<HttpRequest> requests;

private:
    HttpServer m_server;
};

// Forwards TCP connections to the fake; while down it resets every connection, open or new,
// so that polls fail with a network error and the fake keeps its grants.
class TcpRelay : public QObject
{
public:
    explicit TcpRelay(quint16 targetPort)
        : m_target(targetPort)
    {
        connect(&m_server, &QTcpServer::newConnection, this, &TcpRelay::accept);
    }
    ~TcpRelay() override
    {
        // Quietly: the sockets' slots refer to members that are going away.
        const auto clients = std::exchange(m_clients, {});
        for (const QPointer<QTcpSocket> &c : clients) {
            if (!c)
                continue;
            const auto children = c->findChildren<QTcpSocket *>();
            for (QTcpSocket *upstream : children)
                upstream->disconnect();
            c->disconnect();
            delete c.data();
        }
    }
    bool start() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl baseUrl() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
    }
    void setDown(bool down)
    {
        m_down = down;
        if (!down)
            return;
        const auto clients = m_clients;
        for (const QPointer<QTcpSocket> &c : clients) {
            if (c)
                c->abort();
        }
    }
    int resets = 0;

private:
    void accept()
    {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            if (m_down) {
                ++resets;
                client->abort();
                client->deleteLater();
                continue;
            }
            auto *upstream = new QTcpSocket(client);
            m_clients.append(client);
            connect(client, &QTcpSocket::readyRead, upstream,
                    [client, upstream] { upstream->write(client->readAll()); });
            connect(upstream, &QTcpSocket::readyRead, client,
                    [client, upstream] { client->write(upstream->readAll()); });
            connect(upstream, &QTcpSocket::disconnected, client,
                    [client] { client->disconnectFromHost(); });
            connect(client, &QTcpSocket::disconnected, client, [this, client, upstream] {
                upstream->abort();
                m_clients.removeAll(client);
                client->deleteLater();
            });
            connect(client, &QTcpSocket::errorOccurred, client, [this, client, upstream] {
                upstream->abort();
                m_clients.removeAll(client);
                client->deleteLater();
            });
            upstream->connectToHost(QHostAddress::LocalHost, m_target);
            if (client->bytesAvailable())
                upstream->write(client->readAll());
        }
    }

    QTcpServer m_server;
    quint16 m_target;
    bool m_down = false;
    QList<QPointer<QTcpSocket>> m_clients;
};

void sendJson(HttpResponse *response, int status, const QJsonObject &body)
{
    response->send(status, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

} // namespace

class TestDeviceAuthorization : public QObject
{
    Q_OBJECT

    std::unique_ptr<FakeQwenService> m_fake;
    std::unique_ptr<QNetworkAccessManager> m_nam;

    OAuthConfig config(const QUrl &base = {}) const
    {
        return {base.isEmpty() ? m_fake->baseUrl() : base, ClientId, Scope};
    }
    std::unique_ptr<DeviceAuthorization> makeAuth(const QUrl &base = {})
    {
        auto auth = std::make_unique<DeviceAuthorization>(m_nam.get(), config(base));
        auth->setTiming(kIntervalMs, kStepMs);
        return auth;
    }
    // The gaps between consecutive polls of the only grant.
    QList<qint64> pollGaps() const
    {
        QList<qint64> gaps;
        const QList<qint64> times = m_fake->pollTimesMs();
        for (int i = 1; i < times.size(); ++i)
            gaps.append(times.at(i) - times.at(i - 1));
        return gaps;
    }

private Q_SLOTS:
    void formatsTheCountdown_data()
    {
        QTest::addColumn<int>("seconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << 0 << "00:00";
        QTest::newRow("seconds") << 9 << "00:09";
        QTest::newRow("a minute") << 60 << "01:00";
        QTest::newRow("minute and seconds") << 65 << "01:05";
        QTest::newRow("just under five") << 299 << "04:59";
        QTest::newRow("ten minutes") << 600 << "10:00";
        QTest::newRow("long") << 6000 << "100:00";
        QTest::newRow("negative") << -4 << "00:00";
    }
    void formatsTheCountdown()
    {
        QFETCH(int, seconds);
        QFETCH(QString, text);
        QCOMPARE(DeviceAuthorization::formatCountdown(seconds), text);
    }

    void init()
    {
        m_fake = std::make_unique<FakeQwenService>();
        QVERIFY(m_fake->start(0));
        // Fast by default: no interval from the server, so setTiming()'s default applies.
        m_fake->setSendInterval(false);
        m_nam = std::make_unique<QNetworkAccessManager>();
    }

    void cleanup()
    {
        m_nam.reset();
        m_fake.reset();
    }

    // --- the request -------------------------------------------------------------------

    void signsInAgainstTheFake()
    {
        // The fake checks client_id, the scope, S256 and the challenge on the device code
        // request, and the verifier against the challenge on every poll: tokens only come
        // back when all of it is right.
        m_fake->setAutoApproveAfterPolls(0);
        m_fake->setResourceUrl(QStringLiteral("portal.example.test"));
        m_fake->setTokenLifetime(1800);
        auto auth = makeAuth();
        Recorder rec(auth.get());
        auth->start();
        QVERIFY(auth->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(), kTimeout);
        QVERIFY2(rec.failures.isEmpty(), qPrintable(rec.describe()));
        QCOMPARE(rec.successes.size(), 1);
        QVERIFY(!auth->isRunning());

        const QList<FakeDeviceGrant> grants = m_fake->deviceGrants();
        QCOMPARE(grants.size(), 1);
        QCOMPARE(grants.first().scope, Scope); // the whole scope, not a subset
        QCOMPARE(grants.first().codeChallenge.size(), 43);
        QCOMPARE(grants.first().state, FakeDeviceGrant::State::Consumed);
        QCOMPARE(m_fake->counters().deviceCodeRequests, 1);
        QCOMPARE(m_fake->counters().tokensIssued, 1);

        const TokenSet t = rec.successes.first();
        QCOMPARE(t.accessToken.toLatin1(), m_fake->lastAccessToken());
        QCOMPARE(t.refreshToken.toLatin1(), m_fake->lastRefreshToken());
        QCOMPARE(t.tokenType, QStringLiteral("Bearer"));
        QCOMPARE(t.resourceUrl, QStringLiteral("portal.example.test"));
        QCOMPARE(t.scope, Scope);
        const qint64 expiresIn = QDateTime::currentDateTimeUtc().secsTo(t.expiresAt);
        QVERIFY2(expiresIn > 1800 - 120 && expiresIn <= 1800,
                 qPrintable(QString::number(expiresIn)));

        // Nothing polls after success.
        const int polls = m_fake->counters().tokenPolls;
        QTest::qWait(5 * kIntervalMs);
        QCOMPARE(m_fake->counters().tokenPolls, polls);
    }

    void configuredClientIdIsUsed()
    {
        // Client id and base URL are configuration, not constants.
        m_fake->setExpectedClientId(QStringLiteral("my-own-client"));
        m_fake->setAutoApproveAfterPolls(0);
        DeviceAuthorization auth(m_nam.get(),
                                 {m_fake->baseUrl(), QStringLiteral("my-own-client"), Scope});
        auth.setTiming(kIntervalMs, kStepMs);
        Recorder rec(&auth);
        auth.start();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(), kTimeout);
        QVERIFY2(rec.failures.isEmpty(), qPrintable(rec.describe()));
    }

    void requestShape()
    {
        // The exact bytes on the wire, as PROTOCOL.md §2 lists them.
        StubServer stub;
        QVERIFY(stub.start());
        stub.handler = [&stub](const HttpRequest &request, HttpResponse *response) {
            if (request.path == "/api/v1/oauth2/device/code") {
                const QString base = stub.baseUrl().toString();
                sendJson(
                    response, 200,
                    {{QStringLiteral("device_code"), QStringLiteral("dc-stub-1")},
                     {QStringLiteral("user_code"), QStringLiteral("ABCD-1234")},
                     {QStringLiteral("verification_uri"), QString(base + QStringLiteral("/a"))},
                     {QStringLiteral("verification_uri_complete"),
                      QString(base + QStringLiteral("/a?user_code=ABCD-1234"))},
                     {QStringLiteral("expires_in"), 60}});
            } else {
                sendJson(response, 200,
                         {{QStringLiteral("access_token"), QStringLiteral("at")},
                          {QStringLiteral("refresh_token"), QStringLiteral("rt")},
                          {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                          {QStringLiteral("expires_in"), 3600}});
            }
        };
        auto auth = makeAuth(stub.baseUrl());
        Recorder rec(auth.get());
        auth->start();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(), kTimeout);
        QVERIFY2(rec.failures.isEmpty(), qPrintable(rec.describe()));

        const QList<HttpRequest> codeRequests = stub.requestsTo("/api/v1/oauth2/device/code");
        QCOMPARE(codeRequests.size(), 1);
        const HttpRequest &dc = codeRequests.first();
        QCOMPARE(dc.method, QByteArray("POST"));
        QVERIFY(dc.header("content-type").startsWith("application/x-www-form-urlencoded"));
        QVERIFY(dc.header("accept").contains("application/json"));
        const QHash<QString, QString> dcForm = formOf(dc.body);
        QCOMPARE(dcForm.size(), 4);
        QCOMPARE(dcForm.value(QStringLiteral("client_id")), ClientId);
        QCOMPARE(dcForm.value(QStringLiteral("scope")), Scope);
        QCOMPARE(dcForm.value(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
        const QString challenge = dcForm.value(QStringLiteral("code_challenge"));
        QCOMPARE(challenge.size(), 43); // 32 bytes of SHA-256, base64url, no padding
        QVERIFY(isBase64Url(challenge));

        const QList<HttpRequest> polls = stub.requestsTo("/api/v1/oauth2/token");
        QCOMPARE(polls.size(), 1);
        const HttpRequest &poll = polls.first();
        QCOMPARE(poll.method, QByteArray("POST"));
        QVERIFY(poll.header("content-type").startsWith("application/x-www-form-urlencoded"));
        QVERIFY(poll.header("accept").contains("application/json"));
        const QHash<QString, QString> pollForm = formOf(poll.body);
        QCOMPARE(pollForm.size(), 4);
        QCOMPARE(pollForm.value(QStringLiteral("grant_type")), DeviceGrant);
        QCOMPARE(pollForm.value(QStringLiteral("client_id")), ClientId);
        QCOMPARE(pollForm.value(QStringLiteral("device_code")), QStringLiteral("dc-stub-1"));
        const QString verifier = pollForm.value(QStringLiteral("code_verifier"));
        QCOMPARE(verifier.size(), 43); // 32 random bytes, base64url, no padding
        QVERIFY(isBase64Url(verifier));
        const QByteArray expected =
            QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)
                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        QCOMPARE(challenge.toLatin1(), expected);
    }

    void freshPkceEachStart()
    {
        m_fake->setAutoApproveAfterPolls(0);
        auto auth = makeAuth();
        for (int i = 0; i < 2; ++i) {
            Recorder rec(auth.get());
            auth->start();
            QTRY_VERIFY_WITH_TIMEOUT(rec.finished(), kTimeout);
            QVERIFY2(rec.failures.isEmpty(), qPrintable(rec.describe()));
            QObject::disconnect(auth.get(), nullptr, auth.get(), nullptr);
        }
        const QList<FakeDeviceGrant> grants = m_fake->deviceGrants();
        QCOMPARE(grants.size(), 2);
        QVERIFY(grants.at(0).codeChallenge != grants.at(1).codeChallenge);
    }

    // --- what the person is shown ---------------------------------------------------------

    void codeReadyFields_data()
    {
        QTest::addColumn<bool>("sendInterval");
        QTest::newRow("interval sent") << true;
        QTest::newRow("interval absent") << false;
    }
    void codeReadyFields()
    {
        QFETCH(bool, sendInterval);
        m_fake->setDeviceCodeLifetime(321);
        m_fake->setSendInterval(sendInterval);
        m_fake->setPollInterval(7);
        auto auth = makeAuth();
        Recorder rec(auth.get());
        auth->start();
        QTRY_COMPARE_WITH_TIMEOUT(rec.codes.size(), 1, kTimeout);
        const DeviceCode code = rec.codes.first();
        QCOMPARE(code.userCode, m_fake->lastUserCode());
        QCOMPARE(code.verificationUri.toString(),
                 m_fake->baseUrl().toString() + QStringLiteral("/authorize"));
        QCOMPARE(code.verificationUriComplete.path(), QStringLiteral("/authorize"));
        QCOMPARE(
            QUrlQuery(code.verificationUriComplete).queryItemValue(QStringLiteral("user_code")),
            code.userCode);
        QCOMPARE(code.expiresInSeconds, 321);
        QCOMPARE(code.intervalSeconds, sendInterval ? 7 : 0);
        QCOMPARE(auth->currentIntervalMs(), sendInterval ? 7000 : kIntervalMs);
        QVERIFY(auth->secondsLeft() > 300 && auth->secondsLeft() <= 321);
        auth->cancel();
    }

    void clientParameter_data()
    {
        QTest::addColumn<bool>("serverAppends");
        QTest::newRow("missing: appended") << false;
        QTest::newRow("present: not duplicated") << true;
    }
    void clientParameter()
    {
        QFETCH(bool, serverAppends);
        m_fake->setAppendClientParameter(serverAppends);
        auto auth = makeAuth();
        Recorder rec(auth.get());
        auth->start();
        QTRY_COMPARE_WITH_TIMEOUT(rec.codes.size(), 1, kTimeout);
        const QUrlQuery query(rec.codes.first().verificationUriComplete);
        QCOMPARE(query.allQueryItemValues(QStringLiteral("client")),
                 QStringList{QStringLiteral("qwen-code")});
        QCOMPARE(query.queryItemValue(QStringLiteral("user_code")), m_fake->lastUserCode());
        QCOMPARE(query.queryItems().size(), 2);
        auth->cancel();
    }

    void verificationUrlBuiltWhenCompleteMissing()
    {
        // The fake always sends verification_uri_complete, so a stub leaves it out.
        StubServer stub;
        QVERIFY(stub.start());
        stub.handler = [&stub](const HttpRequest &request, HttpResponse *response) {
            if (request.path == "/api/v1/oauth2/device/code")
                sendJson(response, 200,
                         {{QStringLiteral("device_code"), QStringLiteral("dc-stub-2")},
                          {QStringLiteral("user_code"), QStringLiteral("WXYZ-9876")},
                          {QStringLiteral("verification_uri"),
                           QString(stub.baseUrl().toString() + QStringLiteral("/device"))},
                          {QStringLiteral("expires_in"), 60}});
            else
                sendJson(response, 400,
                         {{QStringLiteral("error"), QStringLiteral("authorization_pending")}});
        };
        auto auth = makeAuth(stub.baseUrl());
        Recorder rec(auth.get());
        auth->start();
        QTRY_COMPARE_WITH_TIMEOUT(rec.codes.size(), 1, kTimeout);
        const DeviceCode code = rec.codes.first();
        QCOMPARE(code.verificationUri.toString(),
                 stub.baseUrl().toString() + QStringLiteral("/device"));
        const QUrl complete = code.verificationUriComplete;
        QCOMPARE(complete.scheme(), QStringLiteral("http"));
        QCOMPARE(complete.host(), QStringLiteral("127.0.0.1"));
        QCOMPARE(complete.port(), stub.baseUrl().port());
        QCOMPARE(complete.path(), QStringLiteral("/device"));
        const QUrlQuery query(complete);
        QCOMPARE(query.queryItemValue(QStringLiteral("user_code")), QStringLiteral("WXYZ-9876"));
        QCOMPARE(query.allQueryItemValues(QStringLiteral("client")),
                 QStringList{QStringLiteral("qwen-code")});
        auth->cancel();
    }

    void unusableVerificationUrlIsRejected()
    {
        StubServer stub;
        QVERIFY(stub.start());
        stub.handler = [](const HttpRequest &, HttpResponse *response) {
            sendJson(response, 200,
                     {{QStringLiteral("device_code"), QStringLiteral("dc")},
                      {QStringLiteral("user_code"), QStringLiteral("ABCD-1234")},
                      {QStringLiteral("verification_uri"), QStringLiteral("javascript:alert(1)")},
                      {QStringLiteral("verification_uri_complete"),
                       QStringLiteral("javascript:alert(1)")},
                      {QStringLiteral("expires_in"), 60}});
        };
        auto auth = makeAuth(stub.baseUrl());
        Recorder rec(auth.get());
        auth->start();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(), kTimeout);
        QCOMPARE(rec.failures.size(), 1);
        QCOMPARE(rec.failures.first().error, AuthError::Rejected);
        QVERIFY(rec.codes.isEmpty());
        QCOMPARE(stub.requestsTo("/api/v1/oauth2/token").size(), 0);
    }

    // --- the interval -----------------------------------------------------------------------

    void intervalFromResponse()
    {
        m_fake->setSendInterval(true);
        m_fake->setPollInterval(1);
        m_fake->setAutoApproveAfterPolls(2);
        auto auth = makeAuth();
        Recorder rec(auth.get());
        auth->start();
        QTRY_COMPARE_WITH_TIMEOUT(rec.codes.size(), 1, kTimeout);
        QCOMPARE(auth->currentIntervalMs(), 1000); // not the 100 ms default
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(), kTimeout);
        QVERIFY2(rec.failures.isEmpty(), qPrintable(rec.describe()));
        QCOMPARE(m_fake->counters().tokenPolls, 3);
        const QList<qint64> gaps = pollGaps();
        for (qint64 gap : gaps)
            QVERIFY2(gap >= 1000 - kClockSlackMs, qPrintable(QString::number(gap)));
    }

    void defaultIntervalWhenAbsent()
    {
        m_fake->setAutoApproveAfterPolls(2);
        auto auth = makeAuth();
        auth->setTiming(300, kStepMs);
        Recorder rec(auth.get());
        auth->start();
        QTRY_COMPARE_WITH_TIMEOUT(rec.codes.size(), 1, kTimeout);
        QCOMPARE(rec.codes.first().intervalSeconds, 0);
        QCOMPARE(auth->currentIntervalMs(), 300);
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(), kTimeout);
        QVERIFY2(rec.failures.isEmpty(), qPrintable(rec.describe()));
        const QList<qint64> gaps = pollGaps();
        QCOMPARE(gaps.size(), 2);
        for (qint64 gap : gaps)
            QVERIFY2(gap >= 300 - kClockSlackMs, qPrintable(QString::number(gap)));
    }

    void rfcDefaults()
    {
        // Without setTiming(): 5 s when the server names no interval (RFC 8628 §3.2).
        DeviceAuthorization auth(m_nam.get(), config());
        Recorder rec(&auth);
        auth.start();
        QTRY_COMPARE_WITH_TIMEOUT(rec.codes.size(), 1, kTimeout);
        QCOMPARE(auth.currentIntervalMs(), 5000);
        auth.cancel();
    }

    void rfcSlowDownAddsFiveSeconds()
    {
        // Without setTiming(): slow_down adds 5 s (RFC 8628 §3.5), not a factor, no cap.
        m_fake->setSendInterval(true);
        m_fake->setPollInterval(1);
        m_fake->slowDownNextPolls(1);
        DeviceAuthorization auth(m_nam.get(), config());
        Recorder rec(&auth);
        auth.start();
        QTRY_COMPARE_WITH_TIMEOUT(rec.codes.size(), 1, kTimeout);
        QCOMPARE(auth.currentIntervalMs(), 1000);
        QTRY_COMPARE_WITH_TIMEOUT(auth.currentIntervalMs(), 6000, kTimeout);
        QCOMPARE(m_fake->counters().tokenPolls, 1);
        QVERIFY(rec.transients.isEmpty());
        QVERIFY(rec.failures.isEmpty());
        auth.cancel();
    }

    void slowDownAddsStepForGood()
    {
        // Three slow_downs, then two pending answers, then approval on the sixth poll.
        m_fake->slowDownNextPolls(3);
        m_fake->setAutoApproveAfterPolls(5);
        auto auth = makeAuth();
        auth->setTiming(kIntervalMs, 150);
        Recorder rec(auth.get());
        QList<int> intervalAfterEachPoll;
        connect(m_fake.get(), &FakeQwenService::tokenPolled, auth.get(), [&] {
            // Sampled when the client has not read the answer yet: the interval in force
            // for the poll that was just made.
            intervalAfterEachPoll.append(auth->currentIntervalMs());
        });
        auth->start();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(), kTimeout);
        QVERIFY2(rec.failures.isEmpty(), qPrintable(rec.describe()));
        QVERIFY(rec.transients.isEmpty()); // slow_down is not an error
        QCOMPARE(m_fake->counters().tokenPolls, 6);
        QCOMPARE(auth->currentIntervalMs(), kIntervalMs + 3 * 150);
        QCOMPARE(intervalAfterEachPoll,
                 (QList<int>{kIntervalMs, kIntervalMs + 150, kIntervalMs + 300, kIntervalMs + 450,
                             kIntervalMs + 450, kIntervalMs + 450}));

        // The gap after the n-th slow_down is at least the interval grown by n steps, and
        // stays there for every later poll.
        const QList<qint64> gaps = pollGaps();
        const QList<int> minimum{250, 400, 550, 550, 550};
        QCOMPARE(gaps.size(), minimum.size());
        for (int i = 0; i < gaps.size(); ++i)
            QVERIFY2(gaps.at(i) >= minimum.at(i) - kClockSlackMs,
                     qPrintable(QStringLiteral("gap %1 was %2 ms, expected at least %3 ms")
                                    .arg(i)
                                    .arg(gaps.at(i))
                                    .arg(minimum.at(i))));
    }

    // --- answers while polling --------------------------------------------------------------

    void pendingKeepsPolling()
    {
        m_fake->setAutoApproveAfterPolls(3);
        QStringList outcomes;
        connect(m_fake.get(), &FakeQwenService::tokenPolled, this,
                [&outcomes](const QString &o) { outcomes.append(o); });
        auto auth = makeAuth();
        Recorder rec(auth.get());
        auth->start();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(), kTimeout);
        QVERIFY2(rec.failures.isEmpty(), qPrintable(rec.describe()));
        QCOMPARE(outcomes,
                 (QStringList{QStringLiteral("authorization_pending"),
                              QStringLiteral("authorization_pending"),
                              QStringLiteral("authorization_pending"), QStringLiteral("success")}));
        QVERIFY(rec.transients.isEmpty());
        QCOMPARE(rec.successes.first().accessToken.toLatin1(), m_fake->lastAccessToken());
    }

    void approvedByHand()
    {
        auto auth = makeAuth();
        Recorder rec(auth.get());
        auth->start();
        QTRY_VERIFY_WITH_TIMEOUT(m_fake->counters().tokenPolls >= 2, kTimeout);
        QVERIFY(!rec.finished());
        QVERIFY(m_fake->approve(rec.codes.value(0).userCode));
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(), kTimeout);
        QVERIFY2(rec.failures.isEmpty(), qPrintable(rec.describe()));
    }

    void serverErrorsWhilePollingAreTransient_data()
    {
        QTest::addColumn<int>("status");
        QTest::newRow("500") << 500;
        QTest::newRow("502") << 502;
        QTest::newRow("503") << 503;
        QTest::newRow("504") << 504;
    }
    void serverErrorsWhilePollingAreTransient()
    {
        QFETCH(int, status);
        // The fake's 5xx carries {"error":"server_error"}: a body must not make it final.
        m_fake->failNextPolls(2, status);
        m_fake->setAutoApproveAfterPolls(0);
        auto auth = makeAuth();
        Recorder rec(auth.get());
        auth->start();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(), kTimeout);
        QVERIFY2(rec.failures.isEmpty(), qPrintable(rec.describe()));
        QCOMPARE(rec.successes.size(), 1);
        QCOMPARE(rec.transients.size(), 2);
        for (const QString &m : std::as_const(rec.transients))
            QVERIFY2(m.contains(QString::number(status)), qPrintable(m));
        QCOMPARE(m_fake->counters().tokenPolls, 3);
    }

    void networkErrorsWhilePollingAreTransient()
    {
        TcpRelay relay(m_fake->port());
        QVERIFY(relay.start());
        auto auth = makeAuth(relay.baseUrl());
        Recorder rec(auth.get());
        auth->start();
        QTRY_COMPARE_WITH_TIMEOUT(rec.codes.size(), 1, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_fake->counters().tokenPolls >= 1, kTimeout);

        relay.setDown(true);
        QTRY_VERIFY_WITH_TIMEOUT(rec.transients.size() >= 3, kTimeout);
        QVERIFY2(rec.failures.isEmpty(), qPrintable(rec.describe()));
        QVERIFY(auth->isRunning());
        QVERIFY(relay.resets >= 1);

        relay.setDown(false);
        QVERIFY(m_fake->approve());
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(), kTimeout);
        QVERIFY2(rec.failures.isEmpty(), qPrintable(rec.describe()));
        QCOMPARE(rec.successes.first().accessToken.toLatin1(), m_fake->lastAccessToken());
    }

    void expiredToken()
    {
        auto auth = makeAuth();
        Recorder rec(auth.get());
        auth->start();
        QTRY_VERIFY_WITH_TIMEOUT(m_fake->counters().tokenPolls >= 1, kTimeout);
        QVERIFY(m_fake->expire());
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(), kTimeout);
        QCOMPARE(rec.failures.size(), 1);
        QCOMPARE(rec.failures.first().error, AuthError::Expired);
        QVERIFY(rec.failures.first().message.contains(QLatin1String("expired")));
        QVERIFY(!auth->isRunning());
        const int polls = m_fake->counters().tokenPolls;
        QTest::qWait(5 * kIntervalMs);
        QCOMPARE(m_fake->counters().tokenPolls, polls);
    }

    void deviceCodeLifetimeElapses_data()
    {
        QTest::addColumn<bool>("serverFailing");
        QTest::newRow("server says pending forever") << false;
        QTest::newRow("server answers only 503") << true;
    }
    void deviceCodeLifetimeElapses()
    {
        QFETCH(bool, serverFailing);
        // The fake's clock stands still, so it never finds the code expired itself.
        const qint64 frozen = QDateTime::currentMSecsSinceEpoch();
        m_fake->setClock([frozen] { return frozen; });
        m_fake->setDeviceCodeLifetime(2);
        if (serverFailing)
            m_fake->failNextPolls(100000, 503);
        QStringList outcomes;
        connect(m_fake.get(), &FakeQwenService::tokenPolled, this,
                [&outcomes](const QString &o) { outcomes.append(o); });
        auto auth = makeAuth();
        Recorder rec(auth.get());
        auth->start();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(), kTimeout);
        QCOMPARE(rec.failures.size(), 1);
        QCOMPARE(rec.failures.first().error, AuthError::Expired);
        QVERIFY(!outcomes.contains(QStringLiteral("expired_token")));
        QVERIFY(outcomes.size() >= 2); // it kept polling until then
        const qint64 lasted = rec.endAtMs - rec.codeAtMs;
        QVERIFY2(lasted >= 2000 - 50, qPrintable(QString::number(lasted)));
        if (serverFailing) {
            QVERIFY(!rec.transients.isEmpty());
            // The person learns why it never got through.
            QVERIFY2(rec.failures.first().message.contains(QLatin1String("503")),
                     qPrintable(rec.failures.first().message));
        } else {
            QVERIFY(rec.transients.isEmpty());
        }
        QVERIFY(!auth->isRunning());
        const int polls = m_fake->counters().tokenPolls;
        QTest::qWait(5 * kIntervalMs);
        QCOMPARE(m_fake->counters().tokenPolls, polls);
    }

    void accessDenied()
    {
        auto auth = makeAuth();
        Recorder rec(auth.get());
        auth->start();
        QTRY_VERIFY_WITH_TIMEOUT(m_fake->counters().tokenPolls >= 1, kTimeout);
        QVERIFY(m_fake->deny());
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(), kTimeout);
        QCOMPARE(rec.failures.size(), 1);
        QCOMPARE(rec.failures.first().error, AuthError::Denied);
        QVERIFY(rec.failures.first().message.contains(QLatin1String("refused")));
        QCOMPARE(m_fake->counters().tokensIssued, 0);
        QVERIFY(!auth->isRunning());
    }

    // --- the device code request ------------------------------------------------------------

    void deviceCodeRequestFails_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<int>("expected"); // AuthError
        QTest::addColumn<QString>("mentions");
        QTest::newRow("fake stopped") << "stopped" << int(AuthError::Network) << "refused";
        QTest::newRow("closed port") << "closed" << int(AuthError::Network) << "refused";
        QTest::newRow("never answers") << "stall" << int(AuthError::Network) << "in time";
        QTest::newRow("HTTP 500") << "500" << int(AuthError::Server) << "500";
        QTest::newRow("HTTP 503") << "503" << int(AuthError::Server) << "503";
        QTest::newRow("wrong client id") << "client" << int(AuthError::Rejected) << "client id";
        QTest::newRow("HTTP 200 without a code")
            << "empty" << int(AuthError::Rejected) << "client id";
    }
    void deviceCodeRequestFails()
    {
        QFETCH(QString, how);
        QFETCH(int, expected);
        QFETCH(QString, mentions);

        StubServer stub;
        QVERIFY(stub.start());
        QUrl base = m_fake->baseUrl();
        if (how == QLatin1String("stopped")) {
            m_fake->stop();
        } else if (how == QLatin1String("closed")) {
            base = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closedPort()));
        } else if (how == QLatin1String("client")) {
            m_fake->setExpectedClientId(QStringLiteral("not-our-client"));
        } else {
            // The fake has no switch for these: the stub answers instead.
            base = stub.baseUrl();
            stub.handler = [how](const HttpRequest &, HttpResponse *response) {
                if (how == QLatin1String("stall"))
                    return; // never answered
                if (how == QLatin1String("empty"))
                    sendJson(response, 200, {});
                else
                    sendJson(response, how.toInt(),
                             {{QStringLiteral("error"), QStringLiteral("server_error")}});
            };
        }
        auto auth = makeAuth(base);
        auth->setRequestTimeout(500);
        Recorder rec(auth.get());
        auth->start();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(), kTimeout);
        QCOMPARE(rec.failures.size(), 1);
        QCOMPARE(int(rec.failures.first().error), expected);
        QVERIFY2(rec.failures.first().message.contains(mentions, Qt::CaseInsensitive),
                 qPrintable(rec.failures.first().message));
        QVERIFY(rec.codes.isEmpty());
        QVERIFY(!auth->isRunning());
        QCOMPARE(m_fake->counters().tokenPolls, 0);
        QCOMPARE(stub.requestsTo("/api/v1/oauth2/token").size(), 0);
    }

    void proxyDownIsNamed()
    {
        // What the sign-in dialog and `login` show when the HTTP proxy is down.
        const quint16 down = closedPort();
        NetworkProxy::install(
            NetworkProxy::Mode::Manual,
            QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), down));
        NetworkProxy::applyTo(m_nam.get());
        auto auth = makeAuth();
        Recorder rec(auth.get());
        auth->start();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(), kTimeout);
        NetworkProxy::install(NetworkProxy::Mode::System);
        QCOMPARE(rec.failures.size(), 1);
        QCOMPARE(rec.failures.first().error, AuthError::Network);
        QVERIFY2(
            rec.failures.first().message.startsWith(
                QStringLiteral("The HTTP proxy 127.0.0.1:%1 refused the connection").arg(down)),
            qPrintable(rec.failures.first().message));
        QCOMPARE(m_fake->counters().deviceCodeRequests, 0);
    }

    // --- cancel and countdown ---------------------------------------------------------------

    void cancelStopsPolling()
    {
        auto auth = makeAuth();
        Recorder rec(auth.get());
        // Cancel while the second poll's answer is on its way back.
        connect(m_fake.get(), &FakeQwenService::tokenPolled, auth.get(), [&] {
            if (m_fake->counters().tokenPolls == 2)
                auth->cancel();
        });
        auth->start();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(), kTimeout);
        QCOMPARE(rec.failures.size(), 1);
        QCOMPARE(rec.failures.first().error, AuthError::Cancelled);
        QVERIFY(!auth->isRunning());
        QCOMPARE(m_fake->counters().tokenPolls, 2);
        const int ticks = rec.countdowns.size();
        QTest::qWait(1500); // fifteen intervals and one countdown tick
        QCOMPARE(m_fake->counters().tokenPolls, 2);
        QCOMPARE(rec.countdowns.size(), ticks);
        auth->cancel(); // a second cancel is a no-op
        QCOMPARE(rec.failures.size(), 1);
        QVERIFY(rec.successes.isEmpty());
        QVERIFY(rec.transients.isEmpty()); // the aborted answer is no error
    }

    void cancelBeforeTheCode()
    {
        auto auth = makeAuth();
        Recorder rec(auth.get());
        auth->start();
        auth->cancel();
        QCOMPARE(rec.failures.size(), 1);
        QCOMPARE(rec.failures.first().error, AuthError::Cancelled);
        QTest::qWait(5 * kIntervalMs);
        QVERIFY(rec.codes.isEmpty());
        QCOMPARE(rec.failures.size(), 1);
        QCOMPARE(m_fake->counters().tokenPolls, 0);
    }

    void destroyedWhilePolling()
    {
        // Tearing down a running sign-in says nothing to anybody, even with an answer on
        // its way back.
        auto auth = makeAuth();
        Recorder rec(auth.get());
        QStringList lateSignals;
        auto watch = [&lateSignals](const QString &what) {
            return [&lateSignals, what] { lateSignals.append(what); };
        };
        connect(auth.get(), &DeviceAuthorization::transientError, this, watch("transientError"));
        connect(auth.get(), &DeviceAuthorization::failed, this, watch("failed"));
        connect(auth.get(), &DeviceAuthorization::succeeded, this, watch("succeeded"));
        connect(m_fake.get(), &FakeQwenService::tokenPolled, this, [&] {
            if (m_fake->counters().tokenPolls == 2)
                auth.reset();
        });
        auth->start();
        QTRY_VERIFY_WITH_TIMEOUT(!auth, kTimeout);
        QTest::qWait(5 * kIntervalMs);
        QVERIFY2(lateSignals.isEmpty(), qPrintable(lateSignals.join(QLatin1Char(' '))));
        QCOMPARE(m_fake->counters().tokenPolls, 2);
    }

    void countdownDecreases()
    {
        m_fake->setDeviceCodeLifetime(3);
        auto auth = makeAuth();
        Recorder rec(auth.get());
        auth->start();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(), kTimeout);
        QCOMPARE(rec.failures.size(), 1);
        QCOMPARE(rec.failures.first().error, AuthError::Expired);
        QVERIFY2(rec.countdowns.size() >= 2, qPrintable(QString::number(rec.countdowns.size())));
        QCOMPARE(rec.countdowns.first(), 3);
        for (int i = 1; i < rec.countdowns.size(); ++i)
            QVERIFY2(rec.countdowns.at(i) < rec.countdowns.at(i - 1),
                     qPrintable(QStringLiteral("countdown went %1 then %2")
                                    .arg(rec.countdowns.at(i - 1))
                                    .arg(rec.countdowns.at(i))));
        QVERIFY(rec.countdowns.last() >= 1);
        QCOMPARE(auth->secondsLeft(), 0);
    }
};

QTEST_GUILESS_MAIN(TestDeviceAuthorization)
#include "tst_deviceauthorization.moc"
