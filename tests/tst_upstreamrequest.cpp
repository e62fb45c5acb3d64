#include "proxy/upstreamrequest.h"

#include <QTest>

Q_DECLARE_METATYPE(AuthMethod)
Q_DECLARE_METATYPE(UpstreamRequestSpec::Kind)

namespace {
QByteArray header(const HttpClientRequest &r, const QByteArray &name)
{
    for (const auto &h : r.headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}
bool hasHeader(const HttpClientRequest &r, const QByteArray &name)
{
    for (const auto &h : r.headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}
} // namespace

class TestUpstreamRequest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void build_data()
    {
        QTest::addColumn<UpstreamRequestSpec::Kind>("kind");
        QTest::addColumn<AuthMethod>("method");
        QTest::addColumn<bool>("stream");
        QTest::addColumn<QString>("base");
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<QString>("url");
        QTest::addColumn<QByteArray>("accept");
        QTest::addColumn<bool>("oauthHeaders");

        using K = UpstreamRequestSpec::Kind;
        QTest::newRow("OAuth stream")
            << K::Chat << AuthMethod::OAuth << true << QStringLiteral("https://portal.qwen.ai/v1")
            << QByteArray("POST") << QStringLiteral("https://portal.qwen.ai/v1/chat/completions")
            << QByteArray("text/event-stream") << true;
        QTest::newRow("API key, plain, trailing slash")
            << K::Chat << AuthMethod::ApiKey << false
            << QStringLiteral("https://dashscope-intl.aliyuncs.com/compatible-mode/v1/")
            << QByteArray("POST")
            << QStringLiteral(
                   "https://dashscope-intl.aliyuncs.com/compatible-mode/v1/chat/completions")
            << QByteArray("application/json") << false;
        QTest::newRow("models") << K::Models << AuthMethod::ApiKey << true
                                << QStringLiteral("http://127.0.0.1:9/v1//") << QByteArray("GET")
                                << QStringLiteral("http://127.0.0.1:9/v1/models")
                                << QByteArray("application/json") << false;
    }

    void build()
    {
        QFETCH(UpstreamRequestSpec::Kind, kind);
        QFETCH(AuthMethod, method);
        QFETCH(bool, stream);
        QFETCH(QString, base);
        QFETCH(QByteArray, verb);
        QFETCH(QString, url);
        QFETCH(QByteArray, accept);
        QFETCH(bool, oauthHeaders);

        UpstreamRequestSpec spec;
        spec.kind = kind;
        spec.method = method;
        spec.stream = stream;
        spec.apiBase = QUrl(base);
        spec.bearer = QStringLiteral("secret-token");
        spec.body = QByteArrayLiteral("{\"model\":\"m\"}");
        const HttpClientRequest r = buildUpstreamRequest(spec);
        QCOMPARE(r.method, verb);
        QCOMPARE(r.url.toString(), url);
        QCOMPARE(header(r, "authorization"), QByteArray("Bearer secret-token"));
        QCOMPARE(header(r, "accept"), accept);
        QVERIFY(header(r, "user-agent").startsWith("QwenBridge/" QWEN_BRIDGE_VERSION " ("));
        QCOMPARE(header(r, "x-dashscope-useragent"), header(r, "user-agent"));
        QCOMPARE(hasHeader(r, "x-dashscope-authtype"), oauthHeaders);
        QCOMPARE(hasHeader(r, "x-dashscope-cachecontrol"), oauthHeaders);
        if (oauthHeaders) {
            QCOMPARE(header(r, "x-dashscope-authtype"), QByteArray("qwen-oauth"));
            QCOMPARE(header(r, "x-dashscope-cachecontrol"), QByteArray("enable"));
        }
        const bool chat = kind == UpstreamRequestSpec::Kind::Chat;
        QCOMPARE(hasHeader(r, "content-type"), chat);
        QCOMPARE(r.body.isEmpty(), !chat);
    }

    // API-key mode passes the client's own identification on, with the bridge's appended;
    // OAuth mode keeps sending the bridge's alone.
    void userAgent_data()
    {
        QTest::addColumn<AuthMethod>("method");
        QTest::addColumn<QByteArray>("client");
        QTest::addColumn<QByteArray>("expected");
        const QByteArray opencode =
            "opencode/1.18.33 ai-sdk/provider-utils/4.0.23 runtime/bun/1.3.14";
        const QByteArray ours = " QwenBridge/" QWEN_BRIDGE_VERSION;
        QTest::newRow("API key, OpenCode") << AuthMethod::ApiKey << opencode << opencode + ours;
        QTest::newRow("API key, none") << AuthMethod::ApiKey << QByteArray() << bridgeUserAgent();
        QTest::newRow("API key, blanks")
            << AuthMethod::ApiKey << QByteArray(" \t ") << bridgeUserAgent();
        QTest::newRow("API key, control characters")
            << AuthMethod::ApiKey << QByteArray("a\r\nb\x01") << QByteArray("a b") + ours;
        QTest::newRow("API key, very long")
            << AuthMethod::ApiKey << QByteArray(2000, 'x') << QByteArray(512, 'x') + ours;
        QTest::newRow("OAuth, OpenCode") << AuthMethod::OAuth << opencode << bridgeUserAgent();
    }

    void userAgent()
    {
        QFETCH(AuthMethod, method);
        QFETCH(QByteArray, client);
        QFETCH(QByteArray, expected);
        UpstreamRequestSpec spec;
        spec.method = method;
        spec.apiBase = QUrl(QStringLiteral("https://coding-intl.dashscope.aliyuncs.com/v1"));
        spec.clientUserAgent = client;
        const HttpClientRequest r = buildUpstreamRequest(spec);
        QCOMPARE(header(r, "user-agent"), expected);
        QCOMPARE(header(r, "x-dashscope-useragent"), expected);
    }
};

QTEST_GUILESS_MAIN(TestUpstreamRequest)
#include "tst_upstreamrequest.moc"
