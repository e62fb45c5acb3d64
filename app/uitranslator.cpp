#include "uitranslator.h"

#include "util/logcategories.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace {
QTranslator *s_app = nullptr;
QTranslator *s_qt = nullptr;
} // namespace

QString UiTranslator::resourcePath()
{
    return QStringLiteral(":/i18n");
}

bool UiTranslator::install(const QLocale &locale)
{
    uninstall();
    s_app = new QTranslator(QCoreApplication::instance());
    const bool ours =
        s_app->load(locale, QStringLiteral("qwen-bridge"), QStringLiteral("_"), resourcePath());
    if (ours)
        QCoreApplication::installTranslator(s_app);
    s_qt = new QTranslator(QCoreApplication::instance());
    // Qt's own strings (standard buttons, file dialogs) come from the system's Qt
    // translations when they are installed.
    if (s_qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                   QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(s_qt);
    qCDebug(lcUi) << "translation for" << locale.uiLanguages() << (ours ? "loaded" : "not found");
    return ours;
}

void UiTranslator::uninstall()
{
    for (QTranslator **translator : {&s_app, &s_qt}) {
        if (*translator) {
            QCoreApplication::removeTranslator(*translator);
            delete *translator;
            *translator = nullptr;
        }
    }
}
