#pragma once

#include "appicons.h"

#include <QPointer>
#include <QWidget>

class QAction;
class QGridLayout;
class QFrame;
class QLabel;
class QPushButton;
class QVBoxLayout;

// The tray's stand-in when the desktop has no tray (GNOME without the AppIndicator
// extension, --windowed): the same status lines and the same actions, as a small window.
class StatusWindow : public QWidget
{
    Q_OBJECT
public:
    explicit StatusWindow(bool demo, QWidget *parent = nullptr);

    // Buttons that follow the actions' text, visibility, enabled and checked state.
    void setActions(const QList<QAction *> &main, const QList<QAction *> &footer);
    void setStatus(TrayStatus status, const QString &title, const QStringList &lines);
    // action: a button beside the notice that does what it suggests; none when null.
    void showNotice(const QString &title, const QString &message, QAction *action = nullptr);
    QString notice() const;
    // With a tray, closing hides the window; without one it only minimizes, because
    // there would be no way back to a hidden window.
    void setTrayAvailable(bool available);
    bool isTrayAvailable() const { return m_trayAvailable; }
    // --windowed: the window was asked for, whether or not a tray exists.
    void setWindowedOnPurpose(bool onPurpose);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    QWidget *buttonFor(QAction *action);
    void arrangeButtons();
    void fitHeight();

    void updateNote();

    bool m_trayAvailable = false;
    bool m_onPurpose = false;
    QLabel *m_icon;
    QLabel *m_title;
    QVBoxLayout *m_lines;
    QFrame *m_noticeFrame;
    QLabel *m_notice;
    QPushButton *m_noticeButton;
    QPointer<QAction> m_noticeAction;
    QGridLayout *m_buttons;
    QList<QWidget *> m_mainButtons;
    QList<QWidget *> m_arranged; // the visible ones, in grid order
    QVBoxLayout *m_footer;
    QLabel *m_noTrayNote;
};
