// Tests of the fake Qwen service itself, through real HTTP on loopback: every other test
// trusts it to behave like the remote services, failure switches included.

#include "fakeqwenservice.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

#include <memory>
#include <vector>

namespace {

const QString ClientId = QString::fromLatin1(FakeQwenService::DefaultClientId);
const QString Scope = QString::fromLatin1(FakeQwenService::DefaultScope);
const QString DeviceGrant = QStringLiteral("urn:ietf:params:oauth:grant-type:device_code");

struct Answer
{
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QJsonObject json;
    QList<QNetworkReply::RawHeaderPair> headers;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
};

struct Pkce
{
    QByteArray verifier;
    QByteArray challenge;
};

Pkce makePkce()
{
    QByteArray raw(32, Qt::Uninitialized);
    for (char &c : raw)
        c = char(QRandomGenerator::global()->bounded(256));
    const auto options = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
    Pkce pkce;
    pkce.verifier = raw.toBase64(options);
    pkce.challenge =
        QCryptographicHash::hash(pkce.verifier, QCryptographicHash::Sha256).toBase64(options);
    return pkce;
}

// The data parts of every SSE event in a body.
QList<QByteArray> sseData(const QByteArray &body)
{
    QList<QByteArray> data;
    const QList<QByteArray> lines = body.split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("data: "))
            data.append(line.mid(6));
    }
    return data;
}

// The body of a raw HTTP/1.1 response with chunked framing; empty until it is complete.
QByteArray dechunk(const QByteArray &raw)
{
    qsizetype pos = raw.indexOf("\r\n\r\n");
    if (pos < 0)
        return {};
    pos += 4;
    QByteArray body;
    for (;;) {
        const qsizetype lineEnd = raw.indexOf("\r\n", pos);
        if (lineEnd < 0)
            return {};
        bool ok = false;
        const qsizetype size = raw.mid(pos, lineEnd - pos).toLongLong(&ok, 16);
        if (!ok || raw.size() < lineEnd + 2 + size + 2)
            return {};
        if (size == 0)
            return body;
        body += raw.mid(lineEnd + 2, size);
        pos = lineEnd + 2 + size + 2;
    }
}

// The concatenated delta.content of a chat completion stream.
QString streamedText(const QByteArray &body)
{
    QString text;
    const QList<QByteArray> events = sseData(body);
    for (const QByteArray &event : events) {
        const QJsonArray choices =
            QJsonDocument::fromJson(event).object().value(QLatin1String("choices")).toArray();
        if (!choices.isEmpty())
            text += choices.first()
                        .toObject()
                        .value(QLatin1String("delta"))
                        .toObject()
                        .value(QLatin1String("content"))
                        .toString();
    }
    return text;
}

QByteArray rawChatRequest(quint16 port, const QByteArray &token, const QByteArray &body)
{
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
           "\r\nAuthorization: Bearer " + token +
           "\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

} // namespace

class TestFakeQwenService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void deviceCodeFields();
    void deviceCodeOptionalFields();
    void deviceCodeValidation();
    void pkceMismatchRejected();
    void pendingThenApproved();
    void autoApprove();
    void slowDown();
    void transientPollFailures();
    void denied();
    void expiresByClock();
    void expiresOnDemand();
    void pollTimesRecorded();
    void approveAnyPending();
    void demoPageApproves();
    void demoPageDenies();

    void refreshRotates();
    void refreshGraceUntilUsed();
    void refreshWithoutRotation();
    void refreshInvalidGrant();
    void refreshTransientFailure();
    void refreshStall();
    void resourceUrl();

    void modelsList();
    void chatNonStream();
    void chatStream();
    void chatStreamWithDelay();
    void chatUnknownToken();
    void chatExpiredToken();
    void chatOAuthRules();
    void apiKeyAccepted();

    void chatFaults_data();
    void chatFaults();
    void faultQueueCounts();
    void resetMidStream();
    void resetBeforeAnyByte();
    void stallBeforeHeaders();
    void stallAfterHeaders();
    void stallMidStream();
    void slowFirstByte();

    void planModelLists_data();
    void planModelLists();
    void planKeys_data();
    void planKeys();
    void codingPlanAgentCheck();
    void planModelsExactCase();
    void thinkingRestricted();
    void reasoningDeltas();
    void usageChunkWhenAsked();
    void errorInStream();

    void concurrentStreams();
    void backpressure();
    void resetClearsState();
    void destroyedWhileStreaming();

private:
    QNetworkReply *get(const QString &path, const QByteArray &bearer = {});
    QNetworkReply *postForm(const QString &path, const QList<QPair<QString, QString>> &fields);
    QNetworkReply *postChat(const QByteArray &bearer, const QJsonObject &body,
                            const QList<QPair<QByteArray, QByteArray>> &headers = {});
    Answer wait(QNetworkReply *reply);
    Answer requestDeviceCode(const Pkce &pkce);
    Answer poll(const QJsonObject &deviceCode, const Pkce &pkce);
    Answer refresh(const QByteArray &refreshToken, const QString &clientId = ClientId);
    // A full device sign-in; returns the token response.
    QJsonObject signIn();
    static QJsonObject chatBody(bool stream, const QString &model = QStringLiteral("coder-model"));

    std::unique_ptr<FakeQwenService> m_fake;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void TestFakeQwenService::init()
{
    m_fake = std::make_unique<FakeQwenService>();
    QVERIFY(m_fake->start());
    QVERIFY(m_fake->port() != 0);
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_nam->setProxy(QNetworkProxy::NoProxy);
}

void TestFakeQwenService::cleanup()
{
    m_nam.reset();
    m_fake.reset();
}

QNetworkReply *TestFakeQwenService::get(const QString &path, const QByteArray &bearer)
{
    QNetworkRequest request(QUrl(m_fake->baseUrl().toString() + path));
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer);
    return m_nam->get(request);
}

QNetworkReply *TestFakeQwenService::postForm(const QString &path,
                                             const QList<QPair<QString, QString>> &fields)
{
    QUrlQuery form;
    for (const auto &field : fields)
        form.addQueryItem(field.first, QString::fromLatin1(QUrl::toPercentEncoding(field.second)));
    QNetworkRequest request(QUrl(m_fake->baseUrl().toString() + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Accept", "application/json");
    return m_nam->post(request, form.toString(QUrl::FullyEncoded).toLatin1());
}

QNetworkReply *TestFakeQwenService::postChat(const QByteArray &bearer, const QJsonObject &body,
                                             const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(
        QUrl(m_fake->apiBaseUrl().toString() + QStringLiteral("/chat/completions")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer);
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    return m_nam->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

Answer TestFakeQwenService::wait(QNetworkReply *reply)
{
    std::unique_ptr<QNetworkReply> owner(reply);
    if (!reply->isFinished()) {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        finished.wait(15000);
    }
    Answer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.error = reply->error();
    if (reply->isOpen()) // a cancelled reply is closed
        answer.body = reply->readAll();
    answer.json = QJsonDocument::fromJson(answer.body).object();
    answer.headers = reply->rawHeaderPairs();
    return answer;
}

Answer TestFakeQwenService::requestDeviceCode(const Pkce &pkce)
{
    return wait(postForm(QStringLiteral("/api/v1/oauth2/device/code"),
                         {{QStringLiteral("client_id"), ClientId},
                          {QStringLiteral("scope"), Scope},
                          {QStringLiteral("code_challenge"), QString::fromLatin1(pkce.challenge)},
                          {QStringLiteral("code_challenge_method"), QStringLiteral("S256")}}));
}

Answer TestFakeQwenService::poll(const QJsonObject &deviceCode, const Pkce &pkce)
{
    return wait(postForm(
        QStringLiteral("/api/v1/oauth2/token"),
        {{QStringLiteral("grant_type"), DeviceGrant},
         {QStringLiteral("client_id"), ClientId},
         {QStringLiteral("device_code"), deviceCode.value(QLatin1String("device_code")).toString()},
         {QStringLiteral("code_verifier"), QString::fromLatin1(pkce.verifier)}}));
}

Answer TestFakeQwenService::refresh(const QByteArray &refreshToken, const QString &clientId)
{
    return wait(postForm(QStringLiteral("/api/v1/oauth2/token"),
                         {{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                          {QStringLiteral("refresh_token"), QString::fromLatin1(refreshToken)},
                          {QStringLiteral("client_id"), clientId}}));
}

QJsonObject TestFakeQwenService::signIn()
{
    const Pkce pkce = makePkce();
    const Answer code = requestDeviceCode(pkce);
    if (code.status != 200)
        return {};
    m_fake->approve(code.json.value(QLatin1String("user_code")).toString());
    const Answer tokens = poll(code.json, pkce);
    return tokens.status == 200 ? tokens.json : QJsonObject();
}

QJsonObject TestFakeQwenService::chatBody(bool stream, const QString &model)
{
    return QJsonObject{
        {QStringLiteral("model"), model},
        {QStringLiteral("stream"), stream},
        {QStringLiteral("messages"),
         QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                {QStringLiteral("content"), QStringLiteral("You are helpful.")}},
                    QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                {QStringLiteral("content"), QStringLiteral("Hi")}}}}};
}

// --- device authorization -------------------------------------------------------------------

void TestFakeQwenService::deviceCodeFields()
{
    QSignalSpy issued(m_fake.get(), &FakeQwenService::deviceCodeIssued);
    const Answer a = requestDeviceCode(makePkce());
    QCOMPARE(a.status, 200);
    QVERIFY(a.header("content-type").startsWith("application/json"));
    const QString base = m_fake->baseUrl().toString();
    const QString userCode = a.json.value(QLatin1String("user_code")).toString();
    QVERIFY(QRegularExpression(QStringLiteral("^[A-Z]{4}-[0-9]{4}$")).match(userCode).hasMatch());
    QVERIFY(!a.json.value(QLatin1String("device_code")).toString().isEmpty());
    QCOMPARE(a.json.value(QLatin1String("verification_uri")).toString(), base + "/authorize");
    QCOMPARE(a.json.value(QLatin1String("verification_uri_complete")).toString(),
             base + "/authorize?user_code=" + userCode + "&client=qwen-code");
    QCOMPARE(a.json.value(QLatin1String("expires_in")).toInt(), 600);
    QCOMPARE(a.json.value(QLatin1String("interval")).toInt(), 5);
    QCOMPARE(issued.count(), 1);
    QCOMPARE(issued.at(0).at(0).toString(), userCode);
    QCOMPARE(m_fake->lastUserCode(), userCode);
    QCOMPARE(m_fake->counters().deviceCodeRequests, 1);
    QCOMPARE(m_fake->deviceGrant(userCode).state, FakeDeviceGrant::State::Pending);
}

void TestFakeQwenService::deviceCodeOptionalFields()
{
    m_fake->setAppendClientParameter(false);
    m_fake->setSendInterval(false);
    m_fake->setDeviceCodeLifetime(42);
    const Answer a = requestDeviceCode(makePkce());
    QCOMPARE(a.status, 200);
    const QString userCode = a.json.value(QLatin1String("user_code")).toString();
    QCOMPARE(a.json.value(QLatin1String("verification_uri_complete")).toString(),
             m_fake->baseUrl().toString() + "/authorize?user_code=" + userCode);
    QVERIFY(!a.json.contains(QLatin1String("interval")));
    QCOMPARE(a.json.value(QLatin1String("expires_in")).toInt(), 42);

    m_fake->setSendInterval(true);
    m_fake->setPollInterval(1);
    QCOMPARE(requestDeviceCode(makePkce()).json.value(QLatin1String("interval")).toInt(), 1);
}

void TestFakeQwenService::deviceCodeValidation()
{
    const Pkce pkce = makePkce();
    const QString challenge = QString::fromLatin1(pkce.challenge);
    const QString path = QStringLiteral("/api/v1/oauth2/device/code");
    auto ask = [&](const QString &clientId, const QString &scope, const QString &method,
                   const QString &codeChallenge) {
        return wait(postForm(path, {{QStringLiteral("client_id"), clientId},
                                    {QStringLiteral("scope"), scope},
                                    {QStringLiteral("code_challenge"), codeChallenge},
                                    {QStringLiteral("code_challenge_method"), method}}));
    };
    Answer a = ask(QStringLiteral("someone-else"), Scope, QStringLiteral("S256"), challenge);
    QCOMPARE(a.status, 400);
    QCOMPARE(a.json.value(QLatin1String("error")).toString(), QStringLiteral("invalid_client"));
    a = ask(ClientId, QStringLiteral("openid admin"), QStringLiteral("S256"), challenge);
    QCOMPARE(a.status, 400);
    QCOMPARE(a.json.value(QLatin1String("error")).toString(), QStringLiteral("invalid_scope"));
    a = ask(ClientId, Scope, QStringLiteral("plain"), challenge);
    QCOMPARE(a.status, 400);
    QCOMPARE(a.json.value(QLatin1String("error")).toString(), QStringLiteral("invalid_request"));
    a = ask(ClientId, Scope, QStringLiteral("S256"), QString());
    QCOMPARE(a.status, 400);
    QCOMPARE(a.json.value(QLatin1String("error")).toString(), QStringLiteral("invalid_request"));

    // A JSON body is not what the endpoint takes.
    QNetworkRequest request(QUrl(m_fake->baseUrl().toString() + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    a = wait(m_nam->post(request, QByteArrayLiteral("{\"client_id\":\"x\"}")));
    QCOMPARE(a.status, 400);

    // A custom client id is honoured.
    m_fake->setExpectedClientId(QStringLiteral("someone-else"));
    a = ask(QStringLiteral("someone-else"), Scope, QStringLiteral("S256"), challenge);
    QCOMPARE(a.status, 200);
    QCOMPARE(m_fake->counters().deviceCodeRequests, 6);
}

void TestFakeQwenService::pkceMismatchRejected()
{
    const Pkce pkce = makePkce();
    const Answer code = requestDeviceCode(pkce);
    QVERIFY(m_fake->approve());
    const Answer a = poll(code.json, makePkce());
    QCOMPARE(a.status, 400);
    QCOMPARE(a.json.value(QLatin1String("error")).toString(), QStringLiteral("invalid_grant"));
    // The right verifier still works: a mismatch does not burn the grant.
    QCOMPARE(poll(code.json, pkce).status, 200);
}

void TestFakeQwenService::pendingThenApproved()
{
    QSignalSpy polled(m_fake.get(), &FakeQwenService::tokenPolled);
    QSignalSpy issued(m_fake.get(), &FakeQwenService::tokensIssued);
    const Pkce pkce = makePkce();
    const Answer code = requestDeviceCode(pkce);
    const QString userCode = code.json.value(QLatin1String("user_code")).toString();

    Answer a = poll(code.json, pkce);
    QCOMPARE(a.status, 400);
    QCOMPARE(a.json.value(QLatin1String("error")).toString(),
             QStringLiteral("authorization_pending"));
    QVERIFY(m_fake->approve(userCode));
    QCOMPARE(m_fake->deviceGrant(userCode).state, FakeDeviceGrant::State::Approved);

    a = poll(code.json, pkce);
    QCOMPARE(a.status, 200);
    const QString access = a.json.value(QLatin1String("access_token")).toString();
    const QString refresh = a.json.value(QLatin1String("refresh_token")).toString();
    QVERIFY(!access.isEmpty());
    QVERIFY(!refresh.isEmpty());
    QVERIFY(access != refresh);
    QCOMPARE(a.json.value(QLatin1String("token_type")).toString(), QStringLiteral("Bearer"));
    QCOMPARE(a.json.value(QLatin1String("expires_in")).toInt(), 3600);
    QCOMPARE(a.json.value(QLatin1String("scope")).toString(), Scope);
    QVERIFY(!a.json.contains(QLatin1String("resource_url")));
    QCOMPARE(issued.count(), 1);
    QCOMPARE(issued.at(0).at(0).toByteArray(), access.toLatin1());
    QCOMPARE(issued.at(0).at(1).toByteArray(), refresh.toLatin1());
    QCOMPARE(m_fake->classifyToken(access.toLatin1()), FakeTokenKind::OAuthLive);
    QVERIFY(m_fake->isRefreshTokenLive(refresh.toLatin1()));
    QCOMPARE(polled.count(), 2);
    QCOMPARE(polled.at(0).at(0).toString(), QStringLiteral("authorization_pending"));
    QCOMPARE(polled.at(1).at(0).toString(), QStringLiteral("success"));

    // A device code gives tokens once.
    a = poll(code.json, pkce);
    QCOMPARE(a.status, 400);
    QCOMPARE(a.json.value(QLatin1String("error")).toString(), QStringLiteral("invalid_grant"));
    QCOMPARE(m_fake->counters().tokenPolls, 3);
    QCOMPARE(m_fake->counters().tokensIssued, 1);
    QCOMPARE(m_fake->deviceGrant(userCode).polls, 3);
}

void TestFakeQwenService::autoApprove()
{
    m_fake->setAutoApproveAfterPolls(2);
    const Pkce pkce = makePkce();
    const Answer code = requestDeviceCode(pkce);
    QCOMPARE(poll(code.json, pkce).status, 400);
    QCOMPARE(poll(code.json, pkce).status, 400);
    QCOMPARE(poll(code.json, pkce).status, 200);

    m_fake->setAutoApproveAfterPolls(0);
    const Answer second = requestDeviceCode(pkce);
    QCOMPARE(poll(second.json, pkce).status, 200);
}

void TestFakeQwenService::slowDown()
{
    m_fake->slowDownNextPolls(2);
    const Pkce pkce = makePkce();
    const Answer code = requestDeviceCode(pkce);
    for (int i = 0; i < 2; ++i) {
        const Answer a = poll(code.json, pkce);
        QCOMPARE(a.status, 429);
        QCOMPARE(a.json.value(QLatin1String("error")).toString(), QStringLiteral("slow_down"));
    }
    const Answer a = poll(code.json, pkce);
    QCOMPARE(a.json.value(QLatin1String("error")).toString(),
             QStringLiteral("authorization_pending"));
}

void TestFakeQwenService::transientPollFailures()
{
    m_fake->slowDownNextPolls(1);
    m_fake->failNextPolls(2, 502);
    const Pkce pkce = makePkce();
    const Answer code = requestDeviceCode(pkce);
    QCOMPARE(poll(code.json, pkce).status, 429); // slow_down first, then the 5xx
    QCOMPARE(poll(code.json, pkce).status, 502);
    QCOMPARE(poll(code.json, pkce).status, 502);
    m_fake->approve();
    QCOMPARE(poll(code.json, pkce).status, 200);
    QCOMPARE(m_fake->counters().tokenPolls, 4);
}

void TestFakeQwenService::denied()
{
    const Pkce pkce = makePkce();
    const Answer code = requestDeviceCode(pkce);
    QVERIFY(m_fake->deny(code.json.value(QLatin1String("user_code")).toString()));
    const Answer a = poll(code.json, pkce);
    QCOMPARE(a.status, 400);
    QCOMPARE(a.json.value(QLatin1String("error")).toString(), QStringLiteral("access_denied"));
    QVERIFY(!m_fake->approve()); // nothing pending any more
}

void TestFakeQwenService::expiresByClock()
{
    qint64 clock = 1'700'000'000'000;
    m_fake->setClock([&clock] { return clock; });
    m_fake->setDeviceCodeLifetime(30);
    const Pkce pkce = makePkce();
    const Answer code = requestDeviceCode(pkce);
    QCOMPARE(code.json.value(QLatin1String("expires_in")).toInt(), 30);
    clock += 29'999;
    QCOMPARE(poll(code.json, pkce).json.value(QLatin1String("error")).toString(),
             QStringLiteral("authorization_pending"));
    clock += 1;
    const Answer a = poll(code.json, pkce);
    QCOMPARE(a.status, 400);
    QCOMPARE(a.json.value(QLatin1String("error")).toString(), QStringLiteral("expired_token"));
    // Approving an expired grant does nothing.
    QVERIFY(!m_fake->approve());
    m_fake->setClock(nullptr);
}

void TestFakeQwenService::expiresOnDemand()
{
    const Pkce pkce = makePkce();
    const Answer code = requestDeviceCode(pkce);
    QVERIFY(m_fake->expire());
    const Answer a = poll(code.json, pkce);
    QCOMPARE(a.status, 400);
    QCOMPARE(a.json.value(QLatin1String("error")).toString(), QStringLiteral("expired_token"));
}

void TestFakeQwenService::pollTimesRecorded()
{
    qint64 clock = 1'000'000;
    m_fake->setClock([&clock] { return clock; });
    const Pkce pkce = makePkce();
    const Answer code = requestDeviceCode(pkce);
    const QString userCode = code.json.value(QLatin1String("user_code")).toString();
    for (int i = 0; i < 3; ++i) {
        clock += 5000;
        poll(code.json, pkce);
    }
    const QList<qint64> expected{1'005'000, 1'010'000, 1'015'000};
    QCOMPARE(m_fake->pollTimesMs(), expected);
    QCOMPARE(m_fake->deviceGrant(userCode).pollTimesMs, expected);
    QCOMPARE(m_fake->deviceGrant(userCode).polls, 3);
    QCOMPARE(m_fake->deviceGrants().size(), 1);
    m_fake->setClock(nullptr);
}

void TestFakeQwenService::approveAnyPending()
{
    QVERIFY(!m_fake->approve());
    QVERIFY(!m_fake->approve(QStringLiteral("NOPE-0000")));
    const Pkce pkce = makePkce();
    const Answer first = requestDeviceCode(pkce);
    const Answer second = requestDeviceCode(pkce);
    QVERIFY(m_fake->approve());
    QCOMPARE(poll(first.json, pkce).status, 200);
    QCOMPARE(poll(second.json, pkce).status, 200);
}

void TestFakeQwenService::demoPageApproves()
{
    QSignalSpy approved(m_fake.get(), &FakeQwenService::deviceApproved);
    const Pkce pkce = makePkce();
    const Answer code = requestDeviceCode(pkce);
    const QString userCode = code.json.value(QLatin1String("user_code")).toString();
    const QUrl complete(code.json.value(QLatin1String("verification_uri_complete")).toString());

    Answer page = wait(m_nam->get(QNetworkRequest(complete)));
    QCOMPARE(page.status, 200);
    QVERIFY(page.header("content-type").startsWith("text/html"));
    QVERIFY(page.body.contains("DEMO"));
    QVERIFY(page.body.contains(userCode.toLatin1()));
    QVERIFY(page.body.contains("Approve"));
    QVERIFY(page.body.contains("Deny"));

    // What the browser posts when the person clicks Approve.
    page = wait(postForm(QStringLiteral("/authorize"),
                         {{QStringLiteral("user_code"), userCode},
                          {QStringLiteral("action"), QStringLiteral("approve")}}));
    QCOMPARE(page.status, 200);
    QVERIFY(page.body.contains("Approved"));
    QCOMPARE(approved.count(), 1);
    QCOMPARE(poll(code.json, pkce).status, 200);

    // Without a code the page asks for one; an unknown code is refused.
    page = wait(get(QStringLiteral("/authorize")));
    QCOMPARE(page.status, 200);
    QVERIFY(page.body.contains("user_code"));
    page = wait(get(QStringLiteral("/authorize?user_code=ZZZZ-0000")));
    QCOMPARE(page.status, 404);
}

void TestFakeQwenService::demoPageDenies()
{
    const Pkce pkce = makePkce();
    const Answer code = requestDeviceCode(pkce);
    const QString userCode = code.json.value(QLatin1String("user_code")).toString();
    const Answer page = wait(postForm(QStringLiteral("/authorize"),
                                      {{QStringLiteral("user_code"), userCode},
                                       {QStringLiteral("action"), QStringLiteral("deny")}}));
    QCOMPARE(page.status, 200);
    QCOMPARE(poll(code.json, pkce).json.value(QLatin1String("error")).toString(),
             QStringLiteral("access_denied"));
}

// --- refresh ----------------------------------------------------------------------------------

void TestFakeQwenService::refreshRotates()
{
    QSignalSpy refreshed(m_fake.get(), &FakeQwenService::refreshed);
    const QJsonObject tokens = signIn();
    const QByteArray oldAccess = tokens.value(QLatin1String("access_token")).toString().toLatin1();
    const QByteArray oldRefresh =
        tokens.value(QLatin1String("refresh_token")).toString().toLatin1();
    QVERIFY(!oldRefresh.isEmpty());

    Answer a = refresh(oldRefresh);
    QCOMPARE(a.status, 200);
    const QByteArray newAccess = a.json.value(QLatin1String("access_token")).toString().toLatin1();
    const QByteArray newRefresh =
        a.json.value(QLatin1String("refresh_token")).toString().toLatin1();
    QVERIFY(!newAccess.isEmpty());
    QVERIFY(!newRefresh.isEmpty());
    QVERIFY(newAccess != oldAccess);
    QVERIFY(newRefresh != oldRefresh);
    QCOMPARE(a.json.value(QLatin1String("token_type")).toString(), QStringLiteral("Bearer"));
    QCOMPARE(a.json.value(QLatin1String("expires_in")).toInt(), 3600);
    // Until the new pair is used the old refresh token still works (a client may die
    // before storing the new pair)...
    QVERIFY(m_fake->isRefreshTokenLive(oldRefresh));
    QVERIFY(m_fake->isRefreshTokenLive(newRefresh));
    QCOMPARE(m_fake->classifyToken(newAccess), FakeTokenKind::OAuthLive);
    QCOMPARE(refreshed.count(), 1);
    QCOMPARE(refreshed.at(0).at(0).toByteArray(), newAccess);
    QCOMPARE(refreshed.at(0).at(1).toByteArray(), newRefresh);
    // ...and the first use of the new access token retires it.
    QCOMPARE(wait(get(QStringLiteral("/v1/models"), newAccess)).status, 200);
    QVERIFY(!m_fake->isRefreshTokenLive(oldRefresh));

    // The rotated token is dead, and its use is counted.
    a = refresh(oldRefresh);
    QCOMPARE(a.status, 400);
    QCOMPARE(a.json.value(QLatin1String("error")).toString(), QStringLiteral("invalid_grant"));
    QCOMPARE(a.json.value(QLatin1String("error_description")).toString(),
             QStringLiteral("Invalid refresh token or client_id"));
    QCOMPARE(m_fake->counters().deadRefreshTokenUses, 1);
    QCOMPARE(m_fake->counters().refreshRequests, 2);
    QCOMPARE(m_fake->counters().refreshesIssued, 1);

    QCOMPARE(refresh(newRefresh).status, 200);
}

void TestFakeQwenService::refreshGraceUntilUsed()
{
    const QJsonObject tokens = signIn();
    const QByteArray oldRefresh =
        tokens.value(QLatin1String("refresh_token")).toString().toLatin1();
    // A client that lost the first answer asks again with the old token.
    Answer first = refresh(oldRefresh);
    QCOMPARE(first.status, 200);
    const QByteArray firstRefresh =
        first.json.value(QLatin1String("refresh_token")).toString().toLatin1();
    Answer second = refresh(oldRefresh);
    QCOMPARE(second.status, 200);
    const QByteArray secondRefresh =
        second.json.value(QLatin1String("refresh_token")).toString().toLatin1();
    QVERIFY(!m_fake->isRefreshTokenLive(firstRefresh)); // replaced, never used
    QVERIFY(m_fake->isRefreshTokenLive(secondRefresh));
    // Using the new refresh token retires the old one too.
    QCOMPARE(refresh(secondRefresh).status, 200);
    QVERIFY(!m_fake->isRefreshTokenLive(oldRefresh));
    QCOMPARE(refresh(oldRefresh).status, 400);
    QCOMPARE(m_fake->counters().deadRefreshTokenUses, 1);
}

void TestFakeQwenService::refreshWithoutRotation()
{
    m_fake->setRefreshRotation(false);
    const QByteArray rt = signIn().value(QLatin1String("refresh_token")).toString().toLatin1();
    for (int i = 0; i < 2; ++i) {
        const Answer a = refresh(rt);
        QCOMPARE(a.status, 200);
        QVERIFY(!a.json.contains(QLatin1String("refresh_token")));
        QVERIFY(!a.json.value(QLatin1String("access_token")).toString().isEmpty());
    }
    QVERIFY(m_fake->isRefreshTokenLive(rt));
}

void TestFakeQwenService::refreshInvalidGrant()
{
    const QByteArray rt = signIn().value(QLatin1String("refresh_token")).toString().toLatin1();
    m_fake->rejectNextRefreshes(1);
    Answer a = refresh(rt);
    QCOMPARE(a.status, 400);
    QCOMPARE(a.json.value(QLatin1String("error")).toString(), QStringLiteral("invalid_grant"));

    a = refresh("never-issued");
    QCOMPARE(a.status, 400);
    QCOMPARE(a.json.value(QLatin1String("error")).toString(), QStringLiteral("invalid_grant"));
    a = refresh(rt, QStringLiteral("other-client"));
    QCOMPARE(a.status, 400);
    QCOMPARE(a.json.value(QLatin1String("error")).toString(), QStringLiteral("invalid_grant"));
    QCOMPARE(m_fake->counters().deadRefreshTokenUses, 0);

    QCOMPARE(refresh(rt).status, 200); // none of that killed it

    m_fake->revokeRefreshTokens();
    QCOMPARE(refresh(m_fake->lastRefreshToken()).status, 400);
}

void TestFakeQwenService::refreshTransientFailure()
{
    const QByteArray rt = signIn().value(QLatin1String("refresh_token")).toString().toLatin1();
    m_fake->failNextRefreshes(2, 503);
    QCOMPARE(refresh(rt).status, 503);
    QCOMPARE(refresh(rt).status, 503);
    QVERIFY(m_fake->isRefreshTokenLive(rt));
    QCOMPARE(refresh(rt).status, 200);
    QCOMPARE(m_fake->counters().refreshRequests, 3);
}

void TestFakeQwenService::refreshStall()
{
    const QByteArray rt = signIn().value(QLatin1String("refresh_token")).toString().toLatin1();
    m_fake->stallNextRefreshes(1);
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("refresh_token"));
    form.addQueryItem(QStringLiteral("refresh_token"), QString::fromLatin1(rt));
    form.addQueryItem(QStringLiteral("client_id"), ClientId);
    QNetworkRequest request(QUrl(m_fake->baseUrl().toString() + "/api/v1/oauth2/token"));
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/x-www-form-urlencoded"));
    // The client's own timeout is what ends a stalled refresh.
    request.setTransferTimeout(300);
    const Answer a = wait(m_nam->post(request, form.toString(QUrl::FullyEncoded).toLatin1()));
    QCOMPARE(a.error, QNetworkReply::OperationCanceledError);
    QCOMPARE(a.status, 0);
    QCOMPARE(m_fake->counters().refreshRequests, 1);
    QVERIFY(m_fake->isRefreshTokenLive(rt));
    QCOMPARE(refresh(rt).status, 200);
}

void TestFakeQwenService::resourceUrl()
{
    m_fake->setResourceUrl(QStringLiteral("portal.qwen.ai"));
    const QJsonObject tokens = signIn();
    QCOMPARE(tokens.value(QLatin1String("resource_url")).toString(),
             QStringLiteral("portal.qwen.ai"));
    const Answer a = refresh(tokens.value(QLatin1String("refresh_token")).toString().toLatin1());
    QCOMPARE(a.json.value(QLatin1String("resource_url")).toString(),
             QStringLiteral("portal.qwen.ai"));
}

// --- the OpenAI-compatible API --------------------------------------------------------------

void TestFakeQwenService::modelsList()
{
    const QByteArray token = signIn().value(QLatin1String("access_token")).toString().toLatin1();
    Answer a = wait(get(QStringLiteral("/v1/models"), token));
    QCOMPARE(a.status, 200);
    QCOMPARE(a.json.value(QLatin1String("object")).toString(), QStringLiteral("list"));
    QStringList ids;
    const QJsonArray data = a.json.value(QLatin1String("data")).toArray();
    for (const QJsonValue &model : data)
        ids << model.toObject().value(QLatin1String("id")).toString();
    QCOMPARE(ids, (QStringList{QStringLiteral("coder-model"), QStringLiteral("vision-model")}));

    m_fake->setApiKeys({QStringLiteral("sk-fake-1")});
    a = wait(get(QStringLiteral("/v1/models"), "sk-fake-1"));
    QCOMPARE(a.status, 200);
    ids.clear();
    const QJsonArray keyData = a.json.value(QLatin1String("data")).toArray();
    for (const QJsonValue &model : keyData)
        ids << model.toObject().value(QLatin1String("id")).toString();
    QCOMPARE(ids, FakeQwenService::apiKeyModels());
    QVERIFY(ids.contains(QStringLiteral("qwen3-coder-plus")));

    a = wait(get(QStringLiteral("/v1/models"), "bogus"));
    QCOMPARE(a.status, 401);
    QCOMPARE(m_fake->counters().modelsRequests, 3);
}

void TestFakeQwenService::chatNonStream()
{
    QSignalSpy received(m_fake.get(), &FakeQwenService::chatRequestReceived);
    const QByteArray token = signIn().value(QLatin1String("access_token")).toString().toLatin1();
    QJsonObject body = chatBody(false);
    body.insert(QStringLiteral("metadata"),
                QJsonObject{{QStringLiteral("sessionId"), QStringLiteral("s-1")},
                            {QStringLiteral("promptId"), QStringLiteral("p-1")}});
    const Answer a = wait(postChat(token, body,
                                   {{"X-DashScope-AuthType", "qwen-oauth"},
                                    {"X-DashScope-CacheControl", "enable"},
                                    {"User-Agent", "QwenBridge/0.1.0 (test)"}}));
    QCOMPARE(a.status, 200);
    QCOMPARE(a.json.value(QLatin1String("object")).toString(), QStringLiteral("chat.completion"));
    QCOMPARE(a.json.value(QLatin1String("model")).toString(), QStringLiteral("coder-model"));
    const QJsonObject choice = a.json.value(QLatin1String("choices")).toArray().first().toObject();
    QCOMPARE(choice.value(QLatin1String("message"))
                 .toObject()
                 .value(QLatin1String("content"))
                 .toString(),
             QStringLiteral("Hello from the fake Qwen service."));
    QCOMPARE(choice.value(QLatin1String("finish_reason")).toString(), QStringLiteral("stop"));
    const QJsonObject usage = a.json.value(QLatin1String("usage")).toObject();
    QVERIFY(usage.value(QLatin1String("total_tokens")).toInt() > 0);

    QCOMPARE(received.count(), 1);
    const FakeChatRequest r = m_fake->lastChatRequest();
    QCOMPARE(r.bearerToken, token);
    QCOMPARE(r.tokenKind, FakeTokenKind::OAuthLive);
    QVERIFY(!r.tokenExpired);
    QCOMPARE(r.header("x-dashscope-authtype"), QByteArray("qwen-oauth"));
    QCOMPARE(r.header("X-DashScope-CacheControl"), QByteArray("enable"));
    QCOMPARE(r.header("user-agent"), QByteArray("QwenBridge/0.1.0 (test)"));
    QCOMPARE(r.model(), QStringLiteral("coder-model"));
    QVERIFY(!r.isStream());
    QCOMPARE(r.json.value(QLatin1String("metadata"))
                 .toObject()
                 .value(QLatin1String("sessionId"))
                 .toString(),
             QStringLiteral("s-1"));
    QCOMPARE(r.json.value(QLatin1String("messages"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QLatin1String("role"))
                 .toString(),
             QStringLiteral("system"));
    QCOMPARE(received.at(0).at(0).value<FakeChatRequest>().bearerToken, token);

    m_fake->setReplyText(QStringLiteral("Another reply"));
    const Answer b = wait(postChat(token, chatBody(false)));
    QCOMPARE(b.json.value(QLatin1String("choices"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QLatin1String("message"))
                 .toObject()
                 .value(QLatin1String("content"))
                 .toString(),
             QStringLiteral("Another reply"));
    QCOMPARE(m_fake->chatRequests().size(), 2);
    QCOMPARE(m_fake->counters().chatRequests, 2);
}

void TestFakeQwenService::chatStream()
{
    const QByteArray token = signIn().value(QLatin1String("access_token")).toString().toLatin1();
    const QString reply = QStringLiteral("Streaming r\u00e9ply with a \U0001F600 in it.");
    m_fake->setReplyText(reply);
    const Answer a = wait(postChat(token, chatBody(true, QStringLiteral("vision-model"))));
    QCOMPARE(a.status, 200);
    QCOMPARE(a.error, QNetworkReply::NoError);
    QVERIFY(a.header("content-type").startsWith("text/event-stream"));

    const QList<QByteArray> events = sseData(a.body);
    QCOMPARE(events.size(), 5 + 2); // content, the final chunk, [DONE]
    QCOMPARE(events.constLast(), QByteArray("[DONE]"));
    QString text;
    for (int i = 0; i < 5; ++i) {
        const QJsonObject chunk = QJsonDocument::fromJson(events.at(i)).object();
        QCOMPARE(chunk.value(QLatin1String("object")).toString(),
                 QStringLiteral("chat.completion.chunk"));
        QCOMPARE(chunk.value(QLatin1String("model")).toString(), QStringLiteral("vision-model"));
        const QJsonObject choice =
            chunk.value(QLatin1String("choices")).toArray().first().toObject();
        QVERIFY(choice.value(QLatin1String("finish_reason")).isNull());
        const QJsonObject delta = choice.value(QLatin1String("delta")).toObject();
        if (i == 0)
            QCOMPARE(delta.value(QLatin1String("role")).toString(), QStringLiteral("assistant"));
        text += delta.value(QLatin1String("content")).toString();
    }
    QCOMPARE(text, reply);
    const QJsonObject last = QJsonDocument::fromJson(events.at(5)).object();
    QCOMPARE(last.value(QLatin1String("choices"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QLatin1String("finish_reason"))
                 .toString(),
             QStringLiteral("stop"));
    QVERIFY(
        last.value(QLatin1String("usage")).toObject().value(QLatin1String("total_tokens")).toInt() >
        0);
    QTRY_COMPARE(m_fake->counters().streamsCompleted, 1);
    QCOMPARE(m_fake->counters().activeStreams, 0);
    QVERIFY(m_fake->lastChatRequest().isStream());
}

void TestFakeQwenService::chatStreamWithDelay()
{
    const QByteArray token = signIn().value(QLatin1String("access_token")).toString().toLatin1();
    m_fake->setStreamEventCount(3);
    m_fake->setStreamEventDelayMs(20);
    QElapsedTimer timer;
    timer.start();
    const Answer a = wait(postChat(token, chatBody(true)));
    QCOMPARE(a.status, 200);
    QCOMPARE(sseData(a.body).size(), 3 + 2);
    // Only a lower bound: one delay before each of the five events.
    QVERIFY(timer.elapsed() >= 5 * 20);
}

void TestFakeQwenService::chatUnknownToken()
{
    signIn();
    Answer a = wait(postChat("not-a-token", chatBody(false)));
    QCOMPARE(a.status, 401);
    const QJsonObject error = a.json.value(QLatin1String("error")).toObject();
    QCOMPARE(error.value(QLatin1String("message")).toString(),
             QStringLiteral("invalid access token or token expired"));
    QCOMPARE(error.value(QLatin1String("type")).toString(),
             QStringLiteral("invalid_request_error"));
    QCOMPARE(error.value(QLatin1String("code")).toString(), QStringLiteral("invalid_api_key"));
    QCOMPARE(m_fake->lastChatRequest().tokenKind, FakeTokenKind::Unknown);

    a = wait(postChat(QByteArray(), chatBody(false)));
    QCOMPARE(a.status, 401);
    QCOMPARE(m_fake->lastChatRequest().tokenKind, FakeTokenKind::None);
    QCOMPARE(m_fake->counters().unknownTokenRequests, 2);
}

void TestFakeQwenService::chatExpiredToken()
{
    qint64 clock = 1'700'000'000'000;
    m_fake->setClock([&clock] { return clock; });
    m_fake->setTokenLifetime(60);
    const QJsonObject tokens = signIn();
    QCOMPARE(tokens.value(QLatin1String("expires_in")).toInt(), 60);
    const QByteArray token = tokens.value(QLatin1String("access_token")).toString().toLatin1();
    QCOMPARE(wait(postChat(token, chatBody(false))).status, 200);

    clock += 60'000;
    const Answer a = wait(postChat(token, chatBody(false)));
    QCOMPARE(a.status, 401);
    QVERIFY(m_fake->lastChatRequest().tokenExpired);
    QCOMPARE(m_fake->lastChatRequest().tokenKind, FakeTokenKind::OAuthExpired);
    QCOMPARE(m_fake->counters().expiredTokenRequests, 1);

    // A refreshed token works again; expireAccessTokens() ends it on demand.
    const Answer r = refresh(tokens.value(QLatin1String("refresh_token")).toString().toLatin1());
    const QByteArray fresh = r.json.value(QLatin1String("access_token")).toString().toLatin1();
    QCOMPARE(wait(postChat(fresh, chatBody(false))).status, 200);
    m_fake->expireAccessTokens();
    QCOMPARE(wait(postChat(fresh, chatBody(false))).status, 401);
    QCOMPARE(m_fake->counters().expiredTokenRequests, 2);
    m_fake->setClock(nullptr);
}

void TestFakeQwenService::chatOAuthRules()
{
    const QByteArray token = signIn().value(QLatin1String("access_token")).toString().toLatin1();
    Answer a = wait(postChat(token, chatBody(false, QStringLiteral("qwen3-coder-plus"))));
    QCOMPARE(a.status, 400);
    QVERIFY(a.json.value(QLatin1String("error"))
                .toObject()
                .value(QLatin1String("message"))
                .toString()
                .contains(QLatin1String("not supported")));

    QJsonObject noSystem = chatBody(false);
    noSystem.insert(QStringLiteral("messages"),
                    QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                           {QStringLiteral("content"), QStringLiteral("Hi")}}});
    a = wait(postChat(token, noSystem));
    QCOMPARE(a.status, 400);

    QNetworkRequest request(
        QUrl(m_fake->apiBaseUrl().toString() + QStringLiteral("/chat/completions")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Authorization", "Bearer " + token);
    a = wait(m_nam->post(request, QByteArrayLiteral("not json")));
    QCOMPARE(a.status, 400);
    QVERIFY(m_fake->lastChatRequest().json.isEmpty());
}

void TestFakeQwenService::apiKeyAccepted()
{
    m_fake->setApiKeys({QStringLiteral("sk-one"), QStringLiteral("sk-two")});
    QJsonObject body = chatBody(false, QStringLiteral("qwen3-coder-plus"));
    // Model Studio neither insists on a system message nor on the portal's aliases.
    body.insert(QStringLiteral("messages"),
                QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                       {QStringLiteral("content"), QStringLiteral("Hi")}}});
    Answer a = wait(postChat("sk-two", body));
    QCOMPARE(a.status, 200);
    QCOMPARE(a.json.value(QLatin1String("model")).toString(), QStringLiteral("qwen3-coder-plus"));
    QCOMPARE(m_fake->lastChatRequest().tokenKind, FakeTokenKind::ApiKey);

    body.insert(QStringLiteral("stream"), true);
    a = wait(postChat("sk-one", body));
    QCOMPARE(a.status, 200);
    QCOMPARE(sseData(a.body).constLast(), QByteArray("[DONE]"));

    QCOMPARE(wait(postChat("sk-three", body)).status, 401);
}

void TestFakeQwenService::chatFaults_data()
{
    QTest::addColumn<FakeChatFault>("fault");
    QTest::addColumn<int>("param");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");

    QTest::newRow("401") << FakeChatFault::Unauthorized << -1 << 401
                         << QStringLiteral("invalid_api_key");
    QTest::newRow("429 rate limit")
        << FakeChatFault::RateLimited << -1 << 429 << QStringLiteral("rate_limit_exceeded");
    QTest::newRow("429 quota") << FakeChatFault::QuotaExceeded << -1 << 429
                               << QStringLiteral("insufficient_quota");
    QTest::newRow("403 quota") << FakeChatFault::QuotaForbidden << -1 << 403
                               << QStringLiteral("insufficient_quota");
    QTest::newRow("500") << FakeChatFault::ServerError << -1 << 500
                         << QStringLiteral("internal_error");
    QTest::newRow("502") << FakeChatFault::ServerError << 502 << 502
                         << QStringLiteral("internal_error");
    QTest::newRow("503") << FakeChatFault::ServerError << 503 << 503
                         << QStringLiteral("internal_error");
    QTest::newRow("hour quota") << FakeChatFault::HourQuota << -1 << 429
                                << QStringLiteral("Throttling.AllocationQuota");
    QTest::newRow("week quota") << FakeChatFault::WeekQuota << -1 << 429
                                << QStringLiteral("Throttling.AllocationQuota");
    QTest::newRow("month quota") << FakeChatFault::MonthQuota << -1 << 429
                                 << QStringLiteral("Throttling.AllocationQuota");
    QTest::newRow("concurrency") << FakeChatFault::ConcurrencyQuota << -1 << 429
                                 << QStringLiteral("Throttling.AllocationQuota");
    QTest::newRow("arrears") << FakeChatFault::Arrears << -1 << 400 << QStringLiteral("Arrearage");
    QTest::newRow("free tier only") << FakeChatFault::FreeTierOnly << -1 << 403
                                    << QStringLiteral("AllocationQuota.FreeTierOnly");
    QTest::newRow("model not supported")
        << FakeChatFault::ModelNotSupported << -1 << 400 << QStringLiteral("model_not_supported");
}

void TestFakeQwenService::chatFaults()
{
    QFETCH(FakeChatFault, fault);
    QFETCH(int, param);
    QFETCH(int, status);
    QFETCH(QString, code);

    const QByteArray token = signIn().value(QLatin1String("access_token")).toString().toLatin1();
    m_fake->failNextChats(fault, 1, param);
    for (const bool stream : {true, false}) {
        const Answer a = wait(postChat(token, chatBody(stream)));
        QCOMPARE(a.status, status);
        const QJsonObject error = a.json.value(QLatin1String("error")).toObject();
        QCOMPARE(error.value(QLatin1String("code")).toString(), code);
        if (fault == FakeChatFault::RateLimited)
            QCOMPARE(a.header("retry-after"), QByteArray("7"));
        if (fault == FakeChatFault::QuotaExceeded || fault == FakeChatFault::QuotaForbidden)
            QCOMPARE(error.value(QLatin1String("message")).toString(),
                     QStringLiteral("Free allocated quota exceeded."));
        if (fault == FakeChatFault::Unauthorized)
            QCOMPARE(error.value(QLatin1String("message")).toString(),
                     QStringLiteral("invalid access token or token expired"));
        const QMap<FakeChatFault, QString> messages{
            {FakeChatFault::HourQuota, QStringLiteral("hour allocated quota exceeded")},
            {FakeChatFault::WeekQuota, QStringLiteral("week allocated quota exceeded")},
            {FakeChatFault::MonthQuota, QStringLiteral("month allocated quota exceeded")},
            {FakeChatFault::ConcurrencyQuota,
             QStringLiteral("concurrency allocated quota exceeded")},
            {FakeChatFault::Arrears, QStringLiteral("Access denied, please make sure your account "
                                                    "is in good standing.")},
            {FakeChatFault::ModelNotSupported,
             QStringLiteral("model 'coder-model' is not supported")},
        };
        if (messages.contains(fault))
            QCOMPARE(error.value(QLatin1String("message")).toString(), messages.value(fault));
        if (fault == FakeChatFault::FreeTierOnly)
            QVERIFY(error.value(QLatin1String("message")).toString().contains("free tier only"));
        // The fault applied once: the retry goes through.
        const Answer again = wait(postChat(token, chatBody(stream)));
        QCOMPARE(again.status, 200);
        m_fake->failNextChats(fault, 1, param);
    }
    QCOMPARE(m_fake->counters().injectedFaults, 2);
    // Faults still record what arrived.
    QCOMPARE(m_fake->chatRequests().size(), 4);
}

void TestFakeQwenService::faultQueueCounts()
{
    const QByteArray token = signIn().value(QLatin1String("access_token")).toString().toLatin1();
    m_fake->failNextChats(FakeChatFault::ServerError, 2, 503);
    m_fake->failNextChats(FakeChatFault::RateLimited, 1, 30);
    QCOMPARE(wait(postChat(token, chatBody(false))).status, 503);
    QCOMPARE(wait(postChat(token, chatBody(false))).status, 503);
    const Answer limited = wait(postChat(token, chatBody(false)));
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.header("retry-after"), QByteArray("30"));
    QCOMPARE(wait(postChat(token, chatBody(false))).status, 200);
}

void TestFakeQwenService::resetMidStream()
{
    const QByteArray token = signIn().value(QLatin1String("access_token")).toString().toLatin1();
    m_fake->setStreamEventCount(6);
    m_fake->failNextChats(FakeChatFault::ResetMidStream, 2, 2);

    // On the wire: two events, then the connection dies without the terminating chunk.
    QTcpSocket socket;
    QByteArray raw;
    connect(&socket, &QTcpSocket::readyRead, this, [&] { raw += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHost, m_fake->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write(rawChatRequest(m_fake->port(), token,
                                QJsonDocument(chatBody(true)).toJson(QJsonDocument::Compact)));
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 10000);
    raw += socket.readAll();
    QVERIFY(raw.startsWith("HTTP/1.1 200"));
    QCOMPARE(sseData(raw).size(), 2);
    QVERIFY(!raw.contains("[DONE]"));
    QVERIFY(!raw.endsWith("0\r\n\r\n"));
    QCOMPARE(m_fake->counters().streamsAborted, 1);

    // Through QNetworkAccessManager. Qt 6.4 sometimes reports such a truncated chunked
    // body as a success, so only the content tells: no [DONE].
    QNetworkReply *reply = postChat(token, chatBody(true));
    QByteArray received;
    connect(reply, &QNetworkReply::readyRead, this, [&] { received += reply->readAll(); });
    const Answer a = wait(reply);
    received += a.body;
    QCOMPARE(a.status, 200);
    QVERIFY(!received.contains("[DONE]"));
    QVERIFY(sseData(received).size() <= 2);
    QTRY_COMPARE(m_fake->counters().streamsAborted, 2);
    QCOMPARE(m_fake->counters().activeStreams, 0);
    QCOMPARE(m_fake->counters().streamsCompleted, 0);
    QCOMPARE(m_fake->counters().chatRequests, 2); // no silent resend
}

void TestFakeQwenService::resetBeforeAnyByte()
{
    // A raw socket: QNetworkAccessManager would silently resend a request whose
    // connection closed before any answer.
    const QByteArray token = signIn().value(QLatin1String("access_token")).toString().toLatin1();
    m_fake->failNextChats(FakeChatFault::ResetMidStream, 1, 0);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_fake->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write(rawChatRequest(m_fake->port(), token,
                                QJsonDocument(chatBody(false)).toJson(QJsonDocument::Compact)));
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 10000);
    QVERIFY(socket.readAll().isEmpty());
    QCOMPARE(m_fake->counters().streamsAborted, 1);
}

void TestFakeQwenService::stallBeforeHeaders()
{
    const QByteArray token = signIn().value(QLatin1String("access_token")).toString().toLatin1();
    m_fake->failNextChats(FakeChatFault::StallBeforeHeaders);
    QNetworkRequest request(
        QUrl(m_fake->apiBaseUrl().toString() + QStringLiteral("/chat/completions")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Authorization", "Bearer " + token);
    request.setTransferTimeout(300);
    const Answer a =
        wait(m_nam->post(request, QJsonDocument(chatBody(true)).toJson(QJsonDocument::Compact)));
    QCOMPARE(a.error, QNetworkReply::OperationCanceledError);
    QCOMPARE(a.status, 0);
    QCOMPARE(m_fake->counters().chatRequests, 1);
}

void TestFakeQwenService::stallAfterHeaders()
{
    const QByteArray token = signIn().value(QLatin1String("access_token")).toString().toLatin1();
    m_fake->failNextChats(FakeChatFault::StallAfterHeaders);
    std::unique_ptr<QNetworkReply> reply(postChat(token, chatBody(true)));
    QSignalSpy headers(reply.get(), &QNetworkReply::metaDataChanged);
    QVERIFY(headers.wait(10000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY(reply->rawHeader("content-type").startsWith("text/event-stream"));
    QCOMPARE(reply->bytesAvailable(), 0);
    QVERIFY(!reply->isFinished());
    reply->abort();
}

void TestFakeQwenService::stallMidStream()
{
    const QByteArray token = signIn().value(QLatin1String("access_token")).toString().toLatin1();
    m_fake->failNextChats(FakeChatFault::StallMidStream, 1, 2);
    std::unique_ptr<QNetworkReply> reply(postChat(token, chatBody(true)));
    QByteArray received;
    connect(reply.get(), &QNetworkReply::readyRead, this, [&] { received += reply->readAll(); });
    QTRY_COMPARE_WITH_TIMEOUT(sseData(received).size(), 2, 10000);
    QVERIFY(!reply->isFinished());
    QCOMPARE(m_fake->counters().activeStreams, 1);
    reply->abort();
    QTRY_COMPARE(m_fake->counters().activeStreams, 0);
    QCOMPARE(m_fake->counters().streamsClientGone, 1);
}

void TestFakeQwenService::slowFirstByte()
{
    const QByteArray token = signIn().value(QLatin1String("access_token")).toString().toLatin1();
    m_fake->failNextChats(FakeChatFault::SlowFirstByte, 1, 200);
    QElapsedTimer timer;
    timer.start();
    const Answer a = wait(postChat(token, chatBody(true)));
    // Only a lower bound: the delay cannot be shorter than asked.
    QVERIFY(timer.elapsed() >= 200);
    QCOMPARE(a.status, 200);
    QCOMPARE(sseData(a.body).constLast(), QByteArray("[DONE]"));
}

void TestFakeQwenService::concurrentStreams()
{
    constexpr int Streams = 256;
    const QByteArray token = signIn().value(QLatin1String("access_token")).toString().toLatin1();
    const QByteArray request = rawChatRequest(
        m_fake->port(), token, QJsonDocument(chatBody(true)).toJson(QJsonDocument::Compact));
    // Held streams prove that all of them are open at once, without relying on timing.
    m_fake->setStreamsPaused(true);
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    std::vector<QByteArray> received(Streams);
    for (int i = 0; i < Streams; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        QTcpSocket *s = socket.get();
        connect(s, &QTcpSocket::connected, this, [s, request] { s->write(request); });
        connect(s, &QTcpSocket::readyRead, this,
                [s, &received, i] { received[i] += s->readAll(); });
        s->connectToHost(QHostAddress::LocalHost, m_fake->port());
        sockets.push_back(std::move(socket));
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_fake->counters().activeStreams, Streams, 60000);
    QCOMPARE(m_fake->counters().maxActiveStreams, Streams);
    m_fake->setStreamsPaused(false);
    auto allDone = [&] {
        for (const QByteArray &r : received) {
            if (!r.contains("data: [DONE]") || !r.endsWith("0\r\n\r\n"))
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(allDone(), 60000);
    QTRY_COMPARE(m_fake->counters().streamsCompleted, Streams);
    QCOMPARE(m_fake->counters().activeStreams, 0);
    for (const QByteArray &r : received) {
        const QByteArray body = dechunk(r);
        QCOMPARE(sseData(body).size(), 5 + 2);
        QCOMPARE(streamedText(body), QStringLiteral("Hello from the fake Qwen service."));
    }
}

void TestFakeQwenService::backpressure()
{
    // Far more than the kernel buffers on both ends hold, so the server must wait.
    const QString reply(16 * 1024 * 1024, QLatin1Char('x'));
    m_fake->setReplyText(reply);
    m_fake->setStreamEventCount(64);
    const QByteArray token = signIn().value(QLatin1String("access_token")).toString().toLatin1();
    QTcpSocket socket;
    socket.setReadBufferSize(4096);
    socket.connectToHost(QHostAddress::LocalHost, m_fake->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write(rawChatRequest(m_fake->port(), token,
                                QJsonDocument(chatBody(true)).toJson(QJsonDocument::Compact)));
    QTRY_VERIFY_WITH_TIMEOUT(m_fake->counters().backpressurePauses > 0, 30000);
    QCOMPARE(m_fake->counters().streamsCompleted, 0);

    socket.setReadBufferSize(0);
    QByteArray received;
    connect(&socket, &QTcpSocket::readyRead, this, [&] { received += socket.readAll(); });
    received += socket.readAll();
    QTRY_VERIFY_WITH_TIMEOUT(received.endsWith("0\r\n\r\n"), 60000);
    QCOMPARE(m_fake->counters().streamsCompleted, 1);
    const QByteArray body = dechunk(received);
    QCOMPARE(sseData(body).size(), 64 + 2);
    QCOMPARE(sseData(body).constLast(), QByteArray("[DONE]"));
    QVERIFY(streamedText(body) == reply); // not QCOMPARE: 16 MiB in a failure message
}

void TestFakeQwenService::resetClearsState()
{
    const QByteArray token = signIn().value(QLatin1String("access_token")).toString().toLatin1();
    QCOMPARE(wait(postChat(token, chatBody(false))).status, 200);
    m_fake->failNextChats(FakeChatFault::ServerError, 3);
    m_fake->slowDownNextPolls(3);
    m_fake->reset();

    const FakeQwenCounters c = m_fake->counters();
    QCOMPARE(c.chatRequests, 0);
    QCOMPARE(c.tokenPolls, 0);
    QCOMPARE(c.deviceCodeRequests, 0);
    QVERIFY(m_fake->chatRequests().isEmpty());
    QVERIFY(m_fake->deviceGrants().isEmpty());
    QVERIFY(m_fake->lastAccessToken().isEmpty());
    // Issued tokens are forgotten; the switches are cleared.
    QCOMPARE(wait(postChat(token, chatBody(false))).status, 401);
    const QByteArray fresh = signIn().value(QLatin1String("access_token")).toString().toLatin1();
    QVERIFY(!fresh.isEmpty());
    QCOMPARE(wait(postChat(fresh, chatBody(false))).status, 200);
}

void TestFakeQwenService::destroyedWhileStreaming()
{
    const QByteArray token = signIn().value(QLatin1String("access_token")).toString().toLatin1();
    m_fake->setStreamsPaused(true);
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    for (int i = 0; i < 3; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, m_fake->port());
        QVERIFY(socket->waitForConnected(5000));
        socket->write(rawChatRequest(m_fake->port(), token,
                                     QJsonDocument(chatBody(true)).toJson(QJsonDocument::Compact)));
        sockets.push_back(std::move(socket));
    }
    QTRY_COMPARE(m_fake->counters().activeStreams, 3);
    m_fake.reset(); // must neither crash nor leave the clients hanging
    for (const auto &socket : sockets)
        QTRY_COMPARE(socket->state(), QAbstractSocket::UnconnectedState);
}

// --- plans --------------------------------------------------------------------------------------

void TestFakeQwenService::planModelLists_data()
{
    QTest::addColumn<FakePlan>("plan");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<int>("status");
    QTest::addRow("coding") << FakePlan::CodingPlan << QByteArray("sk-sp-good") << 404;
    QTest::addRow("token") << FakePlan::TokenPlan << QByteArray("sk-sp-good") << 200;
    QTest::addRow("payg") << FakePlan::PayAsYouGo << QByteArray("sk-good") << 200;
}

void TestFakeQwenService::planModelLists()
{
    QFETCH(FakePlan, plan);
    QFETCH(QByteArray, key);
    QFETCH(int, status);
    m_fake->setPlan(plan);
    m_fake->setApiKeys({QString::fromLatin1(key)});
    const Answer a = wait(get(QStringLiteral("/v1/models"), key));
    QCOMPARE(a.status, status);
    if (status == 404) {
        // Exactly as reported: no body at all.
        QVERIFY(a.body.isEmpty());
        return;
    }
    QStringList ids;
    const QJsonArray data = a.json.value(QLatin1String("data")).toArray();
    for (const QJsonValue &v : data)
        ids << v.toObject().value(QLatin1String("id")).toString();
    QCOMPARE(ids, FakeQwenService::defaultPlanModels(plan));
    // OAuth tokens belong to no plan.
    const QByteArray token = signIn().value(QLatin1String("access_token")).toString().toLatin1();
    QCOMPARE(wait(get(QStringLiteral("/v1/models"), token)).status, 401);
}

void TestFakeQwenService::planKeys_data()
{
    QTest::addColumn<FakePlan>("plan");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    const QString invalidToken = QStringLiteral("invalid access token or token expired");
    QTest::addRow("coding, own key")
        << FakePlan::CodingPlan << QByteArray("sk-sp-good") << 200 << QString();
    QTest::addRow("coding, payg key")
        << FakePlan::CodingPlan << QByteArray("sk-good") << 401 << invalidToken;
    QTest::addRow("coding, unknown key")
        << FakePlan::CodingPlan << QByteArray("sk-sp-bad") << 401 << invalidToken;
    QTest::addRow("token, own key")
        << FakePlan::TokenPlan << QByteArray("sk-sp-good") << 200 << QString();
    QTest::addRow("token, payg key")
        << FakePlan::TokenPlan << QByteArray("sk-good") << 401 << invalidToken;
    QTest::addRow("payg, own key")
        << FakePlan::PayAsYouGo << QByteArray("sk-good") << 200 << QString();
    QTest::addRow("payg, plan key") << FakePlan::PayAsYouGo << QByteArray("sk-sp-good") << 403
                                    << QStringLiteral("invalid api-key");
}

void TestFakeQwenService::planKeys()
{
    QFETCH(FakePlan, plan);
    QFETCH(QByteArray, key);
    QFETCH(int, status);
    QFETCH(QString, message);
    m_fake->setPlan(plan);
    // Both keys are good somewhere; only the plan's own prefix is good here.
    m_fake->setApiKeys({QStringLiteral("sk-sp-good"), QStringLiteral("sk-good")});
    const QString model = FakeQwenService::defaultPlanModels(plan).first();
    const Answer a =
        wait(postChat(key, chatBody(false, model), {{"User-Agent", "opencode/1.18.33"}}));
    QCOMPARE(a.status, status);
    if (!message.isEmpty()) {
        QCOMPARE(a.json.value(QLatin1String("error"))
                     .toObject()
                     .value(QLatin1String("message"))
                     .toString(),
                 message);
    }
}

void TestFakeQwenService::codingPlanAgentCheck()
{
    m_fake->setPlan(FakePlan::CodingPlan);
    m_fake->setApiKeys({QStringLiteral("sk-sp-good")});
    const QJsonObject body = chatBody(false, QStringLiteral("qwen3-coder-plus"));
    const Answer refused = wait(postChat("sk-sp-good", body, {{"User-Agent", "curl/8.0"}}));
    QCOMPARE(refused.status, 405);
    QCOMPARE(
        refused.body,
        QByteArray("{\"error\":\"Coding Plan is currently only available for Coding Agents\"}"));
    // A bad key is refused before the agent check.
    QCOMPARE(wait(postChat("sk-sp-bad", body, {{"User-Agent", "curl/8.0"}})).status, 401);
    const QByteArray opencode = "opencode/1.18.33 ai-sdk/provider-utils/4.0.23 runtime/bun/1.3.14";
    QCOMPARE(wait(postChat("sk-sp-good", body, {{"User-Agent", opencode}})).status, 200);
    QCOMPARE(wait(postChat("sk-sp-good", body, {{"User-Agent", "QwenBridge/0.1.0 (x)"}})).status,
             200);
    m_fake->setCodingAgents({QStringLiteral("opencode/")});
    QCOMPARE(wait(postChat("sk-sp-good", body, {{"User-Agent", "QwenBridge/0.1.0 (x)"}})).status,
             405);
    QCOMPARE(
        wait(postChat("sk-sp-good", body, {{"User-Agent", opencode + " QwenBridge/0.1.0"}})).status,
        200);
}

void TestFakeQwenService::planModelsExactCase()
{
    m_fake->setPlan(FakePlan::CodingPlan);
    m_fake->setApiKeys({QStringLiteral("sk-sp-good")});
    const QList<QPair<QByteArray, QByteArray>> agent{{"User-Agent", "opencode/1.18.33"}};
    for (const QString &model : {QStringLiteral("qwen3-vl-plus"), QStringLiteral("minimax-m2.5")}) {
        const Answer a = wait(postChat("sk-sp-good", chatBody(false, model), agent));
        QCOMPARE(a.status, 400);
        QCOMPARE(a.json.value(QLatin1String("error"))
                     .toObject()
                     .value(QLatin1String("message"))
                     .toString(),
                 QStringLiteral("model '%1' is not supported").arg(model));
    }
    QCOMPARE(
        wait(postChat("sk-sp-good", chatBody(false, QStringLiteral("MiniMax-M2.5")), agent)).status,
        200);
    m_fake->setPlanModels({QStringLiteral("only-this")});
    QCOMPARE(
        wait(postChat("sk-sp-good", chatBody(false, QStringLiteral("only-this")), agent)).status,
        200);
}

void TestFakeQwenService::thinkingRestricted()
{
    m_fake->setPlan(FakePlan::PayAsYouGo);
    m_fake->setApiKeys({QStringLiteral("sk-good")});
    QJsonObject body = chatBody(false, QStringLiteral("qwen3.8-max"));
    body.insert(QStringLiteral("enable_thinking"), false);
    const Answer a = wait(postChat("sk-good", body));
    QCOMPARE(a.status, 400);
    QVERIFY(a.body.contains("restricted to True"));
    body.insert(QStringLiteral("enable_thinking"), true);
    QCOMPARE(wait(postChat("sk-good", body)).status, 200);
}

void TestFakeQwenService::reasoningDeltas()
{
    m_fake->setApiKeys({QStringLiteral("sk-good")});
    m_fake->setReasoningText(QStringLiteral("Let me think."));
    QJsonObject body = chatBody(true, QStringLiteral("qwen3.5-plus"));
    body.insert(QStringLiteral("reasoning_effort"), QStringLiteral("high"));
    const Answer a = wait(postChat("sk-good", body));
    QCOMPARE(a.status, 200);
    QString thought;
    QString text;
    int firstContent = -1;
    const QList<QByteArray> events = sseData(a.body);
    for (int i = 0; i < events.size() - 1; ++i) {
        const QJsonObject delta = QJsonDocument::fromJson(events.at(i))
                                      .object()
                                      .value(QLatin1String("choices"))
                                      .toArray()
                                      .first()
                                      .toObject()
                                      .value(QLatin1String("delta"))
                                      .toObject();
        if (i == 0)
            QCOMPARE(delta.value(QLatin1String("role")).toString(), QStringLiteral("assistant"));
        thought += delta.value(QLatin1String("reasoning_content")).toString();
        if (delta.contains(QLatin1String("content")) && firstContent < 0)
            firstContent = i;
        text += delta.value(QLatin1String("content")).toString();
    }
    QCOMPARE(thought, QStringLiteral("Let me think."));
    QCOMPARE(firstContent, 2); // the thinking comes first
    QCOMPARE(text, QStringLiteral("Hello from the fake Qwen service."));

    body.insert(QStringLiteral("stream"), false);
    const Answer whole = wait(postChat("sk-good", body));
    QCOMPARE(whole.json.value(QLatin1String("choices"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QLatin1String("message"))
                 .toObject()
                 .value(QLatin1String("reasoning_content"))
                 .toString(),
             QStringLiteral("Let me think."));
    // Not asked, not sent.
    body.remove(QStringLiteral("reasoning_effort"));
    body.insert(QStringLiteral("stream"), true);
    QVERIFY(!wait(postChat("sk-good", body)).body.contains("reasoning_content"));
}

void TestFakeQwenService::usageChunkWhenAsked()
{
    m_fake->setApiKeys({QStringLiteral("sk-good")});
    QJsonObject body = chatBody(true, QStringLiteral("qwen3-coder-plus"));
    body.insert(QStringLiteral("stream_options"),
                QJsonObject{{QStringLiteral("include_usage"), true}});
    const Answer a = wait(postChat("sk-good", body));
    const QList<QByteArray> events = sseData(a.body);
    QCOMPARE(events.size(), 5 + 3); // content, the finish chunk, the usage chunk, [DONE]
    const QJsonObject finish = QJsonDocument::fromJson(events.at(5)).object();
    QVERIFY(!finish.contains(QLatin1String("usage")));
    const QJsonObject usage = QJsonDocument::fromJson(events.at(6)).object();
    QVERIFY(usage.value(QLatin1String("choices")).toArray().isEmpty());
    QVERIFY(usage.value(QLatin1String("usage"))
                .toObject()
                .value(QLatin1String("total_tokens"))
                .toInt() > 0);
    QCOMPARE(events.constLast(), QByteArray("[DONE]"));
}

void TestFakeQwenService::errorInStream()
{
    m_fake->setApiKeys({QStringLiteral("sk-good")});
    m_fake->failNextChats(FakeChatFault::ErrorInStream, 1, 3);
    const Answer a = wait(postChat("sk-good", chatBody(true, QStringLiteral("qwen3-coder-plus"))));
    QCOMPARE(a.status, 200);
    QCOMPARE(sseData(a.body).size(), 4);
    QVERIFY(a.body.contains("\n\nevent: error\ndata: {"));
    QVERIFY(!a.body.contains("[DONE]"));
    QTRY_COMPARE(m_fake->counters().streamsCompleted, 1);
    m_fake->failNextChats(FakeChatFault::ErrorInStream);
    QCOMPARE(wait(postChat("sk-good", chatBody(false, QStringLiteral("qwen3-coder-plus")))).status,
             500);
}

QTEST_GUILESS_MAIN(TestFakeQwenService)
#include "tst_fakeqwenservice.moc"
