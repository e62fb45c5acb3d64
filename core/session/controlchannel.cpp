#include "session/controlchannel.h"

#include "settings/runtimedir.h"
#include "settings/settings.h"
#include "util/logcategories.h"

#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLoggingCategory>
#include <QPointer>

namespace {
constexpr qint64 kMaxLine = 64 * 1024;
}

ControlServer::ControlServer(Handler handler, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
    , m_server(new QLocalServer(this))
{
    // Only this user may connect; the folder is 0700 as well.
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server->nextPendingConnection()) {
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
                if (!socket->canReadLine()) {
                    if (socket->bytesAvailable() > kMaxLine)
                        socket->abort();
                    return;
                }
                const QJsonObject request =
                    QJsonDocument::fromJson(socket->readLine(kMaxLine)).object();
                const QJsonObject reply = m_handler(request);
                socket->write(QJsonDocument(reply).toJson(QJsonDocument::Compact) + '\n');
                socket->flush();
                socket->disconnectFromServer();
            });
        }
    });
}

ControlServer::~ControlServer() = default;

QString ControlServer::socketPath()
{
    return Settings::runtimeDir() + QStringLiteral("/control");
}

bool ControlServer::listen()
{
    m_error = RuntimeDir::makePrivate(Settings::runtimeDir());
    if (!m_error.isEmpty()) {
        qCWarning(lcSession) << "control channel unavailable:" << m_error;
        return false;
    }
    // Only the lock holder calls this, so a socket file left here is from a dead process.
    QLocalServer::removeServer(socketPath());
    if (!m_server->listen(socketPath())) {
        m_error = m_server->errorString();
        qCWarning(lcSession) << "control channel unavailable:" << m_error;
        return false;
    }
    return true;
}

std::optional<QJsonObject> ControlClient::send(const QString &command, int timeoutMs)
{
    // Whoever controls the folder controls what answers there: never ask a stranger.
    if (!RuntimeDir::isPrivate(Settings::runtimeDir()))
        return std::nullopt;
    QLocalSocket socket;
    socket.connectToServer(ControlServer::socketPath());
    if (!socket.waitForConnected(timeoutMs))
        return std::nullopt;
    QJsonObject request;
    request.insert(QStringLiteral("command"), command);
    socket.write(QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n');
    if (!socket.waitForBytesWritten(timeoutMs))
        return std::nullopt;
    while (!socket.canReadLine()) {
        if (!socket.waitForReadyRead(timeoutMs))
            return std::nullopt;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(socket.readLine(kMaxLine));
    if (!doc.isObject())
        return std::nullopt;
    return doc.object();
}
