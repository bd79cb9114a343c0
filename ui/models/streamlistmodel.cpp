// SPDX-License-Identifier: Apache-2.0
#include "streamlistmodel.h"

#include "eventstore/readoptions.h"
#include "eventstore/storereader.h"
#include "eventstore/streamid.h"
#include "modelroles.h"

#include <algorithm>

namespace EventScope {

namespace {

auto lowerBound(const QList<StreamInfo>& rows, const QString& streamId)
{
    return std::lower_bound(rows.cbegin(), rows.cend(), streamId,
        [](const StreamInfo& info, const QString& id) { return info.streamId < id; });
}

} // namespace

StreamListModel::StreamListModel(StoreReader* reader, QObject* parent)
    : QAbstractTableModel(parent)
    , m_reader(reader)
{
    Q_ASSERT(reader);
    connect(reader, &StoreReader::streamsLoaded, this, &StreamListModel::onStreamsLoaded);
    connect(reader, &StoreReader::streamInfosLoaded, this, &StreamListModel::onStreamInfosLoaded);
    connect(reader, &StoreReader::failed, this, &StreamListModel::onFailed);
    connect(reader, &StoreReader::appended, this, [this](const QStringList& streamIds) { onAppended(streamIds); });
    requestNext();
}

StreamListModel::~StreamListModel() = default;

void StreamListModel::setFilter(const QString& pattern)
{
    m_filter = pattern.trimmed();
    reload();
}

void StreamListModel::reload()
{
    beginResetModel();
    m_rows.clear();
    m_rows.squeeze();
    m_nextAfter.clear();
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
    const auto it = lowerBound(m_rows, streamId);
    return it != m_rows.cend() && it->streamId == streamId ? int(it - m_rows.cbegin()) : -1;
}

void StreamListModel::requestNext()
{
    if (!m_reader || m_pendingRequest != 0 || m_atEnd)
        return;
    setPendingRequest(m_reader->listStreams(StreamFilter { m_filter }, m_nextAfter, m_batchSize));
}

void StreamListModel::setPendingRequest(quint64 requestId)
{
    const bool wasLoading = isLoading();
    m_pendingRequest = requestId;
    if (wasLoading != isLoading())
        Q_EMIT loadingChanged(isLoading());
}

void StreamListModel::onStreamsLoaded(quint64 requestId, const StreamPage& page)
{
    if (requestId == 0 || requestId != m_pendingRequest)
        return;

    // Streams inserted live may already be here; everything past the last row is appended in one go.
    QList<StreamInfo> fresh;
    fresh.reserve(page.streams.size());
    for (const StreamInfo& info : page.streams) {
        const QString& last = fresh.isEmpty() ? (m_rows.isEmpty() ? QString() : m_rows.constLast().streamId)
                                              : fresh.constLast().streamId;
        if (last.isEmpty() || info.streamId > last)
            fresh.append(info);
        else if (fresh.isEmpty())
            merge(info);
    }
    if (!fresh.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(fresh.size()) - 1);
        m_rows.append(std::move(fresh));
        endInsertRows();
    }
    m_nextAfter = page.nextAfter;
    m_atEnd = page.nextAfter.isEmpty();
    m_lastError.clear();
    setPendingRequest(0);
}

void StreamListModel::onStreamInfosLoaded(quint64 requestId, const QList<StreamInfo>& streams)
{
    if (!m_refreshRequests.remove(requestId))
        return;
    for (const StreamInfo& info : streams) {
        if (StreamFilter { m_filter }.matches(info.streamId))
            merge(info);
    }
}

bool StreamListModel::merge(const StreamInfo& info)
{
    const auto it = lowerBound(m_rows, info.streamId);
    const int row = int(it - m_rows.cbegin());
    if (it != m_rows.cend() && it->streamId == info.streamId) {
        m_rows[row] = info;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return true;
    }
    // Past the last loaded row the stream belongs to a page not fetched yet, unless there is none.
    if (it == m_rows.cend() && !m_atEnd)
        return false;
    beginInsertRows({}, row, row);
    m_rows.insert(row, info);
    endInsertRows();
    return true;
}

void StreamListModel::onFailed(quint64 requestId, const QString& message)
{
    const bool refresh = m_refreshRequests.remove(requestId);
    if (!refresh && (requestId == 0 || requestId != m_pendingRequest))
        return;
    if (!refresh) {
        m_atEnd = true; // stop views from asking again at once; reload() or a new filter retries
        setPendingRequest(0);
    }
    m_lastError = message;
    Q_EMIT errorOccurred(message);
}

void StreamListModel::onAppended(const QStringList& streamIds)
{
    if (!m_reader)
        return;
    QStringList relevant;
    const QString lastLoaded = m_rows.isEmpty() ? QString() : m_rows.constLast().streamId;
    for (const QString& streamId : streamIds) {
        if (!StreamFilter { m_filter }.matches(streamId))
            continue;
        // Streams beyond the loaded range come with a later page; no need to ask about them now.
        if (m_atEnd || (!lastLoaded.isEmpty() && streamId <= lastLoaded))
            relevant.append(streamId);
    }
    if (!relevant.isEmpty())
        m_refreshRequests.insert(m_reader->loadStreamInfos(relevant));
}

int StreamListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int StreamListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
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

bool StreamListModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !m_atEnd;
}

void StreamListModel::fetchMore(const QModelIndex& parent)
{
    if (!parent.isValid())
        requestNext();
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
