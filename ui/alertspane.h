// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "monitoring/alertmonitor.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QTableView;

namespace EventScope {

class AlertModel;

/**
 * The alerts pane: a summary line ("2 alerts active" or "No alert is active"), the active alerts (critical first)
 * with what to do about each, their history (raised and cleared, newest first), and the thresholds in force with
 * where to change them (the `alerts:` section of the configuration).
 */
class AlertsPane : public QWidget {
    Q_OBJECT
public:
    explicit AlertsPane(QWidget* parent = nullptr);
    ~AlertsPane() override;

    /// Shows \a monitor's alerts (null: none), which must outlive the pane or be reset first.
    void setMonitor(AlertMonitor* monitor);
    AlertMonitor* monitor() const { return m_monitor; }

    AlertModel* activeModel() const { return m_active; }
    AlertModel* historyModel() const { return m_history; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void updateSummary();
    QString thresholdsText() const;

    QPointer<AlertMonitor> m_monitor;
    AlertModel* m_active = nullptr;
    AlertModel* m_history = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_thresholds = nullptr;
    QTableView* m_activeView = nullptr;
    QTableView* m_historyView = nullptr;
};

} // namespace EventScope
