// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "logmodel.h"

#include <QSortFilterProxyModel>

namespace EventScope {

/// The log pane's filter over a LogModel: a minimum level and a text that the message or category contains
/// (case-insensitive). Rows keep the source's order.
class LogFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit LogFilterModel(QObject* parent = nullptr);

    LogModel::Level minimumLevel() const { return m_minimumLevel; }
    void setMinimumLevel(LogModel::Level level);
    const QString& searchText() const { return m_searchText; }
    void setSearchText(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    LogModel::Level m_minimumLevel = LogModel::Level::Debug;
    QString m_searchText;
};

} // namespace EventScope
