// SPDX-License-Identifier: Apache-2.0
#include "logfiltermodel.h"

namespace EventScope {

LogFilterModel::LogFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
}

void LogFilterModel::setMinimumLevel(LogModel::Level level)
{
    if (level == m_minimumLevel)
        return;
    // Qt 6.4 has no beginFilterChange(); invalidateRowsFilter() keeps the columns.
    m_minimumLevel = level;
    invalidateRowsFilter();
}

void LogFilterModel::setSearchText(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_searchText)
        return;
    m_searchText = trimmed;
    invalidateRowsFilter();
}

bool LogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (index.data(LogModel::LevelRole).toInt() < int(m_minimumLevel))
        return false;
    if (m_searchText.isEmpty())
        return true;
    return index.data(LogModel::MessageRole).toString().contains(m_searchText, Qt::CaseInsensitive)
        || index.data(LogModel::CategoryRole).toString().contains(m_searchText, Qt::CaseInsensitive);
}

} // namespace EventScope
