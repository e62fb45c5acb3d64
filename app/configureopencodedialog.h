#pragma once

#include "opencode/opencodeconfig.h"

#include <QDialog>

class QLabel;
class QPushButton;

// "Configure OpenCode…": says which file will be edited and what will change in it, asks,
// and then merges the provider block in with a backup of the old file (the same edit as
// `qwen-bridge opencode-config --write`).
class ConfigureOpenCodeDialog : public QDialog
{
    Q_OBJECT
public:
    ConfigureOpenCodeDialog(const OpenCodeConfig &config, const QString &path, bool demo,
                            QWidget *parent = nullptr);

    QString path() const { return m_path; }
    void setPath(const QString &path);
    // What writing would do now (a dry run over the file as it is on disk).
    OpenCodeConfig::Result preview() const { return m_preview; }
    bool canWrite() const;

public Q_SLOTS:
    void write();
    void chooseFile();

Q_SIGNALS:
    void written(const OpenCodeConfig::Result &result);

private:
    void refresh();

    OpenCodeConfig m_config;
    QString m_path;
    OpenCodeConfig::Result m_preview;
    QLabel *m_pathLabel;
    QLabel *m_changes;
    QLabel *m_outcome;
    QPushButton *m_chooseButton;
    QPushButton *m_writeButton;
    QPushButton *m_closeButton;
};
