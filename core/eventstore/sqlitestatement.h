// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "storeresult.h"

#include <QByteArray>
#include <QString>

struct sqlite3;
struct sqlite3_stmt;

class QVariant;

namespace EventScope {

struct StoreConnection;

/**
 * A prepared SQLite statement used through SQLite's C API on the connection Qt's QSQLITE driver opened.
 * The store's hot paths (appending, reading events) use it to bind and read UTF-8 directly, without
 * QVariant and UTF-16 round trips. Statements are cached per connection and finalised before it closes.
 */
class SqliteStatement {
public:
    /// The cached statement for \a sql on \a connection, prepared on first use.
    static StoreResult<SqliteStatement*> cached(StoreConnection& connection, const QString& sql);
    /// Runs \a sql (no result rows) directly on the connection, e.g. BEGIN IMMEDIATE or COMMIT.
    static std::optional<StoreError> execute(StoreConnection& connection, const char* sql, const QString& what);

    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    void bind(int index, qint64 value);
    void bind(int index, QByteArrayView utf8);
    void bind(int index, const QString& text);
    void bind(int index, const QVariant& value);

    /// Steps once: true with a row, false when done or failed (then check failed()).
    bool next();
    /// Steps until done; false when that failed.
    bool run();
    bool failed() const { return m_failed; }
    /// SQLite's extended result code and message of the last failure.
    int errorCode() const;
    QString errorMessage() const;
    StoreError error(const QString& what) const;
    /// Resets the statement and clears its bindings, so that it can be run again.
    void reset();

    qint64 int64(int column) const;
    QByteArrayView text(int column) const;
    QString string(int column) const;
    bool isNull(int column) const;

    sqlite3* handle() const { return m_db; }

private:
    SqliteStatement(sqlite3* db, sqlite3_stmt* statement, QString sql);

    sqlite3* m_db;
    sqlite3_stmt* m_statement;
    QString m_sql;
    bool m_failed = false;
};

} // namespace EventScope
