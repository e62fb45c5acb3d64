#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <functional>

// Why a keychain job did not do what was asked. Decided once here; callers word it.
enum class KeychainError {
    None,
    NotFound,     // nothing stored under that key (not an error for most callers)
    NoService,    // no keychain service answers (no Secret Service, no KWallet)
    AccessDenied, // the keychain is locked or the person refused access
    Timeout,      // the job did not finish in time (QtKeychain jobs can hang)
    Other,
};

struct KeychainResult
{
    KeychainError error = KeychainError::None;
    QString message;       // a sentence a person can act on; empty on success
    QByteArray data;       // for reads
    bool fromFile = false; // done in the opted-in file because no keychain answered

    bool ok() const { return error == KeychainError::None; }
};

// The OS keychain through QtKeychain, with our own timeout on every job.
// Results arrive asynchronously through the callback, on this object's thread, once.
class KeychainStore : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const KeychainResult &)>;

    explicit KeychainStore(const QString &service, QObject *parent = nullptr);

    QString service() const { return m_service; }
    void setTimeout(int ms) { m_timeoutMs = ms; }
    // Opt-in only: when no keychain service answers, keep secrets in this file (0600, in
    // a 0700 folder) instead of failing.
    void setFileFallback(const QString &path) { m_fallbackPath = path; }
    int timeout() const { return m_timeoutMs; }

    void read(const QString &key, Callback done);
    void write(const QString &key, const QByteArray &data, Callback done);
    void remove(const QString &key, Callback done);

    static QString describe(KeychainError error);
    // Whether QT_NO_GLIB has kept GLib's event loop from running on this thread, so that
    // libsecret's answers never arrive (describe() then names it for a timeout).
    static bool glibLoopTurnedOff();
    // Jobs started in this process that have not finished yet (a timed-out one counts until
    // it does): tests wait for none before they end, so that no job outlives them.
    static int jobsInFlight() { return s_inFlight; }

private:
    static inline int s_inFlight = 0;
    enum class Op { Read, Write, Remove };
    void run(Op op, const QString &key, const QByteArray &data, Callback done);
    KeychainResult runOnFile(Op op, const QString &key, const QByteArray &data) const;

    QString m_service;
    QString m_fallbackPath;
    int m_timeoutMs = 15000;
};
