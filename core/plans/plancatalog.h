#pragma once

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

// One model of a plan, as the plan's endpoint names it.
struct PlanModel
{
    QString id;           // exact upstream id: case matters ("MiniMax-M2.5")
    QString name;         // for people (not translated: it is a product name)
    int contextLimit = 0; // tokens
    int outputLimit = 0;  // tokens
    QStringList input;    // input modalities: "text", "image", …
    bool reasoning = false;
    // Pay-as-you-go only: an ESTIMATE in USD per million tokens, from the public price list
    // at the time the catalog was written. Never a bill: show it as "about" or "estimated".
    std::optional<double> inputUsdPerMillion;
    std::optional<double> outputUsdPerMillion;

    bool acceptsImages() const { return input.contains(QLatin1String("image")); }
};

// One plan and region of Alibaba Cloud Model Studio (PROTOCOL.md §6). A key only works on
// its own plan and region.
struct Plan
{
    enum class Group { Coding, Token, PayAsYouGo, Custom };

    QString id; // what `login --preset` takes and what the credentials store
    Group group = Group::Custom;
    QString region; // "global", "china", "singapore", "beijing", "us", "hongkong"; empty for custom
    QUrl baseUrl;   // the OpenAI-compatible base; empty for custom (the user gives it)
    QString keyPrefix;         // "sk-sp-" (Coding and Token Plan), "sk-" (pay-as-you-go), "" custom
    bool hasModelList = false; // whether GET {base}/models answers (the Coding Plan's is 404)
    QUrl keyPage;              // where a person gets a key for this plan
    QList<PlanModel> models;   // in the catalog's order, coder model first
    QString coderModel;        // what the alias coder-model stands for
    QString visionModel;       // what vision-model stands for; a model here that takes images
    QString checkModel;        // the plan's smallest model, for the key check's 1-token request

    bool isValid() const { return !id.isEmpty(); }
    bool isCustom() const { return group == Group::Custom; }
    // The model of that exact id, or nullopt when the plan has none by that id.
    std::optional<PlanModel> model(const QString &modelId) const;
    QStringList modelIds() const;
    // Translated: "Coding Plan (global)", "Model Studio pay-as-you-go (US, Virginia)", …
    QString name() const;
    QString groupName() const;  // translated: "Coding Plan", "Token Plan", …
    QString groupKey() const;   // stable: "coding", "token", "payg", "custom"
    QString regionName() const; // translated, empty for custom
    // Translated: where a person gets a key for this plan (keyPage is the link).
    QString whereToGetKey() const;
};

// The one list of plans the CLI, the tray, the proxy and the OpenCode config read. The data
// is core/plans/plans.json (a Qt resource), so a new model is a one-line change. A file
// plans.json next to settings.ini may override it: for a plan id, entries of "models" replace
// the fields they name in the model of the same id (or add a model), and "coderModel",
// "visionModel" and "checkModel" replace the plan's. A broken override is ignored with a
// warning in the log; the built-in catalog stays.
class PlanCatalog
{
    Q_DECLARE_TR_FUNCTIONS(PlanCatalog)
public:
    // The built-in catalog with the user's override, read once per process.
    static const PlanCatalog &instance();
    // Tests and tools: a catalog from the given texts. On a broken catalog, *error says why
    // and the result is empty; a broken override only leaves the catalog as it was.
    static PlanCatalog fromJson(const QByteArray &catalog, const QByteArray &overrides = {},
                                QString *error = nullptr);

    QList<Plan> plans() const { return m_plans; }
    // By plan id or by an old --preset id ("model-studio-singapore"); invalid when unknown.
    Plan plan(const QString &idOrAlias) const;
    // The plan of stored credentials: their plan id, else the custom plan (whose base URL is
    // the stored one). Never invalid.
    Plan planForCredentials(const QString &storedId) const;
    // "Coding Plan (global)", or "the custom endpoint HOST" for a custom or unknown id.
    QString displayName(const QString &idOrAlias, const QUrl &baseUrl) const;

    static QString defaultPlanId() { return QStringLiteral("payg-singapore"); }
    static QString customPlanId() { return QStringLiteral("custom"); }

    // One line when the key's prefix does not fit the plan (a Coding Plan key on a
    // pay-as-you-go plan, …); empty when it fits or the plan has no rule. A hint only: the
    // service decides. Never contains the key.
    static QString keyPrefixHint(const Plan &plan, const QString &key);

private:
    QList<Plan> m_plans;
    QHash<QString, QString> m_aliases; // old preset id → plan id
};
