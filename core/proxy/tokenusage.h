#pragma once

#include <QByteArrayView>
#include <QJsonObject>
#include <QtGlobal>

// The token counts of one answer, as the upstream's OpenAI-style `usage` object reports
// them (in a non-streaming body, or in a stream's last chunk).
struct TokenUsage
{
    bool reported = false; // the upstream sent a usage object
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 cachedTokens = 0;    // prompt_tokens_details.cached_tokens
    qint64 reasoningTokens = 0; // completion_tokens_details.reasoning_tokens

    // From a `usage` object; reported stays false for anything that is not one.
    static TokenUsage fromUsageObject(const QJsonObject &usage);
    // The same from the text of a `usage` object, read without building a document: its
    // values are only looked at where a count is taken.
    static TokenUsage fromUsageText(QByteArrayView usage);
    // From a whole answer or chunk: its "usage" member, when that is an object.
    static TokenUsage fromAnswer(const QJsonObject &answer);
    // The same from the text of a non-streaming answer. Only the usage member is parsed:
    // the rest is only looked through for its end. *readable says whether the text is a
    // whole JSON value (a body cut short is not).
    static TokenUsage fromAnswerBody(const QByteArray &body, bool *readable);
};
