// SPDX-License-Identifier: Apache-2.0
#include "eventtablemodel.h"

#include "eventstore/storereader.h"
#include "explorer/explorerreader.h"
#include "modelroles.h"

#include <QLocale>

#include <algorithm>

namespace EventScope {

namespace {

constexpr int TailChunk = 1000;

QDateTime utcFromMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

} // namespace

EventTableModel::EventTableModel(ExplorerReader* reader, QObject* parent)
    : QAbstractTableModel(parent)
    , m_reader(reader)
{
    Q_ASSERT(reader);
    connect(reader, &ExplorerReader::summariesLoaded, this, &EventTableModel::onSummaries);
    connect(reader, &ExplorerReader::failed, this, &EventTableModel::onFailed);
    connect(reader, &ExplorerReader::positionFound, this, &EventTableModel::onPositionFound);
    connect(reader, &ExplorerReader::tailLoaded, this, &EventTableModel::onTail);
    connect(reader->storeReader(), &StoreReader::appended, this, &EventTableModel::onAppended);
}

EventTableModel::~EventTableModel()
{
    if (m_reader) {
        for (const Request& request : std::as_const(m_requests))
            m_reader->cancel(request.id);
    }
}

void EventTableModel::setQuery(const EventQuery& query)
{
    m_query = query;
    m_active = true;
    if (const auto problem = query.validate()) {
        m_active = false;
        reset(Jump::None);
        m_lastError = *problem;
        Q_EMIT errorOccurred(*problem);
        return;
    }
    reset(m_order == Order::NewestFirst ? Jump::Newest : Jump::Oldest);
}

void EventTableModel::clear()
{
    m_active = false;
    m_query = {};
    reset(Jump::None);
}

void EventTableModel::setOrder(Order order)
{
    if (order == m_order)
        return;
    m_order = order;
    if (m_active)
        reset(m_order == Order::NewestFirst ? Jump::Newest : Jump::Oldest);
}

void EventTableModel::jumpToNewest()
{
    if (m_active)
        reset(Jump::Newest);
}

void EventTableModel::jumpToOldest()
{
    if (m_active)
        reset(Jump::Oldest);
}

void EventTableModel::jumpToPosition(GlobalPosition position)
{
    if (m_active)
        reset(Jump::Position, std::max<GlobalPosition>(position, 1));
}

void EventTableModel::jumpToTime(const QDateTime& time)
{
    if (!m_active || !m_reader)
        return;
    const bool wasLoading = isLoading();
    reset(Jump::None, 0, false);
    m_positionRequest = m_reader->findPositionAt(time);
    setLoadingChanged(wasLoading);
}

void EventTableModel::onPositionFound(quint64 id, GlobalPosition position, bool found)
{
    if (id != m_positionRequest)
        return;
    m_positionRequest = 0;
    // The first event at or after the time, of any kind: the window reads forward from it, so the anchor is the
    // first one the query selects. Nothing at or after the time: the newest events are the nearest.
    reset(found ? Jump::Time : Jump::Newest, position);
}

void EventTableModel::setLiveTail(bool on)
{
    if (on == m_liveTail)
        return;
    m_liveTail = on;
    Q_EMIT liveTailChanged(on);
    // Back on after the window had reached the newest events: catch up from there.
    if (on && m_active && m_tailCursor >= 0) {
        setNewestEdgeComplete(true);
        readTail();
    }
}

void EventTableModel::setPageSize(int rows)
{
    m_pageSize = std::max(1, rows);
}

bool EventTableModel::isLoading() const
{
    return !m_requests.isEmpty() || m_positionRequest != 0;
}

void EventTableModel::cancel()
{
    if (!m_reader)
        return;
    for (const Request& request : std::as_const(m_requests))
        m_reader->cancel(request.id); // they answer with failed(…, cancelled)
}

void EventTableModel::reset(Jump jump, GlobalPosition position, bool notify)
{
    const bool wasLoading = isLoading();
    if (m_reader) {
        for (const Request& request : std::as_const(m_requests))
            m_reader->cancel(request.id);
    }
    m_requests.clear();
    m_positionRequest = 0;
    m_tailRequest = 0;
    m_tailAgain = false;

    beginResetModel();
    m_rows.clear();
    m_rows.squeeze();
    m_strings = { QString() };
    m_stringIndex.clear();
    endResetModel();

    m_anchorRow = -1;
    m_anchorPosition = 0;
    m_topComplete = m_bottomComplete = true;
    m_tailCursor = -1;
    m_stopped = false;
    m_lastError.clear();
    m_jump = jump;
    m_jumpPosition = position;
    startJump();
    if (notify)
        setLoadingChanged(wasLoading);
}

void EventTableModel::startJump()
{
    switch (m_jump) {
    case Jump::None:
        return;
    case Jump::Newest:
        request(Edge::Top, 0, false, m_pageSize, true);
        return;
    case Jump::Oldest:
        request(Edge::Bottom, 0, false, m_pageSize, true);
        return;
    case Jump::Position:
        request(Edge::Top, m_jumpPosition, true, m_pageSize, true);
        return;
    case Jump::Time:
        request(Edge::Bottom, m_jumpPosition, true, m_pageSize, true);
        return;
    }
}

// A jump's request uses the edge to say the direction: Top reads Older (from the boundary down), Bottom reads
// Newer. Edge requests read away from the loaded rows.
void EventTableModel::request(Edge edge, GlobalPosition boundary, bool inclusive, int limit, bool jump)
{
    if (!m_reader)
        return;
    EventSearch::Direction direction;
    if (jump)
        direction = edge == Edge::Top ? EventSearch::Direction::Older : EventSearch::Direction::Newer;
    else
        direction = (edge == Edge::Top) == topIsNewer() ? EventSearch::Direction::Newer : EventSearch::Direction::Older;
    const SearchControl control(m_query.isContentQuery() ? m_contentTimeLimit : std::chrono::milliseconds(0));
    const quint64 id = m_reader->searchPage(m_query, boundary, direction, limit, inclusive, control);
    m_requests.append({ id, edge, jump });
}

bool EventTableModel::canFetchTop() const
{
    if (!m_active || m_topComplete || m_rows.isEmpty())
        return false;
    return std::none_of(
        m_requests.cbegin(), m_requests.cend(), [](const Request& r) { return r.jump || r.edge == Edge::Top; });
}

void EventTableModel::fetchTop()
{
    if (!canFetchTop())
        return;
    const bool wasLoading = isLoading();
    request(Edge::Top, m_rows.constFirst().position, false, m_pageSize, false);
    setLoadingChanged(wasLoading);
}

bool EventTableModel::canFetchMore(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_active || m_bottomComplete || m_rows.isEmpty())
        return false;
    return std::none_of(
        m_requests.cbegin(), m_requests.cend(), [](const Request& r) { return r.jump || r.edge == Edge::Bottom; });
}

void EventTableModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    const bool wasLoading = isLoading();
    request(Edge::Bottom, m_rows.constLast().position, false, m_pageSize, false);
    setLoadingChanged(wasLoading);
}

void EventTableModel::onSummaries(quint64 id, const QList<EventSummary>& summaries, bool atEnd, GlobalPosition head)
{
    const auto found
        = std::find_if(m_requests.cbegin(), m_requests.cend(), [id](const Request& r) { return r.id == id; });
    if (found == m_requests.cend())
        return; // for an earlier query or anchor
    const Request answered = *found;
    m_requests.erase(found);
    const bool wasLoading = true; // this request was pending
    m_lastError.clear();
    m_stopped = false;

    // The page in display order, without events the live tail inserted meanwhile.
    const bool pageAscending
        = answered.jump ? answered.edge == Edge::Bottom : (answered.edge == Edge::Top) == topIsNewer();
    QList<Row> rows;
    rows.reserve(summaries.size());
    for (const EventSummary& summary : summaries) {
        if (rowOfPosition(summary.position) < 0)
            rows.append(pack(summary));
    }
    const bool displayAscending = !topIsNewer();
    if (pageAscending != displayAscending)
        std::reverse(rows.begin(), rows.end());

    if (answered.jump) {
        // A jump's page: which of its ends reach the end of the events?
        bool olderComplete, newerComplete;
        if (answered.edge == Edge::Top) { // read Older from the boundary
            olderComplete = atEnd;
            newerComplete = m_jump == Jump::Newest;
        } else { // read Newer from the start (Oldest) or from a time's position (Time)
            olderComplete = m_jump == Jump::Oldest;
            newerComplete = atEnd;
        }
        m_topComplete = topIsNewer() ? newerComplete : olderComplete;
        m_bottomComplete = topIsNewer() ? olderComplete : newerComplete;
        if (!rows.isEmpty()) {
            beginInsertRows({}, 0, int(rows.size()) - 1);
            m_rows = std::move(rows);
            endInsertRows();
        }
        if (m_rows.isEmpty() && (m_jump == Jump::Position || m_jump == Jump::Time)) {
            // Nothing matches at or before the position: the oldest events are the nearest; nothing matches at or
            // after the time: the newest are.
            m_jump = m_jump == Jump::Position ? Jump::Oldest : Jump::Newest;
            startJump();
            setLoadingChanged(wasLoading);
            return;
        }
        if (!m_rows.isEmpty()) {
            // The anchor: the newest row for Newest and Position (the page was read down from it), the oldest for
            // Oldest and Time (read up from it).
            const bool anchorIsNewest = m_jump == Jump::Newest || m_jump == Jump::Position;
            m_anchorRow = anchorIsNewest == topIsNewer() ? 0 : int(m_rows.size()) - 1;
            m_anchorPosition = m_rows.at(m_anchorRow).position;
        }
        m_jump = Jump::None;
        if (newerComplete)
            startTail(head);
        if (m_anchorRow >= 0)
            Q_EMIT anchorLoaded(m_anchorRow);
        // A position in the middle: load the page above too, so the anchor is not at the window's edge.
        if (m_anchorRow == 0 && !m_topComplete)
            request(Edge::Top, m_rows.constFirst().position, false, m_pageSize, false);
    } else {
        const bool newerEnd = (answered.edge == Edge::Top) == topIsNewer();
        if (answered.edge == Edge::Top) {
            m_topComplete = atEnd;
            if (!rows.isEmpty()) {
                beginInsertRows({}, 0, int(rows.size()) - 1);
                prependRows(rows);
                endInsertRows();
            }
        } else {
            m_bottomComplete = atEnd;
            if (!rows.isEmpty()) {
                beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size()) - 1);
                m_rows.append(rows);
                endInsertRows();
            }
        }
        if (newerEnd && atEnd)
            startTail(head);
    }
    setLoadingChanged(wasLoading);
}

void EventTableModel::onFailed(quint64 id, const QString& message, bool cancelled)
{
    Q_UNUSED(cancelled);
    const bool wasLoading = isLoading();
    if (id == m_tailRequest) {
        m_tailRequest = 0;
        m_lastError = message;
        Q_EMIT errorOccurred(message);
        setLoadingChanged(wasLoading);
        return;
    }
    const auto found
        = std::find_if(m_requests.cbegin(), m_requests.cend(), [id](const Request& r) { return r.id == id; });
    if (id != m_positionRequest && found == m_requests.cend())
        return;
    if (id == m_positionRequest) {
        m_positionRequest = 0;
        m_stopped = true;
    } else {
        if (found->jump) {
            m_jump = Jump::None;
            m_stopped = true;
        }
        m_requests.erase(found);
    }
    // A stopped jump leaves a window that is not the whole answer; a stopped page leaves its edge incomplete, so
    // scrolling there asks again.
    if (m_stopped)
        m_topComplete = m_bottomComplete = false;
    m_lastError = message;
    Q_EMIT errorOccurred(message);
    setLoadingChanged(wasLoading);
}

bool EventTableModel::newestEdgeComplete() const
{
    return topIsNewer() ? m_topComplete : m_bottomComplete;
}

void EventTableModel::setNewestEdgeComplete(bool complete)
{
    (topIsNewer() ? m_topComplete : m_bottomComplete) = complete;
}

void EventTableModel::startTail(GlobalPosition head)
{
    // The tail continues from a cursor in $all's commit order: the page's commit-safe head the first time, then
    // the last event the tail delivered. Events the page held already are dropped when they come again.
    if (m_tailCursor < 0)
        m_tailCursor = head;
    if (m_liveTail)
        readTail();
}

void EventTableModel::onAppended()
{
    if (!m_active || m_tailCursor < 0 || !newestEdgeComplete())
        return;
    if (m_liveTail)
        readTail();
    else
        setNewestEdgeComplete(false); // scrolling to the newest edge loads them
}

void EventTableModel::readTail()
{
    if (!m_reader || m_tailCursor < 0)
        return;
    if (m_tailRequest != 0) {
        m_tailAgain = true;
        return;
    }
    m_tailAgain = false;
    m_tailRequest = m_reader->readTail(m_tailCursor, TailChunk);
}

void EventTableModel::onTail(quint64 id, const QList<RecordedEvent>& events, bool atEnd)
{
    if (id != m_tailRequest)
        return;
    m_tailRequest = 0;
    if (!m_liveTail || !newestEdgeComplete()) {
        // Turned off (or the window moved) meanwhile: these stay unread, the cursor stays where it was.
        if (!events.isEmpty())
            setNewestEdgeComplete(false);
        return;
    }
    if (!events.isEmpty())
        m_tailCursor = events.constLast().position; // $all's own order: the last delivered is the cursor
    QList<EventSummary> matching;
    for (const RecordedEvent& event : events) {
        if (m_query.matches(event) && rowOfPosition(event.position) < 0)
            matching.append(EventSummary::of(event));
    }
    insertLive(matching);
    if (!atEnd || m_tailAgain)
        readTail();
    else if (!isLoading())
        Q_EMIT idle();
}

void EventTableModel::insertLive(const QList<EventSummary>& summaries)
{
    // Usually all newer than every row: one block at the newest edge, else one by one at their places.
    QList<EventSummary> sorted = summaries;
    std::sort(sorted.begin(), sorted.end(),
        [](const EventSummary& a, const EventSummary& b) { return a.position < b.position; });
    const GlobalPosition newest
        = m_rows.isEmpty() ? 0 : (topIsNewer() ? m_rows.constFirst() : m_rows.constLast()).position;
    if (!sorted.isEmpty() && sorted.constFirst().position > newest) {
        QList<Row> rows;
        rows.reserve(sorted.size());
        for (const EventSummary& summary : std::as_const(sorted))
            rows.append(pack(summary));
        if (topIsNewer()) {
            std::reverse(rows.begin(), rows.end());
            beginInsertRows({}, 0, int(rows.size()) - 1);
            prependRows(rows);
        } else {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size()) - 1);
            m_rows.append(rows);
        }
        endInsertRows();
        return;
    }
    for (const EventSummary& summary : std::as_const(sorted)) {
        const int row = insertionRow(summary.position);
        // Older than the window reaches (a late commit on PostgreSQL): the page that loads that part brings it;
        // inserting it at the edge would make that page start after it and skip what lies between.
        const bool beyondOlderEdge
            = topIsNewer() ? row == m_rows.size() && !m_bottomComplete : row == 0 && !m_topComplete;
        if (beyondOlderEdge)
            continue;
        beginInsertRows({}, row, row);
        m_rows.insert(row, pack(summary));
        if (m_anchorRow >= row)
            ++m_anchorRow;
        endInsertRows();
    }
}

// QList grows at the front in amortised constant time per element: no copy of a million rows per page.
void EventTableModel::prependRows(const QList<Row>& rows)
{
    for (auto it = rows.crbegin(); it != rows.crend(); ++it)
        m_rows.prepend(*it);
    if (m_anchorRow >= 0)
        m_anchorRow += int(rows.size());
}

int EventTableModel::insertionRow(GlobalPosition position) const
{
    if (topIsNewer()) {
        const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), position,
            [](const Row& row, GlobalPosition p) { return row.position > p; });
        return int(it - m_rows.cbegin());
    }
    const auto it = std::lower_bound(
        m_rows.cbegin(), m_rows.cend(), position, [](const Row& row, GlobalPosition p) { return row.position < p; });
    return int(it - m_rows.cbegin());
}

int EventTableModel::rowOfPosition(GlobalPosition position) const
{
    const int row = insertionRow(position);
    return row < m_rows.size() && m_rows.at(row).position == position ? row : -1;
}

void EventTableModel::setLoadingChanged(bool wasLoading)
{
    const bool loading = isLoading();
    if (loading != wasLoading)
        Q_EMIT loadingChanged(loading);
    if (!loading && m_tailRequest == 0)
        Q_EMIT idle();
}

quint32 EventTableModel::intern(const QString& text)
{
    if (text.isEmpty())
        return 0;
    const auto found = m_stringIndex.constFind(text);
    if (found != m_stringIndex.constEnd())
        return *found;
    const auto index = quint32(m_strings.size());
    m_strings.append(text);
    m_stringIndex.insert(text, index);
    return index;
}

EventTableModel::Row EventTableModel::pack(const EventSummary& summary)
{
    Row row;
    row.position = summary.position;
    row.version = summary.version;
    row.recordedAtMs = summary.recordedAtMs;
    row.stream = intern(summary.streamId);
    row.type = intern(summary.eventType);
    row.actor = intern(summary.actor);
    row.schemaVersion = summary.schemaVersion;
    if (!summary.correlationId.isEmpty()) {
        row.correlation = QUuid::fromString(summary.correlationId);
        // Kept as text when it is no UUID, or when the text is not QUuid's spelling of it.
        if (row.correlation.isNull() || row.correlation.toString(QUuid::WithoutBraces) != summary.correlationId) {
            row.correlation = QUuid();
            row.correlationText = intern(summary.correlationId);
        }
    }
    return row;
}

EventSummary EventTableModel::summary(int row) const
{
    const Row& r = m_rows.at(row);
    EventSummary summary;
    summary.position = r.position;
    summary.version = r.version;
    summary.recordedAtMs = r.recordedAtMs;
    summary.schemaVersion = r.schemaVersion;
    summary.streamId = m_strings.at(r.stream);
    summary.eventType = m_strings.at(r.type);
    summary.actor = m_strings.at(r.actor);
    summary.correlationId
        = r.correlation.isNull() ? m_strings.at(r.correlationText) : r.correlation.toString(QUuid::WithoutBraces);
    return summary;
}

qint64 EventTableModel::approximateMemory() const
{
    qint64 bytes = qint64(m_rows.capacity()) * qint64(sizeof(Row));
    for (const QString& text : m_strings)
        bytes += qint64(sizeof(QString)) * 2 + 32 + text.size() * 2 * 2; // list + hash key, headers, UTF-16
    return bytes;
}

int EventTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ColumnPosition:
            return row.position;
        case ColumnStream:
            return m_strings.at(row.stream);
        case ColumnVersion:
            return row.version;
        case ColumnType:
            return tr("%1 · v%2").arg(m_strings.at(row.type)).arg(row.schemaVersion);
        case ColumnRecordedAt:
            return utcFromMs(row.recordedAtMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz'Z'"));
        case ColumnActor:
            return m_strings.at(row.actor);
        case ColumnCorrelationId:
            return row.correlation.isNull() ? m_strings.at(row.correlationText)
                                            : row.correlation.toString(QUuid::WithoutBraces);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ColumnRecordedAt)
            return tr("%1 local time")
                .arg(QLocale().toString(utcFromMs(row.recordedAtMs).toLocalTime(), QLocale::LongFormat));
        if (index.column() == ColumnType)
            return tr("%1, schema version %2").arg(m_strings.at(row.type)).arg(row.schemaVersion);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == ColumnPosition || index.column() == ColumnVersion)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case PositionRole:
        return row.position;
    case StreamIdRole:
        return m_strings.at(row.stream);
    case StreamVersionRole:
        return row.version;
    case EventTypeRole:
        return m_strings.at(row.type);
    case SchemaVersionRole:
        return row.schemaVersion;
    case RecordedAtRole:
        return utcFromMs(row.recordedAtMs);
    case ActorRole:
        return m_strings.at(row.actor);
    case CorrelationIdRole:
        return row.correlation.isNull() ? m_strings.at(row.correlationText)
                                        : row.correlation.toString(QUuid::WithoutBraces);
    default:
        return {};
    }
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ColumnPosition:
        return tr("Position");
    case ColumnStream:
        return tr("Stream");
    case ColumnVersion:
        return tr("Version");
    case ColumnType:
        return tr("Type");
    case ColumnRecordedAt:
        return tr("Recorded (UTC)");
    case ColumnActor:
        return tr("Actor");
    case ColumnCorrelationId:
        return tr("Correlation id");
    }
    return {};
}

QHash<int, QByteArray> EventTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(PositionRole, "position");
    names.insert(StreamIdRole, "streamId");
    names.insert(StreamVersionRole, "streamVersion");
    names.insert(EventTypeRole, "eventType");
    names.insert(SchemaVersionRole, "schemaVersion");
    names.insert(RecordedAtRole, "recordedAt");
    names.insert(ActorRole, "actor");
    names.insert(CorrelationIdRole, "correlationId");
    return names;
}

} // namespace EventScope
