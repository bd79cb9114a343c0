// SPDX-License-Identifier: Apache-2.0
#include "streamlistmodel.h"

#include "eventstore/storereader.h"
#include "explorer/explorerreader.h"
#include "modelroles.h"

#include <algorithm>

namespace EventScope {

StreamListModel::StreamListModel(ExplorerReader* reader, QObject* parent)
    : QAbstractTableModel(parent)
    , m_reader(reader)
{
    Q_ASSERT(reader);
    connect(reader, &ExplorerReader::streamsListed, this, &StreamListModel::onStreamsListed);
    connect(reader, &ExplorerReader::streamInfosLoaded, this, &StreamListModel::onStreamInfosLoaded);
    connect(reader, &ExplorerReader::failed, this,
        [this](quint64 requestId, const QString& message) { onFailed(requestId, message); });
    connect(reader->storeReader(), &StoreReader::appended, this,
        [this](const QStringList& streamIds) { onAppended(streamIds); });
    requestNext();
}

StreamListModel::~StreamListModel() = default;

void StreamListModel::setFilter(const QString& pattern)
{
    m_query.pattern = pattern.trimmed();
    reload();
}

void StreamListModel::setOrder(StreamQuery::Order order)
{
    if (order == m_query.order)
        return;
    m_query.order = order;
    reload();
}

void StreamListModel::reload()
{
    beginResetModel();
    m_rows.clear();
    m_rows.squeeze();
    m_next = {};
    m_atEnd = false;
    m_refreshRequests.clear(); // answers to these are for rows that are gone
    m_lastError.clear();
    setPendingRequest(0);
    endResetModel();
    requestNext();
}

void StreamListModel::setBatchSize(int batchSize)
{
    m_batchSize = std::max(1, batchSize);
}

int StreamListModel::rowOf(const QString& streamId) const
{
    if (m_query.order == StreamQuery::Order::Name) {
        const int row = nameInsertionRow(streamId);
        return row < m_rows.size() && m_rows.at(row).streamId == streamId ? row : -1;
    }
    const auto it = std::find_if(
        m_rows.cbegin(), m_rows.cend(), [&streamId](const StreamInfo& info) { return info.streamId == streamId; });
    return it == m_rows.cend() ? -1 : int(it - m_rows.cbegin());
}

int StreamListModel::nameInsertionRow(const QString& streamId) const
{
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), streamId,
        [](const StreamInfo& info, const QString& id) { return info.streamId < id; });
    return int(it - m_rows.cbegin());
}

void StreamListModel::requestNext()
{
    if (!m_reader || m_pendingRequest != 0 || m_atEnd)
        return;
    setPendingRequest(m_reader->listStreams(m_query, m_next, m_batchSize));
}

void StreamListModel::setPendingRequest(quint64 requestId)
{
    const bool wasLoading = isLoading();
    m_pendingRequest = requestId;
    if (wasLoading != isLoading())
        Q_EMIT loadingChanged(isLoading());
}

void StreamListModel::onStreamsListed(quint64 requestId, const StreamListing& listing)
{
    if (requestId != m_pendingRequest)
        return;
    m_lastError.clear();
    QList<StreamInfo> fresh;
    fresh.reserve(listing.streams.size());
    for (const StreamInfo& info : listing.streams) {
        if (rowOf(info.streamId) < 0) // moved up by a live update meanwhile
            fresh.append(info);
    }
    if (!fresh.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + fresh.size()) - 1);
        m_rows.append(fresh);
        endInsertRows();
    }
    m_next = listing.next;
    m_atEnd = listing.next.isNull();
    setPendingRequest(0);
}

void StreamListModel::onStreamInfosLoaded(quint64 requestId, const QList<StreamInfo>& streams)
{
    if (!m_refreshRequests.remove(requestId))
        return;
    for (const StreamInfo& info : streams)
        merge(info);
}

void StreamListModel::onFailed(quint64 requestId, const QString& message)
{
    if (requestId != m_pendingRequest && !m_refreshRequests.remove(requestId))
        return;
    if (requestId == m_pendingRequest)
        setPendingRequest(0); // fetchMore() may try again
    m_lastError = message;
    Q_EMIT errorOccurred(message);
}

void StreamListModel::onAppended(const QStringList& streamIds)
{
    if (!m_reader)
        return;
    QStringList matching;
    for (const QString& streamId : streamIds) {
        if (m_query.matches(streamId))
            matching.append(streamId);
    }
    if (!matching.isEmpty())
        m_refreshRequests.insert(m_reader->loadStreamInfos(matching));
}

void StreamListModel::merge(const StreamInfo& info)
{
    const int row = rowOf(info.streamId);
    if (m_query.order == StreamQuery::Order::LastActivity) {
        if (row == 0) {
            m_rows[0] = info;
            Q_EMIT dataChanged(index(0, 0), index(0, ColumnCount - 1));
        } else if (row > 0) {
            beginMoveRows({}, row, row, {}, 0);
            m_rows.move(row, 0);
            m_rows[0] = info;
            endMoveRows();
            Q_EMIT dataChanged(index(0, 0), index(0, ColumnCount - 1));
        } else {
            beginInsertRows({}, 0, 0);
            m_rows.prepend(info);
            endInsertRows();
        }
        return;
    }
    if (row >= 0) {
        m_rows[row] = info;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return;
    }
    const int at = nameInsertionRow(info.streamId);
    if (at == m_rows.size() && !m_atEnd)
        return; // beyond the loaded range: a later page brings it
    beginInsertRows({}, at, at);
    m_rows.insert(at, info);
    endInsertRows();
}

int StreamListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int StreamListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool StreamListModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !m_atEnd && m_pendingRequest == 0 && m_reader;
}

void StreamListModel::fetchMore(const QModelIndex& parent)
{
    if (canFetchMore(parent))
        requestNext();
}

QVariant StreamListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const StreamInfo& info = m_rows.at(index.row());

    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ColumnStreamId:
            return info.streamId;
        case ColumnCategory:
            return info.category;
        case ColumnEvents:
            return info.eventCount;
        case ColumnLastVersion:
            return info.lastVersion;
        case ColumnLastRecordedAt:
            return info.lastRecordedAt.toUTC().toString(Qt::ISODateWithMs);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ColumnStreamId)
            return tr("%1: events recorded from %2 to %3 UTC")
                .arg(info.streamId, info.firstRecordedAt.toUTC().toString(Qt::ISODateWithMs),
                    info.lastRecordedAt.toUTC().toString(Qt::ISODateWithMs));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == ColumnEvents || index.column() == ColumnLastVersion)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case StreamIdRole:
        return info.streamId;
    case CategoryRole:
        return info.category;
    case EventCountRole:
        return info.eventCount;
    case StreamVersionRole:
        return info.lastVersion;
    case RecordedAtRole:
        return info.lastRecordedAt;
    }
    return {};
}

QVariant StreamListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ColumnStreamId:
        return tr("Stream");
    case ColumnCategory:
        return tr("Category");
    case ColumnEvents:
        return tr("Events");
    case ColumnLastVersion:
        return tr("Last version");
    case ColumnLastRecordedAt:
        return tr("Last recorded at (UTC)");
    }
    return {};
}

QHash<int, QByteArray> StreamListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(StreamIdRole, "streamId");
    names.insert(CategoryRole, "category");
    names.insert(EventCountRole, "eventCount");
    names.insert(StreamVersionRole, "lastVersion");
    names.insert(RecordedAtRole, "lastRecordedAt");
    return names;
}

} // namespace EventScope
