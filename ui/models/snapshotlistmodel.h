// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "domain/snapshot.h"
#include "timetravel/snapshotverifier.h"

#include <QAbstractTableModel>
#include <QList>

#include <optional>

namespace EventScope {

/**
 * The snapshots of one stream (as SnapshotStore::list() gives them, newest first), one row each, with the
 * outcome of verifying it against the events once someone has (setVerification()).
 *
 * Columns: version, snapshot schema version, aggregate type, size (the compact JSON of the state, human
 * readable; SizeRole has the bytes), taken at (local time; the tool tip in UTC), verification (empty until
 * verified, then "matches", "differs (n fields)" or what stopped the verification; the tool tip has the note and
 * errors in full).
 *
 * Roles, besides Qt::DisplayRole, Qt::ToolTipRole and Qt::TextAlignmentRole: StreamIdRole, StreamVersionRole
 * (qint64), SchemaVersionRole (int, the snapshot's), and this model's Role values, on every column of a row.
 * The snapshots are loaded elsewhere (on a worker thread) and handed over with setSnapshots().
 */
class SnapshotListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        ColumnVersion,
        ColumnSchemaVersion,
        ColumnAggregateType,
        ColumnSize,
        ColumnTakenAt,
        ColumnVerification,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role : int {
        TakenAtRole = Qt::UserRole + 96, ///< QDateTime, UTC
        SizeRole, ///< qint64, bytes of the state as compact JSON
        StateJsonRole, ///< QString, the state as indented JSON
        VerificationRole, ///< int, a SnapshotCheck::Outcome; -1 while not verified
        DifferenceCountRole, ///< int, the number of differing fields; -1 while not verified
    };
    Q_ENUM(Role)

    explicit SnapshotListModel(QObject* parent = nullptr);
    ~SnapshotListModel() override;

    /// Shows \a snapshots (resets the model; verifications are forgotten).
    void setSnapshots(QList<Snapshot> snapshots);
    const QList<Snapshot>& snapshots() const { return m_snapshots; }
    const Snapshot& snapshot(int row) const { return m_snapshots.at(row); }
    /// The row of the snapshot at \a version of the stream, or -1.
    int rowOf(StreamVersion version) const;

    /// Records the verification of the snapshot in \a row (dataChanged() for that row).
    void setVerification(int row, SnapshotCheck check);
    /// Forgets the verification of \a row.
    void clearVerification(int row);
    const std::optional<SnapshotCheck>& verification(int row) const { return m_rows.at(row).check; }

    /// "matches", "differs (3 fields)", … as the verification column shows \a check.
    static QString verificationText(const SnapshotCheck& check);
    /// \a bytes for people ("512 bytes", "1.5 KiB").
    static QString sizeText(qint64 bytes);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    struct Row {
        qint64 size = 0;
        std::optional<SnapshotCheck> check;
    };

    QList<Snapshot> m_snapshots;
    QList<Row> m_rows; ///< parallel to m_snapshots
};

} // namespace EventScope
