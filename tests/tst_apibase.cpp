#include "oauth/apibase.h"

#include <QTest>

class TestApiBase : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rules_data()
    {
        QTest::addColumn<QString>("resourceUrl");
        QTest::addColumn<QString>("expected");
        const QString fallback = QStringLiteral("https://fallback.example/v1");
        QTest::newRow("no scheme") << "portal.qwen.ai"
                                   << "https://portal.qwen.ai/v1";
        QTest::newRow("trailing slash") << "https://portal.qwen.ai/"
                                        << "https://portal.qwen.ai/v1";
        QTest::newRow("many slashes") << "portal.qwen.ai///"
                                      << "https://portal.qwen.ai/v1";
        QTest::newRow("existing v1") << "https://portal.qwen.ai/v1"
                                     << "https://portal.qwen.ai/v1";
        QTest::newRow("existing v1 slash") << "portal.qwen.ai/v1/"
                                           << "https://portal.qwen.ai/v1";
        QTest::newRow("http kept") << "http://127.0.0.1:8080"
                                   << "http://127.0.0.1:8080/v1";
        QTest::newRow("path kept") << "example.com/api"
                                   << "https://example.com/api/v1";
        QTest::newRow("whitespace") << "  portal.qwen.ai \n"
                                    << "https://portal.qwen.ai/v1";
        QTest::newRow("missing") << "" << fallback;
        QTest::newRow("blank") << "   " << fallback;
        QTest::newRow("invalid host") << "https://" << fallback;
        QTest::newRow("spaces inside") << "portal qwen ai" << fallback;
        QTest::newRow("other scheme") << "ftp://portal.qwen.ai" << fallback;
        QTest::newRow("garbage") << "::::" << fallback;
    }
    void rules()
    {
        QFETCH(QString, resourceUrl);
        QFETCH(QString, expected);
        const QUrl fallback(QStringLiteral("https://fallback.example/v1"));
        QCOMPARE(apiBaseFromResourceUrl(resourceUrl, fallback).toString(), expected);
    }
};

QTEST_GUILESS_MAIN(TestApiBase)
#include "tst_apibase.moc"
