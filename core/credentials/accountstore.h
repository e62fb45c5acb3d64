#pragma once

#include "credentials/accountindex.h"
#include "credentials/credentialstore.h"
#include "credentials/keychainstore.h"

#include <QHash>
#include <QObject>
#include <functional>

class Settings;

// Several credentials in the keychain: each in its own entry, and the index (names, order,
// routing states) in one more. The edits the CLI's `accounts` and `login --name` and the
// tray's Accounts menu make, each as one call that reads, changes and writes the index.
//
// The default credential (entry "default", what earlier versions stored) is listed
// whenever it is stored, first unless the index places it elsewhere: a single sign-in
// becomes the first credential without anyone doing anything.
class AccountStore : public QObject
{
    Q_OBJECT
public:
    struct Result
    {
        KeychainResult keychain;
        QString problem; // a refused edit: an unknown name, a name taken, …

        bool ok() const { return keychain.ok() && problem.isEmpty(); }
        QString message() const { return problem.isEmpty() ? keychain.message : problem; }
    };
    using Done = std::function<void(const Result &)>;
    using IndexCallback = std::function<void(const Result &, const AccountIndex &)>;

    struct Listing
    {
        Result result;
        AccountIndex index;
        // Per name, what its entry holds (the keychain's answer and the credentials).
        QHash<QString, CredentialStore::LoadResult> credentials;
    };
    using ListCallback = std::function<void(const Listing &)>;

    explicit AccountStore(const Settings &settings, QObject *parent = nullptr);

    KeychainStore *keychain() { return &m_keychain; }

    // The index as it stands, with the default credential reconciled (see above).
    void loadIndex(IndexCallback done);
    // Writes the routing states (only the running Qwen Bridge does: one writer).
    void saveRoutes(const AccountIndex &routes, Done done = {});

    // Stores the credential under the name, replacing one of that name, and lists it
    // (at the end when new). Its routing state starts over.
    void put(const QString &name, const Credentials &credentials, Done done);
    // Forgets the credential and its place.
    void remove(const QString &name, Done done);
    void use(const QString &name, Done done);
    void reorder(const QStringList &names, Done done);
    void rename(const QString &from, const QString &to, Done done);
    // The index and every credential it names.
    void list(ListCallback done);

private:
    // Reads, changes and writes the index; one edit at a time, so that two edits of this
    // process never write over each other.
    void edit(std::function<QString(AccountIndex &)> change, Done done);
    void runEdit(std::function<QString(AccountIndex &)> change, Done done);
    void saveIndex(const AccountIndex &index, Done done);

    KeychainStore m_keychain;
    bool m_editing = false;
    QList<std::function<void()>> m_pendingEdits;
};
