#pragma once

#include <QByteArray>
#include <QString>

// OpenAI-style error bodies: {"error": {"message", "type", "param", "code"}}. Every
// answer the proxy makes up itself has this shape, so OpenCode shows the message.
QByteArray openAiError(const QString &message, const QString &type, const QString &code);

// The same error as one Server-Sent Event, for failures after a stream has begun.
QByteArray openAiErrorEvent(const QString &message, const QString &type, const QString &code);
