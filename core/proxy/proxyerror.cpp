#include "proxy/proxyerror.h"

#include <QJsonDocument>
#include <QJsonObject>

static QJsonObject errorObject(const QString &message, const QString &type, const QString &code)
{
    QJsonObject inner;
    inner.insert(QStringLiteral("message"), message);
    inner.insert(QStringLiteral("type"), type);
    inner.insert(QStringLiteral("param"), QJsonValue::Null);
    inner.insert(QStringLiteral("code"), code.isEmpty() ? QJsonValue(QJsonValue::Null) : code);
    QJsonObject o;
    o.insert(QStringLiteral("error"), inner);
    return o;
}

QByteArray openAiError(const QString &message, const QString &type, const QString &code)
{
    return QJsonDocument(errorObject(message, type, code)).toJson(QJsonDocument::Compact);
}

QByteArray openAiErrorEvent(const QString &message, const QString &type, const QString &code)
{
    return QByteArrayLiteral("data: ") + openAiError(message, type, code) +
           QByteArrayLiteral("\n\n");
}
