// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <chrono>

namespace EventScope {

/// How to reach and tune one event store. Built from the `eventstore:` section of the configuration.
struct StoreSettings {
    enum class Backend { Sqlite, Postgres };
    enum class SqliteSync { Full, Normal };

    Backend backend = Backend::Sqlite;
    /// SQLite: a file path, or ":memory:" for a throwaway store (a file in a private temporary folder, so
    /// that every thread's connection sees the same data; removed when the store is destroyed). PostgreSQL: a URL
    /// (postgres://user:pass@host:port/db?sslmode=…) or a libpq key/value string (host=… port=… dbname=…).
    QString connection;
    /// PostgreSQL schema holding the store's tables (created when missing).
    QString postgresSchema = QStringLiteral("eventscope");
    /// SQLite durability: FULL (default) survives power loss once an append is acknowledged; NORMAL may lose
    /// the last transactions on power loss (never on a crash of the application alone) but is faster.
    SqliteSync sqliteSynchronous = SqliteSync::Full;
    std::chrono::milliseconds busyTimeout { 5000 };
    /// How often live subscriptions look for commits from other connections when the backend cannot push
    /// notifications (SQLite), and the safety poll on PostgreSQL.
    std::chrono::milliseconds pollInterval { 100 };
    qint64 maxPayloadBytes = 1024 * 1024;
    int maxConnections = 20;
    std::chrono::milliseconds connectTimeout { 30000 };
    /// Create the store's schema when the database is empty. When false, an empty database is an error.
    bool createIfMissing = true;
    /// Open read-only: appends fail, nothing is created or migrated (auditors, `eventscope --read-only`).
    bool readOnly = false;

    static QString backendName(Backend backend);
};

} // namespace EventScope
