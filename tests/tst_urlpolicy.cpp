#include "settings/urlpolicy.h"

#include <QTest>

Q_DECLARE_METATYPE(UrlPolicy::Problem)

class TestUrlPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void loopbackHosts_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("loopback");
        QTest::newRow("ipv4") << "127.0.0.1" << true;
        QTest::newRow("ipv4 range") << "127.0.0.2" << true;
        QTest::newRow("ipv6") << "::1" << true;
        QTest::newRow("localhost") << "localhost" << true;
        QTest::newRow("localhost upper") << "LOCALHOST" << true;
        QTest::newRow("lan") << "192.168.1.2" << false;
        QTest::newRow("any") << "0.0.0.0" << false;
        QTest::newRow("name") << "example.com" << false;
        QTest::newRow("lookalike") << "localhost.example.com" << false;
        QTest::newRow("empty") << "" << false;
    }
    void loopbackHosts()
    {
        QFETCH(QString, host);
        QFETCH(bool, loopback);
        QCOMPARE(UrlPolicy::isLoopbackHost(host), loopback);
    }

    void transport_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("https") << "https://chat.qwen.ai" << true;
        QTest::newRow("https query") << "https://chat.qwen.ai/device?user_code=AB" << true;
        QTest::newRow("http loopback") << "http://127.0.0.1:9/x" << true;
        QTest::newRow("http localhost") << "http://localhost:9" << true;
        QTest::newRow("http ipv6 loopback") << "http://[::1]:9/v1" << true;
        QTest::newRow("upper scheme") << "HTTPS://chat.qwen.ai" << true;
        QTest::newRow("http remote") << "http://chat.qwen.ai" << false;
        QTest::newRow("http lan") << "http://192.168.1.2/v1" << false;
        QTest::newRow("ftp") << "ftp://chat.qwen.ai" << false;
        QTest::newRow("no host") << "https://" << false;
        QTest::newRow("no scheme") << "chat.qwen.ai" << false;
        QTest::newRow("empty") << "" << false;
    }
    void transport()
    {
        QFETCH(QString, url);
        QFETCH(bool, allowed);
        QCOMPARE(UrlPolicy::allowsTransport(QUrl(url, QUrl::StrictMode)), allowed);
    }

    void baseUrls_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<UrlPolicy::Problem>("problem");
        using P = UrlPolicy::Problem;
        QTest::newRow("https") << "https://example.com/v1" << P::None;
        QTest::newRow("trimmed") << " https://example.com/compatible-mode/v1 " << P::None;
        QTest::newRow("http loopback") << "http://127.0.0.1:8080/v1" << P::None;
        QTest::newRow("http localhost") << "http://localhost/v1" << P::None;
        QTest::newRow("http ipv6") << "http://[::1]:9/v1" << P::None;
        QTest::newRow("empty") << "" << P::Empty;
        QTest::newRow("blank") << "   " << P::Empty;
        QTest::newRow("http remote") << "http://example.com/v1" << P::PlainHttp;
        QTest::newRow("http lan") << "http://192.168.1.2/v1" << P::PlainHttp;
        QTest::newRow("ftp") << "ftp://example.com/v1" << P::NotWebAddress;
        QTest::newRow("no scheme") << "example.com/v1" << P::NotWebAddress;
        QTest::newRow("no host") << "https://" << P::NotWebAddress;
        QTest::newRow("space in host") << "https://exa mple.com" << P::NotWebAddress;
        QTest::newRow("user") << "https://me:secret@example.com/v1" << P::UserInfo;
        QTest::newRow("query") << "https://example.com/v1?key=1" << P::QueryOrFragment;
        QTest::newRow("fragment") << "https://example.com/v1#x" << P::QueryOrFragment;
    }
    void baseUrls()
    {
        QFETCH(QString, text);
        QFETCH(UrlPolicy::Problem, problem);
        QUrl url;
        QCOMPARE(UrlPolicy::checkBaseUrl(text, &url), problem);
        if (problem == UrlPolicy::Problem::None)
            QCOMPARE(url, QUrl(text.trimmed()));
        else
            QVERIFY(url.isEmpty());
        // Every problem has a sentence, which never echoes what was typed (it may hold a
        // password), and the transport problems show a good address.
        const QString message = UrlPolicy::explain(problem, QStringLiteral("https://good/v1"));
        QCOMPARE(message.isEmpty(), problem == UrlPolicy::Problem::None);
        QVERIFY(!message.contains(QLatin1String("secret")));
        if (problem == UrlPolicy::Problem::PlainHttp || problem == UrlPolicy::Problem::Empty ||
            problem == UrlPolicy::Problem::NotWebAddress)
            QVERIFY(message.contains(QLatin1String("https://good/v1")));
    }
};

QTEST_GUILESS_MAIN(TestUrlPolicy)
#include "tst_urlpolicy.moc"
