// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sqldialect.h"

#include <QCoreApplication>

namespace EventScope {

/// SQLite: one file (or :memory:), WAL journal, one writer at a time, positions = rowids in commit order.
class SqliteDialect final : public SqlDialect {
    Q_DECLARE_TR_FUNCTIONS(SqliteDialect)

public:
    /// PRAGMA application_id of an EventScope store ("EVSC").
    static constexpr int ApplicationId = 0x45565343;

    QString driverName() const override;
    std::optional<StoreError> configure(QSqlDatabase& db, const StoreSettings& settings) const override;
    std::optional<StoreError> prepareConnection(QSqlDatabase& db, const StoreSettings& settings) const override;
    StoreResult<int> detectSchemaVersion(QSqlDatabase& db, const StoreSettings& settings) const override;
    QList<SchemaMigration> migrations() const override;
    QStringList migrationLockStatements(const StoreSettings& settings) const override;
    std::optional<StoreError> afterMigrations(QSqlDatabase& db, const StoreSettings& settings) const override;
    bool beginWrite(QSqlDatabase& db) const override;
    StoreResult<AppendResult> append(
        StoreConnection& connection, const AppendRequest& request, AppendRace* race) const override;
    QString readAll(int typeCount, int categoryCount) const override;
    int readAllPositionBindings() const override { return 1; }
    QString headPosition() const override;
    QString importEvent() const override;
    QString importStream() const override;
    QString redateEvent() const override;
    QDateTime toDateTime(const QVariant& value) const override;
    bool isUniqueViolation(const QSqlError& error) const override;
    static bool isUniqueViolation(int extendedCode);
    StoreResult<QList<RecordedEvent>> queryEvents(
        StoreConnection& connection, const QString& sql, const QVariantList& binds, const QString& what) const override;
    bool concurrentWriters() const override { return false; }
};

} // namespace EventScope
