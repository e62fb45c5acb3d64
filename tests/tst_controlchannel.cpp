#include "session/controlchannel.h"
#include "settings/settings.h"
#include "testhome.h"

#include <QFileInfo>
#include <QTest>
#include <chrono>
#include <future>

class TestControlChannel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip()
    {
        TestHome home;
        int calls = 0;
        ControlServer server([&](const QJsonObject &request) {
            ++calls;
            QJsonObject reply;
            reply.insert(QStringLiteral("echo"), request.value(QStringLiteral("command")));
            return reply;
        });
        QVERIFY(server.listen());
        QVERIFY(ControlServer::socketPath().startsWith(home.runtimeDir()));
        // The client blocks, so it runs on another thread while the server answers here.
        auto future = std::async(
            std::launch::async, [] { return ControlClient::send(QStringLiteral("status"), 5000); });
        QTRY_VERIFY(future.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
        const std::optional<QJsonObject> reply = future.get();
        QVERIFY(reply.has_value());
        QCOMPARE(reply->value(QStringLiteral("echo")).toString(), QStringLiteral("status"));
        QCOMPARE(calls, 1);
        // The runtime folder is private.
        QCOMPARE(QFileInfo(home.runtimeDir() + QStringLiteral("/qwen-bridge")).permissions() &
                     (QFile::ReadOther | QFile::WriteOther | QFile::ReadGroup),
                 QFile::Permissions());
    }

    // A folder that others may enter could hold a socket of theirs, which would answer
    // `status` and swallow `logout`: the client does not ask there.
    void clientAvoidsUnsafeFolder()
    {
        TestHome home;
        int calls = 0;
        ControlServer server([&](const QJsonObject &) {
            ++calls;
            return QJsonObject{{QStringLiteral("state"), QStringLiteral("signed_in")}};
        });
        QVERIFY(server.listen());
        QVERIFY(QFile::setPermissions(Settings::runtimeDir(),
                                      QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                          QFile::ReadOther | QFile::WriteOther | QFile::ExeOther));
        auto future = std::async(
            std::launch::async, [] { return ControlClient::send(QStringLiteral("status"), 2000); });
        QTRY_VERIFY(future.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
        QVERIFY(!future.get().has_value());
        QCOMPARE(calls, 0);
        // A server does not listen there either.
        ControlServer second([](const QJsonObject &) { return QJsonObject(); });
        QVERIFY(!second.listen());
        QVERIFY2(second.errorString().contains(Settings::runtimeDir()),
                 qPrintable(second.errorString()));
    }

    void nobodyListening()
    {
        TestHome home;
        QVERIFY(!ControlClient::send(QStringLiteral("status"), 500).has_value());
    }
};

QTEST_GUILESS_MAIN(TestControlChannel)
#include "tst_controlchannel.moc"
