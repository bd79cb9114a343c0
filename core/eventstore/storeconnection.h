// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "storeresult.h"

#include <QSqlDatabase>
#include <QString>

#include <memory>
#include <unordered_map>

class QSqlQuery;

namespace EventScope {

/**
 * One thread's connection to a store, with what is prepared on it: Qt statements, and slots where a dialect
 * keeps its own per-connection objects (SQLite's native statements). Everything here is destroyed, in
 * reverse order of declaration, before the connection itself is removed.
 */
struct StoreConnection {
    QString name;
    QSqlDatabase db;
    std::unordered_map<QString, std::unique_ptr<QSqlQuery>> statements;
    std::unordered_map<QString, std::shared_ptr<void>> native;

    ~StoreConnection();

    /// The prepared, forward-only statement for \a sql, prepared on first use and reused afterwards.
    StoreResult<QSqlQuery*> statement(const QString& sql);
};

} // namespace EventScope
