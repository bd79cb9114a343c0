// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sqldialect.h"

#include <QCoreApplication>

namespace EventScope {

/**
 * PostgreSQL 13+ through QPSQL: many concurrent writers, each append one call of the es_append() function
 * (one round trip), LISTEN/NOTIFY for live subscribers, and $all read in commit order using each row's
 * transaction id (see readAll()).
 */
class PostgresDialect final : public SqlDialect {
    Q_DECLARE_TR_FUNCTIONS(PostgresDialect)

public:
    explicit PostgresDialect(const StoreSettings& settings);

    QString driverName() const override;
    std::optional<StoreError> configure(QSqlDatabase& db, const StoreSettings& settings) const override;
    std::optional<StoreError> prepareConnection(QSqlDatabase& db, const StoreSettings& settings) const override;
    StoreResult<int> detectSchemaVersion(QSqlDatabase& db, const StoreSettings& settings) const override;
    QList<SchemaMigration> migrations() const override;
    QStringList migrationLockStatements(const StoreSettings& settings) const override;
    /// Repairs a store restored from another server whose transaction ids lie ahead of this one's (writable
    /// opens), or refuses to open it (read-only). See the .cpp.
    std::optional<StoreError> afterMigrations(QSqlDatabase& db, const StoreSettings& settings) const override;
    bool beginWrite(QSqlDatabase& db) const override;
    StoreResult<AppendResult> append(
        StoreConnection& connection, const AppendRequest& request, AppendRace* race) const override;
    QString notificationChannel() const override { return m_channel; }

    /// A PostgreSQL array literal ({"a","b"}) of \a values, for binding a whole batch as one parameter.
    static QString arrayLiteral(const QStringList& values);
    QString readAll(int typeCount, int categoryCount) const override;
    int readAllPositionBindings() const override { return 2; }
    QString headPosition() const override;
    QString eventColumns() const override;
    QString commitSafeHead() const override;
    QString importEvent() const override;
    QString importStream() const override;
    QString redateEvent() const override;
    QDateTime toDateTime(const QVariant& value) const override;
    bool isUniqueViolation(const QSqlError& error) const override;
    bool concurrentWriters() const override { return true; }

    /// Parses a postgres:// URL or a libpq "key=value" string into QSqlDatabase settings.
    struct ConnectionParameters {
        QString host, database, user, password;
        int port = -1;
        QStringList options; ///< key=value pairs passed as connect options (sslmode, connect_timeout …)
    };
    static StoreResult<ConnectionParameters> parseConnectionString(const QString& text);

private:
    // Set once: the dialect is shared by every thread's connection and must stay read-only.
    const QString m_channel;
};

} // namespace EventScope
