#include "session/accountpool.h"

#include "credentials/accountstore.h"
#include "plans/plancatalog.h"
#include "proxy/requestrewriter.h"
#include "session/clock.h"
#include "settings/settings.h"
#include "util/logcategories.h"

#include <QLocale>
#include <QLoggingCategory>
#include <algorithm>

namespace {
QString planNameOf(AuthMethod method, const QString &preset, const QUrl &baseUrl)
{
    if (method == AuthMethod::OAuth)
        return AccountPool::tr("Qwen account (OAuth)");
    if (method == AuthMethod::ApiKey)
        return PlanCatalog::instance().displayName(preset, baseUrl);
    return {};
}

QDateTime latest(const QDateTime &a, const QDateTime &b)
{
    if (!a.isValid())
        return b;
    if (!b.isValid())
        return a;
    return qMax(a, b);
}

QString localTime(const QDateTime &utc)
{
    const QDateTime local = utc.toLocalTime();
    const QString format = local.date() == QDate::currentDate()
                               ? QStringLiteral("HH:mm")
                               : QStringLiteral("yyyy-MM-dd HH:mm");
    return local.toString(format);
}
} // namespace

QJsonObject AccountInfo::toJson() const
{
    QJsonObject o{{QStringLiteral("name"), name},
                  {QStringLiteral("position"), position},
                  {QStringLiteral("method"), Credentials::methodName(method)},
                  {QStringLiteral("state"), stateName()},
                  {QStringLiteral("serving"), serving}};
    if (!planId.isEmpty())
        o.insert(QStringLiteral("plan"), planId);
    if (!planName.isEmpty())
        o.insert(QStringLiteral("plan_name"), planName);
    if (until.isValid())
        o.insert(QStringLiteral("until"), until.toUTC().toString(Qt::ISODate));
    if (!reason.isEmpty())
        o.insert(QStringLiteral("reason"), reason);
    return o;
}

AccountInfo AccountInfo::fromJson(const QJsonObject &json)
{
    AccountInfo info;
    info.name = json.value(QLatin1String("name")).toString();
    info.position = json.value(QLatin1String("position")).toInt();
    const QString method = json.value(QLatin1String("method")).toString();
    info.method = method == QLatin1String("oauth")     ? AuthMethod::OAuth
                  : method == QLatin1String("api_key") ? AuthMethod::ApiKey
                                                       : AuthMethod::None;
    info.planId = json.value(QLatin1String("plan")).toString();
    info.planName = json.value(QLatin1String("plan_name")).toString();
    const QString state = json.value(QLatin1String("state")).toString();
    for (AccountIndex::Route r : {AccountIndex::Route::Cooling, AccountIndex::Route::Exhausted,
                                  AccountIndex::Route::NeedsSignIn}) {
        if (state == AccountIndex::routeName(r))
            info.route = r;
    }
    info.until = QDateTime::fromString(json.value(QLatin1String("until")).toString(), Qt::ISODate);
    info.reason = json.value(QLatin1String("reason")).toString();
    info.serving = json.value(QLatin1String("serving")).toBool();
    return info;
}

QString AccountInfo::describeState() const
{
    switch (route) {
    case AccountIndex::Route::Usable:
        return serving ? AccountPool::tr("usable, serving") : AccountPool::tr("usable");
    case AccountIndex::Route::Cooling:
        return AccountPool::tr("cooling down until %1").arg(localTime(until));
    case AccountIndex::Route::Exhausted:
        return AccountPool::tr("used up until %1").arg(localTime(until));
    case AccountIndex::Route::NeedsSignIn:
        return AccountPool::tr("needs sign-in");
    }
    return {};
}

AccountInfo AccountInfo::fromStored(const AccountIndex::Entry &entry, int position,
                                    const CredentialStore::LoadResult &loaded,
                                    const QDateTime &nowUtc)
{
    AccountInfo info;
    info.name = entry.name;
    info.position = position;
    info.method = loaded.credentials.method;
    if (info.method == AuthMethod::ApiKey)
        info.planId = loaded.credentials.preset;
    info.planName = planNameOf(info.method, loaded.credentials.preset, loaded.credentials.baseUrl);
    const StoredSession stored = SessionManager::interpret(loaded, nowUtc);
    if (stored.state == SessionState::SignedOut) {
        info.route = AccountIndex::Route::NeedsSignIn;
        info.reason = AccountPool::tr("Nothing is stored for this credential. Sign in again.");
    } else if (stored.state != SessionState::SignedIn) {
        info.route = AccountIndex::Route::NeedsSignIn;
        info.reason = stored.reason;
    } else {
        info.route = entry.routeAt(nowUtc);
        if (info.route != AccountIndex::Route::Usable) {
            info.until = entry.until;
            info.reason = entry.reason;
        }
    }
    return info;
}

AccountPool::AccountPool(Settings *settings, SessionManager *defaultSession,
                         QNetworkAccessManager *nam, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_default(defaultSession)
    , m_nam(nam)
    , m_clock(clock ? clock : Clock::system())
{
    // Until the index is read, the default credential is all there is (as before several
    // credentials existed); its own session waits for the keychain.
    Account def;
    def.name = QLatin1String(AccountIndex::kDefaultName);
    def.session = m_default;
    m_accounts.append(def);
    watch(def.name, m_default);
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(0);
    connect(&m_saveTimer, &QTimer::timeout, this, [this] {
        if (!m_store)
            return;
        AccountIndex routes;
        for (const Account &a : std::as_const(m_accounts))
            routes.entries.append(a.route);
        m_store->saveRoutes(routes, [](const AccountStore::Result &r) {
            if (!r.ok())
                qCWarning(lcSession) << "could not keep the credentials' states:" << r.message();
        });
    });
    // A sign-in or sign-out of the default credential (the tray) lists it or drops it.
    connect(m_default, &SessionManager::credentialsReplaced, this, [this] {
        if (m_store)
            load();
    });
}

AccountPool::~AccountPool()
{
    for (Account &a : m_accounts) {
        if (a.session != m_default)
            delete a.session;
        delete a.store;
    }
}

void AccountPool::watch(const QString &name, SessionManager *session)
{
    // A new sign-in in this process starts the credential's state over (one from another
    // process comes with its index entry started over: AccountStore::put()).
    connect(session, &SessionManager::signedIn, this, [this, name] {
        if (Account *a = find(name)) {
            a->route = AccountIndex::Entry{name, {}, {}, {}, m_clock->nowUtc(), {}};
            a->failuresInRow = 0;
            scheduleSave();
        }
        Q_EMIT changed();
    });
    connect(session, &SessionManager::credentialsReplaced, this, &AccountPool::changed);
    connect(session, &SessionManager::stateChanged, this, &AccountPool::changed);
}

void AccountPool::load()
{
    if (!m_store)
        return;
    const int generation = ++m_loadGeneration;
    m_store->loadIndex(
        [this, generation](const AccountStore::Result &r, const AccountIndex &index) {
            if (generation != m_loadGeneration)
                return;
            if (!r.ok()) {
                // The default session reports the keychain's trouble on its own.
                qCWarning(lcSession) << "could not read the list of credentials:" << r.message();
                return;
            }
            adoptIndex(index);
        });
}

void AccountPool::adoptIndex(const AccountIndex &index)
{
    QList<Account> next;
    bool newer = false; // this process knows more than the index says
    for (const AccountIndex::Entry &e : index.entries) {
        Account account;
        if (Account *known = find(e.name)) {
            account = *known;
            known->session = nullptr; // moved
            known->store = nullptr;
            // Of the two readings, the later one wins; a credential stored anew since
            // starts over.
            const QDateTime stored = latest(e.changedAt, e.addedAt);
            if (!account.route.changedAt.isValid() ||
                (stored.isValid() && stored >= account.route.changedAt))
                account.route = e;
            account.route.name = e.name;
            newer = newer || account.route.changedAt != e.changedAt;
        } else {
            account.name = e.name;
            account.route = e;
            if (e.name == QLatin1String(AccountIndex::kDefaultName)) {
                account.session = m_default;
            } else {
                account.store = new CredentialStore(*m_settings, AccountIndex::keyFor(e.name));
                account.session =
                    new SessionManager(m_settings, account.store, m_nam, m_clock, this);
                watch(e.name, account.session);
                account.session->load();
            }
        }
        next.append(account);
    }
    // What is no longer listed: its session ends, so that requests waiting on it move on.
    QList<Account> gone = std::exchange(m_accounts, next);
    for (Account &a : gone) {
        if (a.session && a.session != m_default) {
            a.session->forget(tr("The credential \"%1\" was removed.").arg(a.name));
            a.session->deleteLater();
            a.session = nullptr;
        }
        if (a.store)
            a.store->deleteLater(); // after its session, which may still call it
    }
    if (!m_serving.isEmpty() && !find(m_serving))
        m_serving.clear();
    if (newer)
        scheduleSave(); // another process wrote the index from an older reading
    qCInfo(lcSession) << "credentials in order:" << index.names();
    Q_EMIT changed();
}

AccountPool::Account *AccountPool::find(const QString &name)
{
    for (Account &a : m_accounts) {
        if (a.name == name)
            return &a;
    }
    return nullptr;
}

const AccountPool::Account *AccountPool::find(const QString &name) const
{
    return const_cast<AccountPool *>(this)->find(name);
}

SessionManager *AccountPool::session(const QString &name) const
{
    const Account *a = find(name);
    return a ? a->session.data() : nullptr;
}

bool AccountPool::needsSignIn(const Account &account) const
{
    if (!account.session)
        return true;
    switch (account.session->state()) {
    case SessionState::SignedOut:
    case SessionState::SignInRequired:
    case SessionState::KeychainUnavailable:
        return true;
    default:
        return account.route.route == AccountIndex::Route::NeedsSignIn;
    }
}

// A model only some credentials have goes to those: the plan's models, with the aliases
// mapped as that plan maps them. OAuth and custom endpoints take any name.
bool AccountPool::servesModel(const Account &account, const QString &model) const
{
    if (model.isEmpty() || !account.session || account.session->method() != AuthMethod::ApiKey)
        return true;
    const Plan plan = PlanCatalog::instance().planForCredentials(account.session->preset());
    if (plan.isCustom())
        return true;
    RequestRewriter::Options options;
    options.coderModel =
        m_settings->value(QStringLiteral("apiKey/coderModel"), plan.coderModel).toString();
    options.visionModel =
        m_settings->value(QStringLiteral("apiKey/visionModel"), plan.visionModel).toString();
    return plan.model(RequestRewriter::mapApiKeyModel(model, options)).has_value();
}

std::optional<AccountPool::Pick> AccountPool::pick(const QString &model, const QSet<QString> &tried)
{
    if (m_accounts.isEmpty()) {
        // Nothing is listed: the default session says what is missing (not signed in).
        if (tried.contains(QLatin1String(AccountIndex::kDefaultName)))
            return std::nullopt;
        return Pick{QLatin1String(AccountIndex::kDefaultName), m_default};
    }
    const QDateTime now = m_clock->nowUtc();
    QList<const Account *> open;    // not tried yet
    QList<const Account *> usable;  // and usable now
    QList<const Account *> resting; // and cooling down or used up
    for (const Account &a : std::as_const(m_accounts)) {
        if (tried.contains(a.name) || !a.session)
            continue;
        open.append(&a);
        if (needsSignIn(a))
            continue;
        if (a.route.routeAt(now) == AccountIndex::Route::Usable)
            usable.append(&a);
        else
            resting.append(&a);
    }
    if (open.isEmpty())
        return std::nullopt;
    auto withModel = [&](const QList<const Account *> &list) {
        QList<const Account *> serving;
        for (const Account *a : list) {
            if (servesModel(*a, model))
                serving.append(a);
        }
        return serving.isEmpty() ? list : serving;
    };
    const Account *chosen = nullptr;
    if (!usable.isEmpty()) {
        const QList<const Account *> list = withModel(usable);
        if (list.size() > 1 && tried.isEmpty() &&
            m_settings->routingPolicy() == QLatin1String("round_robin"))
            chosen = list.at(m_next++ % list.size());
        else
            chosen = list.first();
    } else if (!tried.isEmpty()) {
        // This request already failed on a credential: the ones resting stay at rest.
        return std::nullopt;
    } else if (!resting.isEmpty()) {
        // Everything rests: try the one that comes back first, once (the upstream may know
        // better than our guess of its reset).
        const QList<const Account *> list = withModel(resting);
        chosen =
            *std::min_element(list.begin(), list.end(), [](const Account *a, const Account *b) {
                return a->route.until < b->route.until;
            });
    } else {
        // Only credentials that need a sign-in: the first one says so in its own words.
        chosen = open.first();
    }
    return Pick{chosen->name, chosen->session};
}

void AccountPool::reportSuccess(const QString &name)
{
    Account *a = find(name);
    if (!a)
        return;
    a->failuresInRow = 0;
    if (a->route.route != AccountIndex::Route::Usable) {
        a->route = AccountIndex::Entry{name, {}, {}, {}, m_clock->nowUtc(), {}};
        scheduleSave();
        Q_EMIT changed();
    }
    if (m_serving == name)
        return;
    const QString from = std::exchange(m_serving, name);
    Q_EMIT changed();
    if (from.isEmpty())
        return;
    const Account *previous = find(from);
    const bool previousRests =
        previous && (needsSignIn(*previous) ||
                     previous->route.routeAt(m_clock->nowUtc()) != AccountIndex::Route::Usable);
    // Round robin moves on every request: only a move away from a failing credential is news.
    if (m_settings->routingPolicy() == QLatin1String("round_robin") && !previousRests)
        return;
    qCInfo(lcSession) << "now serving with" << name << "instead of" << from;
    Q_EMIT switched(from, name, previous ? previous->route.reason : QString());
}

bool AccountPool::reportFailure(const QString &name, Failure failure, const QDateTime &until,
                                const QString &reason)
{
    Account *a = find(name);
    if (!a)
        return true; // removed meanwhile: another one takes the request
    const QDateTime now = m_clock->nowUtc();
    AccountIndex::Entry &route = a->route;
    switch (failure) {
    case Failure::WindowExhausted:
        route.route = AccountIndex::Route::Exhausted;
        route.until =
            until.isValid() && until > now ? until.toUTC() : now.addSecs(kUnknownResetMinutes * 60);
        break;
    case Failure::RateLimited:
        route.route = AccountIndex::Route::Cooling;
        route.until = until.isValid() && until > now ? until.toUTC() : now.addSecs(kCoolingSeconds);
        break;
    case Failure::Dead:
        route.route = AccountIndex::Route::NeedsSignIn;
        route.until = {};
        break;
    case Failure::Transient:
        if (++a->failuresInRow < 2)
            return false;
        route.route = AccountIndex::Route::Cooling;
        route.until = now.addSecs(kCoolingSeconds);
        break;
    }
    a->failuresInRow = 0;
    route.reason = reason;
    route.changedAt = now;
    qCInfo(lcSession) << "credential" << name << "is" << AccountIndex::routeName(route.route)
                      << "until" << route.until.toString(Qt::ISODate);
    scheduleSave();
    Q_EMIT changed();
    return true;
}

QString AccountPool::allExhaustedMessage(QDateTime *earliest) const
{
    const QDateTime now = m_clock->nowUtc();
    const Account *first = nullptr;
    for (const Account &a : m_accounts) {
        if (needsSignIn(a))
            continue;
        if (a.route.routeAt(now) == AccountIndex::Route::Usable)
            return {};
        if (!first || a.route.until < first->route.until)
            first = &a;
    }
    if (!first)
        return {};
    if (earliest)
        *earliest = first->route.until;
    if (m_accounts.size() == 1)
        return {}; // one credential: its own answer says it best
    return tr("Every credential is used up or resting. The first back is \"%1\", at %2.")
        .arg(first->name, localTime(first->route.until));
}

QString AccountPool::servingName() const
{
    if (!m_serving.isEmpty())
        return m_serving;
    // Nothing served yet: the one that would serve next under fill first.
    const QDateTime now = m_clock->nowUtc();
    for (const Account &a : m_accounts) {
        if (!needsSignIn(a) && a.route.routeAt(now) == AccountIndex::Route::Usable)
            return a.name;
    }
    return {};
}

AccountInfo AccountPool::info(const Account &account, int position) const
{
    AccountInfo info;
    info.name = account.name;
    info.position = position;
    const QDateTime now = m_clock->nowUtc();
    if (account.session) {
        info.method = account.session->method();
        if (info.method == AuthMethod::ApiKey)
            info.planId = account.session->preset();
        info.planName =
            planNameOf(info.method, account.session->preset(), account.session->apiBase());
    }
    if (needsSignIn(account)) {
        info.route = AccountIndex::Route::NeedsSignIn;
        info.reason = account.route.route == AccountIndex::Route::NeedsSignIn || !account.session ||
                              account.session->reason().isEmpty()
                          ? account.route.reason
                          : account.session->reason();
        if (info.reason.isEmpty())
            info.reason = tr("Nothing is stored for this credential. Sign in again.");
    } else {
        info.route = account.route.routeAt(now);
        if (info.route != AccountIndex::Route::Usable) {
            info.until = account.route.until;
            info.reason = account.route.reason;
        }
    }
    return info;
}

QList<AccountInfo> AccountPool::accounts() const
{
    QList<AccountInfo> list;
    const QString serving = servingName();
    int position = 0;
    for (const Account &a : m_accounts) {
        AccountInfo i = info(a, ++position);
        i.serving = a.name == serving;
        list.append(i);
    }
    return list;
}

void AccountPool::scheduleSave()
{
    if (m_store)
        m_saveTimer.start();
}
