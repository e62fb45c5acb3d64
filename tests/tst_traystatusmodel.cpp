#include "bridge/bridgeservice.h"
#include "bridge/quotastate.h"
#include "bridge/traystatusmodel.h"
#include "testhome.h"

#include <QSignalSpy>
#include <QTest>

Q_DECLARE_METATYPE(SessionState)
Q_DECLARE_METATYPE(AuthMethod)
Q_DECLARE_METATYPE(TrayStatus)

namespace {
const QDateTime kNow(QDate(2026, 5, 1), QTime(12, 0), Qt::UTC);

// A session in state with method, its proxy listening, its local key loaded.
TrayStatusModel::Input input(SessionState state, AuthMethod method)
{
    TrayStatusModel::Input in;
    in.report.state = state;
    in.report.method = method;
    if (method == AuthMethod::ApiKey)
        in.report.presetName = QStringLiteral("Coding Plan (global)");
    if (method == AuthMethod::OAuth)
        in.report.expiresAt = kNow.addSecs(3 * 3600 + 12 * 60);
    in.report.proxyRunning = true;
    in.report.proxyUrl = QUrl(QStringLiteral("http://127.0.0.1:8787/v1"));
    in.hasProxy = true;
    in.requestsToday = 3;
    in.localKeyLoaded = true;
    in.nowUtc = kNow;
    return in;
}
} // namespace

// What the tray shows for each state of the service, without a widget.
class TestTrayStatusModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void statusFor_data()
    {
        QTest::addColumn<SessionState>("state");
        QTest::addColumn<bool>("proxyFailed");
        QTest::addColumn<TrayStatus>("status");
        using S = SessionState;
        using T = TrayStatus;
        QTest::newRow("starting") << S::Starting << false << T::SignedOut;
        QTest::newRow("signed out") << S::SignedOut << false << T::SignedOut;
        QTest::newRow("signing in") << S::SigningIn << false << T::SigningIn;
        QTest::newRow("signed in") << S::SignedIn << false << T::SignedIn;
        QTest::newRow("refreshing") << S::Refreshing << false << T::SignedIn;
        QTest::newRow("offline") << S::OfflineRetrying << false << T::Attention;
        QTest::newRow("sign in again") << S::SignInRequired << false << T::Attention;
        QTest::newRow("no keychain") << S::KeychainUnavailable << false << T::Attention;
        QTest::newRow("signed in, no proxy") << S::SignedIn << true << T::Attention;
        QTest::newRow("signed out, no proxy") << S::SignedOut << true << T::Attention;
    }

    void statusFor()
    {
        QFETCH(SessionState, state);
        QFETCH(bool, proxyFailed);
        QFETCH(TrayStatus, status);
        QCOMPARE(TrayStatusModel::statusFor(state, proxyFailed), status);
    }

    void formatsDurations_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("seconds") << qint64(30) << QStringLiteral("less than a minute");
        QTest::newRow("minutes") << qint64(59 * 60 + 59) << QStringLiteral("59 min");
        QTest::newRow("hours") << qint64(3 * 3600 + 12 * 60) << QStringLiteral("3 h 12 min");
        QTest::newRow("days") << qint64(50 * 3600) << QStringLiteral("2 d 2 h");
    }

    void formatsDurations()
    {
        QFETCH(qint64, seconds);
        QFETCH(QString, text);
        QCOMPARE(TrayStatusModel::formatDuration(seconds), text);
    }

    void headline_data()
    {
        QTest::addColumn<SessionState>("state");
        QTest::addColumn<AuthMethod>("method");
        QTest::addColumn<bool>("quota");
        QTest::addColumn<QString>("text");
        QTest::addColumn<TrayStatus>("status");
        using S = SessionState;
        using M = AuthMethod;
        using T = TrayStatus;
        QTest::newRow("starting") << S::Starting << M::None << false << "Starting…" << T::SignedOut;
        QTest::newRow("signed out")
            << S::SignedOut << M::None << false << "Signed out" << T::SignedOut;
        QTest::newRow("signing in")
            << S::SigningIn << M::None << false << "Signing in…" << T::SigningIn;
        QTest::newRow("account") << S::SignedIn << M::OAuth << false
                                 << "Signed in with your Qwen account" << T::SignedIn;
        QTest::newRow("key") << S::SignedIn << M::ApiKey << false << "Signed in with an API key"
                             << T::SignedIn;
        QTest::newRow("renewing") << S::Refreshing << M::OAuth << false << "Renewing the sign-in…"
                                  << T::SignedIn;
        QTest::newRow("offline") << S::OfflineRetrying << M::OAuth << false << "Offline: retrying"
                                 << T::Attention;
        QTest::newRow("again") << S::SignInRequired << M::OAuth << false << "Sign in again"
                               << T::Attention;
        QTest::newRow("keychain") << S::KeychainUnavailable << M::None << false
                                  << "The keychain is not available" << T::Attention;
        QTest::newRow("oauth quota")
            << S::SignedIn << M::OAuth << true << "OAuth quota used up" << T::Attention;
        QTest::newRow("key quota")
            << S::SignedIn << M::ApiKey << true << "API key quota used up" << T::Attention;
    }

    void headline()
    {
        QFETCH(SessionState, state);
        QFETCH(AuthMethod, method);
        QFETCH(bool, quota);
        QFETCH(QString, text);
        QFETCH(TrayStatus, status);
        TrayStatusModel::Input in = input(state, method);
        in.report.quotaExhausted = quota;
        const TrayView view = TrayStatusModel::viewFor(in);
        QCOMPARE(view.stateText, text);
        QCOMPARE(view.status, status);
    }

    void lines_data()
    {
        QTest::addColumn<SessionState>("state");
        QTest::addColumn<AuthMethod>("method");
        QTest::addColumn<bool>("quota");
        QTest::addColumn<QStringList>("lines");
        using S = SessionState;
        using M = AuthMethod;
        const QString proxy = QStringLiteral("Proxy: http://127.0.0.1:8787/v1");
        const QString requests = QStringLiteral("Requests today: 3");
        const QString expiry =
            QStringLiteral("Token expires in 3 h 12 min (renewed automatically)");
        QTest::newRow("signed out")
            << S::SignedOut << M::None << false << QStringList{proxy, requests};
        QTest::newRow("account") << S::SignedIn << M::OAuth << false
                                 << QStringList{expiry, proxy, requests};
        QTest::newRow("key") << S::SignedIn << M::ApiKey << false
                             << QStringList{"Key for Coding Plan (global)", proxy, requests};
        QTest::newRow("account, quota")
            << S::SignedIn << M::OAuth << true
            << QStringList{"Requests fail until you switch to an API key.", expiry, proxy,
                           requests};
        QTest::newRow("key, quota") << S::SignedIn << M::ApiKey << true
                                    << QStringList{"Key for Coding Plan (global)",
                                                   "Requests fail until the key's plan has quota "
                                                   "again.",
                                                   proxy, requests};
        QTest::newRow("sign in again") << S::SignInRequired << M::OAuth << false
                                       << QStringList{"Your sign-in ended.", proxy, requests};
        // A reason outside the states that need attention is not repeated.
        QTest::newRow("renewing") << S::Refreshing << M::OAuth << false
                                  << QStringList{expiry, proxy, requests};
    }

    void lines()
    {
        QFETCH(SessionState, state);
        QFETCH(AuthMethod, method);
        QFETCH(bool, quota);
        QFETCH(QStringList, lines);
        TrayStatusModel::Input in = input(state, method);
        in.report.quotaExhausted = quota;
        in.report.message = QStringLiteral("Your sign-in ended.");
        QCOMPARE(TrayStatusModel::viewFor(in).lines(), lines);
    }

    void expiredToken()
    {
        TrayStatusModel::Input in = input(SessionState::SignedIn, AuthMethod::OAuth);
        in.report.expiresAt = kNow.addSecs(-5);
        QCOMPARE(TrayStatusModel::viewFor(in).expiryLine,
                 QStringLiteral("Token expired; renewing"));
    }

    // The menu counts down and knows when its next minute comes; the tooltip, which the
    // app cannot tell is being read, names the time instead.
    void expiryAsCountdownAndAsTime()
    {
        TrayStatusModel::Input in = input(SessionState::SignedIn, AuthMethod::OAuth);
        TrayView view = TrayStatusModel::viewFor(in);
        QCOMPARE(view.expiryTipLine,
                 QStringLiteral("Token valid until %1 (renewed automatically)")
                     .arg(TrayStatusModel::formatClockTime(in.report.expiresAt, kNow)));
        QVERIFY(view.toolTipLines().contains(view.expiryTipLine));
        QVERIFY(!view.toolTipLines().contains(view.expiryLine));
        QVERIFY(view.lines().contains(view.expiryLine));
        // 3 h 12 min exactly: a second later it shows 3 h 11 min.
        QCOMPARE(view.expiryChangesInMs, 1000);
        in.report.expiresAt = in.report.expiresAt.addSecs(-1);
        QCOMPARE(TrayStatusModel::viewFor(in).expiryChangesInMs, 60000);
        in.report.expiresAt = kNow.addSecs(-5);
        QCOMPARE(TrayStatusModel::viewFor(in).expiryChangesInMs, 0);
        QCOMPARE(TrayStatusModel::viewFor(in).expiryTipLine,
                 QStringLiteral("Token expired; renewing"));
        QCOMPARE(TrayStatusModel::viewFor(input(SessionState::SignedIn, AuthMethod::ApiKey))
                     .expiryChangesInMs,
                 0);
    }

    void formatsClockTimes()
    {
        const QDateTime noon(QDate(2026, 5, 1), QTime(12, 0), Qt::LocalTime);
        const QDateTime now = noon.toUTC();
        const QLocale locale;
        QCOMPARE(TrayStatusModel::formatClockTime(noon.addSecs(2 * 3600 + 20 * 60).toUTC(), now),
                 locale.toString(QTime(14, 20), QLocale::ShortFormat));
        QCOMPARE(TrayStatusModel::formatClockTime(noon.addSecs(21 * 3600).toUTC(), now),
                 locale.toString(QTime(9, 0), QLocale::ShortFormat) + QStringLiteral(" tomorrow"));
        QCOMPARE(TrayStatusModel::formatClockTime(noon.addDays(3).toUTC(), now),
                 locale.toString(QDate(2026, 5, 4), QLocale::ShortFormat) + QStringLiteral(", ") +
                     locale.toString(QTime(12, 0), QLocale::ShortFormat));
    }

    void proxyAndLocalKey()
    {
        TrayStatusModel::Input in = input(SessionState::SignedIn, AuthMethod::ApiKey);
        in.report.proxyRunning = false;
        in.report.proxyUrl = QUrl();
        TrayView view = TrayStatusModel::viewFor(in);
        QCOMPARE(view.proxyLine, QStringLiteral("Proxy starting…"));
        QCOMPARE(view.status, TrayStatus::SignedIn);

        in.proxyError = QStringLiteral("port 8787 is taken");
        view = TrayStatusModel::viewFor(in);
        QCOMPARE(view.proxyLine, QStringLiteral("Proxy stopped: port 8787 is taken"));
        QCOMPARE(view.status, TrayStatus::Attention);

        in = input(SessionState::SignedIn, AuthMethod::ApiKey);
        in.localKeyError = QStringLiteral("the keychain said no");
        in.localKeyLoaded = false;
        view = TrayStatusModel::viewFor(in);
        QCOMPARE(view.localKeyLine, QStringLiteral("Local key: the keychain said no"));
        QCOMPARE(view.status, TrayStatus::Attention);
        QVERIFY(!view.localKeyReady);
        QCOMPARE(view.waitingForKeyText,
                 QStringLiteral("Waiting for the local key from the keychain"));

        in = input(SessionState::SignedIn, AuthMethod::ApiKey);
        in.hasProxy = false;
        in.usageLine = QStringLiteral("5-hour window: 40% used");
        view = TrayStatusModel::viewFor(in);
        QVERIFY(view.requestsLine.isEmpty());
        QCOMPARE(view.usageLine, in.usageLine);
        QVERIFY(view.localKeyReady);
        QVERIFY(view.waitingForKeyText.isEmpty());
    }

    void actions_data()
    {
        QTest::addColumn<SessionState>("state");
        QTest::addColumn<AuthMethod>("method");
        QTest::addColumn<bool>("quota");
        QTest::addColumn<bool>("signInVisible");
        QTest::addColumn<bool>("enabled");
        QTest::addColumn<QString>("signInText");
        QTest::addColumn<QString>("useApiKeyText");
        QTest::addColumn<bool>("signOutVisible");
        using S = SessionState;
        using M = AuthMethod;
        QTest::newRow("starting") << S::Starting << M::None << false << true << false << "Sign in…"
                                  << "Use an API key…" << false;
        QTest::newRow("signed out")
            << S::SignedOut << M::None << false << true << true << "Sign in…"
            << "Use an API key…" << false;
        QTest::newRow("account") << S::SignedIn << M::OAuth << false << false << true << "Sign in…"
                                 << "Use an API key…" << true;
        QTest::newRow("key") << S::SignedIn << M::ApiKey << false << true << true
                             << "Sign in with your Qwen account…"
                             << "Use another API key…" << true;
        QTest::newRow("account, quota")
            << S::SignedIn << M::OAuth << true << false << true << "Sign in…"
            << "Use an API key instead…" << true;
        QTest::newRow("key, quota")
            << S::SignedIn << M::ApiKey << true << true << true << "Sign in with your Qwen account…"
            << "Use another API key…" << true;
        QTest::newRow("sign in again")
            << S::SignInRequired << M::OAuth << false << true << true << "Sign in again…"
            << "Use an API key…" << true;
        QTest::newRow("no keychain")
            << S::KeychainUnavailable << M::None << false << true << true << "Sign in…"
            << "Use an API key…" << false;
    }

    void actions()
    {
        QFETCH(SessionState, state);
        QFETCH(AuthMethod, method);
        QFETCH(bool, quota);
        QFETCH(bool, signInVisible);
        QFETCH(bool, enabled);
        QFETCH(QString, signInText);
        QFETCH(QString, useApiKeyText);
        QFETCH(bool, signOutVisible);
        TrayStatusModel::Input in = input(state, method);
        in.report.quotaExhausted = quota;
        const TrayView view = TrayStatusModel::viewFor(in);
        QCOMPARE(view.signInVisible, signInVisible);
        QCOMPARE(view.signInEnabled, enabled);
        QCOMPARE(view.useApiKeyEnabled, enabled);
        QCOMPARE(view.signInText, signInText);
        QCOMPARE(view.useApiKeyText, useApiKeyText);
        QCOMPARE(view.useApiKeyProminent, quota);
        QCOMPARE(view.signOutVisible, signOutVisible);
    }

    // The model follows the service's signals and says when the view changed.
    void followsTheService()
    {
        TestHome home;
        QVERIFY(home.isValid());
        BridgeService service; // not started: nothing listens, nothing is signed in
        TrayStatusModel model(&service, false);
        QSignalSpy changed(&model, &TrayStatusModel::changed);
        QCOMPARE(model.status(), TrayStatus::SignedOut);
        QCOMPARE(model.view().proxyLine, QStringLiteral("Proxy starting…"));
        QCOMPARE(model.toolTip().section(QLatin1Char('\n'), 0, 0), QStringLiteral("Qwen Bridge"));

        Q_EMIT service.proxyFailed(
            {ServiceError::Kind::PortInUse, QStringLiteral("port 8787 is taken")});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.status(), TrayStatus::Attention);
        QCOMPARE(model.view().proxyLine, QStringLiteral("Proxy stopped: port 8787 is taken"));
        QVERIFY(model.toolTip().contains(QStringLiteral("Proxy stopped: port 8787 is taken")));
        model.clearProxyError();
        model.refresh();
        QCOMPARE(changed.count(), 2);
        QCOMPARE(model.status(), TrayStatus::SignedOut);

        Q_EMIT service.localKeyFailed(
            {ServiceError::Kind::KeychainFailed, QStringLiteral("the keychain said no")});
        QCOMPARE(changed.count(), 3);
        QCOMPARE(model.view().localKeyLine, QStringLiteral("Local key: the keychain said no"));
        Q_EMIT service.localKeyReady();
        QCOMPARE(changed.count(), 4);
        QVERIFY(model.view().localKeyLine.isEmpty());

        // A quota without a sign-in is no quota to show, but the model still looks again.
        service.quota()->report(QStringLiteral("quota used up"));
        QCOMPARE(changed.count(), 5);
        QVERIFY(model.isQuotaExhausted());
        QCOMPARE(model.view().quotaLine, QString());

        // Looking (the menu, the status window) is counted; nothing counts down without a
        // token that expires.
        model.setWatched(true); // current at once
        QVERIFY(changed.count() > 5);
        model.setWatched(true);
        model.setWatched(false);
        QVERIFY(model.isWatched());
        model.setWatched(false);
        QVERIFY(!model.isWatched());
        QCOMPARE(model.countdownRemainingMs(), -1);

        TrayStatusModel demo(&service, true);
        QCOMPARE(demo.toolTip().section(QLatin1Char('\n'), 0, 0),
                 QStringLiteral("Qwen Bridge DEMO"));
    }
};

QTEST_GUILESS_MAIN(TestTrayStatusModel)
#include "tst_traystatusmodel.moc"
