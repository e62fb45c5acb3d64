// The Model Studio plan modes (PROTOCOL.md §6): which keys, models and clients each plan
// takes, and the answers it gives to the rest.

#include "fakeqwenservice_p.h"

#include <algorithm>

using namespace FakeQwen;

namespace {

const char CodingAgentsOnly[] = "Coding Plan is currently only available for Coding Agents";
const char PlanKeyPrefix[] = "sk-sp-";

} // namespace

void FakeQwenService::setPlan(FakePlan plan)
{
    m_plan = plan;
    m_planModels = defaultPlanModels(plan);
    m_modelListAvailable = plan != FakePlan::CodingPlan;
}

void FakeQwenService::setModelListAvailable(bool available)
{
    m_modelListAvailable = available;
}

void FakeQwenService::setPlanModels(const QStringList &models)
{
    m_planModels = models;
}

QStringList FakeQwenService::defaultPlanModels(FakePlan plan)
{
    // The fake's own lists from PROTOCOL.md §6, kept apart from the catalog under test.
    switch (plan) {
    case FakePlan::CodingPlan:
        return {QStringLiteral("qwen3.5-plus"),
                QStringLiteral("qwen3.6-plus"),
                QStringLiteral("qwen3.7-plus"),
                QStringLiteral("qwen3-coder-plus"),
                QStringLiteral("qwen3-coder-next"),
                QStringLiteral("qwen3-max-2026-01-23"),
                QStringLiteral("glm-5"),
                QStringLiteral("glm-4.7"),
                QStringLiteral("kimi-k2.5"),
                QStringLiteral("MiniMax-M2.5")};
    case FakePlan::TokenPlan:
        return {QStringLiteral("qwen3.8-max-preview"), QStringLiteral("qwen3.7-max"),
                QStringLiteral("deepseek-v4-pro"), QStringLiteral("kimi-k2.7-code"),
                QStringLiteral("glm-5.2")};
    case FakePlan::PayAsYouGo:
        return {QStringLiteral("qwen3-coder-plus"), QStringLiteral("qwen3-coder-flash"),
                QStringLiteral("qwen3-max"),        QStringLiteral("qwen3-vl-plus"),
                QStringLiteral("qwen3.5-plus"),     QStringLiteral("qwen3.8-max"),
                QStringLiteral("qwen3.8-flash")};
    case FakePlan::Any:
        break;
    }
    return apiKeyModels();
}

void FakeQwenService::setCodingAgents(const QStringList &userAgentMarks)
{
    m_codingAgents = userAgentMarks;
}

bool FakeQwenService::isWrongPlanKey(const QByteArray &bearer) const
{
    const bool planKey = bearer.startsWith(PlanKeyPrefix);
    switch (m_plan) {
    case FakePlan::CodingPlan:
    case FakePlan::TokenPlan:
        return !planKey;
    case FakePlan::PayAsYouGo:
        return planKey || !bearer.startsWith("sk-");
    case FakePlan::Any:
        break;
    }
    return false;
}

void FakeQwenService::sendWrongPlanKey(HttpResponse *response)
{
    // The two answers reported for a key sent to another plan's URL (PROTOCOL.md §6).
    if (m_plan == FakePlan::PayAsYouGo) {
        sendJson(response, 403,
                 apiError(QStringLiteral("invalid api-key"),
                          QStringLiteral("invalid_request_error"),
                          QStringLiteral("InvalidApiKey")));
    } else {
        sendUnauthorized(response);
    }
}

bool FakeQwenService::answerAsPlan(const FakeChatRequest &record, HttpResponse *response)
{
    if (m_plan == FakePlan::Any)
        return false;
    if (record.tokenKind != FakeTokenKind::ApiKey) {
        sendUnauthorized(response);
        return true;
    }
    if (isWrongPlanKey(record.bearerToken)) {
        sendWrongPlanKey(response);
        return true;
    }
    if (m_plan == FakePlan::CodingPlan) {
        const QString agent = QString::fromUtf8(record.header("user-agent"));
        const bool codingAgent =
            std::any_of(m_codingAgents.cbegin(), m_codingAgents.cend(), [&agent](const QString &m) {
                return agent.contains(m, Qt::CaseInsensitive);
            });
        if (!codingAgent) {
            sendJson(response, 405,
                     QJsonObject{{QStringLiteral("error"), QString::fromLatin1(CodingAgentsOnly)}});
            return true;
        }
    }
    if (record.json.isEmpty())
        return false;
    const QString model = record.model();
    if (!model.isEmpty() && !m_planModels.contains(model)) {
        sendInvalidRequest(response, QStringLiteral("model '%1' is not supported").arg(model),
                           QStringLiteral("model_not_supported"));
        return true;
    }
    const QJsonValue thinking = record.json.value(QLatin1String("enable_thinking"));
    if (model.startsWith(QLatin1String("qwen3.8-max")) && thinking.isBool() && !thinking.toBool()) {
        sendInvalidRequest(
            response,
            QStringLiteral("The value of the enable_thinking parameter is restricted to True"),
            QStringLiteral("InvalidParameter"));
        return true;
    }
    return false;
}
