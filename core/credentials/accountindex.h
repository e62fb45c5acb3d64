#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

// The list of credentials: their names, their order and the routing state each one was
// last seen in. Kept in the keychain as one entry next to the credentials themselves; the
// secrets stay in each credential's own entry. Pure: reading, writing and the edits that
// `qwen-bridge accounts` and the tray's Accounts menu make, each with its own rule.
class AccountIndex
{
    Q_DECLARE_TR_FUNCTIONS(AccountIndex)
public:
    // The keychain entries of the index itself: the names in their order (written by the
    // edits: `accounts`, `login --name`, the tray's menu) and the states (written only by
    // the running Qwen Bridge, which owns the session). Two writers never share an entry,
    // so neither undoes the other's change.
    static constexpr const char *kIndexKey = "accounts";
    static constexpr const char *kStatesKey = "accounts-state";
    // The name of the credential that `login` without --name replaces (the single sign-in
    // of earlier versions, entry "default").
    static constexpr const char *kDefaultName = "default";

    // What the proxy last learned about a credential. Usable is not stored.
    enum class Route {
        Usable,
        Cooling,     // rate-limited or failing: usable again at `until`
        Exhausted,   // a quota window is used up: usable again at its reset (`until`)
        NeedsSignIn, // the upstream refused the credential: only a new sign-in helps
    };

    struct Entry
    {
        QString name;
        Route route = Route::Usable;
        QDateTime until; // UTC; for Cooling and Exhausted
        QString reason;  // a sentence a person can act on, for the states other than Usable
        // When the state was last set (UTC): of two readings of one credential, the later
        // wins, whichever process wrote it.
        QDateTime changedAt;
        // When the credential was stored under this name: older states are not its own.
        QDateTime addedAt;

        // The route as it stands at `now`: Cooling and Exhausted end on their own.
        Route routeAt(const QDateTime &now) const;
    };

    QList<Entry> entries;

    // The keychain entry that holds a credential's secrets.
    static QString keyFor(const QString &name);
    // Empty when the name is fine; else a sentence saying what a name may be.
    static QString checkName(const QString &name);
    static QString routeName(Route route); // "usable", "cooling", "exhausted", "needs_sign_in"

    QByteArray toJson() const;
    // The names and order only, without states (what the edits write).
    QByteArray orderJson() const;
    // Takes the states of `states` for the names held here, unless older than the name.
    void applyStates(const AccountIndex &states);
    // Unknown or broken entries are dropped; an unreadable index reads as empty.
    static AccountIndex fromJson(const QByteArray &json);

    int indexOf(const QString &name) const;
    bool contains(const QString &name) const { return indexOf(name) >= 0; }
    QStringList names() const;

    // Adds the name at the end, or keeps its place when it is there; either way its state
    // starts over (a new key or a new sign-in).
    void add(const QString &name);
    bool remove(const QString &name);
    // Moves the name to the first place.
    bool use(const QString &name);
    // The named ones first, in the given order; the others keep their order after them.
    // Empty when done; else why not (an unknown name, a name given twice).
    QString reorder(const QStringList &names);
    // Empty when done; else why not.
    QString rename(const QString &from, const QString &to);
    // Sets the routing state of a name it holds, as of `changedAt` (default: now).
    void setRoute(const QString &name, Route route, const QDateTime &until, const QString &reason,
                  const QDateTime &changedAt = {});
    // Takes the state of `entry` for its name when it is newer than the one held.
    void mergeRoute(const Entry &entry);
};
