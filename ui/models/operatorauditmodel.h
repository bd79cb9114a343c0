// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "projections/operatoraction.h"

#include <QAbstractTableModel>
#include <QList>

#include <memory>

class QIODevice;

namespace EventScope {

class Engine;

/**
 * The operator audit log of an Engine's projections (who paused, rebuilt, skipped … what, when and why),
 * newest first, read with ProjectionManager::auditLog() on a pool thread.
 *
 * reload() reads the newest page; entries newer than the first row are inserted at the top (a reset only when
 * the log is replaced, e.g. by another engine). Older entries come page by page through canFetchMore() /
 * fetchMore(), keyset by id (as Qt's fetchmore example). rowCount() counts loaded rows.
 *
 * Columns: at (local time; UTC in the tool tip), actor, role, action, projection, reason, detail (the action's
 * JSON detail, compact; indented in the tool tip).
 */
class OperatorAuditModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        ColumnAt,
        ColumnActor,
        ColumnRole,
        ColumnAction,
        ColumnProjection,
        ColumnReason,
        ColumnDetail,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role : int {
        EntryIdRole = Qt::UserRole + 160, ///< qint64, the entry's id
        AtRole, ///< QDateTime, UTC
        DetailJsonRole, ///< QString, the detail as indented JSON
    };
    Q_ENUM(Role)

    explicit OperatorAuditModel(QObject* parent = nullptr);
    ~OperatorAuditModel() override;

    /// Reads \a engine's audit log (null: empty).
    void setEngine(std::shared_ptr<Engine> engine);
    const std::shared_ptr<Engine>& engine() const { return m_engine; }

    /// Entries per page (default 200).
    void setBatchSize(int size) { m_batchSize = qBound(1, size, 10000); }
    int batchSize() const { return m_batchSize; }

    /// Reads the newest page again on a pool thread; newer entries appear at the top. loaded() or failed().
    void reload();
    bool isLoading() const { return m_loading; }

    const QList<OperatorAuditEntry>& entries() const { return m_entries; }
    const OperatorAuditEntry& entry(int row) const { return m_entries.at(row); }

    /// The CSV header and one record per entry (RFC 4180, UTF-8, times in ISO 8601 UTC) into \a device.
    static bool writeCsv(QIODevice& device, const QList<OperatorAuditEntry>& entries);
    /// The header line of writeCsv(): "id,at,actor,role,action,projection,reason,detail".
    static QByteArray csvHeader();

    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    /// A reload() or fetchMore() finished and its entries are shown.
    void loaded();
    /// Reading the log failed; \a message says why.
    void failed(const QString& message);

private:
    void load(qint64 beforeId);
    void take(qint64 beforeId, const QList<OperatorAuditEntry>& entries);

    std::shared_ptr<Engine> m_engine;
    QList<OperatorAuditEntry> m_entries;
    int m_batchSize = 200;
    quint64 m_generation = 0;
    bool m_loading = false;
    bool m_atEnd = true; ///< no older entries than the last row
};

} // namespace EventScope
