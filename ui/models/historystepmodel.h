// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "timetravel/streamhistory.h"

#include <QAbstractListModel>

#include <memory>

namespace EventScope {

/**
 * The versions of a StreamHistory, one row per step (row N is version N), to drive a version slider or list.
 *
 * Qt::DisplayRole reads "v3 · MoneyDeposited · 2026-11-26 12:00:01" (recorded at, UTC); Qt::ToolTipRole adds
 * the event id, the number of changed fields and the schema versions of an upcasted event. Roles, from
 * modelroles.h: StreamVersionRole (qint64), PositionRole (qint64), EventTypeRole (QString), EventIdRole (QUuid),
 * RecordedAtRole (QDateTime, UTC), SchemaVersionRole (int, after upcasting); and this model's own Role values.
 * The history is computed elsewhere and handed over with setHistory(); replacing it resets the model.
 */
class HistoryStepModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role : int {
        UpcastedRole = Qt::UserRole + 80, ///< bool, HistoryStep::isUpcasted()
        ChangeCountRole, ///< int, the number of fields that changed against the previous version
        StoredSchemaVersionRole, ///< int, the schema version as stored
    };
    Q_ENUM(Role)

    explicit HistoryStepModel(QObject* parent = nullptr);
    ~HistoryStepModel() override;

    /// Shows the steps of \a history (null for none).
    void setHistory(std::shared_ptr<const StreamHistory> history);
    const std::shared_ptr<const StreamHistory>& history() const { return m_history; }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    std::shared_ptr<const StreamHistory> m_history;
};

} // namespace EventScope
