#include "credentials/accountindex.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace {
constexpr int kMaxNameLength = 32;

AccountIndex::Route routeFromName(const QString &name)
{
    if (name == QLatin1String("cooling"))
        return AccountIndex::Route::Cooling;
    if (name == QLatin1String("exhausted"))
        return AccountIndex::Route::Exhausted;
    if (name == QLatin1String("needs_sign_in"))
        return AccountIndex::Route::NeedsSignIn;
    return AccountIndex::Route::Usable;
}
} // namespace

AccountIndex::Route AccountIndex::Entry::routeAt(const QDateTime &now) const
{
    if ((route == Route::Cooling || route == Route::Exhausted) &&
        (!until.isValid() || now >= until))
        return Route::Usable;
    return route;
}

QString AccountIndex::keyFor(const QString &name)
{
    if (name == QLatin1String(kDefaultName))
        return name;
    return QStringLiteral("account/") + name;
}

QString AccountIndex::checkName(const QString &name)
{
    // ASCII letters and digits, then also dots, dashes and underscores. Checked by hand: a
    // regular expression here, run on every start, made the tray map pcre2's JIT (0.3 MB).
    const auto allowed = [](QChar c, bool first) {
        const char16_t u = c.unicode();
        return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
               (!first && (u == u'.' || u == u'_' || u == u'-'));
    };
    bool valid = !name.isEmpty() && name.size() <= kMaxNameLength;
    for (qsizetype i = 0; valid && i < name.size(); ++i)
        valid = allowed(name.at(i), i == 0);
    if (!valid)
        return tr("\"%1\" cannot name a credential: use 1 to %2 letters, digits, dots, dashes "
                  "or underscores, starting with a letter or a digit (for example \"work\" or "
                  "\"coding-plan\").")
            .arg(name)
            .arg(kMaxNameLength);
    if (name == QLatin1String(kIndexKey))
        return tr("\"%1\" is reserved; choose another name.").arg(name);
    return {};
}

QString AccountIndex::routeName(Route route)
{
    switch (route) {
    case Route::Usable:
        return QStringLiteral("usable");
    case Route::Cooling:
        return QStringLiteral("cooling");
    case Route::Exhausted:
        return QStringLiteral("exhausted");
    case Route::NeedsSignIn:
        return QStringLiteral("needs_sign_in");
    }
    return {};
}

QByteArray AccountIndex::toJson() const
{
    QJsonArray list;
    for (const Entry &e : entries) {
        QJsonObject o{{QStringLiteral("name"), e.name}};
        if (e.changedAt.isValid())
            o.insert(QStringLiteral("changed_at"), e.changedAt.toUTC().toString(Qt::ISODateWithMs));
        if (e.addedAt.isValid())
            o.insert(QStringLiteral("added_at"), e.addedAt.toUTC().toString(Qt::ISODateWithMs));
        if (e.route != Route::Usable) {
            o.insert(QStringLiteral("state"), routeName(e.route));
            if (e.until.isValid())
                o.insert(QStringLiteral("until"), e.until.toUTC().toString(Qt::ISODateWithMs));
            if (!e.reason.isEmpty())
                o.insert(QStringLiteral("reason"), e.reason);
        }
        list.append(o);
    }
    return QJsonDocument(
               QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("accounts"), list}})
        .toJson(QJsonDocument::Compact);
}

AccountIndex AccountIndex::fromJson(const QByteArray &json)
{
    AccountIndex index;
    const QJsonArray list =
        QJsonDocument::fromJson(json).object().value(QStringLiteral("accounts")).toArray();
    for (const QJsonValue &v : list) {
        const QJsonObject o = v.toObject();
        Entry e;
        e.name = o.value(QStringLiteral("name")).toString();
        if (!checkName(e.name).isEmpty() || index.contains(e.name))
            continue;
        e.route = routeFromName(o.value(QStringLiteral("state")).toString());
        e.until =
            QDateTime::fromString(o.value(QStringLiteral("until")).toString(), Qt::ISODateWithMs);
        e.reason = o.value(QStringLiteral("reason")).toString();
        e.changedAt = QDateTime::fromString(o.value(QStringLiteral("changed_at")).toString(),
                                            Qt::ISODateWithMs);
        e.addedAt = QDateTime::fromString(o.value(QStringLiteral("added_at")).toString(),
                                          Qt::ISODateWithMs);
        index.entries.append(e);
    }
    return index;
}

int AccountIndex::indexOf(const QString &name) const
{
    for (int i = 0; i < entries.size(); ++i) {
        if (entries.at(i).name == name)
            return i;
    }
    return -1;
}

QStringList AccountIndex::names() const
{
    QStringList list;
    for (const Entry &e : entries)
        list.append(e.name);
    return list;
}

void AccountIndex::add(const QString &name)
{
    const int i = indexOf(name);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const Entry fresh{name, Route::Usable, {}, {}, now, now};
    if (i >= 0)
        entries[i] = fresh;
    else
        entries.append(fresh);
}

bool AccountIndex::remove(const QString &name)
{
    const int i = indexOf(name);
    if (i < 0)
        return false;
    entries.removeAt(i);
    return true;
}

bool AccountIndex::use(const QString &name)
{
    const int i = indexOf(name);
    if (i < 0)
        return false;
    entries.move(i, 0);
    return true;
}

QString AccountIndex::reorder(const QStringList &names)
{
    QSet<QString> seen;
    for (const QString &n : names) {
        if (!contains(n))
            return tr("There is no credential named \"%1\".").arg(n);
        if (seen.contains(n))
            return tr("\"%1\" is named twice.").arg(n);
        seen.insert(n);
    }
    QList<Entry> ordered;
    for (const QString &n : names)
        ordered.append(entries.at(indexOf(n)));
    for (const Entry &e : std::as_const(entries)) {
        if (!seen.contains(e.name))
            ordered.append(e);
    }
    entries = ordered;
    return {};
}

QString AccountIndex::rename(const QString &from, const QString &to)
{
    const int i = indexOf(from);
    if (i < 0)
        return tr("There is no credential named \"%1\".").arg(from);
    if (const QString problem = checkName(to); !problem.isEmpty())
        return problem;
    if (from != to && contains(to))
        return tr("A credential named \"%1\" exists already.").arg(to);
    entries[i].name = to;
    return {};
}

QByteArray AccountIndex::orderJson() const
{
    AccountIndex order;
    for (const Entry &e : entries)
        order.entries.append(Entry{e.name, Route::Usable, {}, {}, {}, e.addedAt});
    return order.toJson();
}

void AccountIndex::applyStates(const AccountIndex &states)
{
    for (const Entry &s : states.entries) {
        const int i = indexOf(s.name);
        if (i < 0 || (entries.at(i).addedAt.isValid() && s.changedAt < entries.at(i).addedAt))
            continue;
        mergeRoute(s);
    }
}

void AccountIndex::mergeRoute(const Entry &entry)
{
    const int i = indexOf(entry.name);
    if (i < 0 || (entries.at(i).changedAt.isValid() && entry.changedAt < entries.at(i).changedAt))
        return;
    setRoute(entry.name, entry.route, entry.until, entry.reason, entry.changedAt);
}

void AccountIndex::setRoute(const QString &name, Route route, const QDateTime &until,
                            const QString &reason, const QDateTime &changedAt)
{
    const int i = indexOf(name);
    if (i < 0)
        return;
    Entry &e = entries[i];
    e.route = route;
    e.until = route == Route::Cooling || route == Route::Exhausted ? until.toUTC() : QDateTime();
    e.reason = route == Route::Usable ? QString() : reason;
    e.changedAt = changedAt.isValid() ? changedAt.toUTC() : QDateTime::currentDateTimeUtc();
}
