// SPDX-License-Identifier: Apache-2.0
#include "sqlitedialect.h"

#include "sqleventstore.h"

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

namespace EventScope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("EventStore", text);
}

QString placeholders(int count)
{
    QStringList marks;
    marks.reserve(count);
    for (int i = 0; i < count; ++i)
        marks << QStringLiteral("?");
    return marks.join(QStringLiteral(", "));
}

StoreError notADatabase(const StoreSettings& settings, const QSqlError& error)
{
    return StoreError(StoreError::Code::NotAnEventStore,
        tr("'%1' is not an EventScope store: it is not an SQLite database (%2). Nothing was changed. Choose a store "
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
                    category TEXT NOT NULL,
                    recorded_at INTEGER NOT NULL
                ))"),
                QStringLiteral("CREATE UNIQUE INDEX es_events_stream ON es_events (stream_id, stream_version)"),
                QStringLiteral("CREATE UNIQUE INDEX es_events_event_id ON es_events (event_id)"),
                QStringLiteral("CREATE INDEX es_events_type ON es_events (event_type, global_position)"),
                QStringLiteral("CREATE INDEX es_events_category ON es_events (category, global_position)"),
            } },
    };
}

QStringList SqliteDialect::migrationLockStatements(const StoreSettings&) const
{
    return {}; // the migration transaction starts with BEGIN IMMEDIATE, which already excludes other writers
}

std::optional<StoreError> SqliteDialect::afterMigrations(QSqlDatabase& db, const StoreSettings& settings) const
{
    if (settings.readOnly || settings.connection == QStringLiteral(":memory:"))
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
    QSqlDatabase& db, const StatementCache& statements, const AppendRequest& request, AppendRace* race) const
{
    const QString& streamId = request.streamId;
    const ExpectedVersion expected = request.expected;
    const QList<EventData>& events = request.events;
    if (!beginWrite(db)) {
        return StoreError(StoreError::Code::ConnectionFailed,
            tr("Could not start a write transaction: %1. Another program may hold the store locked; try again.")
                .arg(db.lastError().text().trimmed()));
    }
    bool transactionOpen = true;
    QList<QSqlQuery*> used;
    auto cleanup = qScopeGuard([&] {
        for (QSqlQuery* q : used)
            q->finish();
        if (transactionOpen)
            db.rollback();
    });
    auto run = [&](const QString& sql) -> StoreResult<QSqlQuery*> {
        auto query = statements(sql);
        if (query)
            used << query.value();
        return query;
    };

    // 1. Idempotency: a retried append finds its first event already stored.
    if (!events.isEmpty()) {
        auto findResult = run(
            QStringLiteral("SELECT stream_id, stream_version, global_position FROM es_events WHERE event_id = ?"));
        if (!findResult)
            return findResult.error();
        QSqlQuery* find = findResult.value();
        find->addBindValue(events.first().eventId.toString(QUuid::WithoutBraces));
        if (!find->exec())
            return queryError(*find, tr("checking for a repeated append"));
        if (find->next()) {
            const QString storedStream = find->value(0).toString();
            const StreamVersion firstVersion = find->value(1).toLongLong();
            const GlobalPosition firstPosition = find->value(2).toLongLong();
            find->finish();
            const bool placeMatches = storedStream == streamId
                && (expected.kind() == ExpectedVersion::Kind::Any
                    || expected.kind() == ExpectedVersion::Kind::StreamExists
                    || (expected.kind() == ExpectedVersion::Kind::NoStream && firstVersion == 0)
                    || (expected.kind() == ExpectedVersion::Kind::Exact && firstVersion == expected.version() + 1));
            AppendResult result;
            result.alreadyApplied = true;
            result.firstPosition = firstPosition;
            result.lastPosition = firstPosition;
            result.nextExpectedVersion = firstVersion;
            bool samePlace = placeMatches;
            if (samePlace) {
                auto restResult = run(QStringLiteral(
                    "SELECT event_id, global_position FROM es_events WHERE stream_id = ? AND stream_version >= ? "
                    "ORDER BY stream_version LIMIT ?"));
                if (!restResult)
                    return restResult.error();
                QSqlQuery* rest = restResult.value();
                rest->addBindValue(streamId);
                rest->addBindValue(firstVersion);
                rest->addBindValue(events.size());
                if (!rest->exec())
                    return queryError(*rest, tr("checking for a repeated append"));
                qsizetype i = 0;
                while (rest->next() && i < events.size()) {
                    if (QUuid::fromString(rest->value(0).toString()) != events.at(i).eventId)
                        break;
                    result.lastPosition = rest->value(1).toLongLong();
                    ++i;
                }
                samePlace = i == events.size();
                result.nextExpectedVersion = firstVersion + i - 1;
            }
            if (samePlace)
                return result;
            return StoreError(StoreError::Code::DuplicateEventId,
                tr("Event %1 is already stored in stream '%2' at version %3, and this append is not an exact repeat "
                   "of that one. Event ids are unique: give new events new ids.")
                    .arg(events.first().eventId.toString(QUuid::WithoutBraces), storedStream)
                    .arg(firstVersion));
        }
    }

    // 2. Where is the stream now? (PostgreSQL locks its row until commit.)
    auto currentResult = run(QStringLiteral("SELECT last_version FROM es_streams WHERE stream_id = ?"));
    if (!currentResult)
        return currentResult.error();
    QSqlQuery* current = currentResult.value();
    current->addBindValue(streamId);
    if (!current->exec())
        return queryError(*current, tr("reading the version of stream '%1'").arg(streamId));
    const StreamVersion version = current->next() ? current->value(0).toLongLong() : NoStreamVersion;
    current->finish();
    if (!expected.isSatisfiedBy(version))
        return StoreError::wrongExpectedVersion(streamId, expected, version);
    if (events.isEmpty()) {
        AppendResult result;
        result.nextExpectedVersion = version;
        return result;
    }

    // 3. The events, with prepared statements of up to insertBatchSize() rows.
    const QString& category = request.category;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    AppendResult result;
    result.nextExpectedVersion = version + events.size();
    // One reused single-row statement: SQLite runs it in-process, so batching rows saves next to nothing.
    for (qsizetype start = 0; start < events.size(); ++start) {
        const int rows = 1;
        auto insertResult = run(QStringLiteral(
            "INSERT INTO es_events (stream_id, stream_version, event_id, event_type, schema_version, payload, "
            "metadata, category, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        if (!insertResult)
            return insertResult.error();
        QSqlQuery* insert = insertResult.value();
        for (int r = 0; r < rows; ++r) {
            const qsizetype i = start + r;
            const EventData& event = events.at(i);
            insert->addBindValue(streamId);
            insert->addBindValue(version + 1 + i);
            insert->addBindValue(event.eventId.toString(QUuid::WithoutBraces));
            insert->addBindValue(event.eventType);
            insert->addBindValue(event.schemaVersion);
            insert->addBindValue(QString::fromUtf8(request.payloads.at(i)));
            insert->addBindValue(QString::fromUtf8(request.metadata.at(i)));
            insert->addBindValue(category);
            insert->addBindValue(now);
        }
        if (!insert->exec()) {
            const QSqlError error = insert->lastError();
            if (isUniqueViolation(error)) {
                qCDebug(lcEventStore) << "unique violation appending to" << streamId << error.text();
                if (error.text().contains(QStringLiteral("event_id"))) {
                    // An id of ours is stored already. If it is the first one, a concurrent identical append
                    // won: the retry finds it and answers idempotently. Otherwise ids were reused.
                    for (QSqlQuery* q : used)
                        q->finish();
                    used.clear();
                    db.rollback();
                    transactionOpen = false;
                    *race = AppendRace::DuplicateEventId;
                    return StoreError(StoreError::Code::DuplicateEventId, QString());
                }
                // Lost a race for the stream's next version (a new stream on PostgreSQL, which has no row
                // to lock yet). The retry reports the conflict, or succeeds for Any / StreamExists.
                *race = AppendRace::Retry;
                return StoreError::wrongExpectedVersion(streamId, expected, version);
            }
            return queryError(*insert, tr("appending to stream '%1'").arg(streamId));
        }
        const GlobalPosition position = insert->lastInsertId().toLongLong();
        if (result.firstPosition == 0)
            result.firstPosition = position - rows + 1;
        result.lastPosition = position;
        insert->finish();
    }

    // 4. The stream's summary row.
    auto upsertResult = run(QStringLiteral(
        "INSERT INTO es_streams (stream_id, category, last_version, first_recorded_at, last_recorded_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET last_version = excluded.last_version, "
        "last_recorded_at = excluded.last_recorded_at"));
    if (!upsertResult)
        return upsertResult.error();
    QSqlQuery* upsert = upsertResult.value();
    upsert->addBindValue(streamId);
    upsert->addBindValue(category);
    upsert->addBindValue(result.nextExpectedVersion);
    upsert->addBindValue(now);
    upsert->addBindValue(now);
    if (!upsert->exec())
        return queryError(*upsert, tr("updating stream '%1'").arg(streamId));

    // Other processes notice the commit through PRAGMA data_version (AllSubscription).
    for (QSqlQuery* q : used)
        q->finish();
    used.clear();
    if (!db.commit()) {
        const QSqlError error = db.lastError();
        if (isUniqueViolation(error)) {
            *race = AppendRace::Retry;
            return StoreError::wrongExpectedVersion(streamId, expected, version);
        }
        qCWarning(lcEventStore) << "COMMIT failed:" << error.text();
        return StoreError(StoreError::Code::QueryFailed,
            tr("The append to '%1' could not be committed and was rolled back: %2").arg(streamId, error.text()));
    }
    transactionOpen = false;
    return result;
}

QString SqliteDialect::readAll(int typeCount, int categoryCount) const
{
    QString sql = QStringLiteral("SELECT global_position, stream_id, stream_version, event_id, event_type, "
                                 "schema_version, payload, metadata, recorded_at FROM es_events "
                                 "WHERE global_position > ?");
    if (typeCount > 0)
        sql += QStringLiteral(" AND event_type IN (") + placeholders(typeCount) + u')';
    if (categoryCount > 0)
        sql += QStringLiteral(" AND category IN (") + placeholders(categoryCount) + u')';
    return sql + QStringLiteral(" ORDER BY global_position LIMIT ?");
}

QString SqliteDialect::headPosition() const
{
    return QStringLiteral("SELECT COALESCE(MAX(global_position), 0) FROM es_events");
}

QDateTime SqliteDialect::toDateTime(const QVariant& value) const
{
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

bool SqliteDialect::isUniqueViolation(const QSqlError& error) const
{
    // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555)
    const QString code = error.nativeErrorCode();
    return code == QStringLiteral("2067") || code == QStringLiteral("1555") || code == QStringLiteral("19");
}

} // namespace EventScope
