#pragma once

#include <QWidget>

// The sign-in dialog's first page, while Qwen is asked for a code: a title, a line of text
// and a busy bar. It has nothing to do; the dialog moves on when the code arrives.
class SignInStartingPage : public QWidget
{
    Q_OBJECT
public:
    explicit SignInStartingPage(QWidget *parent = nullptr);
};
