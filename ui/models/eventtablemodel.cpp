// SPDX-License-Identifier: Apache-2.0
#include "eventtablemodel.h"

#include "eventstore/storereader.h"
#include "eventstore/streamid.h"
#include "modelroles.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

namespace EventScope {

namespace {

QString prettyJson(const QByteArray& json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return QString::fromUtf8(json); // show what is stored rather than nothing
    return QString::fromUtf8(document.toJson(QJsonDocument::Indented)).trimmed();
}

QString actorOf(const QByteArray& metadata)
{
    if (metadata.isEmpty() || !metadata.contains("actor"))
        return {};
    const QJsonValue actor = QJsonDocument::fromJson(metadata).object().value(QLatin1String("actor"));
    if (actor.isString())
        return actor.toString();
    if (actor.isObject())
        return QString::fromUtf8(QJsonDocument(actor.toObject()).toJson(QJsonDocument::Compact));
    if (actor.isDouble())
        return QString::number(actor.toDouble());
    return {};
}

QString formatTimestamp(const QDateTime& dateTime)
{
    return dateTime.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace

EventTableModel::EventTableModel(StoreReader* reader, QObject* parent)
    : QAbstractTableModel(parent)
    , m_reader(reader)
{
    Q_ASSERT(reader);
    connect(reader, &StoreReader::eventsLoaded, this, &EventTableModel::onEventsLoaded);
    connect(reader, &StoreReader::failed, this, &EventTableModel::onFailed);
    connect(reader, &StoreReader::appended, this, [this](const QStringList& streamIds) { onAppended(streamIds); });
}

EventTableModel::~EventTableModel() = default;

void EventTableModel::showStream(const QString& streamId)
{
    setSource(Source::Stream, streamId, {});
}

void EventTableModel::showAll(const AllFilter& filter)
{
    setSource(Source::All, {}, filter);
}

void EventTableModel::clear()
{
    setSource(Source::None, {}, {});
}

void EventTableModel::setBatchSize(int batchSize)
{
    m_batchSize = std::max(1, batchSize);
}

void EventTableModel::setSource(Source source, const QString& streamId, const AllFilter& filter)
{
    beginResetModel();
    m_source = source;
    m_streamId = streamId;
    m_filter = filter;
    m_rows.clear();
    m_rows.squeeze();
    m_atEnd = source == Source::None;
    m_appendedWhileLoading = false;
    m_lastError.clear();
    setPendingRequest(0); // whatever is still in flight answers an old question
    endResetModel();
    if (source != Source::None)
        requestNext();
}

void EventTableModel::requestNext()
{
    if (m_pendingRequest == 0)
        setPendingRequest(issueRead());
}

quint64 EventTableModel::issueRead()
{
    if (!m_reader)
        return 0;
    switch (m_source) {
    case Source::None:
        return 0;
    case Source::Stream:
        return m_reader->readStream(
            m_streamId, m_rows.isEmpty() ? 0 : m_rows.constLast().event.streamVersion + 1, m_batchSize);
    case Source::All:
        return m_reader->readAll(m_rows.isEmpty() ? 0 : m_rows.constLast().event.position, m_batchSize, m_filter);
    }
    return 0;
}

void EventTableModel::setPendingRequest(quint64 requestId)
{
    const bool wasLoading = isLoading();
    m_pendingRequest = requestId;
    if (wasLoading != isLoading())
        Q_EMIT loadingChanged(isLoading());
}

void EventTableModel::onEventsLoaded(quint64 requestId, const QList<RecordedEvent>& events, bool atEnd)
{
    if (requestId == 0 || requestId != m_pendingRequest)
        return;

    // Keyset reads cannot overlap, but a row shown twice would be a lie: keep only what follows the last row.
    QList<Row> fresh;
    fresh.reserve(events.size());
    for (const RecordedEvent& event : events) {
        if (!m_rows.isEmpty() || !fresh.isEmpty()) {
            const RecordedEvent& last = fresh.isEmpty() ? m_rows.constLast().event : fresh.constLast().event;
            const bool follows = m_source == Source::Stream ? event.streamVersion > last.streamVersion
                                                            : event.position > last.position;
            if (!follows)
                continue;
        }
        fresh.append(Row { event, actorOf(event.metadata) });
    }
    if (!fresh.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(fresh.size()) - 1);
        m_rows.append(std::move(fresh));
        endInsertRows();
    }
    m_lastError.clear();
    m_atEnd = atEnd;

    if (m_atEnd && m_appendedWhileLoading) {
        // This read may have started before the append committed: read on, still loading.
        m_appendedWhileLoading = false;
        m_atEnd = false;
        m_pendingRequest = issueRead();
        return;
    }
    m_appendedWhileLoading = false;
    setPendingRequest(0);
}

void EventTableModel::onFailed(quint64 requestId, const QString& message)
{
    if (requestId == 0 || requestId != m_pendingRequest)
        return;
    // Stop fetching, or a view would ask again at once; the next append or a new source tries again.
    m_atEnd = true;
    m_appendedWhileLoading = false;
    m_lastError = message;
    setPendingRequest(0);
    Q_EMIT errorOccurred(message);
}

bool EventTableModel::concerns(const QStringList& streamIds) const
{
    switch (m_source) {
    case Source::None:
        return false;
    case Source::Stream:
        return streamIds.contains(m_streamId);
    case Source::All:
        if (m_filter.categories.isEmpty())
            return true;
        for (const QString& streamId : streamIds) {
            if (m_filter.categories.contains(StreamId::category(streamId)))
                return true;
        }
        return false;
    }
    return false;
}

void EventTableModel::onAppended(const QStringList& streamIds)
{
    if (!concerns(streamIds))
        return;
    if (isLoading()) {
        m_appendedWhileLoading = true;
        return;
    }
    if (!m_atEnd)
        return; // not everything is loaded yet: the new events come with a later fetchMore()
    m_atEnd = false;
    requestNext();
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
    const RecordedEvent& event = row.event;

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
        case ColumnSchemaVersion:
            return event.schemaVersion;
        case ColumnRecordedAt:
            return formatTimestamp(event.recordedAt);
        case ColumnActor:
            return row.actor;
        case ColumnEventId:
            return event.eventId.toString(QUuid::WithoutBraces);
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case ColumnRecordedAt:
            return tr("%1 local time").arg(event.recordedAt.toLocalTime().toString(Qt::ISODateWithMs));
        case ColumnStream: // long ids (user-<uuid>) are elided in the column
            return event.streamId;
        case ColumnActor:
            return row.actor;
        }
        return {};
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case ColumnPosition:
        case ColumnVersion:
        case ColumnSchemaVersion:
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        }
        return {};
    case EventTypeRole:
        return event.eventType;
    case PayloadJsonRole:
        return prettyJson(event.payload);
    case MetadataJsonRole:
        return prettyJson(event.metadata);
    case PositionRole:
        return event.position;
    case StreamIdRole:
        return event.streamId;
    case StreamVersionRole:
        return event.streamVersion;
    case EventIdRole:
        return event.eventId;
    case SchemaVersionRole:
        return event.schemaVersion;
    case RecordedAtRole:
        return event.recordedAt;
    case ActorRole:
        return row.actor;
    case CategoryRole:
        return StreamId::category(event.streamId);
    case RecordedEventRole:
        return QVariant::fromValue(event);
    }
    return {};
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
    case ColumnSchemaVersion:
        return tr("Schema");
    case ColumnRecordedAt:
        return tr("Recorded at (UTC)");
    case ColumnActor:
        return tr("Actor");
    case ColumnEventId:
        return tr("Event id");
    }
    return {};
}

bool EventTableModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_source != Source::None && !m_atEnd;
}

void EventTableModel::fetchMore(const QModelIndex& parent)
{
    if (parent.isValid() || m_atEnd)
        return;
    requestNext();
}

QHash<int, QByteArray> EventTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(EventTypeRole, "eventType");
    names.insert(PayloadJsonRole, "payloadJson");
    names.insert(MetadataJsonRole, "metadataJson");
    names.insert(PositionRole, "position");
    names.insert(StreamIdRole, "streamId");
    names.insert(StreamVersionRole, "streamVersion");
    names.insert(EventIdRole, "eventId");
    names.insert(SchemaVersionRole, "schemaVersion");
    names.insert(RecordedAtRole, "recordedAt");
    names.insert(ActorRole, "actor");
    names.insert(CategoryRole, "category");
    names.insert(RecordedEventRole, "recordedEvent");
    return names;
}

} // namespace EventScope
