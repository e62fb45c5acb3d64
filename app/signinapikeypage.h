#pragma once

#include <QUrl>
#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QProgressBar;

// The page of the second way in, an API key of Alibaba Cloud Model Studio: a plan and
// region, a base URL for a custom endpoint, a password field, and small print saying where
// requests go and where to get a key. The dialog reads the form on "Check and save", runs
// the check and tells the page to look busy or to show what went wrong.
class SignInApiKeyPage : public QWidget
{
    Q_OBJECT
public:
    // The fields a problem can be about; the page puts the focus there.
    enum class Field { None, BaseUrl, Key };
    Q_ENUM(Field)

    // --demo: every key goes to demoApiBase, which accepts demoApiKey; the page says so.
    explicit SignInApiKeyPage(const QUrl &demoApiBase = QUrl(), const QString &demoApiKey = {},
                              QWidget *parent = nullptr);

    QString presetId() const;
    QString baseUrlText() const; // as typed, for a custom endpoint
    QString key() const;         // without surrounding white space

    void setBaseUrlPlaceholder(const QString &example);
    // Ready for a fresh start: no error, and the rows that fit the chosen plan.
    void reset();
    void focusKey();
    // While the service checks a key the form cannot change; the page says whom it asked.
    void setBusy(bool busy, const QString &presetName = {});
    void showError(const QString &message, Field field);
    void hideError();
    void clearKey();

private:
    void updateBaseUrlRow();
    void updateKeyNotes(); // where to get a key for the plan, and a prefix that does not fit

    QUrl m_demoApiBase;
    QString m_demoApiKey;
    QFormLayout *m_form;
    QComboBox *m_presetCombo;
    QLabel *m_baseUrlLabel;
    QLineEdit *m_baseUrlEdit;
    QLabel *m_baseUrlNote; // where a preset's requests go
    QLineEdit *m_keyEdit;
    QLabel *m_keyHint;    // where to get a key for the chosen plan
    QLabel *m_prefixHint; // the key's prefix does not fit the plan
    QProgressBar *m_checkBusy;
    QLabel *m_checkStatus;
    QLabel *m_error;
};
