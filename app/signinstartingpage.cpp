#include "signinstartingpage.h"

#include "signinlabels.h"

#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>

SignInStartingPage::SignInStartingPage(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addWidget(SignInLabels::title(tr("Connecting to Qwen…"), this));
    layout->addWidget(SignInLabels::text(tr("Asking Qwen for a sign-in code."), this));
    auto *busy = new QProgressBar(this);
    busy->setRange(0, 0);
    busy->setTextVisible(false);
    layout->addWidget(busy);
    layout->addStretch(2);
}
