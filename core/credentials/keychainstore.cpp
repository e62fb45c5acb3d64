#include "credentials/keychainstore.h"

#include "util/logcategories.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QSaveFile>
#include <QTimer>
#include <qt6keychain/keychain.h>

KeychainStore::KeychainStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{}

// QtKeychain reaches GNOME Keyring through libsecret, whose answers arrive through GLib's
// main loop; Qt runs that loop only with its GLib event dispatcher, which QT_NO_GLIB turns
// off. (KWallet answers over Qt's own D-Bus and needs no GLib, so this is not refused up
// front: only a job that timed out is explained by it.)
bool KeychainStore::glibLoopTurnedOff()
{
    const QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
    return qEnvironmentVariableIsSet("QT_NO_GLIB") && dispatcher &&
           !dispatcher->inherits("QEventDispatcherGlib");
}

QString KeychainStore::describe(KeychainError error)
{
    switch (error) {
    case KeychainError::None:
        return {};
    case KeychainError::NotFound:
        return QCoreApplication::translate("KeychainStore", "Nothing is stored in the keychain.");
    case KeychainError::NoService:
        return QCoreApplication::translate(
            "KeychainStore",
            "No keychain service answered. Start or unlock GNOME Keyring or KWallet in your "
            "desktop session (on a server: run gnome-keyring-daemon inside a D-Bus session) "
            "and try again.");
    case KeychainError::AccessDenied:
        return QCoreApplication::translate(
            "KeychainStore",
            "The keychain is locked or refused access. Unlock your keyring (GNOME Keyring or "
            "KWallet) and allow Qwen Bridge to use it, then try again.");
    case KeychainError::Timeout:
        if (glibLoopTurnedOff())
            return QCoreApplication::translate(
                "KeychainStore",
                "The keychain did not answer in time. QT_NO_GLIB is set, and without GLib's "
                "event loop GNOME Keyring's answers never arrive: start Qwen Bridge without "
                "QT_NO_GLIB and try again.");
        return QCoreApplication::translate(
            "KeychainStore",
            "The keychain did not answer in time. It may be waiting for you to unlock it; "
            "unlock your keyring and try again.");
    case KeychainError::Other:
        break;
    }
    return QCoreApplication::translate("KeychainStore", "The keychain reported an error.");
}

static KeychainError classify(QKeychain::Error error, const QString &text)
{
    switch (error) {
    case QKeychain::NoError:
        return KeychainError::None;
    case QKeychain::EntryNotFound:
        return KeychainError::NotFound;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return KeychainError::AccessDenied;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return KeychainError::NoService;
    default:
        break;
    }
    // libsecret reports a missing bus or Secret Service only as free text.
    const QString t = text.toLower();
    if (t.contains(QLatin1String("dbus")) || t.contains(QLatin1String("d-bus")) ||
        t.contains(QLatin1String("secret service")) || t.contains(QLatin1String("secrets")) ||
        t.contains(QLatin1String("org.freedesktop")) || t.contains(QLatin1String("no such")))
        return KeychainError::NoService;
    if (t.contains(QLatin1String("locked")) || t.contains(QLatin1String("dismissed")) ||
        t.contains(QLatin1String("cancel")))
        return KeychainError::AccessDenied;
    return KeychainError::Other;
}

void KeychainStore::read(const QString &key, Callback done)
{
    run(Op::Read, key, {}, std::move(done));
}

void KeychainStore::write(const QString &key, const QByteArray &data, Callback done)
{
    run(Op::Write, key, data, std::move(done));
}

void KeychainStore::remove(const QString &key, Callback done)
{
    run(Op::Remove, key, {}, std::move(done));
}

void KeychainStore::run(Op op, const QString &key, const QByteArray &data, Callback done)
{
    QKeychain::Job *job = nullptr;
    switch (op) {
    case Op::Read:
        job = new QKeychain::ReadPasswordJob(m_service);
        break;
    case Op::Write: {
        auto *w = new QKeychain::WritePasswordJob(m_service);
        w->setBinaryData(data);
        job = w;
        break;
    }
    case Op::Remove:
        job = new QKeychain::DeletePasswordJob(m_service);
        break;
    }
    // Never fall back to QtKeychain's plain-text settings store.
    job->setInsecureFallback(false);
    job->setAutoDelete(false);
    job->setKey(key);

    // A job that hangs must not hang us: whichever of "finished" and the timer comes
    // first answers, the other is ignored. A hung job is left to finish on its own.
    auto answered = std::make_shared<bool>(false);
    // With the file opted in, a keychain that is missing or silent hands over to the file;
    // a read that finds nothing in the keychain also looks there.
    QPointer<KeychainStore> owner(this);
    auto callback = std::make_shared<Callback>(
        [owner, op, key, data, done = std::move(done)](const KeychainResult &r) {
            if (owner && !owner->m_fallbackPath.isEmpty() &&
                (r.error == KeychainError::NoService || r.error == KeychainError::Timeout ||
                 (op == Op::Read && r.error == KeychainError::NotFound))) {
                KeychainResult fileResult = owner->runOnFile(op, key, data);
                if (!(op == Op::Read && r.error == KeychainError::NotFound &&
                      fileResult.error == KeychainError::NotFound)) {
                    done(fileResult);
                    return;
                }
            }
            done(r);
        });
    QPointer<KeychainStore> self(this);
    auto *timer = new QTimer(job);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [answered, callback, key] {
        if (*answered)
            return;
        *answered = true;
        qCWarning(lcKeychain) << "keychain job timed out for" << key;
        KeychainResult r;
        r.error = KeychainError::Timeout;
        r.message = describe(r.error);
        (*callback)(r);
    });
    ++s_inFlight;
    // Counted and deleted on the job's own connection: it may finish after this store is
    // gone (a write must not be cut off), and must not be left behind then.
    connect(job, &QKeychain::Job::finished, job, [job] {
        --s_inFlight;
        job->deleteLater();
    });
    connect(job, &QKeychain::Job::finished, this, [self, job, op, answered, callback, key] {
        if (*answered || !self)
            return;
        *answered = true;
        KeychainResult r;
        r.error = classify(job->error(), job->errorString());
        if (r.error == KeychainError::None && op == Op::Read)
            r.data = static_cast<QKeychain::ReadPasswordJob *>(job)->binaryData();
        if (r.error == KeychainError::NotFound && op == Op::Remove)
            r.error = KeychainError::None; // removing what is not there succeeds
        if (!r.ok()) {
            r.message = describe(r.error);
            if (r.error == KeychainError::Other && !job->errorString().isEmpty())
                r.message += QLatin1Char(' ') + job->errorString();
            if (r.error != KeychainError::NotFound)
                qCWarning(lcKeychain)
                    << "keychain job failed for" << key << ":" << job->errorString();
        }
        (*callback)(r);
    });
    timer->start(m_timeoutMs);
    job->start();
}

KeychainResult KeychainStore::runOnFile(Op op, const QString &key, const QByteArray &data) const
{
    KeychainResult r;
    r.fromFile = true;
    QJsonObject entries;
    QFile in(m_fallbackPath);
    if (in.open(QIODevice::ReadOnly))
        entries = QJsonDocument::fromJson(in.readAll()).object();
    in.close();
    const QString entryKey = m_service + QLatin1Char('/') + key;
    if (op == Op::Read) {
        if (!entries.contains(entryKey)) {
            r.error = KeychainError::NotFound;
            r.message = describe(r.error);
            return r;
        }
        r.data = QByteArray::fromBase64(entries.value(entryKey).toString().toLatin1());
        return r;
    }
    if (op == Op::Write)
        entries.insert(entryKey, QString::fromLatin1(data.toBase64()));
    else
        entries.remove(entryKey);
    const QString dir = QFileInfo(m_fallbackPath).absolutePath();
    QDir().mkpath(dir);
    QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QSaveFile out(m_fallbackPath);
    if (!out.open(QIODevice::WriteOnly)) {
        r.error = KeychainError::Other;
        r.message = QCoreApplication::translate("KeychainStore",
                                                "Could not write the credentials file %1: %2")
                        .arg(m_fallbackPath, out.errorString());
        return r;
    }
    out.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    out.write(QJsonDocument(entries).toJson(QJsonDocument::Compact));
    if (!out.commit()) {
        r.error = KeychainError::Other;
        r.message = QCoreApplication::translate("KeychainStore",
                                                "Could not write the credentials file %1: %2")
                        .arg(m_fallbackPath, out.errorString());
    }
    return r;
}
