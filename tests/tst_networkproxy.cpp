// NetworkProxy: the one rule for which proxy a connection to Qwen goes through, the manual
// proxy address a person types, and the sentences that name a failing proxy.
#include "http/networkproxy.h"

#include <QNetworkAccessManager>
#include <QTest>

class TestNetworkProxy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup()
    {
        NetworkProxy::install(NetworkProxy::Mode::System);
        for (const char *name : {"http_proxy", "https_proxy", "no_proxy"})
            qunsetenv(name);
    }

    void parseManual_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("user");
        QTest::newRow("plain") << "http://proxy.example:3128" << true << "proxy.example" << 3128
                               << QString();
        QTest::newRow("user") << " http://me@10.0.0.1:8080/ " << true << "10.0.0.1" << 8080 << "me";
        QTest::newRow("no scheme") << "proxy.example:3128" << false << "" << 0 << "";
        QTest::newRow("https") << "https://proxy.example:3128" << false << "" << 0 << "";
        QTest::newRow("socks") << "socks5://proxy.example:1080" << false << "" << 0 << "";
        QTest::newRow("no port") << "http://proxy.example" << false << "" << 0 << "";
        QTest::newRow("password") << "http://me:pw@proxy.example:3128" << false << "" << 0 << "";
        QTest::newRow("path") << "http://proxy.example:3128/x" << false << "" << 0 << "";
        QTest::newRow("empty") << "" << false << "" << 0 << "";
    }
    void parseManual()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QString error;
        const std::optional<QNetworkProxy> p = NetworkProxy::parseManual(text, &error);
        QCOMPARE(p.has_value(), ok);
        QCOMPARE(error.isEmpty(), ok);
        if (!ok)
            return;
        QCOMPARE(p->type(), QNetworkProxy::HttpProxy);
        QTEST(p->hostName(), "host");
        QTEST(int(p->port()), "port");
        QTEST(p->user(), "user");
        QVERIFY(p->password().isEmpty());
    }

    void modes()
    {
        const QUrl url(QStringLiteral("https://portal.qwen.ai/v1/chat/completions"));
        qputenv("https_proxy", "http://127.0.0.1:3128");

        NetworkProxy::install(NetworkProxy::Mode::None);
        QCOMPARE(NetworkProxy::forUrl(url).type(), QNetworkProxy::NoProxy);

        QNetworkProxy manual(QNetworkProxy::HttpProxy, QStringLiteral("proxy.example"), 8080,
                             QStringLiteral("me"), QStringLiteral("pw"));
        NetworkProxy::install(NetworkProxy::Mode::Manual, manual);
        QCOMPARE(NetworkProxy::forUrl(url), manual);
        // QNetworkAccessManager asks the same factory.
        QCOMPARE(QNetworkProxyFactory::proxyForQuery(QNetworkProxyQuery(url)).first(), manual);

        NetworkProxy::install(NetworkProxy::Mode::System);
        const QNetworkProxy fromEnv = NetworkProxy::forUrl(url);
        QCOMPARE(fromEnv.type(), QNetworkProxy::HttpProxy);
        QCOMPARE(NetworkProxy::describe(fromEnv), QStringLiteral("127.0.0.1:3128"));

        // A loopback upstream too, unless no_proxy names it.
        const QUrl local(QStringLiteral("https://127.0.0.1:4443/v1"));
        QCOMPARE(NetworkProxy::forUrl(local).type(), QNetworkProxy::HttpProxy);
        qputenv("no_proxy", "127.0.0.1");
        QCOMPARE(NetworkProxy::forUrl(local).type(), QNetworkProxy::NoProxy);
        QCOMPARE(NetworkProxy::forUrl(url).type(), QNetworkProxy::HttpProxy);
    }

    void appliesToNetworkAccessManager()
    {
        QNetworkAccessManager nam;
        NetworkProxy::applyTo(&nam);
        QVERIFY(dynamic_cast<NetworkProxy *>(nam.proxyFactory()));
        const QNetworkProxy manual(QNetworkProxy::HttpProxy, QStringLiteral("proxy.example"), 8080);
        NetworkProxy::install(NetworkProxy::Mode::Manual, manual);
        const QUrl local(QStringLiteral("http://127.0.0.1:1/"));
        QCOMPARE(nam.proxyFactory()->queryProxy(QNetworkProxyQuery(local)).first(), manual);
    }

    void modeNames()
    {
        for (auto m :
             {NetworkProxy::Mode::System, NetworkProxy::Mode::None, NetworkProxy::Mode::Manual})
            QCOMPARE(NetworkProxy::modeFromName(NetworkProxy::modeName(m)), m);
        QVERIFY(!NetworkProxy::modeFromName(QStringLiteral("sometimes")));
    }

    void failuresNameTheProxy()
    {
        const QNetworkProxy p(QNetworkProxy::HttpProxy, QStringLiteral("proxy.example"), 3128,
                              QStringLiteral("me"), QStringLiteral("secret-pw"));
        const QNetworkProxy direct(QNetworkProxy::NoProxy);
        QCOMPARE(NetworkProxy::failureOf(QAbstractSocket::ProxyConnectionRefusedError, p),
                 NetworkProxy::Failure::Refused);
        QCOMPARE(NetworkProxy::failureOf(QNetworkReply::ProxyAuthenticationRequiredError, p),
                 NetworkProxy::Failure::Authenticate);
        // A plain http request goes to the proxy itself: refused there is the proxy's.
        QCOMPARE(NetworkProxy::failureOf(QNetworkReply::ConnectionRefusedError, p),
                 NetworkProxy::Failure::Refused);
        QVERIFY(!NetworkProxy::failureOf(QAbstractSocket::ConnectionRefusedError, direct));
        QVERIFY(!NetworkProxy::failureOf(QNetworkReply::HostNotFoundError, direct));
        QVERIFY(!NetworkProxy::failureOf(QNetworkReply::ContentNotFoundError, p));
        QStringList seen;
        for (auto f : {NetworkProxy::Failure::Refused, NetworkProxy::Failure::Unreachable,
                       NetworkProxy::Failure::Closed, NetworkProxy::Failure::Authenticate}) {
            const QString text = NetworkProxy::failureMessage(f, p);
            QVERIFY2(text.contains(QStringLiteral("proxy.example:3128")), qPrintable(text));
            QVERIFY(!text.contains(QStringLiteral("secret-pw")));
            QVERIFY(!seen.contains(text)); // each failure its own sentence
            seen << text;
        }
    }
};

QTEST_GUILESS_MAIN(TestNetworkProxy)
#include "tst_networkproxy.moc"
