#pragma once

#include "oauth/oauthtypes.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTimer;
class QrWidget;

// The page of a device sign-in under way, shown the way a person follows it: the code to
// check (large, selectable, copyable), a QR code of the link for another device, a button
// that opens the browser, and how long the code stays valid. The dialog hands it the code
// and the attempt's countdown and passing trouble; the page does the rest itself.
class SignInCodePage : public QWidget
{
    Q_OBJECT
public:
    explicit SignInCodePage(QWidget *parent = nullptr);

    DeviceCode code() const { return m_code; }

public Q_SLOTS:
    // Shows code, its links and its lifetime.
    void showCode(const DeviceCode &code);
    // Empties the page for the next attempt.
    void clear();
    void setCountdown(int secondsLeft);
    // The last check went unanswered; the attempt goes on.
    void showTransientError(const QString &message);
    // Opens the code's complete link in the browser, or says on the page that it could not.
    void openBrowser();
    void copyCode();
    // "Open browser" becomes the default button and takes the focus.
    void focusOpenBrowser();

private:
    DeviceCode m_code;
    QLabel *m_codeLabel;
    QPushButton *m_copyButton;
    QTimer *m_copiedTimer;
    QrWidget *m_qr;
    QLabel *m_linkLabel;
    QPushButton *m_openBrowserButton;
    QLabel *m_browserHint;
    QLabel *m_countdownLabel;
    QLabel *m_transientLabel;
};
