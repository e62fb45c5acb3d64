#include "proxy/modellist.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace {
QJsonObject entry(const QString &id)
{
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("object"), QStringLiteral("model")},
                       {QStringLiteral("owned_by"), QStringLiteral("qwen")}};
}
} // namespace

QByteArray ModelList::forPlan(const Plan &plan, const QByteArray &upstreamBody)
{
    QJsonObject answer = QJsonDocument::fromJson(upstreamBody).object();
    QJsonArray data = answer.value(QStringLiteral("data")).toArray();
    QSet<QString> listed;
    for (const QJsonValue &v : std::as_const(data))
        listed.insert(v.toObject().value(QStringLiteral("id")).toString());

    QStringList extra;
    if (!plan.isCustom())
        extra = plan.modelIds();
    extra << QStringLiteral("coder-model") << QStringLiteral("vision-model");
    for (const QString &id : std::as_const(extra)) {
        if (!listed.contains(id)) {
            data.append(entry(id));
            listed.insert(id);
        }
    }
    answer.insert(QStringLiteral("object"), QStringLiteral("list"));
    answer.insert(QStringLiteral("data"), data);
    return QJsonDocument(answer).toJson(QJsonDocument::Compact);
}

QByteArray ModelList::forOAuth()
{
    QJsonArray data;
    for (const QString &id : {QStringLiteral("coder-model"), QStringLiteral("vision-model")}) {
        QJsonObject m;
        m.insert(QStringLiteral("id"), id);
        m.insert(QStringLiteral("object"), QStringLiteral("model"));
        m.insert(QStringLiteral("owned_by"), QStringLiteral("qwen"));
        data.append(m);
    }
    QJsonObject o;
    o.insert(QStringLiteral("object"), QStringLiteral("list"));
    o.insert(QStringLiteral("data"), data);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}
