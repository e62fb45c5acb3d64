#include "uitranslator.h"

#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QXmlStreamReader>

// The Chinese translation is compiled in and chosen by locale, and translations/*.ts is
// complete: every message translated, with the same placeholders as its source.
class TestUiTranslator : public QObject
{
    Q_OBJECT

    static QSet<QString> placeholders(const QString &text)
    {
        static const QRegularExpression re(QStringLiteral("%[1-9]"));
        QSet<QString> found;
        auto it = re.globalMatch(text);
        while (it.hasNext())
            found.insert(it.next().captured());
        return found;
    }

private Q_SLOTS:
    void cleanup() { UiTranslator::uninstall(); }

    void chineseLocaleLoadsTheTranslation()
    {
        QVERIFY(UiTranslator::install(QLocale(QStringLiteral("zh_CN"))));
        // Strings of the tray, the dialogs, and core sentences that reach the UI.
        QCOMPARE(QCoreApplication::translate("TrayController", "Quit"), QStringLiteral("退出"));
        QCOMPARE(QCoreApplication::translate("SignInCodePage", "Open browser"),
                 QStringLiteral("打开浏览器"));
        QCOMPARE(QCoreApplication::translate("SessionManager", "Signed out."),
                 QStringLiteral("已退出登录。"));
        QVERIFY(QCoreApplication::translate("DeviceAuthorization", "Sign-in was cancelled.") !=
                QStringLiteral("Sign-in was cancelled."));

        UiTranslator::uninstall();
        QCOMPARE(QCoreApplication::translate("TrayController", "Quit"), QStringLiteral("Quit"));
    }

    void englishNeedsNoTranslation()
    {
        QVERIFY(!UiTranslator::install(QLocale(QStringLiteral("en_US"))));
        QCOMPARE(QCoreApplication::translate("TrayController", "Quit"), QStringLiteral("Quit"));
    }

    void installingTwiceReplacesTheFirst()
    {
        QVERIFY(UiTranslator::install(QLocale(QStringLiteral("zh_CN"))));
        QVERIFY(!UiTranslator::install(QLocale(QStringLiteral("de_DE"))));
        QCOMPARE(QCoreApplication::translate("TrayController", "Quit"), QStringLiteral("Quit"));
    }

    void tsFileIsComplete()
    {
        QFile file(QStringLiteral(QWEN_BRIDGE_SOURCE_DIR "/translations/qwen-bridge_zh_CN.ts"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QString context;
        QString source;
        int messages = 0;
        QStringList problems;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement())
                continue;
            if (xml.name() == QLatin1String("name")) {
                context = xml.readElementText();
            } else if (xml.name() == QLatin1String("source")) {
                source = xml.readElementText();
            } else if (xml.name() == QLatin1String("translation")) {
                ++messages;
                const QString type = xml.attributes().value(QLatin1String("type")).toString();
                // Plural messages hold their text in <numerusform> children.
                const QString translation =
                    xml.readElementText(QXmlStreamReader::IncludeChildElements);
                if (type == QLatin1String("unfinished") || translation.isEmpty())
                    problems << QStringLiteral("untranslated: %1 / %2").arg(context, source);
                else if (placeholders(translation) != placeholders(source))
                    problems << QStringLiteral("placeholders differ: %1 / %2").arg(context, source);
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(messages > 250);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestUiTranslator)
#include "tst_uitranslator.moc"
