#pragma once

#include "bridge/serviceerror.h"
#include "credentials/apikeycheck.h"
#include "credentials/credentials.h"
#include "oauth/oauthtypes.h"

#include <QDialog>
#include <QPointer>
#include <QStyle>
#include <functional>

class DeviceAuthorization;
class QPushButton;
class QStackedWidget;
class SignInApiKeyPage;
class SignInCodePage;
class SignInMessagePage;

// What the dialog needs from the bridge; BridgeService in the application, fakes in tests.
struct SignInBackend
{
    // One device sign-in attempt; the dialog owns what it gets.
    std::function<DeviceAuthorization *(QObject *parent)> createAuthorization;
    // Stores the tokens of a finished sign-in and calls done(error) when that is over.
    std::function<void(const TokenSet &tokens, std::function<void(const ServiceError &)> done)>
        completeSignIn;
    // The second way in. Checks an API key with the service before anything is stored; the
    // dialog owns what it gets. Without it the dialog offers no API key.
    std::function<ApiKeyCheck *(QObject *parent)> createApiKeyCheck;
    // Stores checked API-key credentials and calls done(error) when that is over.
    std::function<void(const Credentials &credentials,
                       std::function<void(const ServiceError &)> done)>
        signIn;
    // --demo: every key is checked against, and later used with, this base instead of the
    // real one of the chosen plan, so that the demo never sends a key anywhere else.
    QUrl demoApiBase;
    QString demoApiKey; // the key that service accepts, for the page to say so
};

// The browser sign-in, shown the way a person follows it: the code to check, a QR code of
// the link for another device and a button that opens the browser (which also opens once by
// itself), on a SignInCodePage. Each way it can end has a SignInMessagePage of its own; the
// ones a person can fix offer "Try again".
// The second way in is an API key of Alibaba Cloud Model Studio, on a SignInApiKeyPage, and
// "Check and save", which stores nothing unless the service accepts it.
// The dialog keeps the flow: which page shows, the attempt or the check under way, and the
// buttons along the bottom.
class SignInDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Page {
        Starting,
        Code,
        ApiKey, // plan, region and key; check and refusal messages stay on this page
        Finishing,
        Success,
        Denied,
        Expired,
        Network,
        Error
    };
    Q_ENUM(Page)

    SignInDialog(SignInBackend backend, bool demo, QWidget *parent = nullptr);
    ~SignInDialog() override;

    Page page() const { return m_page; }
    DeviceCode code() const;
    // How long a successful dialog stays on screen before it closes itself.
    void setSuccessDelay(int ms) { m_successDelayMs = ms; }

    // Empty when text is a base URL a key may be sent to, else a sentence saying why not:
    // https, or http to this computer only. The parsed URL goes to url.
    static QString checkBaseUrl(const QString &text, QUrl *url = nullptr);
    // Empty when key looks like an API key, else a sentence saying why not.
    static QString checkApiKeyText(const QString &key);

    bool offersApiKey() const;
    bool isCheckingApiKey() const;

public Q_SLOTS:
    // Starts a device sign-in, or a fresh one after a failure.
    void start();
    // Shows the API-key page instead; a device sign-in under way stops.
    void startWithApiKey();
    void reject() override;
    void done(int result) override;

Q_SIGNALS:
    // The credentials are stored (either way in); the dialog closes itself shortly after.
    void signedIn();

private:
    SignInMessagePage *addMessagePage(Page page, QStyle::StandardPixmap icon);
    void showPage(Page page);
    void onCodeReady(const DeviceCode &code);
    void onSucceeded(const TokenSet &tokens);
    void onFailed(const AuthFailure &failure);
    void stopAuthorization();
    void tryAgain();
    void switchMethod();
    void checkAndSave();
    void onApiKeyChecked(ApiKeyCheck::Outcome outcome, const QString &message);
    void setApiKeyBusy(bool busy);
    void stopApiKeyCheck();
    void forgetKey();
    void showSaved(const QString &title, const QString &detail);

    SignInBackend m_backend;
    Page m_page = Page::Starting;
    QPointer<DeviceAuthorization> m_authorization;
    QPointer<ApiKeyCheck> m_apiKeyCheck;
    Credentials m_pendingKey; // between "Check and save" and the service's answer
    QString m_pendingPresetName;
    bool m_apiKeyFlow = false; // which way in "Try again" goes back to
    int m_successDelayMs = 1200;

    QStackedWidget *m_pages;
    QMap<Page, int> m_pageIndex;
    SignInCodePage *m_codePage;
    SignInApiKeyPage *m_apiKeyPage;
    SignInMessagePage *m_finishingPage;
    SignInMessagePage *m_successPage;
    SignInMessagePage *m_networkPage;
    SignInMessagePage *m_errorPage;
    QPushButton *m_checkButton;
    QPushButton *m_apiKeyButton; // "Use an API key instead…" or back to the Qwen account
    QPushButton *m_tryAgainButton;
    QPushButton *m_closeButton;
};
