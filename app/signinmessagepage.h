#pragma once

#include <QStyle>
#include <QWidget>

class QLabel;

// A page of the sign-in dialog that says how things stand or how they ended: an icon, a
// title and a detail, centred a little above the middle. The dialog has one for each
// outcome (finishing, success, denied, expired, network trouble, error) and sets the texts.
class SignInMessagePage : public QWidget
{
    Q_OBJECT
public:
    explicit SignInMessagePage(QStyle::StandardPixmap icon, QWidget *parent = nullptr);

    QString title() const;
    QString detail() const;

public Q_SLOTS:
    void setTitle(const QString &title);
    void setDetail(const QString &detail);
    void setMessage(const QString &title, const QString &detail);

private:
    QLabel *m_title;
    QLabel *m_detail;
};
