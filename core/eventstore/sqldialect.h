// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "appendresult.h"
#include "eventdata.h"
#include "recordedevent.h"
#include "storeconnection.h"
#include "storeerror.h"
#include "storeresult.h"
#include "storesettings.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <functional>
#include <memory>
#include <optional>

class QSqlDatabase;
class QSqlError;
class QSqlQuery;
class QVariant;
class QDateTime;

namespace EventScope {

/// A validated append, ready for the database.
struct AppendRequest {
    QString streamId;
    QString category;
    ExpectedVersion expected = ExpectedVersion::any();
    const QList<EventData>& events;
    QList<QByteArray> payloads; ///< compact JSON, one per event
    QList<QByteArray> metadata;
};

enum class AppendRace { None, Retry, DuplicateEventId };

/// One numbered schema migration: statements run in one transaction, then recorded in es_schema_migrations.
struct SchemaMigration {
    int version = 0;
    QString description;
    QStringList statements;
};

/**
 * What differs between SQL backends. SqlEventStore holds the logic; a dialect says how to connect, how the
 * schema looks, how to write a batch of events and how to read $all in commit order.
 *
 * Column order of every event SELECT the dialect produces: global_position, stream_id, stream_version,
 * event_id, event_type, schema_version, payload, metadata, recorded_at.
 */
class SqlDialect {
    Q_DECLARE_TR_FUNCTIONS(SqlDialect)

public:
    virtual ~SqlDialect() = default;

    /// The dialect for \a settings' backend. Dialects are shared by all threads' connections: const, no state
    /// that changes after construction.
    static std::unique_ptr<SqlDialect> create(const StoreSettings& settings);

    virtual QString driverName() const = 0;
    /// Sets database name, host, options … on a new connection from \a settings. Returns an error for a bad
    /// connection string.
    virtual std::optional<StoreError> configure(QSqlDatabase& db, const StoreSettings& settings) const = 0;
    /// Runs per-connection set-up after open (pragmas, search_path).
    virtual std::optional<StoreError> prepareConnection(QSqlDatabase& db, const StoreSettings& settings) const = 0;

    /// Decides whether the opened database is empty, an EventScope store, or something else. Returns the
    /// applied schema version (0 = empty database), or an error (NotAnEventStore).
    virtual StoreResult<int> detectSchemaVersion(QSqlDatabase& db, const StoreSettings& settings) const = 0;
    virtual QList<SchemaMigration> migrations() const = 0;
    /// Statement(s) that serialise concurrent migrators (advisory lock), run first inside the migration
    /// transaction. May be empty.
    virtual QStringList migrationLockStatements(const StoreSettings& settings) const = 0;
    /// Runs after the schema is known to be this store's and up to date (persistent pragmas such as WAL).
    virtual std::optional<StoreError> afterMigrations(QSqlDatabase& db, const StoreSettings& settings) const
    {
        Q_UNUSED(db);
        Q_UNUSED(settings);
        return std::nullopt;
    }

    /// Begins a write transaction. SQLite takes the write lock up front (BEGIN IMMEDIATE).
    virtual bool beginWrite(QSqlDatabase& db) const = 0;

    /**
     * One attempt at a validated append, all or nothing: the idempotency check (is the first event id
     * stored already, and is the whole batch at this place?), the expected-version check, the events, the
     * stream row, the wake-up of other processes. Sets \a race to Retry when a concurrent writer won a race
     * the caller should retry, or to DuplicateEventId when an event id of the batch is stored already
     * (the caller finds out which); nothing is written in either case.
     */
    virtual StoreResult<AppendResult> append(
        StoreConnection& connection, const AppendRequest& request, AppendRace* race) const = 0;

    /**
     * Runs an event SELECT (columns as described above) with positional \a binds and returns its rows. The
     * default uses QSqlQuery; SQLite reads the rows through its C API, straight from UTF-8 into the event.
     * \a what names the read for error messages.
     */
    virtual StoreResult<QList<RecordedEvent>> queryEvents(
        StoreConnection& connection, const QString& sql, const QVariantList& binds, const QString& what) const;

    /// The LISTEN/NOTIFY channel on which appends announce themselves; empty when the backend has none.
    virtual QString notificationChannel() const { return {}; }

    /// SELECT of at most :limit events of $all after position :after in commit order, with optional
    /// filter placeholders built in by \a typeCount and \a categoryCount (see categoryBindings()).
    virtual QString readAll(int typeCount, int categoryCount) const = 0;
    /// How many times the :after position is bound before the filters (the xid rule needs it twice).
    virtual int readAllPositionBindings() const = 0;
    virtual QString headPosition() const = 0;
    /// SELECT of a position from which readAll() misses nothing that commits later: the head where appends commit
    /// in position order (SQLite), else the last position in commit order below every transaction still running.
    virtual QString commitSafeHead() const { return headPosition(); }
    /// The event columns of a SELECT in the documented order. PostgreSQL reads recorded_at truncated to
    /// milliseconds, the precision both backends keep and every reader (explorer searches included) agrees on.
    virtual QString eventColumns() const
    {
        return QStringLiteral("global_position, stream_id, stream_version, event_id, event_type, schema_version, "
                              "payload, metadata, recorded_at");
    }
    /// INSERT of one imported event with its own event id and time; binds stream_id, stream_version, event_id
    /// (text), event_type, schema_version, payload (text), metadata (text), recorded_at (ms since the epoch).
    virtual QString importEvent() const = 0;
    /// Upsert of an imported event's stream; binds stream_id, category, last_version, recorded_at (ms) twice.
    virtual QString importStream() const = 0;
    /// UPDATE of one event's recorded time (SqlEventStore::redateEvents()); binds recorded_at (ms since the
    /// epoch), stream_id, stream_version.
    virtual QString redateEvent() const = 0;

    /// Converts a recorded_at column value.
    virtual QDateTime toDateTime(const QVariant& value) const = 0;

    /// True when \a error is a unique-constraint violation (a concurrent append won a race).
    virtual bool isUniqueViolation(const QSqlError& error) const = 0;

    /// Whether one process may run several appends at once (PostgreSQL), or they queue anyway (SQLite).
    virtual bool concurrentWriters() const = 0;

    /**
     * A category is the part of a stream id before its first '-', so it needs no column of its own: the
     * condition selects the primary-key range of "<category>-…" plus the stream named just "<category>".
     * Each category binds the values categoryBindings() returns.
     */
    static QString categoryCondition(int categoryCount);
    /// Migration 3 of every backend: es_projections and es_operator_audit, with \a auditId the backend's
    /// auto-increment primary key column type.
    static QStringList projectionTables(const QString& auditId);

    /// " AND event_type IN (?, …)" for \a typeCount types; empty for none.
    static QString typeCondition(int typeCount);
    static QVariantList categoryBindings(const QString& category);

    /// Logs a failed statement with its SQL and driver error, and makes the StoreError for it.
    static StoreError queryError(const QSqlQuery& query, const QString& what);

protected:
    RecordedEvent eventFromRow(const QSqlQuery& query) const;
};

} // namespace EventScope
