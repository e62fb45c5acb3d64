#include "accountsmenu.h"

#include "bridge/bridgeservice.h"
#include "credentials/accountstore.h"
#include "credentials/apikeycheck.h"
#include "gui.h"
#include "session/accountpool.h"
#include "settings/settings.h"
#include "signindialog.h"

#include <QAbstractButton>
#include <QInputDialog>
#include <QMessageBox>
#include <algorithm>

AccountsMenu::AccountsMenu(BridgeService *service, bool demo, QWidget *parent)
    : QMenu(parent)
    , m_service(service)
    , m_demo(demo)
{
    setObjectName(QStringLiteral("accountsMenu"));
    setTitle(tr("Accounts"));
    connect(service->accounts(), &AccountPool::changed, this, &AccountsMenu::rebuild);
    connect(this, &QMenu::aboutToShow, this, &AccountsMenu::rebuild);
    connect(this, &AccountsMenu::edited, this, [this](const QString &problem) {
        if (problem.isEmpty())
            return;
        // One at a time, and gone with the menu if still open then.
        delete m_problemBox;
        m_problemBox =
            new QMessageBox(QMessageBox::Warning, tr("Accounts"), problem, QMessageBox::Ok);
        m_problemBox->setObjectName(QStringLiteral("accountsProblem"));
        m_problemBox->setAttribute(Qt::WA_DeleteOnClose);
        m_problemBox->open();
    });
    rebuild();
}

AccountsMenu::~AccountsMenu()
{
    delete m_addDialog;
    delete m_problemBox;
}

void AccountsMenu::rebuild()
{
    // clear() drops the actions but not the submenus behind them: those go too (later, in
    // case one of them is on screen right now).
    const QList<QMenu *> old = findChildren<QMenu *>(Qt::FindDirectChildrenOnly);
    for (QMenu *submenu : old) {
        submenu->setObjectName(QString());
        submenu->deleteLater();
    }
    clear();
    const QList<AccountInfo> accounts = m_service->accounts()->accounts();
    const int count = int(accounts.size());
    for (const AccountInfo &a : accounts) {
        const QString plan = a.planName.isEmpty() ? tr("nothing stored") : a.planName;
        QMenu *item = addMenu(QStringLiteral("%1%2. %3 — %4 · %5")
                                  .arg(a.serving ? QStringLiteral("▶ ") : QString())
                                  .arg(a.position)
                                  .arg(a.name, plan, a.describeState()));
        item->setObjectName(QStringLiteral("account:") + a.name);
        if (!a.reason.isEmpty() && a.route != AccountIndex::Route::Usable)
            item->setToolTip(a.reason);
        item->setToolTipsVisible(true);
        const QString name = a.name;
        QAction *first = item->addAction(tr("Use first"), this, [this, name] { useFirst(name); });
        first->setObjectName(QStringLiteral("useFirst"));
        first->setEnabled(a.position > 1);
        QAction *up = item->addAction(tr("Move up"), this, [this, name] { move(name, -1); });
        up->setObjectName(QStringLiteral("moveUp"));
        up->setEnabled(a.position > 1);
        QAction *down = item->addAction(tr("Move down"), this, [this, name] { move(name, 1); });
        down->setObjectName(QStringLiteral("moveDown"));
        down->setEnabled(a.position < count);
        item->addSeparator();
        item->addAction(tr("Rename…"), this, [this, name] { askRename(name); })
            ->setObjectName(QStringLiteral("rename"));
        item->addAction(tr("Remove…"), this, [this, name] { askRemove(name); })
            ->setObjectName(QStringLiteral("remove"));
    }
    // Nothing stored yet: "Sign in…" is the way in, and the submenu stays out of the way.
    const bool anyStored = std::any_of(accounts.begin(), accounts.end(), [](const AccountInfo &a) {
        return a.method != AuthMethod::None;
    });
    menuAction()->setVisible(anyStored);
    menuAction()->setObjectName(QStringLiteral("accountsAction"));
    addSeparator();
    addAction(tr("Add API key…"), this, [this] {
        askName(true);
    })->setObjectName(QStringLiteral("addApiKey"));
    addAction(tr("Add Qwen account…"), this, [this] {
        askName(false);
    })->setObjectName(QStringLiteral("addQwenAccount"));
}

void AccountsMenu::finishEdit(const QString &problem)
{
    Q_EMIT edited(problem);
}

void AccountsMenu::useFirst(const QString &name)
{
    const QPointer<AccountsMenu> self(this);
    m_service->editAccounts(
        [name](AccountStore *store, auto done) {
            store->use(name, [done](const AccountStore::Result &r) {
                done(ServiceError::fromEdit(r.keychain, r.problem));
            });
        },
        [self](const ServiceError &e) {
            if (self)
                self->finishEdit(e.message);
        });
}

void AccountsMenu::move(const QString &name, int delta)
{
    QStringList names;
    const QList<AccountInfo> accounts = m_service->accounts()->accounts();
    for (const AccountInfo &a : accounts)
        names << a.name;
    const int from = int(names.indexOf(name));
    const int to = from + delta;
    if (from < 0 || to < 0 || to >= names.size())
        return;
    names.move(from, to);
    const QPointer<AccountsMenu> self(this);
    m_service->editAccounts(
        [names](AccountStore *store, auto done) {
            store->reorder(names, [done](const AccountStore::Result &r) {
                done(ServiceError::fromEdit(r.keychain, r.problem));
            });
        },
        [self](const ServiceError &e) {
            if (self)
                self->finishEdit(e.message);
        });
}

void AccountsMenu::rename(const QString &name, const QString &newName)
{
    const QPointer<AccountsMenu> self(this);
    m_service->editAccounts(
        [name, newName](AccountStore *store, auto done) {
            store->rename(name, newName, [done](const AccountStore::Result &r) {
                done(ServiceError::fromEdit(r.keychain, r.problem));
            });
        },
        [self](const ServiceError &e) {
            if (self)
                self->finishEdit(e.message);
        });
}

void AccountsMenu::remove(const QString &name)
{
    const QPointer<AccountsMenu> self(this);
    m_service->editAccounts(
        [name](AccountStore *store, auto done) {
            store->remove(name, [done](const AccountStore::Result &r) {
                done(ServiceError::fromEdit(r.keychain, r.problem));
            });
        },
        [self](const ServiceError &e) {
            if (self)
                self->finishEdit(e.message);
        });
}

SignInDialog *AccountsMenu::add(const QString &name, bool apiKey)
{
    delete m_addDialog;
    BridgeService *service = m_service;
    SignInBackend backend;
    backend.createAuthorization = [service](QObject *parent) {
        return service->createDeviceAuthorization(parent);
    };
    // The same dialog as the first sign-in; what it stores goes under the new name.
    backend.completeSignIn = [service, name](const TokenSet &tokens, BridgeService::Done done) {
        service->addAccount(name, Credentials::fromTokens(tokens), std::move(done));
    };
    backend.createApiKeyCheck = [service](QObject *parent) {
        return new ApiKeyCheck(service->network(), parent);
    };
    backend.signIn = [service, name](const Credentials &credentials, BridgeService::Done done) {
        service->addAccount(name, credentials, std::move(done));
    };
    if (m_demo) {
        backend.demoApiBase = service->settings()->apiFallbackUrl();
        backend.demoApiKey = demoApiKey();
    }
    m_addDialog = new SignInDialog(std::move(backend), m_demo);
    m_addDialog->setAttribute(Qt::WA_DeleteOnClose);
    m_addDialog->setWindowTitle(tr("Add the credential “%1”").arg(name));
    m_addDialog->show();
    m_addDialog->raise();
    m_addDialog->activateWindow();
    if (apiKey)
        m_addDialog->startWithApiKey();
    else
        m_addDialog->start();
    return m_addDialog;
}

void AccountsMenu::askName(bool apiKey)
{
    auto *ask = new QInputDialog;
    ask->setObjectName(QStringLiteral("accountNameDialog"));
    ask->setAttribute(Qt::WA_DeleteOnClose);
    ask->setWindowTitle(apiKey ? tr("Add API key") : tr("Add Qwen account"));
    ask->setLabelText(tr("A name for the new credential (for example “work” or “coding-plan”):"));
    connect(ask, &QInputDialog::textValueSelected, this, [this, apiKey](const QString &text) {
        const QString name = text.trimmed();
        if (const QString problem = AccountIndex::checkName(name); !problem.isEmpty()) {
            finishEdit(problem);
            return;
        }
        add(name, apiKey);
    });
    ask->open();
}

void AccountsMenu::askRename(const QString &name)
{
    auto *ask = new QInputDialog;
    ask->setObjectName(QStringLiteral("renameDialog"));
    ask->setAttribute(Qt::WA_DeleteOnClose);
    ask->setWindowTitle(tr("Rename “%1”").arg(name));
    ask->setLabelText(tr("New name:"));
    ask->setTextValue(name);
    connect(ask, &QInputDialog::textValueSelected, this, [this, name](const QString &text) {
        const QString newName = text.trimmed();
        if (newName != name)
            rename(name, newName);
    });
    ask->open();
}

void AccountsMenu::askRemove(const QString &name)
{
    auto *box = new QMessageBox(QMessageBox::Question, tr("Remove “%1”?").arg(name),
                                tr("Remove the credential “%1” and its secret from the keychain? "
                                   "Requests under way finish; new ones go to the next "
                                   "credential.")
                                    .arg(name),
                                QMessageBox::Yes | QMessageBox::Cancel);
    box->setObjectName(QStringLiteral("removeDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, box, name](QAbstractButton *b) {
        if (box->standardButton(b) == QMessageBox::Yes)
            remove(name);
    });
    box->open();
}
