// SPDX-License-Identifier: Apache-2.0
#include "timetravelmodel.h"

#include "modelroles.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace EventScope {

namespace {

QString elided(const QString& text)
{
    if (text.size() <= TimeTravelModel::MaxDisplayLength)
        return text;
    return text.left(TimeTravelModel::MaxDisplayLength - 1) + QChar(0x2026);
}

QString fullValueText(const QJsonValue& value)
{
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)).trimmed();
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented)).trimmed();
    return TimeTravelModel::valueText(value);
}

} // namespace

bool TimeTravelModel::Row::operator==(const Row& other) const
{
    return path == other.path && kind == other.kind && value == other.value && oldValue == other.oldValue
        && blame.version == other.blame.version && blame.position == other.blame.position
        && blame.eventId == other.blame.eventId && blame.eventType == other.blame.eventType;
}

TimeTravelModel::TimeTravelModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

TimeTravelModel::~TimeTravelModel() = default;

void TimeTravelModel::setHistory(std::shared_ptr<const StreamHistory> history)
{
    const StreamVersion previousVersion = m_version;
    m_history = std::move(history);
    m_version = m_history && previousVersion == NoStreamVersion ? m_history->lastVersion() : clamped(previousVersion);
    showRows(rowsAt(m_version));
    Q_EMIT historyChanged();
    if (m_version != previousVersion)
        Q_EMIT versionChanged(m_version);
}

void TimeTravelModel::setVersion(StreamVersion version)
{
    const StreamVersion target = clamped(version);
    if (target == m_version)
        return;
    m_version = target;
    showRows(rowsAt(m_version));
    Q_EMIT versionChanged(m_version);
}

StreamVersion TimeTravelModel::versionAt(const QDateTime& time) const
{
    if (!m_history)
        return NoStreamVersion;
    const QList<HistoryStep>& steps = m_history->steps();
    // Stream events are recorded in version order; should a clock have stepped back, the first event "from the
    // future" of the given time still ends the stream as it was then.
    const auto later = std::find_if(
        steps.cbegin(), steps.cend(), [&time](const HistoryStep& step) { return step.recordedAt > time; });
    return StreamVersion(later - steps.cbegin()) - 1;
}

StreamVersion TimeTravelModel::clamped(StreamVersion version) const
{
    if (!m_history || m_history->steps().isEmpty())
        return NoStreamVersion;
    return std::clamp<StreamVersion>(version, 0, m_history->lastVersion());
}

QString TimeTravelModel::errorText() const
{
    if (!m_history || !m_history->error())
        return {};
    const QString& message = m_history->error()->message();
    if (m_history->failedVersion() == NoStreamVersion)
        return message;
    return tr("The history stops before version %1: %2").arg(m_history->failedVersion()).arg(message);
}

QList<TimeTravelModel::Row> TimeTravelModel::rowsAt(StreamVersion version) const
{
    if (!m_history || !m_history->contains(version))
        return {};

    QHash<QString, FieldChange> changes;
    const QList<FieldChange> diff = m_history->diffAt(version);
    for (const FieldChange& change : diff)
        changes.insert(change.path, change);

    QList<Row> rows;
    const QList<FieldBlame> blames = m_history->blameAt(version);
    rows.reserve(blames.size() + diff.size());
    for (const FieldBlame& blame : blames) {
        Row row { blame.path, ChangeKind::Unchanged, blame.value, QJsonValue(QJsonValue::Undefined), blame };
        const auto change = changes.constFind(blame.path);
        if (change != changes.cend()) {
            row.kind = change->kind == FieldChange::Kind::Added ? ChangeKind::Added : ChangeKind::Changed;
            row.oldValue = change->oldValue;
        }
        rows.append(std::move(row));
    }

    const HistoryStep& step = m_history->steps().at(version);
    for (const FieldChange& change : diff) {
        if (change.kind != FieldChange::Kind::Removed)
            continue;
        // The event at this version removed the field: it is the one to blame.
        FieldBlame blame { change.path, QJsonValue(QJsonValue::Undefined), step.version, step.position, step.eventType,
            step.eventId, step.recordedAt };
        rows.append(Row {
            change.path, ChangeKind::Removed, QJsonValue(QJsonValue::Undefined), change.oldValue, std::move(blame) });
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.path < b.path; });
    return rows;
}

void TimeTravelModel::showRows(QList<Row> rows)
{
    // Both lists are sorted by path: remove what is gone, insert what is new, then update what differs.
    QSet<QString> newPaths;
    newPaths.reserve(rows.size());
    for (const Row& row : std::as_const(rows))
        newPaths.insert(row.path);

    for (qsizetype last = m_rows.size() - 1; last >= 0; --last) {
        if (newPaths.contains(m_rows.at(last).path))
            continue;
        qsizetype first = last;
        while (first > 0 && !newPaths.contains(m_rows.at(first - 1).path))
            --first;
        beginRemoveRows({}, int(first), int(last));
        m_rows.remove(first, last - first + 1);
        endRemoveRows();
        last = first;
    }

    QSet<QString> kept;
    kept.reserve(m_rows.size());
    for (const Row& row : std::as_const(m_rows))
        kept.insert(row.path);

    for (qsizetype first = 0; first < rows.size();) {
        if (first < m_rows.size() && m_rows.at(first).path == rows.at(first).path) {
            ++first;
            continue;
        }
        qsizetype end = first;
        while (end < rows.size() && !kept.contains(rows.at(end).path))
            ++end;
        Q_ASSERT(end > first); // what was kept is a subsequence of both lists
        beginInsertRows({}, int(first), int(end - 1));
        m_rows.insert(first, end - first, Row {});
        std::copy(rows.cbegin() + first, rows.cbegin() + end, m_rows.begin() + first);
        endInsertRows();
        first = end;
    }

    Q_ASSERT(m_rows.size() == rows.size());
    for (qsizetype first = 0; first < rows.size();) {
        if (m_rows.at(first) == rows.at(first)) {
            ++first;
            continue;
        }
        qsizetype end = first;
        while (end < rows.size() && !(m_rows.at(end) == rows.at(end))) {
            m_rows[end] = rows.at(end);
            ++end;
        }
        Q_EMIT dataChanged(index(int(first), 0), index(int(end - 1), ColumnCount - 1));
        first = end;
    }
}

QString TimeTravelModel::valueText(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Undefined:
        return {};
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double: {
        // JSON's own number text (100, not 100.0 nor 1e+02).
        const QByteArray json = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
        return QString::fromUtf8(json.mid(1, json.size() - 2));
    }
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    return {};
}

QString TimeTravelModel::setByText(const Row& row) const
{
    if (row.blame.version == NoStreamVersion)
        return tr("initial state");
    return tr("v%1 · %2 · position %3").arg(row.blame.version).arg(row.blame.eventType).arg(row.blame.position);
}

int TimeTravelModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TimeTravelModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TimeTravelModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows.at(index.row());

    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ColumnPath:
            return row.path;
        case ColumnValue:
            return elided(valueText(row.value));
        case ColumnChange:
            switch (row.kind) {
            case ChangeKind::Unchanged:
                return QString();
            case ChangeKind::Added:
                return tr("added");
            case ChangeKind::Changed:
                return tr("changed");
            case ChangeKind::Removed:
                return tr("removed");
            }
            return {};
        case ColumnOldValue:
            return elided(valueText(row.oldValue));
        case ColumnSetBy:
            return setByText(row);
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case ColumnPath:
            return row.path;
        case ColumnValue:
            return fullValueText(row.value);
        case ColumnOldValue:
            return fullValueText(row.oldValue);
        case ColumnSetBy:
            if (row.blame.version == NoStreamVersion)
                return tr("The field has the value of the empty aggregate: no event set it.");
            return tr("Event %1, recorded %2 UTC")
                .arg(row.blame.eventId.toString(QUuid::WithoutBraces),
                    row.blame.recordedAt.toUTC().toString(Qt::ISODateWithMs));
        }
        return {};
    case ChangeKindRole:
        return int(row.kind);
    case PathRole:
        return row.path;
    case ValueRole:
        return QVariant::fromValue(row.value);
    case OldValueRole:
        return QVariant::fromValue(row.oldValue);
    case StreamVersionRole:
        return row.blame.version;
    case PositionRole:
        return row.blame.position;
    case EventTypeRole:
        return row.blame.eventType;
    case EventIdRole:
        return row.blame.eventId;
    case RecordedAtRole:
        return row.blame.recordedAt;
    }
    return {};
}

QVariant TimeTravelModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ColumnPath:
        return tr("Field");
    case ColumnValue:
        return tr("Value");
    case ColumnChange:
        return tr("Change");
    case ColumnOldValue:
        return tr("Previous value");
    case ColumnSetBy:
        return tr("Set by");
    }
    return {};
}

QHash<int, QByteArray> TimeTravelModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(ChangeKindRole, "changeKind");
    names.insert(PathRole, "path");
    names.insert(ValueRole, "value");
    names.insert(OldValueRole, "oldValue");
    names.insert(StreamVersionRole, "streamVersion");
    names.insert(PositionRole, "position");
    names.insert(EventTypeRole, "eventType");
    names.insert(EventIdRole, "eventId");
    names.insert(RecordedAtRole, "recordedAt");
    return names;
}

} // namespace EventScope
