#pragma once

#include "oauth/oauthtypes.h"

#include <QDialog>
#include <QPointer>
#include <functional>

class DeviceAuthorization;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTimer;
class QrWidget;

// What the dialog needs from the bridge; BridgeService in the application, fakes in tests.
struct SignInBackend
{
    // One device sign-in attempt; the dialog owns what it gets.
    std::function<DeviceAuthorization *(QObject *parent)> createAuthorization;
    // Stores the tokens of a finished sign-in and calls done(ok, message) when that is over.
    std::function<void(const TokenSet &tokens, std::function<void(bool, QString)> done)>
        completeSignIn;
};

// The browser sign-in, shown the way a person follows it: the code to check (large,
// selectable, copyable), a QR code of the link for another device, a button that opens the
// browser (which also opens once by itself), and how long the code stays valid. Each way it
// can end has a page of its own; the ones a person can fix offer "Try again".
class SignInDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Page { Starting, Code, Finishing, Success, Denied, Expired, Network, Error };
    Q_ENUM(Page)

    SignInDialog(SignInBackend backend, bool demo, QWidget *parent = nullptr);
    ~SignInDialog() override;

    Page page() const { return m_page; }
    DeviceCode code() const { return m_code; }
    // How long a successful dialog stays on screen before it closes itself.
    void setSuccessDelay(int ms) { m_successDelayMs = ms; }

    static QString formatCountdown(int seconds); // mm:ss

public Q_SLOTS:
    // Starts a sign-in, or a fresh one after a failure.
    void start();
    void reject() override;

Q_SIGNALS:
    // The tokens are stored; the dialog closes itself shortly after.
    void signedIn();

private:
    QWidget *buildStartingPage();
    QWidget *buildCodePage();
    QWidget *buildMessagePage(Page page, QLabel **title, QLabel **detail);
    void showPage(Page page);
    void onCodeReady(const DeviceCode &code);
    void onCountdown(int secondsLeft);
    void onTransientError(const QString &message);
    void onSucceeded(const TokenSet &tokens);
    void onFailed(const AuthFailure &failure);
    void openBrowser();
    void copyCode();
    void stopAuthorization();

    SignInBackend m_backend;
    Page m_page = Page::Starting;
    DeviceCode m_code;
    QPointer<DeviceAuthorization> m_authorization;
    int m_successDelayMs = 1200;

    QStackedWidget *m_pages;
    QMap<Page, int> m_pageIndex;
    QLabel *m_codeLabel;
    QPushButton *m_copyButton;
    QTimer *m_copiedTimer;
    QrWidget *m_qr;
    QLabel *m_linkLabel;
    QPushButton *m_openBrowserButton;
    QLabel *m_browserHint;
    QLabel *m_countdownLabel;
    QLabel *m_transientLabel;
    QLabel *m_networkDetail;
    QLabel *m_errorTitle;
    QLabel *m_errorDetail;
    QPushButton *m_apiKeyButton;
    QPushButton *m_tryAgainButton;
    QPushButton *m_closeButton;
};
