#pragma once

#include "usage/usagereport.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QTableWidget;
class QVBoxLayout;
class UsageStore;

// "Usage…": requests and tokens per day over 7, 30 or 90 days, the breakdown by model, a
// gauge per plan window and an export to CSV. It only draws a UsageReport: the numbers are
// the command line's and the tray's.
class UsageWindow : public QWidget
{
    Q_OBJECT
public:
    // store must outlive the window and belong to this thread.
    explicit UsageWindow(const UsageStore &store, QWidget *parent = nullptr);

    // Reads the store again (the plan, tier and subscription day from the settings).
    void refresh();
    // 7, 30 or 90.
    void setDays(int days);
    int days() const;
    const UsageReport &report() const { return m_report; }
    // Writes the shown days as CSV; an empty string, or the sentence that says why not.
    QString exportCsv(const QString &path) const;

protected:
    void showEvent(QShowEvent *event) override;

private:
    void chooseCsvFile();
    void rebuildCharts();
    void rebuildGauges();
    void rebuildModels();

    const UsageStore &m_store;
    UsageReport m_report;
    QComboBox *m_range = nullptr;
    QLabel *m_status = nullptr;
    // Views from the charts plugin; null when it could not be loaded.
    QWidget *m_requestsChart = nullptr;
    QWidget *m_tokensChart = nullptr;
    QTableWidget *m_models = nullptr;
    QVBoxLayout *m_gauges = nullptr;
};
