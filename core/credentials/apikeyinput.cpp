#include "credentials/apikeyinput.h"

#include <algorithm>

ApiKeyInput::Verdict ApiKeyInput::check(const QString &text, QString *normalized)
{
    const QString key = text.trimmed();
    if (normalized)
        *normalized = key;
    if (key.isEmpty())
        return Verdict::Empty;
    const bool odd = std::any_of(key.cbegin(), key.cend(), [](const QChar c) {
        return c.isSpace() || c.category() == QChar::Other_Control ||
               c.category() == QChar::Other_Format;
    });
    if (odd || key.size() > kMaxLength)
        return Verdict::Malformed;
    return Verdict::Ok;
}

QString ApiKeyInput::malformedMessage()
{
    return tr("That does not look like an API key (it has spaces or is very long).");
}
