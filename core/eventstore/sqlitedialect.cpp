// SPDX-License-Identifier: Apache-2.0
#include "sqlitedialect.h"

#include "sqleventstore.h"
#include "sqlitestatement.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QUuid>
#include <QVariant>

#include <sqlite3.h>

namespace EventScope {

namespace {

StoreError notADatabase(const StoreSettings& settings, const QSqlError& error)
{
    return StoreError(StoreError::Code::NotAnEventStore,
        QCoreApplication::translate("EventStore",
            "'%1' is not an EventScope store: it is not an SQLite database (%2). Nothing was changed. Choose a store "
            "file, or a new file name to create one.")
            .arg(settings.connection, error.databaseText()));
}

} // namespace

QString SqliteDialect::driverName() const
{
    return QStringLiteral("QSQLITE");
}

std::optional<StoreError> SqliteDialect::configure(QSqlDatabase& db, const StoreSettings& settings) const
{
    if (settings.connection.isEmpty())
        return StoreError(StoreError::Code::InvalidArgument,
            tr("No SQLite store file was given. Set eventstore.connection to a file path (or :memory:)."));
    db.setDatabaseName(settings.connection);
    QStringList options;
    options << QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(settings.busyTimeout.count());
    if (settings.readOnly)
        options << QStringLiteral("QSQLITE_OPEN_READONLY");
    db.setConnectOptions(options.join(u';'));
    return std::nullopt;
}

std::optional<StoreError> SqliteDialect::prepareConnection(QSqlDatabase& db, const StoreSettings& settings) const
{
    QSqlQuery query(db);
    // A file that is not an SQLite database opens fine and fails on first use: say what it is.
    if (!query.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")))
        return notADatabase(settings, query.lastError());
    query.finish();
    const QString sync = settings.sqliteSynchronous == StoreSettings::SqliteSync::Full ? QStringLiteral("FULL")
                                                                                       : QStringLiteral("NORMAL");
    const QStringList pragmas { QStringLiteral("PRAGMA synchronous = ") + sync,
        QStringLiteral("PRAGMA busy_timeout = %1").arg(settings.busyTimeout.count()),
        QStringLiteral("PRAGMA cache_size = -16000"), QStringLiteral("PRAGMA temp_store = MEMORY") };
    for (const QString& pragma : pragmas) {
        if (!query.exec(pragma))
            return StoreError(StoreError::Code::ConnectionFailed,
                tr("Could not set up the SQLite connection (%1): %2").arg(pragma, query.lastError().text()));
    }
    return std::nullopt;
}

StoreResult<int> SqliteDialect::detectSchemaVersion(QSqlDatabase& db, const StoreSettings& settings) const
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")))
        return notADatabase(settings, query.lastError());
    QStringList tables;
    while (query.next())
        tables << query.value(0).toString();
    if (tables.isEmpty())
        return 0;

    qint64 applicationId = 0;
    if (query.exec(QStringLiteral("PRAGMA application_id")) && query.next())
        applicationId = query.value(0).toLongLong();
    if (!tables.contains(QStringLiteral("es_schema_migrations"))
        || (applicationId != 0 && applicationId != ApplicationId)) {
        QStringList shown = tables.mid(0, 5);
        if (tables.size() > 5)
            shown << QStringLiteral("…");
        return StoreError(StoreError::Code::NotAnEventStore,
            tr("'%1' is an SQLite database but not an EventScope store: it holds other tables (%2). Nothing was "
               "changed. Open an EventScope store, or give a new file name to create one.")
                .arg(settings.connection, shown.join(QStringLiteral(", "))));
    }
    if (!query.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM es_schema_migrations")) || !query.next())
        return StoreError(StoreError::Code::NotAnEventStore,
            tr("'%1' has a damaged EventScope schema table: %2").arg(settings.connection, query.lastError().text()));
    return query.value(0).toInt();
}

QList<SchemaMigration> SqliteDialect::migrations() const
{
    return {
        { 1, QStringLiteral("events and streams"),
            {
                QStringLiteral("PRAGMA application_id = %1").arg(ApplicationId),
                QStringLiteral(R"(CREATE TABLE es_streams (
                    stream_id TEXT NOT NULL PRIMARY KEY,
                    category TEXT NOT NULL,
                    last_version INTEGER NOT NULL,
                    first_recorded_at INTEGER NOT NULL,
                    last_recorded_at INTEGER NOT NULL
                ) WITHOUT ROWID)"),
                // global_position is the rowid: assigned in commit order because SQLite has one writer.
                QStringLiteral(R"(CREATE TABLE es_events (
                    global_position INTEGER PRIMARY KEY,
                    stream_id TEXT NOT NULL,
                    stream_version INTEGER NOT NULL,
                    event_id TEXT NOT NULL,
                    event_type TEXT NOT NULL,
                    schema_version INTEGER NOT NULL,
                    payload TEXT NOT NULL,
                    metadata TEXT NOT NULL,
                    recorded_at INTEGER NOT NULL
                ))"),
                QStringLiteral("CREATE UNIQUE INDEX es_events_stream ON es_events (stream_id, stream_version)"),
                QStringLiteral("CREATE UNIQUE INDEX es_events_event_id ON es_events (event_id)"),
                QStringLiteral("CREATE INDEX es_events_type ON es_events (event_type, global_position)"),
            } },
        { 2, QStringLiteral("snapshots"),
            {
                // state is the snapshot's JSON object as text; taken_at is milliseconds since the Unix epoch (UTC).
                QStringLiteral(R"(CREATE TABLE es_snapshots (
                    stream_id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    aggregate_type TEXT NOT NULL,
                    snapshot_schema_version INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    taken_at INTEGER NOT NULL,
                    PRIMARY KEY (stream_id, version)
                ) WITHOUT ROWID)"),
            } },
        { 3, QStringLiteral("projections and the operator audit log"),
            projectionTables(QStringLiteral("INTEGER PRIMARY KEY")) },
        // The explorer's reads (EventSearch): events by time, correlation sets, streams by last activity. The
        // correlation index is on exactly the expression EventSearch queries, else SQLite would not use it.
        // IF NOT EXISTS: a store whose migration records were rolled back by hand may still hold them.
        { 4, QStringLiteral("explorer indexes"),
            {
                QStringLiteral("CREATE INDEX IF NOT EXISTS es_events_recorded_at ON es_events (recorded_at)"),
                QStringLiteral("CREATE INDEX IF NOT EXISTS es_events_correlation ON es_events "
                               "(json_extract(metadata, '$.correlationId'))"),
                QStringLiteral(
                    "CREATE INDEX IF NOT EXISTS es_streams_activity ON es_streams (last_recorded_at, stream_id)"),
            } },
    };
}

QStringList SqliteDialect::migrationLockStatements(const StoreSettings&) const
{
    return {}; // the migration transaction starts with BEGIN IMMEDIATE, which already excludes other writers
}

std::optional<StoreError> SqliteDialect::afterMigrations(QSqlDatabase& db, const StoreSettings& settings) const
{
    if (settings.readOnly)
        return std::nullopt;
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !query.next())
        return StoreError(StoreError::Code::ConnectionFailed,
            tr("Could not switch '%1' to write-ahead logging: %2").arg(settings.connection, query.lastError().text()));
    if (query.value(0).toString().compare(QStringLiteral("wal"), Qt::CaseInsensitive) != 0)
        return StoreError(StoreError::Code::Unsupported,
            tr("'%1' cannot use write-ahead logging (journal mode stays '%2'); is it on a network file system?")
                .arg(settings.connection, query.value(0).toString()));
    return std::nullopt;
}

bool SqliteDialect::beginWrite(QSqlDatabase& db) const
{
    // Take the write lock now: a deferred transaction that reads first and then writes cannot wait for a
    // busy writer (SQLITE_BUSY_SNAPSHOT), while BEGIN IMMEDIATE waits up to busy_timeout.
    QSqlQuery query(db);
    return query.exec(QStringLiteral("BEGIN IMMEDIATE"));
}

StoreResult<AppendResult> SqliteDialect::append(
    StoreConnection& connection, const AppendRequest& request, AppendRace* race) const
{
    const QString& streamId = request.streamId;
    const QByteArray stream = streamId.toUtf8();
    const ExpectedVersion expected = request.expected;
    const QList<EventData>& events = request.events;

    if (auto error = SqliteStatement::execute(connection, "BEGIN IMMEDIATE", tr("starting a write transaction"))) {
        return StoreError(
            error->code(), error->message() + u' ' + tr("Another program may be writing to the store; try again."));
    }
    bool transactionOpen = true;
    QList<SqliteStatement*> used;
    auto cleanup = qScopeGuard([&] {
        for (SqliteStatement* statement : used)
            statement->reset();
        if (transactionOpen)
            SqliteStatement::execute(connection, "ROLLBACK", tr("rolling back"));
    });
    auto prepare = [&](const QString& sql) -> StoreResult<SqliteStatement*> {
        auto statement = SqliteStatement::cached(connection, sql);
        if (statement)
            used << statement.value();
        return statement;
    };

    // 1. Idempotency: a retried append finds its first event already stored.
    if (!events.isEmpty()) {
        auto found = prepare(
            QStringLiteral("SELECT stream_id, stream_version, global_position FROM es_events WHERE event_id = ?"));
        if (!found)
            return found.error();
        SqliteStatement* find = found.value();
        const QString firstId = events.first().eventId.toString(QUuid::WithoutBraces);
        find->bind(1, firstId);
        if (find->next()) {
            const QString storedStream = find->string(0);
            const StreamVersion firstVersion = find->int64(1);
            const GlobalPosition firstPosition = find->int64(2);
            find->reset();
            bool samePlace = storedStream == streamId
                && (expected.kind() == ExpectedVersion::Kind::Any
                    || expected.kind() == ExpectedVersion::Kind::StreamExists
                    || (expected.kind() == ExpectedVersion::Kind::NoStream && firstVersion == 0)
                    || (expected.kind() == ExpectedVersion::Kind::Exact && firstVersion == expected.version() + 1));
            AppendResult result;
            result.alreadyApplied = true;
            result.firstPosition = firstPosition;
            result.lastPosition = firstPosition;
            result.nextExpectedVersion = firstVersion;
            if (samePlace) {
                auto following
                    = prepare(QStringLiteral("SELECT event_id, global_position FROM es_events WHERE "
                                             "stream_id = ? AND stream_version >= ? ORDER BY stream_version LIMIT ?"));
                if (!following)
                    return following.error();
                SqliteStatement* rest = following.value();
                rest->bind(1, QByteArrayView(stream));
                rest->bind(2, firstVersion);
                rest->bind(3, qint64(events.size()));
                qsizetype i = 0;
                while (i < events.size() && rest->next()) {
                    if (QUuid::fromString(QLatin1String(rest->text(0))) != events.at(i).eventId)
                        break;
                    result.lastPosition = rest->int64(1);
                    ++i;
                }
                if (rest->failed())
                    return rest->error(tr("checking for a repeated append"));
                rest->reset();
                samePlace = i == events.size();
                result.nextExpectedVersion = firstVersion + i - 1;
            }
            if (samePlace)
                return result;
            return StoreError(StoreError::Code::DuplicateEventId,
                tr("Event %1 is already stored in stream '%2' at version %3, and this append is not an exact repeat "
                   "of that one. Event ids are unique: give new events new ids.")
                    .arg(firstId, storedStream)
                    .arg(firstVersion));
        }
        if (find->failed())
            return find->error(tr("checking for a repeated append"));
        find->reset();
    }

    // 2. Where is the stream now? BEGIN IMMEDIATE holds the write lock, so nobody moves it until we commit.
    auto selected = prepare(QStringLiteral("SELECT last_version FROM es_streams WHERE stream_id = ?"));
    if (!selected)
        return selected.error();
    SqliteStatement* current = selected.value();
    current->bind(1, QByteArrayView(stream));
    const StreamVersion version = current->next() ? current->int64(0) : NoStreamVersion;
    if (current->failed())
        return current->error(tr("reading the version of stream '%1'").arg(streamId));
    current->reset();
    if (!expected.isSatisfiedBy(version))
        return StoreError::wrongExpectedVersion(streamId, expected, version);
    if (events.isEmpty()) {
        AppendResult result;
        result.nextExpectedVersion = version;
        return result;
    }

    // 3. The events: one reused single-row statement; SQLite runs it in-process, so it costs no round trips.
    const QByteArray category = request.category.toUtf8();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto prepared = prepare(
        QStringLiteral("INSERT INTO es_events (stream_id, stream_version, event_id, event_type, schema_version, "
                       "payload, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    if (!prepared)
        return prepared.error();
    SqliteStatement* insert = prepared.value();
    AppendResult result;
    result.nextExpectedVersion = version + events.size();
    char id[37];
    for (qsizetype i = 0; i < events.size(); ++i) {
        const EventData& event = events.at(i);
        const QByteArray idText = event.eventId.toByteArray(QUuid::WithoutBraces);
        memcpy(id, idText.constData(), 36);
        insert->bind(1, QByteArrayView(stream));
        insert->bind(2, version + 1 + i);
        insert->bind(3, QByteArrayView(id, 36));
        insert->bind(4, event.eventType);
        insert->bind(5, qint64(event.schemaVersion));
        insert->bind(6, QByteArrayView(request.payloads.at(i)));
        insert->bind(7, QByteArrayView(request.metadata.at(i)));
        insert->bind(8, now);
        if (!insert->run()) {
            if (isUniqueViolation(insert->errorCode())) {
                qCDebug(lcEventStore) << "unique violation appending to" << streamId << insert->errorMessage();
                if (insert->errorMessage().contains(QStringLiteral("event_id"))) {
                    // An id of ours is stored already. If it is the first one, a concurrent identical append
                    // won: the retry finds it and answers idempotently. Otherwise ids were reused.
                    *race = AppendRace::DuplicateEventId;
                    return StoreError(StoreError::Code::DuplicateEventId, QString());
                }
                // Another process created the stream's next version since step 2: the retry reports it.
                *race = AppendRace::Retry;
                return StoreError::wrongExpectedVersion(streamId, expected, version);
            }
            return insert->error(tr("appending to stream '%1'").arg(streamId));
        }
        const GlobalPosition position = sqlite3_last_insert_rowid(insert->handle());
        if (result.firstPosition == 0)
            result.firstPosition = position;
        result.lastPosition = position;
        insert->reset();
    }

    // 4. The stream's summary row.
    auto upserted = prepare(QStringLiteral(
        "INSERT INTO es_streams (stream_id, category, last_version, first_recorded_at, last_recorded_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET last_version = excluded.last_version, "
        "last_recorded_at = excluded.last_recorded_at"));
    if (!upserted)
        return upserted.error();
    SqliteStatement* upsert = upserted.value();
    upsert->bind(1, QByteArrayView(stream));
    upsert->bind(2, QByteArrayView(category));
    upsert->bind(3, result.nextExpectedVersion);
    upsert->bind(4, now);
    upsert->bind(5, now);
    if (!upsert->run())
        return upsert->error(tr("updating stream '%1'").arg(streamId));

    // Other processes notice the commit through PRAGMA data_version (AllSubscription).
    for (SqliteStatement* statement : std::as_const(used))
        statement->reset();
    used.clear();
    if (auto error = SqliteStatement::execute(connection, "COMMIT", tr("committing the append to '%1'").arg(streamId)))
        return *error; // the guard rolls back
    transactionOpen = false;
    return result;
}

StoreResult<QList<RecordedEvent>> SqliteDialect::queryEvents(
    StoreConnection& connection, const QString& sql, const QVariantList& binds, const QString& what) const
{
    auto prepared = SqliteStatement::cached(connection, sql);
    if (!prepared)
        return prepared.error();
    SqliteStatement* query = prepared.value();
    auto cleanup = qScopeGuard([query] { query->reset(); }); // ends the read transaction
    for (int i = 0; i < binds.size(); ++i)
        query->bind(i + 1, binds.at(i));
    QList<RecordedEvent> events;
    events.reserve(std::min(binds.last().toInt(), 4096));
    while (query->next()) {
        RecordedEvent& event = events.emplace_back();
        event.position = query->int64(0);
        event.streamId = query->string(1);
        event.streamVersion = query->int64(2);
        event.eventId = QUuid::fromString(QLatin1String(query->text(3)));
        event.eventType = query->string(4);
        event.schemaVersion = int(query->int64(5));
        event.payload = query->text(6).toByteArray();
        event.metadata = query->text(7).toByteArray();
        event.recordedAt = QDateTime::fromMSecsSinceEpoch(query->int64(8), Qt::UTC);
    }
    if (query->failed())
        return query->error(what);
    return events;
}

QString SqliteDialect::readAll(int typeCount, int categoryCount) const
{
    QString sql = QStringLiteral("SELECT global_position, stream_id, stream_version, event_id, event_type, "
                                 "schema_version, payload, metadata, recorded_at FROM es_events "
                                 "WHERE global_position > ?");
    sql += typeCondition(typeCount) + categoryCondition(categoryCount);
    return sql + QStringLiteral(" ORDER BY global_position LIMIT ?");
}

QString SqliteDialect::importEvent() const
{
    return QStringLiteral("INSERT INTO es_events (stream_id, stream_version, event_id, event_type, schema_version, "
                          "payload, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
}

QString SqliteDialect::importStream() const
{
    return QStringLiteral("INSERT INTO es_streams (stream_id, category, last_version, first_recorded_at, "
                          "last_recorded_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET "
                          "last_version = excluded.last_version, last_recorded_at = excluded.last_recorded_at");
}

QString SqliteDialect::redateEvent() const
{
    return QStringLiteral("UPDATE es_events SET recorded_at = ? WHERE stream_id = ? AND stream_version = ?");
}

QString SqliteDialect::headPosition() const
{
    return QStringLiteral("SELECT COALESCE(MAX(global_position), 0) FROM es_events");
}

QDateTime SqliteDialect::toDateTime(const QVariant& value) const
{
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

bool SqliteDialect::isUniqueViolation(int extendedCode)
{
    return extendedCode == SQLITE_CONSTRAINT_UNIQUE || extendedCode == SQLITE_CONSTRAINT_PRIMARYKEY;
}

bool SqliteDialect::isUniqueViolation(const QSqlError& error) const
{
    // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555)
    const QString code = error.nativeErrorCode();
    return code == QStringLiteral("2067") || code == QStringLiteral("1555") || code == QStringLiteral("19");
}

} // namespace EventScope
