#include "credentials/accountstore.h"

#include "settings/settings.h"

#include <QPointer>
#include <memory>

namespace {
AccountStore::Result keychainResult(const KeychainResult &r)
{
    AccountStore::Result result;
    result.keychain = r;
    result.keychain.data.fill('\0');
    result.keychain.data.clear();
    return result;
}

QString unknownName(const QString &name)
{
    return AccountStore::tr("There is no credential named \"%1\". `qwen-bridge accounts` "
                            "lists them.")
        .arg(name);
}
} // namespace

AccountStore::AccountStore(const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_keychain(settings.keychainService())
{
    m_keychain.setTimeout(settings.keychainTimeoutMs());
    if (settings.allowFileStorage())
        m_keychain.setFileFallback(Settings::fileStoragePath());
}

void AccountStore::loadIndex(IndexCallback done)
{
    const QPointer<AccountStore> self(this);
    m_keychain.read(
        QLatin1String(AccountIndex::kIndexKey), [this, self, done](const KeychainResult &r) {
            if (!self)
                return;
            if (!r.ok() && r.error != KeychainError::NotFound) {
                done(keychainResult(r), {});
                return;
            }
            AccountIndex index = r.ok() ? AccountIndex::fromJson(r.data) : AccountIndex();
            m_keychain.read(
                QLatin1String(AccountIndex::kStatesKey),
                [this, self, done, index](const KeychainResult &s) mutable {
                    if (!self)
                        return;
                    // The states are a hint: unreadable ones leave every credential usable.
                    if (s.ok())
                        index.applyStates(AccountIndex::fromJson(s.data));
                    const QString def = QLatin1String(AccountIndex::kDefaultName);
                    m_keychain.read(def, [self, done, index, def](const KeychainResult &d) mutable {
                        if (!self)
                            return;
                        if (!d.ok() && d.error != KeychainError::NotFound) {
                            done(keychainResult(d), {});
                            return;
                        }
                        if (d.ok() && !index.contains(def))
                            index.entries.prepend(AccountIndex::Entry{def, {}, {}, {}, {}, {}});
                        else if (!d.ok())
                            index.remove(def);
                        done({}, index);
                    });
                });
        });
}

void AccountStore::saveIndex(const AccountIndex &index, Done done)
{
    m_keychain.write(QLatin1String(AccountIndex::kIndexKey), index.orderJson(),
                     [done](const KeychainResult &r) {
                         if (done)
                             done(keychainResult(r));
                     });
}

void AccountStore::edit(std::function<QString(AccountIndex &)> change, Done done)
{
    if (m_editing) {
        m_pendingEdits.append([this, change, done] { runEdit(change, done); });
        return;
    }
    runEdit(std::move(change), std::move(done));
}

void AccountStore::runEdit(std::function<QString(AccountIndex &)> change, Done done)
{
    m_editing = true;
    const QPointer<AccountStore> self(this);
    // Whatever the outcome: answer, then start the next edit.
    auto finish = [this, self, done](const Result &r) {
        if (self) {
            m_editing = false;
            if (!m_pendingEdits.isEmpty())
                m_pendingEdits.takeFirst()();
        }
        if (done)
            done(r);
    };
    loadIndex([this, self, change, finish](const Result &r, AccountIndex index) {
        if (!self)
            return;
        if (!r.ok()) {
            finish(r);
            return;
        }
        if (const QString problem = change(index); !problem.isEmpty()) {
            Result refused;
            refused.problem = problem;
            finish(refused);
            return;
        }
        saveIndex(index, finish);
    });
}

void AccountStore::saveRoutes(const AccountIndex &routes, Done done)
{
    m_keychain.write(QLatin1String(AccountIndex::kStatesKey), routes.toJson(),
                     [done](const KeychainResult &r) {
                         if (done)
                             done(keychainResult(r));
                     });
}

void AccountStore::put(const QString &name, const Credentials &credentials, Done done)
{
    if (const QString problem = AccountIndex::checkName(name); !problem.isEmpty()) {
        Result refused;
        refused.problem = problem;
        done(refused);
        return;
    }
    const QPointer<AccountStore> self(this);
    m_keychain.write(AccountIndex::keyFor(name), credentials.toJson(),
                     [this, self, name, done](const KeychainResult &r) {
                         if (!self)
                             return;
                         if (!r.ok()) {
                             done(keychainResult(r));
                             return;
                         }
                         edit(
                             [name](AccountIndex &index) {
                                 index.add(name);
                                 return QString();
                             },
                             done);
                     });
}

void AccountStore::remove(const QString &name, Done done)
{
    const QPointer<AccountStore> self(this);
    loadIndex([this, self, name, done](const Result &r, const AccountIndex &index) {
        if (!self)
            return;
        if (!r.ok()) {
            done(r);
            return;
        }
        if (!index.contains(name)) {
            Result refused;
            refused.problem = unknownName(name);
            done(refused);
            return;
        }
        // The secret goes first: a credential listed without its entry reads as signed out,
        // one kept without its listing would linger unseen.
        m_keychain.remove(AccountIndex::keyFor(name),
                          [this, self, name, done](const KeychainResult &k) {
                              if (!self)
                                  return;
                              if (!k.ok() && k.error != KeychainError::NotFound) {
                                  done(keychainResult(k));
                                  return;
                              }
                              edit(
                                  [name](AccountIndex &index) {
                                      index.remove(name);
                                      return QString();
                                  },
                                  done);
                          });
    });
}

void AccountStore::use(const QString &name, Done done)
{
    edit([name](AccountIndex &index) { return index.use(name) ? QString() : unknownName(name); },
         std::move(done));
}

void AccountStore::reorder(const QStringList &names, Done done)
{
    edit([names](AccountIndex &index) { return index.reorder(names); }, std::move(done));
}

void AccountStore::rename(const QString &from, const QString &to, Done done)
{
    const QPointer<AccountStore> self(this);
    loadIndex([this, self, from, to, done](const Result &r, AccountIndex index) {
        if (!self)
            return;
        if (!r.ok()) {
            done(r);
            return;
        }
        if (const QString problem = index.rename(from, to); !problem.isEmpty() || from == to) {
            Result result;
            result.problem = problem;
            done(result);
            return;
        }
        // Copy the secret to its new entry, list the new name, then drop the old entry: a
        // failure on the way leaves the credential under one name or the other, never none.
        m_keychain.read(
            AccountIndex::keyFor(from), [this, self, from, to, done](const KeychainResult &old) {
                if (!self)
                    return;
                if (!old.ok()) {
                    done(keychainResult(old));
                    return;
                }
                auto secret = std::make_shared<QByteArray>(old.data);
                m_keychain.write(
                    AccountIndex::keyFor(to), *secret,
                    [this, self, from, to, done, secret](const KeychainResult &w) {
                        secret->fill('\0');
                        if (!self)
                            return;
                        if (!w.ok()) {
                            done(keychainResult(w));
                            return;
                        }
                        edit([from, to](AccountIndex &index) { return index.rename(from, to); },
                             [this, self, from, done](const Result &e) {
                                 if (!self)
                                     return;
                                 if (!e.ok()) {
                                     done(e);
                                     return;
                                 }
                                 m_keychain.remove(AccountIndex::keyFor(from),
                                                   [done](const KeychainResult &) { done({}); });
                             });
                    });
            });
    });
}

void AccountStore::list(ListCallback done)
{
    const QPointer<AccountStore> self(this);
    loadIndex([this, self, done](const Result &r, const AccountIndex &index) {
        if (!self)
            return;
        auto listing = std::make_shared<Listing>();
        listing->result = r;
        listing->index = index;
        if (!r.ok() || index.entries.isEmpty()) {
            done(*listing);
            return;
        }
        auto pending = std::make_shared<int>(int(index.entries.size()));
        for (const AccountIndex::Entry &e : index.entries) {
            const QString name = e.name;
            m_keychain.read(AccountIndex::keyFor(name), [listing, pending, name,
                                                         done](const KeychainResult &k) {
                CredentialStore::LoadResult loaded;
                loaded.keychain = k;
                if (k.ok())
                    loaded.credentials = Credentials::fromJson(k.data, &loaded.parseError);
                loaded.keychain.data.fill('\0');
                loaded.keychain.data.clear();
                listing->credentials.insert(name, loaded);
                if (--*pending == 0)
                    done(*listing);
            });
        }
    });
}
