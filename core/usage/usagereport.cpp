#include "usage/usagereport.h"

#include "plans/plancatalog.h"
#include "settings/settings.h"

#include <QJsonArray>

using namespace PlanWindows;

namespace {
QJsonObject totalsJson(const UsageTotals &t)
{
    return {{QStringLiteral("requests"), t.requests},
            {QStringLiteral("succeeded"), t.succeeded},
            {QStringLiteral("prompt_tokens"), t.promptTokens},
            {QStringLiteral("completion_tokens"), t.completionTokens},
            {QStringLiteral("cached_tokens"), t.cachedTokens},
            {QStringLiteral("reasoning_tokens"), t.reasoningTokens}};
}

QString kindKey(PlanKind kind)
{
    switch (kind) {
    case PlanKind::Coding:
        return QStringLiteral("coding");
    case PlanKind::Token:
        return QStringLiteral("token");
    case PlanKind::PayAsYouGo:
        return QStringLiteral("payg");
    case PlanKind::Other:
        break;
    }
    return QStringLiteral("other");
}

QString usd(double amount, const QLocale &locale)
{
    return QStringLiteral("$") + locale.toString(amount, 'f', 2);
}
} // namespace

UsagePlan UsagePlan::fromCatalog(const QString &planId, const Settings &settings)
{
    UsagePlan p;
    p.planId = planId;
    p.tier = codingTierFromKey(settings.codingPlanTier());
    p.subscriptionDay = settings.subscriptionDay();
    p.tokenPlanMonthlyTokens = settings.tokenPlanMonthlyTokens();
    if (planId.isEmpty()) {
        p.planName = UsageReport::tr("Qwen account");
        return p;
    }
    const Plan plan = PlanCatalog::instance().plan(planId);
    p.planName = plan.isValid() ? plan.name() : planId;
    switch (plan.group) {
    case Plan::Group::Coding:
        p.kind = PlanKind::Coding;
        break;
    case Plan::Group::Token:
        p.kind = PlanKind::Token;
        break;
    case Plan::Group::PayAsYouGo:
        p.kind = PlanKind::PayAsYouGo;
        p.price = [plan](const QString &model) -> std::optional<ModelPrice> {
            const std::optional<PlanModel> m = plan.model(model);
            if (!m || !m->inputUsdPerMillion || !m->outputUsdPerMillion)
                return std::nullopt;
            return ModelPrice{*m->inputUsdPerMillion, *m->outputUsdPerMillion};
        };
        break;
    case Plan::Group::Custom:
        break;
    }
    return p;
}

UsageReport UsageReport::build(const UsageStore &store, const UsagePlan &plan, int dayCount,
                               const QDateTime &now)
{
    UsageReport r;
    r.plan = plan;
    r.generatedAt = now;
    const QDate last = now.toLocalTime().date();
    const QDate first = last.addDays(1 - qMax(1, dayCount));
    r.days = store.perDay(first, last);
    for (const DailyUsage &d : std::as_const(r.days))
        r.total += d.totals;
    r.models = store.byModel(first.startOfDay(), last.addDays(1).startOfDay());
    r.credentials = store.byCredential(first.startOfDay(), last.addDays(1).startOfDay());
    r.today = r.days.isEmpty() ? UsageTotals() : r.days.last().totals;

    // Up to now, inclusive.
    const QDateTime end = now.addMSecs(1);
    const auto window = [&](Window w, Unit unit, const Span &span, qint64 limit) {
        WindowState s;
        s.window = w;
        s.unit = unit;
        s.start = span.start;
        s.resetsAt = span.resetsAt;
        s.limit = limit;
        const UsageTotals t = store.totals(span.start, end, plan.planId);
        s.used = unit == Unit::Requests ? t.succeeded : t.totalTokens();
        return applyExhaustion(s, store.exhaustedUntil(plan.planId, w), now);
    };
    switch (plan.kind) {
    case PlanKind::Coding: {
        const QDateTime fiveHoursAgo = now.addSecs(-5 * 3600);
        r.windows << window(Window::FiveHours, Unit::Requests,
                            fiveHourSpan(now, store.firstRequestSince(fiveHoursAgo, plan.planId)),
                            codingPlanLimit(plan.tier, Window::FiveHours))
                  << window(Window::Week, Unit::Requests, weekSpan(now),
                            codingPlanLimit(plan.tier, Window::Week))
                  << window(Window::Month, Unit::Requests, monthSpan(now, plan.subscriptionDay),
                            codingPlanLimit(plan.tier, Window::Month));
        break;
    }
    case PlanKind::Token:
        r.windows << window(Window::Month, Unit::Tokens, monthSpan(now, plan.subscriptionDay),
                            plan.tokenPlanMonthlyTokens);
        break;
    case PlanKind::PayAsYouGo:
        r.todayCost = estimateCost(store.byModel(last.startOfDay(), end, plan.planId), plan.price);
        break;
    case PlanKind::Other:
        break;
    }
    return r;
}

QString UsageReport::windowName(Window window)
{
    switch (window) {
    case Window::FiveHours:
        return tr("in 5 h");
    case Window::Week:
        return tr("this week");
    case Window::Month:
        return tr("this month");
    }
    return {};
}

QString UsageReport::compactNumber(qint64 n, const QLocale &locale)
{
    if (n >= 1'000'000)
        return tr("%1 M", "millions").arg(locale.toString(double(n) / 1e6, 'f', 1));
    if (n >= 10'000)
        return tr("%1 k", "thousands").arg(locale.toString(double(n) / 1e3, 'f', 1));
    return locale.toString(n);
}

QString UsageReport::resetText(const QDateTime &at, const QLocale &locale) const
{
    const QDateTime local = at.toLocalTime();
    const QDate today = generatedAt.toLocalTime().date();
    const QString time = local.time().toString(QStringLiteral("HH:mm"));
    if (local.date() == today)
        return time;
    if (today.daysTo(local.date()) < 7)
        return locale.dayName(local.date().dayOfWeek(), QLocale::ShortFormat) + QLatin1Char(' ') +
               time;
    return locale.toString(local.date(), QStringLiteral("d MMM")) + QLatin1Char(' ') + time;
}

QString UsageReport::windowText(const WindowState &s, const QLocale &locale) const
{
    const bool tokens = s.unit == Unit::Tokens;
    const QString used = tokens ? compactNumber(s.used, locale) : locale.toString(s.used);
    QString amount;
    if (s.limit > 0) {
        const QString limit = tokens ? compactNumber(s.limit, locale) : locale.toString(s.limit);
        amount = tokens ? tr("%1 / %2 tokens").arg(used, limit)
                        : tr("%1 / %2 requests").arg(used, limit);
    } else {
        amount = tokens ? tr("%1 tokens (no limit set)").arg(used) : tr("%1 requests").arg(used);
    }
    const QString reset = resetText(s.resetsAt, locale);
    return s.exhausted ? tr("%1 · used up until %2").arg(amount, reset)
                       : tr("%1 · resets %2").arg(amount, reset);
}

QString UsageReport::statusLine(const QLocale &locale) const
{
    if (!windows.isEmpty()) {
        // The window closest to its limit is the one that matters.
        const WindowState *fullest = &windows.first();
        for (const WindowState &w : windows) {
            if (w.percent() > fullest->percent())
                fullest = &w;
        }
        const QString group = plan.kind == PlanKind::Token ? tr("Token Plan") : tr("Coding Plan");
        const bool tokens = fullest->unit == Unit::Tokens;
        const QString used =
            tokens ? compactNumber(fullest->used, locale) : locale.toString(fullest->used);
        QString amount = used;
        if (fullest->limit > 0)
            amount = tr("%1 / %2").arg(used, tokens ? compactNumber(fullest->limit, locale)
                                                    : locale.toString(fullest->limit));
        if (tokens)
            amount = tr("%1 tokens").arg(amount);
        const QString reset = resetText(fullest->resetsAt, locale);
        if (fullest->exhausted)
            return tr("%1: used up %2 · until %3").arg(group, windowName(fullest->window), reset);
        return tr("%1: %2 %3 · resets %4").arg(group, amount, windowName(fullest->window), reset);
    }
    const QString tokens = compactNumber(today.totalTokens(), locale);
    if (todayCost)
        return tr("today: %1 tokens, ≈ %2").arg(tokens, usd(todayCost->usd, locale));
    if (today.requests == 1)
        return tr("today: 1 request, %1 tokens").arg(tokens);
    return tr("today: %1 requests, %2 tokens").arg(locale.toString(today.requests), tokens);
}

QJsonObject UsageReport::toJson() const
{
    QJsonArray perDay;
    for (const DailyUsage &d : days) {
        QJsonObject o = totalsJson(d.totals);
        o.insert(QStringLiteral("date"), d.day.toString(Qt::ISODate));
        perDay.append(o);
    }
    QJsonArray byModel;
    for (const ModelUsage &m : models) {
        QJsonObject o = totalsJson(m.totals);
        o.insert(QStringLiteral("model"), m.model);
        byModel.append(o);
    }
    QJsonArray byCredential;
    for (const ModelUsage &c : credentials) {
        QJsonObject o = totalsJson(c.totals);
        o.insert(QStringLiteral("credential"), c.model);
        byCredential.append(o);
    }
    QJsonArray windowList;
    for (const WindowState &w : windows) {
        windowList.append(QJsonObject{
            {QStringLiteral("window"), windowKey(w.window)},
            {QStringLiteral("unit"),
             w.unit == Unit::Tokens ? QStringLiteral("tokens") : QStringLiteral("requests")},
            {QStringLiteral("used"), w.used},
            {QStringLiteral("limit"), w.limit > 0 ? QJsonValue(w.limit) : QJsonValue()},
            {QStringLiteral("start"), w.start.toUTC().toString(Qt::ISODate)},
            {QStringLiteral("resets_at"), w.resetsAt.toUTC().toString(Qt::ISODate)},
            {QStringLiteral("exhausted"), w.exhausted}});
    }
    QJsonObject o{{QStringLiteral("note"), QStringLiteral("counted on this computer")},
                  {QStringLiteral("generated_at"), generatedAt.toUTC().toString(Qt::ISODate)},
                  {QStringLiteral("days"), perDay},
                  {QStringLiteral("total"), totalsJson(total)},
                  {QStringLiteral("by_model"), byModel},
                  {QStringLiteral("by_credential"), byCredential},
                  {QStringLiteral("plan"), QJsonObject{{QStringLiteral("id"), plan.planId},
                                                       {QStringLiteral("kind"), kindKey(plan.kind)},
                                                       {QStringLiteral("name"), plan.planName}}},
                  {QStringLiteral("windows"), windowList}};
    if (todayCost) {
        QJsonArray unpriced;
        for (const QString &m : todayCost->unpricedModels)
            unpriced.append(m);
        o.insert(QStringLiteral("cost_today"),
                 QJsonObject{{QStringLiteral("usd"), todayCost->usd},
                             {QStringLiteral("estimate"), true},
                             {QStringLiteral("unpriced_models"), unpriced}});
    }
    return o;
}

QString UsageReport::toText(const QLocale &locale) const
{
    QStringList lines;
    lines << (days.size() == 1
                  ? tr("Usage today, counted on this computer")
                  : tr("Usage over the last %1 days, counted on this computer").arg(days.size()));
    lines << QString();
    lines << tr("date        requests  prompt tok  completion tok  cached tok  reasoning tok");
    const auto row = [&](const QString &label, const UsageTotals &t) {
        return QStringLiteral("%1 %2 %3 %4 %5 %6")
            .arg(label, -10)
            .arg(locale.toString(t.requests), 9)
            .arg(locale.toString(t.promptTokens), 11)
            .arg(locale.toString(t.completionTokens), 15)
            .arg(locale.toString(t.cachedTokens), 11)
            .arg(locale.toString(t.reasoningTokens), 14);
    };
    for (const DailyUsage &d : days)
        lines << row(d.day.toString(Qt::ISODate), d.totals);
    lines << row(tr("total"), total);
    if (!models.isEmpty()) {
        lines << QString() << tr("By model:");
        for (const ModelUsage &m : models)
            lines << tr("  %1: %2 requests, %3 tokens")
                         .arg(m.model, locale.toString(m.totals.requests),
                              compactNumber(m.totals.totalTokens(), locale));
    }
    // Which credential served: worth a list once there is more than one.
    if (credentials.size() > 1) {
        lines << QString() << tr("By credential:");
        for (const ModelUsage &c : credentials)
            lines << tr("  %1: %2 requests, %3 tokens")
                         .arg(c.model.isEmpty() ? tr("(older than 30 days)") : c.model,
                              locale.toString(c.totals.requests),
                              compactNumber(c.totals.totalTokens(), locale));
    }
    if (total.requests == 0)
        lines << QString() << tr("Nothing was counted in these days.");
    lines << QString() << tr("Plan: %1").arg(plan.planName);
    for (const WindowState &w : windows)
        lines << tr("  %1: %2").arg(windowName(w.window), windowText(w, locale));
    if (todayCost) {
        lines << tr("  today: ≈ %1 (an estimate from list prices, not a bill)")
                     .arg(usd(todayCost->usd, locale));
        if (!todayCost->unpricedModels.isEmpty())
            lines << tr("  without a known price: %1")
                         .arg(todayCost->unpricedModels.join(QStringLiteral(", ")));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QByteArray UsageReport::toCsv() const
{
    // Plain numbers and ISO dates: what every spreadsheet reads whatever its language.
    QByteArray csv = "date,requests,succeeded,prompt_tokens,completion_tokens,cached_tokens,"
                     "reasoning_tokens\r\n";
    for (const DailyUsage &d : days) {
        const UsageTotals &t = d.totals;
        csv += d.day.toString(Qt::ISODate).toLatin1() + ',' + QByteArray::number(t.requests) + ',' +
               QByteArray::number(t.succeeded) + ',' + QByteArray::number(t.promptTokens) + ',' +
               QByteArray::number(t.completionTokens) + ',' + QByteArray::number(t.cachedTokens) +
               ',' + QByteArray::number(t.reasoningTokens) + "\r\n";
    }
    return csv;
}
