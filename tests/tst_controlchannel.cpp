#include "session/controlchannel.h"
#include "session/instancelock.h"
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

    void nobodyListening()
    {
        TestHome home;
        QVERIFY(!ControlClient::send(QStringLiteral("status"), 500).has_value());
    }

    void oneOwner()
    {
        TestHome home;
        InstanceLock first;
        QVERIFY(first.tryLock());
        InstanceLock second;
        QVERIFY(!second.tryLock());
        QCOMPARE(second.ownerPid(), QCoreApplication::applicationPid());
    }
};

QTEST_GUILESS_MAIN(TestControlChannel)
#include "tst_controlchannel.moc"
