#pragma once

#include "bridge/serviceerror.h"

#include <QMenu>
#include <QPointer>
#include <functional>

class AccountStore;
class QMessageBox;
class BridgeService;
class SignInDialog;

// The tray's "Accounts" submenu: every credential in its order with its plan and state
// (AccountPool decides both), the one serving marked, and for each: use first, move up or
// down, rename, remove. "Add API key…" and "Add Qwen account…" ask a name and open the
// sign-in dialog, which then stores the credential under that name. The edits are
// AccountStore's; after each the service reads the list again.
class AccountsMenu : public QMenu
{
    Q_OBJECT
public:
    AccountsMenu(BridgeService *service, bool demo, QWidget *parent = nullptr);
    ~AccountsMenu() override;

    // The edits the actions make once a name is known (tests call them directly).
    void useFirst(const QString &name);
    void move(const QString &name, int delta);
    void rename(const QString &name, const QString &newName);
    void remove(const QString &name);
    // The sign-in dialog for a new credential called `name`: an API key or a Qwen account.
    SignInDialog *add(const QString &name, bool apiKey);
    SignInDialog *addDialog() const { return m_addDialog; }

public Q_SLOTS:
    void rebuild();

Q_SIGNALS:
    // An edit is over: empty when it worked, else a sentence for the person.
    void edited(const QString &problem);

private:
    void askName(bool apiKey);
    void askRename(const QString &name);
    void askRemove(const QString &name);
    void finishEdit(const QString &problem);

    BridgeService *m_service;
    bool m_demo;
    QPointer<SignInDialog> m_addDialog;
    QPointer<QMessageBox> m_problemBox; // a refused edit's sentence, while shown
};
