#pragma once

#include "credentials/keychainstore.h"

#include <QMetaType>
#include <QString>

// Why something the service was asked to do did not happen: a kind the tray and the CLI
// decide on, and a sentence they may show as it is. Decided once in core; the UI words its
// own titles and exit codes from the kind, never from the sentence.
struct ServiceError
{
    enum class Kind {
        None,
        KeychainLocked,      // the keychain is locked or the person refused access
        KeychainUnavailable, // no keychain service answers
        KeychainTimeout,     // the keychain did not answer in time
        KeychainFailed,      // the keychain answered with another error
        PortInUse,           // the proxy's port is taken by another program
        ListenFailed,        // the proxy could not listen for another reason
        SessionLockFailed,   // the one-owner lock could not be taken (unsafe runtime folder)
        QuotaExhausted,      // the account has no quota left
        Refused,             // an edit that cannot be made (an unknown or taken name, …)
    };

    Kind kind = Kind::None;
    QString message; // a sentence a person can act on; empty when ok()

    bool ok() const { return kind == Kind::None; }
    bool isKeychain() const;

    static ServiceError fromKeychain(const KeychainResult &result);
    // A keychain failure, or a refused edit with its sentence.
    static ServiceError fromEdit(const KeychainResult &result, const QString &problem);
};

Q_DECLARE_METATYPE(ServiceError)
