#pragma once

#include <QJsonObject>
#include <QObject>
#include <functional>
#include <optional>

class QLocalServer;

// A local socket in the runtime folder through which terminal commands reach the running
// Qwen Bridge: "status", "reload" (credentials changed in the keychain), "logout",
// "show" (a second start hands over to the first). One JSON object per line each way.
class ControlServer : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<QJsonObject(const QJsonObject &request)>;

    explicit ControlServer(Handler handler, QObject *parent = nullptr);
    ~ControlServer() override;

    static QString socketPath();
    bool listen();
    QString errorString() const { return m_error; }

private:
    Handler m_handler;
    QLocalServer *m_server;
    QString m_error;
};

namespace ControlClient {
// Sends one command to the running instance; nothing when none answers in time.
// Blocks: for terminal commands and start-up only, never inside a running GUI.
std::optional<QJsonObject> send(const QString &command, int timeoutMs = 2000);
} // namespace ControlClient
