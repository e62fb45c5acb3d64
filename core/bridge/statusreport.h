#pragma once

#include "credentials/credentials.h"
#include "credentials/credentialstore.h"
#include "proxy/qwenmode.h"
#include "session/sessionmanager.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrl>

class BridgeService;
class Settings;

// What Qwen Bridge says about itself, never a secret: the sign-in, the plan, the proxy, the
// quota. `qwen-bridge status` builds it from the keychain and a running Qwen Bridge's
// answer; the tray builds it from its own service. Both then show the same facts.
class StatusReport
{
    Q_DECLARE_TR_FUNCTIONS(StatusReport)
public:
    SessionState state = SessionState::SignedOut;
    QString stateName; // the `status` word: signed_in, …
    QString message;   // one sentence a person can act on
    AuthMethod method = AuthMethod::None;
    QDateTime expiresAt;          // OAuth
    bool renewsOnNextUse = false; // OAuth, from the keychain only
    QUrl apiBase;                 // where requests go
    QString preset;               // API key: the stored plan id
    QString presetName;           // API key: "Coding Plan (global)"
    QString planId;               // API key: the plan behind the preset
    QString planName;
    QString planGroup;
    QUrl proxyUrl; // http://127.0.0.1:PORT/v1, whether or not it listens
    bool proxyRunning = false;
    bool appRunning = false;
    qint64 appPid = 0;
    bool quotaExhausted = false;
    QString quotaMessage;
    // Several credentials (`qwen-bridge accounts`): how many, and the one that served the
    // last request (a running Qwen Bridge only).
    int credentialCount = 0;
    QString serving;
    bool keychainAvailable = true;
    bool fromFile = false; // the credentials are kept in the opted-in file
    QString storagePath;
    QwenMode qwenMode;
    QString networkProxy; // ProxySettings::describe()
    bool requestLogging = false;
    QString requestLogDir;

    // From what the keychain holds, with live (a running Qwen Bridge's control answer,
    // empty when none runs) for what only a running one knows.
    static StatusReport fromStored(const Settings &settings,
                                   const CredentialStore::LoadResult &loaded,
                                   const QJsonObject &live, const QDateTime &nowUtc);
    // From the service this process runs (the tray, the control channel).
    static StatusReport fromService(const BridgeService &service);

    bool isSignedIn() const;
    // The JSON of `status --json`.
    QJsonObject toJson() const;
    // The lines of `status` for people.
    QStringList toText() const;
};
