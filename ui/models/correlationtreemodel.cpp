// SPDX-License-Identifier: Apache-2.0
#include "correlationtreemodel.h"

#include "modelroles.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace EventScope {

CorrelationTreeModel::CorrelationTreeModel(QObject* parent)
    : QAbstractItemModel(parent)
{
}

void CorrelationTreeModel::setEvents(QList<RecordedEvent> events)
{
    beginResetModel();
    m_events = std::move(events);
    std::sort(m_events.begin(), m_events.end(),
        [](const RecordedEvent& a, const RecordedEvent& b) { return a.position < b.position; });
    m_nodes.assign(size_t(m_events.size()), Node {});
    m_roots.clear();

    QHash<QUuid, int> numberById;
    for (int i = 0; i < m_events.size(); ++i)
        numberById.insert(m_events.at(i).eventId, i);
    for (int i = 0; i < m_events.size(); ++i) {
        const QUuid cause
            = QUuid::fromString(m_events.at(i).metadataObject().value(QLatin1String("causationId")).toString());
        const int parent = cause.isNull() ? -1 : numberById.value(cause, -1);
        m_nodes[size_t(i)].parent = parent == i ? -1 : parent;
    }
    // Causation cannot loop in a well-formed store, but metadata is data: an event on a loop becomes a top-level
    // row instead of hanging the view. Cut in position order, so the earliest event of a loop is its root.
    for (int i = 0; i < m_events.size(); ++i) {
        int steps = 0;
        for (int up = m_nodes[size_t(i)].parent; up >= 0 && steps <= m_events.size();
             up = m_nodes[size_t(up)].parent, ++steps) {
            if (up == i) {
                m_nodes[size_t(i)].parent = -1;
                break;
            }
        }
    }
    for (int i = 0; i < m_events.size(); ++i) {
        Node& node = m_nodes[size_t(i)];
        QList<int>& siblings = node.parent < 0 ? m_roots : m_nodes[size_t(node.parent)].children;
        node.row = int(siblings.size());
        siblings.append(i);
    }
    endResetModel();
}

void CorrelationTreeModel::clear()
{
    setEvents({});
}

int CorrelationTreeModel::streamCount() const
{
    QSet<QString> streams;
    for (const RecordedEvent& event : m_events)
        streams.insert(event.streamId);
    return int(streams.size());
}

const RecordedEvent* CorrelationTreeModel::event(const QModelIndex& index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    return &m_events.at(numberOf(index));
}

QModelIndex CorrelationTreeModel::indexOf(GlobalPosition position) const
{
    const auto it = std::lower_bound(m_events.begin(), m_events.end(), position,
        [](const RecordedEvent& event, GlobalPosition wanted) { return event.position < wanted; });
    if (it == m_events.end() || it->position != position)
        return {};
    const int number = int(it - m_events.begin());
    return createIndex(m_nodes[size_t(number)].row, 0, quintptr(number + 1));
}

const QList<int>& CorrelationTreeModel::childrenOf(int eventNumber) const
{
    return eventNumber < 0 ? m_roots : m_nodes[size_t(eventNumber)].children;
}

QModelIndex CorrelationTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0 || (parent.isValid() && parent.column() != 0))
        return {};
    const QList<int>& children = childrenOf(parent.isValid() ? numberOf(parent) : -1);
    if (row >= children.size())
        return {};
    return createIndex(row, column, quintptr(children.at(row) + 1));
}

QModelIndex CorrelationTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    const int parent = m_nodes[size_t(numberOf(child))].parent;
    if (parent < 0)
        return {};
    return createIndex(m_nodes[size_t(parent)].row, 0, quintptr(parent + 1));
}

int CorrelationTreeModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(childrenOf(parent.isValid() ? numberOf(parent) : -1).size());
}

int CorrelationTreeModel::columnCount(const QModelIndex& parent) const
{
    Q_UNUSED(parent)
    return ColumnCount;
}

QVariant CorrelationTreeModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const RecordedEvent& event = m_events.at(numberOf(index));
    const auto actor = [&] { return event.metadataObject().value(QLatin1String("actor")).toString(); };
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ColumnPosition:
            return event.position;
        case ColumnStream:
            return event.streamId;
        case ColumnVersion:
            return event.streamVersion;
        case ColumnType:
            return event.eventType;
        case ColumnTime:
            return event.recordedAt.toUTC().toString(Qt::ISODateWithMs);
        case ColumnActor:
            return actor();
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == ColumnTime)
            return tr("%1 local time").arg(event.recordedAt.toLocalTime().toString(Qt::ISODateWithMs));
        return tr("%1 v%2 at %3@%4, event %5")
            .arg(event.eventType)
            .arg(event.schemaVersion)
            .arg(event.streamId)
            .arg(event.streamVersion)
            .arg(event.eventId.toString(QUuid::WithoutBraces));
    case Qt::TextAlignmentRole:
        // Position stays left-aligned: its indentation shows the tree of causes.
        if (index.column() == ColumnVersion)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case PositionRole:
        return event.position;
    case StreamIdRole:
        return event.streamId;
    case StreamVersionRole:
        return event.streamVersion;
    case EventTypeRole:
        return event.eventType;
    case EventIdRole:
        return event.eventId;
    case SchemaVersionRole:
        return event.schemaVersion;
    case RecordedAtRole:
        return event.recordedAt;
    case ActorRole:
        return actor();
    case RecordedEventRole:
        return QVariant::fromValue(event);
    }
    return {};
}

QVariant CorrelationTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ColumnPosition:
        return tr("Position");
    case ColumnStream:
        return tr("Stream");
    case ColumnVersion:
        return tr("Version");
    case ColumnType:
        return tr("Type");
    case ColumnTime:
        return tr("Time (UTC)");
    case ColumnActor:
        return tr("Actor");
    }
    return {};
}

} // namespace EventScope
