// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "projections/projectionstatus.h"

#include <QAbstractTableModel>
#include <QList>
#include <QTimer>

#include <chrono>
#include <memory>

namespace EventScope {

class Engine;

/**
 * The projections of an Engine, one row each, ordered and keyed by name (rows keep their place; a status update is
 * a dataChanged() of the cells that changed, never a reset).
 *
 * Columns: name, state, checkpoint, head, lag in events, lag in time, events per second, ETA, progress (of a
 * rebuild, or of catching up: checkpoint / head) and the last error (the fault's event and error when
 * faulted).
 *
 * With setEngine() the model follows the engine's ProjectionManager: while it runs in this process, through its
 * statusChanged() signal (emitted from the runner threads, taken queued) and a cheap statuses() poll every
 * refreshInterval(); while it does not run here, by reading the store's recorded statuses (storedStatuses(), on
 * a pool thread) every refreshInterval(), which also shows a projection another instance runs as
 * running-elsewhere. setStatuses() and updateStatus() take statuses from elsewhere.
 *
 * Roles, besides Qt::DisplayRole, Qt::ToolTipRole and Qt::TextAlignmentRole, on every column: this model's Role
 * values. SortRole has the cell's raw value (numbers as numbers).
 */
class ProjectionStatusModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        ColumnName,
        ColumnState,
        ColumnCheckpoint,
        ColumnHead,
        ColumnLagEvents,
        ColumnLagTime,
        ColumnRate,
        ColumnEta,
        ColumnProgress,
        ColumnError,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role : int {
        NameRole = Qt::UserRole + 128, ///< QString, the projection's name
        StateRole, ///< int, a ProjectionState
        ProgressRole, ///< double 0…1 while rebuilding or catching up, else -1
        ProgressKindRole, ///< QString: "rebuild", "catch-up" or empty
        SortRole, ///< the cell's raw value: qint64 positions and counts, milliseconds, double rate and progress
        StatusRole, ///< QVariant of EventScope::ProjectionStatus
    };
    Q_ENUM(Role)

    explicit ProjectionStatusModel(QObject* parent = nullptr);
    ~ProjectionStatusModel() override;

    /// Follows \a engine's projections (null: none; the rows are removed). Loads at once.
    void setEngine(std::shared_ptr<Engine> engine);
    const std::shared_ptr<Engine>& engine() const { return m_engine; }

    /// How often statuses are polled (0: only on refresh() and, when running here, statusChanged()).
    void setRefreshInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds refreshInterval() const { return m_refreshInterval; }
    /// Stops (false) or restarts (true) the polling, e.g. while the view is hidden; statusChanged() still updates.
    void setPolling(bool on);
    bool isPolling() const { return m_polling; }
    /// Takes the statuses again now: statuses() when the projections run here, else storedStatuses() on a pool
    /// thread (loaded() or failed() when it is done).
    void refresh();
    /// True while a storedStatuses() read is on its way.
    bool isLoading() const { return m_loading; }

    /// Shows \a statuses: rows of known names are updated in place, new names inserted by name, missing ones removed.
    void setStatuses(const QList<ProjectionStatus>& statuses);
    /// Updates the row of \a status's projection (inserts it, by name, when new).
    void updateStatus(const ProjectionStatus& status);

    /// The row of \a name, or -1.
    int rowOf(const QString& name) const;
    const ProjectionStatus& status(int row) const { return m_rows.at(row); }
    const QList<ProjectionStatus>& statuses() const { return m_rows; }

    /// "live", "catching up", "running elsewhere", … as the state column shows it.
    static QString stateText(ProjectionState state);
    /// \a count with group separators ("1,204,332" in English).
    static QString countText(qint64 count);
    /// A duration for people: "0 s", "850 ms", "12 s", "3 min 5 s", "2 h 10 min".
    static QString durationText(std::chrono::milliseconds duration);
    /// 0…1 of \a status's rebuild, else of its catching up; -1 when neither.
    static double progressOf(const ProjectionStatus& status);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    /// A refresh() from the store finished and its statuses are shown.
    void loaded();
    /// Reading the stored statuses failed; \a message says why.
    void failed(const QString& message);

private:
    QVariant display(const ProjectionStatus& status, int column) const;
    QVariant sortValue(const ProjectionStatus& status, int column) const;
    QString toolTip(const ProjectionStatus& status, int column) const;

    std::shared_ptr<Engine> m_engine;
    QList<ProjectionStatus> m_rows;
    QTimer m_timer;
    std::chrono::milliseconds m_refreshInterval { 1000 };
    quint64 m_generation = 0;
    bool m_loading = false;
    bool m_polling = true;
};

} // namespace EventScope
