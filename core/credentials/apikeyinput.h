#pragma once

#include <QCoreApplication>
#include <QString>

// What a pasted or piped API key must look like before it is sent anywhere: the same rule
// for `login --api-key` and the sign-in dialog. The ends are trimmed; inside, no
// whitespace and no control characters; at most kMaxLength characters.
class ApiKeyInput
{
    Q_DECLARE_TR_FUNCTIONS(ApiKeyInput)
public:
    static constexpr int kMaxLength = 4096;

    enum class Verdict {
        Ok,
        Empty,     // nothing but whitespace: each caller says where a key comes from
        Malformed, // whitespace or control characters inside, or far too long
    };

    // key is trimmed into *normalized when given.
    static Verdict check(const QString &text, QString *normalized = nullptr);
    // The sentence for Malformed.
    static QString malformedMessage();
};
