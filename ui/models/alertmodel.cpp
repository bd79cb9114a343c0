// SPDX-License-Identifier: Apache-2.0
#include "alertmodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>

#include <algorithm>

namespace EventScope {

namespace {

using Change = AlertMonitor::Transition::Change;

bool comesBefore(const AlertMonitor::Alert& a, const AlertMonitor::Alert& b)
{
    if (a.severity != b.severity)
        return a.severity == AlertMonitor::Severity::Critical;
    return a.raisedAt < b.raisedAt;
}

/// How long \a alert was active: "40 s", "12 min", "3 h 5 min".
QString activeFor(const AlertMonitor::Alert& alert)
{
    const qint64 seconds = std::max<qint64>(alert.raisedAt.secsTo(alert.clearedAt), 0);
    if (seconds < 120)
        return AlertModel::tr("%1 s").arg(seconds);
    if (seconds < 2 * 3600)
        return AlertModel::tr("%1 min").arg(seconds / 60);
    return AlertModel::tr("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60);
}

} // namespace

AlertModel::AlertModel(Mode mode, QObject* parent)
    : QAbstractTableModel(parent)
    , m_mode(mode)
{
}

void AlertModel::setMonitor(AlertMonitor* monitor)
{
    if (m_monitor)
        disconnect(m_monitor, nullptr, this, nullptr);
    beginResetModel();
    m_monitor = monitor;
    m_rows.clear();
    if (monitor) {
        if (m_mode == Mode::Active) {
            for (const AlertMonitor::Alert& alert : monitor->activeAlerts())
                m_rows << AlertMonitor::Transition { Change::Raised, alert.raisedAt, alert };
        } else {
            const QList<AlertMonitor::Transition> history = monitor->history();
            m_rows.reserve(history.size());
            for (auto it = history.crbegin(); it != history.crend(); ++it)
                m_rows << *it;
        }
    }
    endResetModel();
    if (monitor) {
        connect(monitor, &AlertMonitor::alertRaised, this, &AlertModel::onRaised);
        connect(monitor, &AlertMonitor::alertCleared, this, &AlertModel::onCleared);
        connect(monitor, &AlertMonitor::alertUpdated, this, &AlertModel::onUpdated);
        connect(monitor, &QObject::destroyed, this, [this] { setMonitor(nullptr); });
    }
}

int AlertModel::activeRowOf(const QString& id) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).alert.id == id)
            return row;
    }
    return -1;
}

int AlertModel::insertPosition(const AlertMonitor::Alert& alert) const
{
    const auto it = std::upper_bound(m_rows.cbegin(), m_rows.cend(), alert,
        [](const AlertMonitor::Alert& value, const AlertMonitor::Transition& row) {
            return comesBefore(value, row.alert);
        });
    return int(it - m_rows.cbegin());
}

void AlertModel::addHistory(Change change, const AlertMonitor::Alert& alert)
{
    beginInsertRows({}, 0, 0);
    m_rows.prepend(
        AlertMonitor::Transition { change, change == Change::Raised ? alert.raisedAt : alert.clearedAt, alert });
    endInsertRows();
    const int limit = m_monitor ? std::max(m_monitor->settings().historySize, 1) : int(m_rows.size());
    if (m_rows.size() > limit) {
        beginRemoveRows({}, limit, int(m_rows.size()) - 1);
        m_rows.resize(limit);
        endRemoveRows();
    }
}

void AlertModel::onRaised(const AlertMonitor::Alert& alert)
{
    if (m_mode == Mode::History) {
        addHistory(Change::Raised, alert);
        return;
    }
    if (activeRowOf(alert.id) >= 0) {
        onUpdated(alert);
        return;
    }
    const int row = insertPosition(alert);
    beginInsertRows({}, row, row);
    m_rows.insert(row, AlertMonitor::Transition { Change::Raised, alert.raisedAt, alert });
    endInsertRows();
}

void AlertModel::onCleared(const AlertMonitor::Alert& alert)
{
    if (m_mode == Mode::History) {
        addHistory(Change::Cleared, alert);
        return;
    }
    const int row = activeRowOf(alert.id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
}

void AlertModel::onUpdated(const AlertMonitor::Alert& alert)
{
    if (m_mode == Mode::History)
        return;
    const int row = activeRowOf(alert.id);
    if (row < 0)
        return;
    m_rows[row].alert = alert;
    Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
}

QString AlertModel::alertTitle(const AlertMonitor::Alert& alert)
{
    switch (alert.kind) {
    case AlertMonitor::Kind::ProjectionLag:
        return tr("Projection lag: %1").arg(alert.subject);
    case AlertMonitor::Kind::CircuitBreakerOpen:
        return tr("Circuit breaker open: %1").arg(alert.subject);
    case AlertMonitor::Kind::CommandErrors:
        return tr("Command errors");
    case AlertMonitor::Kind::StoreLatency:
        return tr("Store latency: %1").arg(alert.subject);
    }
    return alert.id;
}

AlertModel::Column AlertModel::columnAt(int section) const
{
    // The active list has no Change column: every row is active.
    if (m_mode == Mode::Active && section >= ColumnChange)
        return Column(section + 1);
    return Column(section);
}

int AlertModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AlertModel::columnCount(const QModelIndex& parent) const
{
    if (parent.isValid())
        return 0;
    return m_mode == Mode::Active ? ColumnCount - 1 : ColumnCount;
}

QVariant AlertModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AlertMonitor::Transition& row = m_rows.at(index.row());
    const AlertMonitor::Alert& alert = row.alert;
    const Column column = columnAt(index.column());
    const bool critical = alert.severity == AlertMonitor::Severity::Critical;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case ColumnTime:
            return QLocale().toString(row.at.toLocalTime(), QLocale::ShortFormat);
        case ColumnChange:
            return row.change == Change::Raised ? tr("raised") : tr("cleared");
        case ColumnSeverity:
            return critical ? tr("critical") : tr("warning");
        case ColumnAlert:
            return alertTitle(alert);
        case ColumnMessage:
            if (row.change == Change::Cleared)
                return tr("Back to normal after %1. It was: %2").arg(activeFor(alert), alert.message);
            return alert.message;
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        if (column == ColumnTime)
            return row.at.toLocalTime().toString(Qt::ISODate);
        return data(index.siblingAtColumn(columnCount() - 1), Qt::DisplayRole);
    case Qt::ForegroundRole:
        if (column != ColumnSeverity || (m_mode == Mode::History && row.change == Change::Cleared))
            return {};
        return QBrush(critical ? QColor(0xc6, 0x28, 0x28) : QColor(0xb3, 0x6b, 0x00));
    case Qt::FontRole:
        if (column == ColumnSeverity && critical) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case AlertIdRole:
        return alert.id;
    case SeverityRole:
        return int(alert.severity);
    case KindRole:
        return int(alert.kind);
    case ClearedRole:
        return row.change == Change::Cleared;
    default:
        return {};
    }
}

QVariant AlertModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= columnCount())
        return {};
    switch (columnAt(section)) {
    case ColumnTime:
        return m_mode == Mode::Active ? tr("Since") : tr("Time");
    case ColumnChange:
        return tr("Change");
    case ColumnSeverity:
        return tr("Severity");
    case ColumnAlert:
        return tr("Alert");
    case ColumnMessage:
        return tr("What to do");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace EventScope
