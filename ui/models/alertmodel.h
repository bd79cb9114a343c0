// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "monitoring/alertmonitor.h"

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>

namespace EventScope {

/**
 * An AlertMonitor's alerts as a table: Mode::Active lists the active alerts (critical first, then oldest first),
 * Mode::History the raised and cleared ones, newest first, as many as the monitor keeps. Follows the monitor's
 * signals with row insertions and removals; the monitor may live on another thread (its signals then arrive
 * queued).
 */
class AlertModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Mode { Active, History };

    /// Active: Since, Severity, Alert, Message. History: Time, Change, Severity, Alert, Message.
    enum Column { ColumnTime, ColumnChange, ColumnSeverity, ColumnAlert, ColumnMessage, ColumnCount };
    enum Role {
        AlertIdRole = Qt::UserRole + 1,
        SeverityRole, ///< int(AlertMonitor::Severity)
        KindRole, ///< int(AlertMonitor::Kind)
        ClearedRole, ///< bool: the row is a Cleared transition (history)
    };

    explicit AlertModel(Mode mode, QObject* parent = nullptr);

    Mode mode() const { return m_mode; }
    /// Follows \a monitor (null: empty), which must outlive the model or be reset first.
    void setMonitor(AlertMonitor* monitor);
    AlertMonitor* monitor() const { return m_monitor; }

    /// The row's alert (in the history: as it was at the transition).
    const AlertMonitor::Alert& alert(int row) const { return m_rows.at(row).alert; }

    /// "Projection lag: accounts", "Circuit breaker open: default", "Command errors", "Store latency: append".
    static QString alertTitle(const AlertMonitor::Alert& alert);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void onRaised(const AlertMonitor::Alert& alert);
    void onCleared(const AlertMonitor::Alert& alert);
    void onUpdated(const AlertMonitor::Alert& alert);
    void addHistory(AlertMonitor::Transition::Change change, const AlertMonitor::Alert& alert);
    int activeRowOf(const QString& id) const;
    int insertPosition(const AlertMonitor::Alert& alert) const;
    Column columnAt(int section) const;

    const Mode m_mode;
    QPointer<AlertMonitor> m_monitor;
    QList<AlertMonitor::Transition> m_rows;
};

} // namespace EventScope
