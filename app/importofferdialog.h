#pragma once

#include "credentials/legacyimport.h"

#include <QDialog>

class QCheckBox;

// Asked once, on the first run while signed out, when the tool Qwen Bridge replaces left a
// sign-in behind: take it over? Says first that renewing here signs the other tool out.
// The original file stays as it is unless the person ticks "Delete the original file".
class ImportOfferDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ImportOfferDialog(const LegacyImport::Found &found, QWidget *parent = nullptr);

    const LegacyImport::Found &found() const { return m_found; }
    bool deleteOriginal() const;

private:
    LegacyImport::Found m_found;
    QCheckBox *m_deleteOriginal;
};
