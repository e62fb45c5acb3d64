#pragma once

#include <QDialog>

class Settings;

// Name, version, what the application is for, and where each of its files lives.
class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    AboutDialog(const Settings *settings, bool demo, QWidget *parent = nullptr);
};
