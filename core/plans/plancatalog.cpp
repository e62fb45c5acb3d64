#include "plans/plancatalog.h"

#include "settings/settings.h"
#include "util/logcategories.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

namespace {
const QString kCodingPrefix = QStringLiteral("sk-sp-");

std::optional<Plan::Group> groupFromKey(const QString &key)
{
    if (key == QLatin1String("coding"))
        return Plan::Group::Coding;
    if (key == QLatin1String("token"))
        return Plan::Group::Token;
    if (key == QLatin1String("payg"))
        return Plan::Group::PayAsYouGo;
    if (key == QLatin1String("custom"))
        return Plan::Group::Custom;
    return std::nullopt;
}

std::optional<double> price(const QJsonObject &model, const QString &which)
{
    const QJsonValue v = model.value(QLatin1String("priceUsdPerMillion")).toObject().value(which);
    if (!v.isDouble() || v.toDouble() < 0)
        return std::nullopt;
    return v.toDouble();
}

PlanModel modelFromJson(const QJsonObject &o, bool priced)
{
    PlanModel m;
    m.id = o.value(QLatin1String("id")).toString();
    m.name = o.value(QLatin1String("name")).toString(m.id);
    m.contextLimit = o.value(QLatin1String("context")).toInt();
    m.outputLimit = o.value(QLatin1String("output")).toInt();
    const QJsonArray input = o.value(QLatin1String("input")).toArray();
    for (const QJsonValue &v : input)
        m.input << v.toString();
    m.reasoning = o.value(QLatin1String("reasoning")).toBool();
    // Plans billed by subscription have no per-token price; a model list shared with a
    // pay-as-you-go plan must not make a cost estimate appear there.
    if (priced) {
        m.inputUsdPerMillion = price(o, QStringLiteral("input"));
        m.outputUsdPerMillion = price(o, QStringLiteral("output"));
    }
    return m;
}

// A plan from its (merged) JSON, or an error sentence for the log and the test.
Plan planFromJson(const QJsonObject &o, QString *error)
{
    Plan p;
    p.id = o.value(QLatin1String("id")).toString();
    const std::optional<Plan::Group> group =
        groupFromKey(o.value(QLatin1String("group")).toString());
    if (p.id.isEmpty() || !group) {
        *error = QStringLiteral("a plan without an id or with an unknown group");
        return {};
    }
    p.group = *group;
    p.region = o.value(QLatin1String("region")).toString();
    p.baseUrl = QUrl(o.value(QLatin1String("baseUrl")).toString());
    p.keyPrefix = o.value(QLatin1String("keyPrefix")).toString();
    p.hasModelList = o.value(QLatin1String("hasModelList")).toBool();
    p.keyPage = QUrl(o.value(QLatin1String("keyPage")).toString());
    p.coderModel = o.value(QLatin1String("coderModel")).toString();
    p.visionModel = o.value(QLatin1String("visionModel")).toString();
    p.checkModel = o.value(QLatin1String("checkModel")).toString();
    const QJsonArray models = o.value(QLatin1String("models")).toArray();
    for (const QJsonValue &v : models) {
        const PlanModel m = modelFromJson(v.toObject(), p.group == Plan::Group::PayAsYouGo);
        if (m.id.isEmpty() || m.contextLimit <= 0 || m.outputLimit <= 0 || m.input.isEmpty()) {
            *error = QStringLiteral("%1: a model without an id, limits or input").arg(p.id);
            return {};
        }
        if (p.model(m.id)) {
            *error = QStringLiteral("%1: model %2 twice").arg(p.id, m.id);
            return {};
        }
        p.models << m;
    }
    if (!p.isCustom() && (p.baseUrl.scheme() != QLatin1String("https") || p.keyPrefix.isEmpty())) {
        *error = QStringLiteral("%1: no https base URL or no key prefix").arg(p.id);
        return {};
    }
    for (const QString &alias : {p.coderModel, p.checkModel, p.visionModel}) {
        if (!p.model(alias)) {
            *error = QStringLiteral("%1: \"%2\" is not one of its models").arg(p.id, alias);
            return {};
        }
    }
    if (!p.model(p.visionModel)->acceptsImages()) {
        *error = QStringLiteral("%1: vision model %2 takes no images").arg(p.id, p.visionModel);
        return {};
    }
    return p;
}

// The override's plan entry laid over the catalog's: models by id, field by field.
QJsonObject mergePlan(QJsonObject base, const QJsonObject &over)
{
    for (const QLatin1String key :
         {QLatin1String("coderModel"), QLatin1String("visionModel"), QLatin1String("checkModel")}) {
        if (over.contains(key))
            base.insert(key, over.value(key));
    }
    QJsonArray models = base.value(QLatin1String("models")).toArray();
    const QJsonArray overModels = over.value(QLatin1String("models")).toArray();
    for (const QJsonValue &v : overModels) {
        const QJsonObject change = v.toObject();
        const QString id = change.value(QLatin1String("id")).toString();
        bool found = false;
        for (qsizetype i = 0; i < models.size() && !found; ++i) {
            QJsonObject model = models.at(i).toObject();
            if (model.value(QLatin1String("id")).toString() != id)
                continue;
            for (auto it = change.constBegin(); it != change.constEnd(); ++it)
                model.insert(it.key(), it.value());
            models.replace(i, model);
            found = true;
        }
        if (!found)
            models.append(change);
    }
    base.insert(QLatin1String("models"), models);
    return base;
}

QString overridePath()
{
    return QFileInfo(Settings::configFilePath()).dir().filePath(QStringLiteral("plans.json"));
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}
} // namespace

// Outside any namespace, as Q_INIT_RESOURCE requires: the resource lives in a static library.
static void initPlansResource()
{
    Q_INIT_RESOURCE(plans);
}

std::optional<PlanModel> Plan::model(const QString &modelId) const
{
    for (const PlanModel &m : models) {
        if (m.id == modelId)
            return m;
    }
    return std::nullopt;
}

QStringList Plan::modelIds() const
{
    QStringList ids;
    for (const PlanModel &m : models)
        ids << m.id;
    return ids;
}

QString Plan::groupKey() const
{
    switch (group) {
    case Group::Coding:
        return QStringLiteral("coding");
    case Group::Token:
        return QStringLiteral("token");
    case Group::PayAsYouGo:
        return QStringLiteral("payg");
    case Group::Custom:
        break;
    }
    return QStringLiteral("custom");
}

QString Plan::groupName() const
{
    switch (group) {
    case Group::Coding:
        return PlanCatalog::tr("Coding Plan");
    case Group::Token:
        return PlanCatalog::tr("Token Plan");
    case Group::PayAsYouGo:
        return PlanCatalog::tr("Model Studio pay-as-you-go");
    case Group::Custom:
        break;
    }
    return PlanCatalog::tr("Custom endpoint");
}

QString Plan::regionName() const
{
    if (region == QLatin1String("global"))
        return PlanCatalog::tr("global");
    if (region == QLatin1String("china"))
        return PlanCatalog::tr("China");
    if (region == QLatin1String("singapore"))
        return PlanCatalog::tr("Singapore");
    if (region == QLatin1String("beijing"))
        return PlanCatalog::tr("Beijing");
    if (region == QLatin1String("us"))
        return PlanCatalog::tr("US, Virginia");
    if (region == QLatin1String("hongkong"))
        return PlanCatalog::tr("Hong Kong");
    return region;
}

QString Plan::whereToGetKey() const
{
    switch (group) {
    case Group::Coding:
        return PlanCatalog::tr("Subscribe to the Coding Plan in the Model Studio console of this "
                               "region and copy the plan's own key there; it starts with "
                               "\"sk-sp-\".");
    case Group::Token:
        return PlanCatalog::tr("Copy the Token Plan's own key from the Model Studio console of "
                               "this region; it starts with \"sk-sp-\".");
    case Group::PayAsYouGo:
        return PlanCatalog::tr("Create a key on the API-Key page of the Alibaba Cloud Model "
                               "Studio console of this region; it starts with \"sk-\".");
    case Group::Custom:
        break;
    }
    return PlanCatalog::tr("Use the key that the provider of this endpoint gave you.");
}

QString Plan::name() const
{
    if (region.isEmpty())
        return groupName();
    return PlanCatalog::tr("%1 (%2)", "plan (region)").arg(groupName(), regionName());
}

const PlanCatalog &PlanCatalog::instance()
{
    static const PlanCatalog catalog = [] {
        initPlansResource();
        QString error;
        PlanCatalog c = fromJson(readFile(QStringLiteral(":/plans/plans.json")),
                                 readFile(overridePath()), &error);
        if (c.m_plans.isEmpty())
            qCCritical(lcPlans) << "the built-in plan catalog is broken:" << error;
        return c;
    }();
    return catalog;
}

PlanCatalog PlanCatalog::fromJson(const QByteArray &catalog, const QByteArray &overrides,
                                  QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return PlanCatalog();
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(catalog, &parseError);
    if (!doc.isObject())
        return fail(QStringLiteral("not a JSON object: %1").arg(parseError.errorString()));

    // Raw entries first, so that "modelsFrom" and the override work on JSON.
    QList<QJsonObject> raw;
    const QJsonArray plans = doc.object().value(QLatin1String("plans")).toArray();
    for (const QJsonValue &v : plans) {
        QJsonObject o = v.toObject();
        const QString from = o.value(QLatin1String("modelsFrom")).toString();
        if (!from.isEmpty()) {
            const auto source =
                std::find_if(raw.cbegin(), raw.cend(), [&from](const QJsonObject &r) {
                    return r.value(QLatin1String("id")).toString() == from;
                });
            if (source == raw.cend())
                return fail(
                    QStringLiteral("modelsFrom names %1, which is not an earlier plan").arg(from));
            o.insert(QLatin1String("models"), source->value(QLatin1String("models")));
        }
        raw << o;
    }

    PlanCatalog result;
    for (const QJsonObject &o : std::as_const(raw)) {
        QString why;
        const Plan p = planFromJson(o, &why);
        if (!p.isValid())
            return fail(why);
        if (result.plan(p.id).isValid())
            return fail(QStringLiteral("plan %1 twice").arg(p.id));
        result.m_plans << p;
        const QJsonArray aliases = o.value(QLatin1String("aliases")).toArray();
        for (const QJsonValue &alias : aliases)
            result.m_aliases.insert(alias.toString(), p.id);
    }

    if (overrides.trimmed().isEmpty())
        return result;
    const QJsonDocument over = QJsonDocument::fromJson(overrides, &parseError);
    if (!over.isObject()) {
        qCWarning(lcPlans) << "the plan override is not a JSON object, ignored:"
                           << parseError.errorString();
        return result;
    }
    const QJsonArray overPlans = over.object().value(QLatin1String("plans")).toArray();
    for (const QJsonValue &v : overPlans) {
        const QJsonObject change = v.toObject();
        const Plan target = result.plan(change.value(QLatin1String("id")).toString());
        const auto index = std::find_if(raw.cbegin(), raw.cend(), [&target](const QJsonObject &r) {
            return r.value(QLatin1String("id")).toString() == target.id;
        });
        if (!target.isValid() || index == raw.cend()) {
            qCWarning(lcPlans) << "the plan override names an unknown plan, ignored:"
                               << change.value(QLatin1String("id")).toString();
            continue;
        }
        QString why;
        const Plan merged = planFromJson(mergePlan(*index, change), &why);
        if (!merged.isValid()) {
            qCWarning(lcPlans) << "the plan override of" << target.id << "is ignored:" << why;
            continue;
        }
        result.m_plans.replace(index - raw.cbegin(), merged);
    }
    return result;
}

Plan PlanCatalog::plan(const QString &idOrAlias) const
{
    const QString id = m_aliases.value(idOrAlias, idOrAlias);
    for (const Plan &p : m_plans) {
        if (p.id == id)
            return p;
    }
    return {};
}

Plan PlanCatalog::planForCredentials(const QString &storedId) const
{
    const Plan p = plan(storedId);
    return p.isValid() ? p : plan(customPlanId());
}

QString PlanCatalog::displayName(const QString &idOrAlias, const QUrl &baseUrl) const
{
    const Plan p = plan(idOrAlias);
    if (p.isValid() && !p.isCustom())
        return p.name();
    return tr("the custom endpoint %1").arg(baseUrl.host());
}

QString PlanCatalog::keyPrefixHint(const Plan &plan, const QString &key)
{
    if (plan.keyPrefix.isEmpty())
        return {};
    const bool codingKey = key.startsWith(kCodingPrefix);
    if (plan.keyPrefix == kCodingPrefix) {
        if (codingKey)
            return {};
        return tr("%1 keys start with \"%2\" and this one does not; a key only works on the "
                  "plan and region it was made for.")
            .arg(plan.name(), plan.keyPrefix);
    }
    if (codingKey) {
        return tr("Keys that start with \"%1\" belong to the Coding Plan or the Token Plan, not "
                  "to %2; choose the plan the key was made for.")
            .arg(kCodingPrefix, plan.name());
    }
    if (key.startsWith(plan.keyPrefix))
        return {};
    return tr("%1 keys start with \"%2\" and this one does not.").arg(plan.name(), plan.keyPrefix);
}
