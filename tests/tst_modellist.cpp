#include "proxy/modellist.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

namespace {
QStringList ids(const QByteArray &answer)
{
    const QJsonObject o = QJsonDocument::fromJson(answer).object();
    if (o.value(QStringLiteral("object")).toString() != QLatin1String("list"))
        return {QStringLiteral("<not a list>")};
    QStringList result;
    const QJsonArray data = o.value(QStringLiteral("data")).toArray();
    for (const QJsonValue &v : data)
        result << v.toObject().value(QStringLiteral("id")).toString();
    return result;
}

QByteArray upstreamList(const QStringList &models)
{
    QJsonArray data;
    for (const QString &id : models)
        data.append(QJsonObject{{QStringLiteral("id"), id},
                                {QStringLiteral("object"), QStringLiteral("model")},
                                {QStringLiteral("owned_by"), QStringLiteral("upstream")}});
    return QJsonDocument(QJsonObject{{QStringLiteral("object"), QStringLiteral("list")},
                                     {QStringLiteral("data"), data}})
        .toJson();
}
} // namespace

class TestModelList : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void forPlan_data()
    {
        QTest::addColumn<QString>("planId");
        QTest::addColumn<QByteArray>("upstream");
        QTest::addColumn<QStringList>("expected");
        const QStringList aliases{"coder-model", "vision-model"};
        const Plan coding = PlanCatalog::instance().plan(QStringLiteral("coding-plan-global"));
        QTest::addRow("no upstream list: the catalog")
            << coding.id << QByteArray() << coding.modelIds() + aliases;
        const Plan token = PlanCatalog::instance().plan(QStringLiteral("token-plan-beijing"));
        QTest::addRow("upstream list first, then what it lacks")
            << token.id << upstreamList({"glm-5.2", "qwen-extra"})
            << QStringList{
                   "glm-5.2",         "qwen-extra",     "qwen3.7-max", "qwen3.8-max-preview",
                   "deepseek-v4-pro", "kimi-k2.7-code", "coder-model", "vision-model"};
        QTest::addRow("custom: the upstream's and the aliases only")
            << QStringLiteral("custom") << upstreamList({"my-model"})
            << QStringList{"my-model", "coder-model", "vision-model"};
        QTest::addRow("unreadable upstream: the catalog")
            << coding.id << QByteArray("<html>") << coding.modelIds() + aliases;
    }

    void forPlan()
    {
        QFETCH(QString, planId);
        QFETCH(QByteArray, upstream);
        QFETCH(QStringList, expected);
        const QByteArray answer =
            ModelList::forPlan(PlanCatalog::instance().plan(planId), upstream);
        QCOMPARE(ids(answer), expected);
    }

    void oauthGetsTheTwoAliases()
    {
        QCOMPARE(ids(ModelList::forOAuth()),
                 QStringList({QStringLiteral("coder-model"), QStringLiteral("vision-model")}));
    }

    void upstreamEntriesStayAsTheyAre()
    {
        const QByteArray answer = ModelList::forPlan(
            PlanCatalog::instance().plan(QStringLiteral("payg-us")), upstreamList({"qwen3-max"}));
        const QJsonObject first = QJsonDocument::fromJson(answer)
                                      .object()
                                      .value(QStringLiteral("data"))
                                      .toArray()
                                      .first()
                                      .toObject();
        QCOMPARE(first.value(QStringLiteral("owned_by")).toString(), QStringLiteral("upstream"));
    }
};

QTEST_GUILESS_MAIN(TestModelList)
#include "tst_modellist.moc"
