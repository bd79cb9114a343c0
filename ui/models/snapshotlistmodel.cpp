// SPDX-License-Identifier: Apache-2.0
#include "snapshotlistmodel.h"

#include "modelroles.h"

#include <QJsonDocument>
#include <QLocale>

namespace EventScope {

SnapshotListModel::SnapshotListModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

SnapshotListModel::~SnapshotListModel() = default;

void SnapshotListModel::setSnapshots(QList<Snapshot> snapshots)
{
    beginResetModel();
    m_snapshots = std::move(snapshots);
    m_rows.clear();
    m_rows.reserve(m_snapshots.size());
    for (const Snapshot& snapshot : std::as_const(m_snapshots))
        m_rows.append(Row { QJsonDocument(snapshot.state).toJson(QJsonDocument::Compact).size(), std::nullopt });
    endResetModel();
}

int SnapshotListModel::rowOf(StreamVersion version) const
{
    for (qsizetype row = 0; row < m_snapshots.size(); ++row) {
        if (m_snapshots.at(row).version == version)
            return int(row);
    }
    return -1;
}

void SnapshotListModel::setVerification(int row, SnapshotCheck check)
{
    if (row < 0 || row >= m_rows.size())
        return;
    m_rows[row].check = std::move(check);
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void SnapshotListModel::clearVerification(int row)
{
    if (row < 0 || row >= m_rows.size() || !m_rows.at(row).check)
        return;
    m_rows[row].check.reset();
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

QString SnapshotListModel::verificationText(const SnapshotCheck& check)
{
    switch (check.outcome) {
    case SnapshotCheck::Outcome::Matches:
        return tr("matches");
    case SnapshotCheck::Outcome::Differs:
        // No English numerus translation ships: say singular and plural apart.
        return check.differences.size() == 1 ? tr("differs (1 field)")
                                             : tr("differs (%1 fields)").arg(check.differences.size());
    case SnapshotCheck::Outcome::Stale:
        return tr("stale (older schema version)");
    case SnapshotCheck::Outcome::NotVerifiable:
        return tr("cannot verify (no registered aggregate)");
    case SnapshotCheck::Outcome::Failed:
        return check.errors.isEmpty() ? tr("failed") : tr("failed: %1").arg(check.errors.first());
    }
    return {};
}

QString SnapshotListModel::sizeText(qint64 bytes)
{
    if (bytes < 1024)
        return bytes == 1 ? tr("1 byte") : tr("%1 bytes").arg(bytes);
    return QLocale().formattedDataSize(bytes, 1);
}

int SnapshotListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_snapshots.size());
}

int SnapshotListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SnapshotListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Snapshot& snapshot = m_snapshots.at(index.row());
    const Row& row = m_rows.at(index.row());

    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ColumnVersion:
            return snapshot.version;
        case ColumnSchemaVersion:
            return snapshot.schemaVersion;
        case ColumnAggregateType:
            return snapshot.aggregateType;
        case ColumnSize:
            return sizeText(row.size);
        case ColumnTakenAt:
            return snapshot.takenAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case ColumnVerification:
            return row.check ? verificationText(*row.check) : QString();
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case ColumnVersion:
            return tr("The state after the event at version %1 of %2.").arg(snapshot.version).arg(snapshot.streamId);
        case ColumnSchemaVersion:
            return tr("The layout version of the state the aggregate wrote (its snapshot schema version).");
        case ColumnSize:
            return tr("%1 of compact JSON").arg(row.size == 1 ? tr("1 byte") : tr("%1 bytes").arg(row.size));
        case ColumnTakenAt:
            return tr("%1 UTC").arg(snapshot.takenAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
        case ColumnVerification: {
            if (!row.check)
                return tr("Not verified yet: verify to rebuild the state from the events and compare.");
            QStringList lines { verificationText(*row.check) };
            if (!row.check->note.isEmpty())
                lines.append(row.check->note);
            lines.append(row.check->errors);
            return lines.join(u'\n');
        }
        }
        return {};
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case ColumnVersion:
        case ColumnSchemaVersion:
        case ColumnSize:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        }
        return {};
    case StreamIdRole:
        return snapshot.streamId;
    case StreamVersionRole:
        return snapshot.version;
    case SchemaVersionRole:
        return snapshot.schemaVersion;
    case TakenAtRole:
        return snapshot.takenAt;
    case SizeRole:
        return row.size;
    case StateJsonRole:
        return QString::fromUtf8(QJsonDocument(snapshot.state).toJson(QJsonDocument::Indented));
    case VerificationRole:
        return row.check ? int(row.check->outcome) : -1;
    case DifferenceCountRole:
        return row.check ? int(row.check->differences.size()) : -1;
    }
    return {};
}

QVariant SnapshotListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ColumnVersion:
        return tr("Version");
    case ColumnSchemaVersion:
        return tr("Schema");
    case ColumnAggregateType:
        return tr("Aggregate");
    case ColumnSize:
        return tr("Size");
    case ColumnTakenAt:
        return tr("Taken at");
    case ColumnVerification:
        return tr("Verification");
    }
    return {};
}

QHash<int, QByteArray> SnapshotListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(StreamIdRole, "streamId");
    names.insert(StreamVersionRole, "streamVersion");
    names.insert(SchemaVersionRole, "schemaVersion");
    names.insert(TakenAtRole, "takenAt");
    names.insert(SizeRole, "size");
    names.insert(StateJsonRole, "stateJson");
    names.insert(VerificationRole, "verification");
    names.insert(DifferenceCountRole, "differenceCount");
    return names;
}

} // namespace EventScope
