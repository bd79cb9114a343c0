// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/recordedevent.h"

#include <QAbstractItemModel>
#include <QList>

#include <vector>

namespace EventScope {

/**
 * The events of one correlation set as a tree of causes: an event sits under the event its metadata
 * "causationId" names. Events whose cause is not in the set (or that have none) are top-level rows; siblings
 * are in position order. Columns position, stream, version, type, time (UTC) and actor.
 *
 * Answers Qt::DisplayRole, Qt::ToolTipRole and, from modelroles.h, PositionRole, StreamIdRole, StreamVersionRole,
 * EventTypeRole, EventIdRole, RecordedAtRole, ActorRole and RecordedEventRole.
 */
class CorrelationTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { ColumnPosition, ColumnStream, ColumnVersion, ColumnType, ColumnTime, ColumnActor, ColumnCount };
    Q_ENUM(Column)

    explicit CorrelationTreeModel(QObject* parent = nullptr);

    /// Shows \a events (a reset); their order does not matter.
    void setEvents(QList<RecordedEvent> events);
    void clear();

    int eventCount() const { return int(m_events.size()); }
    int streamCount() const;
    /// The event at \a index, or nullptr.
    const RecordedEvent* event(const QModelIndex& index) const;
    /// The index (column 0) of the event at \a position, or an invalid index.
    QModelIndex indexOf(GlobalPosition position) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    // Nodes are indices into m_events; internalId() of an index is its event's number + 1 (0 is the root).
    struct Node {
        int parent = -1; ///< event number of the cause in the set, or -1 for a top-level row
        int row = 0;
        QList<int> children;
    };
    const QList<int>& childrenOf(int eventNumber) const;
    static int numberOf(const QModelIndex& index) { return int(index.internalId()) - 1; }

    QList<RecordedEvent> m_events; ///< in position order
    std::vector<Node> m_nodes; ///< parallel to m_events
    QList<int> m_roots;
};

} // namespace EventScope
