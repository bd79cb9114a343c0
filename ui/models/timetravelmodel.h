// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "timetravel/streamhistory.h"

#include <QAbstractTableModel>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace EventScope {

/**
 * The state of an aggregate at one version of a StreamHistory, field by field, with the diff against the
 * previous version and the event that last set each field ("blame").
 *
 * Rows are the fields (leaf paths, StreamHistory::pathOf()) of the state at version(), plus the fields of
 * version() - 1 that version() removed (so the rows show the whole diff), all sorted by path. The history is
 * computed elsewhere (on a worker thread) and handed over with setHistory(); the model never reads the store.
 *
 * Roles, besides Qt::DisplayRole:
 *  - Qt::ToolTipRole: the full value (indented JSON for arrays and objects) in the value columns, the event's
 *    id and time in ColumnSetBy.
 *  - ChangeKindRole (every column): the row's ChangeKind as int, so a view can colour the row.
 *  - PathRole (QString), ValueRole / OldValueRole (QJsonValue; undefined when there is none: no new value for a
 *    removed field, no old value for an added or unchanged one).
 *  - The blame of the field, in the shared roles of modelroles.h: StreamVersionRole (qint64, NoStreamVersion
 *    for a field of the initial state), PositionRole, EventTypeRole, EventIdRole, RecordedAtRole. For a removed
 *    field these name the event at version(), the one that removed it.
 *
 * Changing the version or the history emits the minimal row removals, insertions and dataChanged() between
 * the two sorted sets of rows, so selection and scrolling survive stepping through versions.
 */
class TimeTravelModel : public QAbstractTableModel {
    Q_OBJECT
    Q_PROPERTY(qint64 version READ version WRITE setVersion NOTIFY versionChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY historyChanged)
public:
    enum Column { ColumnPath, ColumnValue, ColumnChange, ColumnOldValue, ColumnSetBy, ColumnCount };
    Q_ENUM(Column)

    /// How a row's field differs from the previous version.
    enum class ChangeKind {
        Unchanged, ///< same value as at version - 1 (possibly written again by this version's event)
        Added, ///< not in the state at version - 1
        Changed, ///< a different value than at version - 1
        Removed, ///< in the state at version - 1 only; the row shows its old value
    };
    Q_ENUM(ChangeKind)

    /// Roles of this model beyond the shared ones of modelroles.h (which it also answers, see above).
    enum Role : int {
        ChangeKindRole = Qt::UserRole + 64, ///< int, a ChangeKind
        PathRole, ///< QString, the field's path
        ValueRole, ///< QJsonValue, the value at version()
        OldValueRole, ///< QJsonValue, the value at version() - 1 when it differs
    };
    Q_ENUM(Role)

    /// Values longer than this are elided in Qt::DisplayRole (the tool tip has them whole).
    static constexpr int MaxDisplayLength = 200;

    explicit TimeTravelModel(QObject* parent = nullptr);
    ~TimeTravelModel() override;

    /**
     * Shows \a history (null for none). The version is kept, clamped to the new history; when there was none,
     * the model shows the last version.
     */
    void setHistory(std::shared_ptr<const StreamHistory> history);
    const std::shared_ptr<const StreamHistory>& history() const { return m_history; }

    /// The version shown; NoStreamVersion when the history has no version.
    StreamVersion version() const { return m_version; }
    /// Shows the state at \a version, clamped to the versions of the history.
    void setVersion(StreamVersion version);

    /**
     * The version the stream was at at \a time: the version of the last event recorded at or before it (the
     * events up to the first one recorded later). NoStreamVersion when the stream's first event is later, or
     * there is no history.
     */
    StreamVersion versionAt(const QDateTime& time) const;

    /// Why the history stops early (or has no state at all), for people; empty when it is complete.
    QString errorText() const;

    /// The field of \a row.
    QString path(int row) const { return m_rows.at(row).path; }
    ChangeKind changeKind(int row) const { return m_rows.at(row).kind; }

    /// The display text of a value: scalars as such, strings unquoted, arrays and objects as compact JSON.
    static QString valueText(const QJsonValue& value);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void versionChanged(qint64 version);
    /// The history was replaced (errorText() may have changed).
    void historyChanged();

private:
    struct Row {
        QString path;
        ChangeKind kind = ChangeKind::Unchanged;
        QJsonValue value { QJsonValue::Undefined };
        QJsonValue oldValue { QJsonValue::Undefined }; ///< undefined unless the field changed
        FieldBlame blame;

        bool operator==(const Row& other) const;
    };

    StreamVersion clamped(StreamVersion version) const;
    QList<Row> rowsAt(StreamVersion version) const;
    void showRows(QList<Row> rows);
    QString setByText(const Row& row) const;

    std::shared_ptr<const StreamHistory> m_history;
    StreamVersion m_version = NoStreamVersion;
    QList<Row> m_rows;
};

} // namespace EventScope
