// SPDX-License-Identifier: Apache-2.0
#include "postgresdialect.h"

#include "postgresconnection.h"
#include "sqleventstore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QUuid>
#include <QVariant>

namespace EventScope {

namespace {

QString quoteIdentifier(const QString& name)
{
    QString quoted = name;
    quoted.replace(u'"', QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}

QString quoteLiteral(const QString& text)
{
    QString quoted = text;
    quoted.replace(u'\'', QStringLiteral("''"));
    return u'\'' + quoted + u'\'';
}

/// The transaction-level advisory lock that serialises sessions changing the store's schema or rows on open.
QString migrationLock(const StoreSettings& settings)
{
    return QStringLiteral("SELECT pg_advisory_xact_lock(hashtext(%1))")
        .arg(quoteLiteral(QStringLiteral("eventscope-migrate:") + settings.postgresSchema));
}

// One append in one statement, so in one round trip and one implicit transaction. Payloads and metadata
// arrive as one JSON array each (the events' JSON joined by commas: nothing to escape). Outcomes:
// 0 appended, 1 already stored here (idempotent repeat), 2 wrong expected version, 3 the first event id is
// stored elsewhere. A later event id stored already, or a lost race for a new stream, raises unique_violation.
// Expected kinds: 0 any, 1 no stream, 2 stream exists, 3 exact (p_expected).
const QString AppendFunction = QStringLiteral(R"SQL(
CREATE FUNCTION es_append(p_stream text, p_category text, p_expected_kind int, p_expected bigint,
                          p_ids uuid[], p_types text[], p_schema_versions int[], p_payloads json,
                          p_metadata json, p_channel text)
RETURNS TABLE (o_outcome int, o_version bigint, o_first bigint, o_last bigint, o_stream text)
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    v_count int := cardinality(p_ids);
    v_current bigint;
    v_stream text;
    v_version bigint;
    v_position bigint;
    v_stored uuid[];
    v_first bigint;
    v_last bigint;
BEGIN
    SELECT e.stream_id, e.stream_version, e.global_position INTO v_stream, v_version, v_position
      FROM es_events e WHERE e.event_id = p_ids[1];
    IF FOUND THEN
        IF v_stream = p_stream AND (p_expected_kind IN (0, 2) OR (p_expected_kind = 1 AND v_version = 0)
                                    OR (p_expected_kind = 3 AND v_version = p_expected + 1)) THEN
            SELECT array_agg(r.event_id ORDER BY r.stream_version), max(r.global_position) INTO v_stored, v_last
              FROM (SELECT e.event_id, e.stream_version, e.global_position FROM es_events e
                     WHERE e.stream_id = p_stream AND e.stream_version >= v_version
                     ORDER BY e.stream_version LIMIT v_count) r;
            IF v_stored = p_ids THEN
                RETURN QUERY SELECT 1, v_version + v_count - 1, v_position, v_last, v_stream;
                RETURN;
            END IF;
        END IF;
        RETURN QUERY SELECT 3, v_version, v_position, v_position, v_stream;
        RETURN;
    END IF;

    -- The row lock queues concurrent appends to one stream; a waiter then sees the winner's version.
    SELECT s.last_version INTO v_current FROM es_streams s WHERE s.stream_id = p_stream FOR UPDATE;
    IF NOT FOUND THEN
        v_current := -1;
    END IF;
    IF NOT (p_expected_kind = 0 OR (p_expected_kind = 1 AND v_current = -1)
            OR (p_expected_kind = 2 AND v_current >= 0) OR (p_expected_kind = 3 AND v_current = p_expected)) THEN
        RETURN QUERY SELECT 2, v_current, 0::bigint, 0::bigint, p_stream;
        RETURN;
    END IF;
    IF v_count = 0 THEN
        RETURN QUERY SELECT 0, v_current, 0::bigint, 0::bigint, p_stream;
        RETURN;
    END IF;

    WITH inserted AS (
        INSERT INTO es_events (stream_id, stream_version, event_id, event_type, schema_version, payload,
                               metadata)
        SELECT p_stream, v_current + t.ord, t.id, t.type, t.sv, t.payload, t.meta
          FROM ROWS FROM (unnest(p_ids), unnest(p_types), unnest(p_schema_versions),
                          json_array_elements(p_payloads), json_array_elements(p_metadata))
               WITH ORDINALITY AS t(id, type, sv, payload, meta, ord)
         ORDER BY t.ord
        RETURNING global_position)
    SELECT min(global_position), max(global_position) INTO v_first, v_last FROM inserted;

    INSERT INTO es_streams (stream_id, category, last_version, first_recorded_at, last_recorded_at)
    VALUES (p_stream, p_category, v_current + v_count, now(), now())
    ON CONFLICT (stream_id) DO UPDATE SET last_version = excluded.last_version,
                                          last_recorded_at = excluded.last_recorded_at;
    PERFORM pg_notify(p_channel, v_last::text);
    RETURN QUERY SELECT 0, v_current + v_count, v_first, v_last, p_stream;
END
$$)SQL");

// Rows whose transaction id this server has not handed out yet: impossible for rows written here (a committed,
// visible row's writer began before our snapshot), so they were restored from another server. The snapshot's
// xmax, unlike pg_current_xact_id(), assigns no transaction id, so read-only sessions and standbys can ask too.
// With es_events_commit_order this is one index probe.
const QString AheadCondition = QStringLiteral("transaction_id >= pg_snapshot_xmax(pg_current_snapshot())");

// Moves the restored rows below this server's next transaction id, in one statement (one snapshot: a row another
// session commits meanwhile is either below the horizon and untouched, or not seen at all).
//
// The order is the one the old server's readers saw, (old transaction id, position), not the positions alone:
// checkpoints stored with the projections were taken in that order, and readAll(after) continues after the
// checkpoint's row in (transaction_id, global_position) order. Ordering by position would skip an event that
// committed late on the old server (position 3 after 4: a checkpoint at 4 would never see 3) and repeat others.
// So the rows are cut into runs in which positions only grow (a new run starts wherever the old commit order goes
// back in position, which is rare), and run k gets transaction id floor + k: the (transaction_id, global_position)
// order stays exactly the old one while using few ids. The runs go above every row already below the horizon
// (rows that happened to be restored below it, or written here before the repair), so a reader who has read those
// misses nothing, and below the horizon, so every transaction from now on comes after them. Should there be more
// runs than free ids, runs share ids (those rows then follow each other in position order); with no free id at
// all above those rows, the runs start at 3, the first normal transaction id, before them.
const QString RepairRestoredRows = QStringLiteral(R"SQL(
WITH horizon AS MATERIALIZED (
    SELECT pg_snapshot_xmax(pg_current_snapshot()) AS next_xid),
ordered AS (
    SELECT e.global_position, e.transaction_id,
           lag(e.global_position) OVER (ORDER BY e.transaction_id, e.global_position) AS previous
      FROM es_events e, horizon h
     WHERE e.transaction_id >= h.next_xid),
runs AS (
    SELECT o.global_position,
           count(*) FILTER (WHERE o.previous > o.global_position)
               OVER (ORDER BY o.transaction_id, o.global_position) AS run
      FROM ordered o),
below AS (
    SELECT CAST(CAST(h.next_xid AS text) AS bigint) AS next_xid,
           COALESCE((SELECT CAST(CAST(e.transaction_id AS text) AS bigint) + 1 FROM es_events e
                      WHERE e.transaction_id < h.next_xid ORDER BY e.transaction_id DESC LIMIT 1), 3) AS free
      FROM horizon h),
span AS (
    SELECT b.next_xid,
           CASE WHEN b.free >= 3 AND b.free < b.next_xid THEN b.free ELSE 3 END AS floor_xid,
           (SELECT COALESCE(max(r.run), 0) + 1 FROM runs r) AS run_count
      FROM below b),
updated AS (
    UPDATE es_events e
       SET transaction_id = CAST(CAST(s.floor_xid + CASE WHEN s.run_count <= s.next_xid - s.floor_xid THEN r.run
               ELSE CAST(floor(CAST(r.run AS numeric) * (s.next_xid - s.floor_xid) / s.run_count) AS bigint) END
               AS text) AS xid8)
      FROM runs r, span s
     WHERE e.global_position = r.global_position
    RETURNING 1)
SELECT (SELECT count(*) FROM updated), s.run_count, s.floor_xid, s.next_xid FROM span s
)SQL");

} // namespace

QString PostgresDialect::arrayLiteral(const QStringList& values)
{
    qsizetype size = 2;
    for (const QString& value : values)
        size += value.size() + 3;
    QString literal;
    literal.reserve(size + size / 8);
    literal += u'{';
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            literal += u',';
        literal += u'"';
        for (const QChar c : values.at(i)) {
            if (c == u'"' || c == u'\\')
                literal += u'\\';
            literal += c;
        }
        literal += u'"';
    }
    literal += u'}';
    return literal;
}

StoreResult<AppendResult> PostgresDialect::append(
    StoreConnection& connection, const AppendRequest& request, AppendRace* race) const
{
    auto call = connection.statement(QStringLiteral(
        "SELECT o_outcome, o_version, o_first, o_last, o_stream FROM es_append(?, ?, ?, ?, CAST(? AS uuid[]), "
        "CAST(? AS text[]), CAST(? AS int[]), CAST(? AS json), CAST(? AS json), ?)"));
    if (!call)
        return call.error();
    QSqlQuery* q = call.value();
    const QList<EventData>& events = request.events;
    QStringList ids, types, versions;
    for (qsizetype i = 0; i < events.size(); ++i) {
        ids << events.at(i).eventId.toString(QUuid::WithoutBraces);
        types << events.at(i).eventType;
        versions << QString::number(events.at(i).schemaVersion);
    }
    const auto jsonArray = [](const QList<QByteArray>& objects) {
        QByteArray json = objects.join(',');
        json.prepend('[');
        json.append(']');
        return QString::fromUtf8(json);
    };
    int kind = 0;
    switch (request.expected.kind()) {
    case ExpectedVersion::Kind::Any:
        kind = 0;
        break;
    case ExpectedVersion::Kind::NoStream:
        kind = 1;
        break;
    case ExpectedVersion::Kind::StreamExists:
        kind = 2;
        break;
    case ExpectedVersion::Kind::Exact:
        kind = 3;
        break;
    }
    q->addBindValue(request.streamId);
    q->addBindValue(request.category);
    q->addBindValue(kind);
    q->addBindValue(request.expected.version());
    q->addBindValue(arrayLiteral(ids));
    q->addBindValue(arrayLiteral(types));
    q->addBindValue(QString(u'{' + versions.join(u',') + u'}'));
    q->addBindValue(jsonArray(request.payloads));
    q->addBindValue(jsonArray(request.metadata));
    q->addBindValue(m_channel);
    if (!q->exec()) {
        const QSqlError error = q->lastError();
        if (isUniqueViolation(error)) {
            *race
                = error.text().contains(QStringLiteral("event_id")) ? AppendRace::DuplicateEventId : AppendRace::Retry;
            return StoreError(StoreError::Code::WrongExpectedVersion, error.text());
        }
        return queryError(*q, tr("appending to stream '%1'").arg(request.streamId));
    }
    if (!q->next())
        return queryError(*q, tr("reading the result of an append"));
    const int outcome = q->value(0).toInt();
    const StreamVersion version = q->value(1).toLongLong();
    AppendResult result;
    result.nextExpectedVersion = version;
    result.firstPosition = q->value(2).toLongLong();
    result.lastPosition = q->value(3).toLongLong();
    const QString storedStream = q->value(4).toString();
    q->finish();
    switch (outcome) {
    case 0:
        return result;
    case 1:
        result.alreadyApplied = true;
        return result;
    case 2:
        return StoreError::wrongExpectedVersion(request.streamId, request.expected, version);
    default:
        return StoreError(StoreError::Code::DuplicateEventId,
            tr("Event %1 is already stored in stream '%2' at version %3, and this append is not an exact repeat of "
               "that one. Event ids are unique: give new events new ids.")
                .arg(ids.first(), storedStream)
                .arg(version));
    }
}

PostgresDialect::PostgresDialect(const StoreSettings& settings)
    : m_channel(QStringLiteral("eventscope_") + settings.postgresSchema.toLower())
{
}

QString PostgresDialect::driverName() const
{
    return QStringLiteral("QPSQL");
}

// One parser for what the connection form writes and what the store reads (libpq quoting included).
StoreResult<PostgresDialect::ConnectionParameters> PostgresDialect::parseConnectionString(const QString& text)
{
    auto parsed = PostgresConnection::parse(text);
    if (!parsed)
        return parsed.error();
    ConnectionParameters params;
    params.host = parsed->host;
    // No port written: -1, so that libpq's own default (PGPORT, else 5432) applies.
    static const QRegularExpression portKey(QStringLiteral(R"((^|[\s?&])port\s*=|^postgres(ql)?://[^/]*:\d)"));
    params.port = parsed->port != PostgresConnection::DefaultPort || portKey.match(text.trimmed()).hasMatch()
        ? parsed->port
        : -1;
    params.database = parsed->database;
    params.user = parsed->user;
    params.password = parsed->password;
    if (!parsed->sslMode.isEmpty())
        params.options << QStringLiteral("sslmode=") + parsed->sslMode;
    for (const auto& [key, value] : std::as_const(parsed->otherOptions))
        params.options << key + u'=' + value;
    if (params.database.isEmpty())
        return StoreError(StoreError::Code::InvalidArgument,
            tr("The PostgreSQL connection string is not valid: it names no database. Add dbname=… (or /database to "
               "a postgres:// URL)."));
    return params;
}

std::optional<StoreError> PostgresDialect::configure(QSqlDatabase& db, const StoreSettings& settings) const
{
    auto params = parseConnectionString(settings.connection);
    if (!params)
        return params.error();
    db.setHostName(params->host);
    if (params->port > 0)
        db.setPort(params->port);
    db.setDatabaseName(params->database);
    db.setUserName(params->user);
    db.setPassword(params->password);
    QStringList options = params->options;
    if (!std::any_of(options.cbegin(), options.cend(),
            [](const QString& o) { return o.startsWith(QStringLiteral("connect_timeout=")); })) {
        options
            << QStringLiteral("connect_timeout=%1").arg(std::max<qint64>(1, settings.connectTimeout.count() / 1000));
    }
    // GSSAPI encryption is attempted by default on TCP connections; it needs a Kerberos set-up an event store
    // rarely has, costs a round trip per connection, and its libraries have been the least thread-safe part
    // of libpq. Opt back in with gssencmode=prefer (or require) in the connection string.
    if (!std::any_of(options.cbegin(), options.cend(),
            [](const QString& o) { return o.startsWith(QStringLiteral("gssencmode=")); }))
        options << QStringLiteral("gssencmode=disable");
    options << QStringLiteral("application_name=eventscope");
    db.setConnectOptions(options.join(u';'));
    return std::nullopt;
}

std::optional<StoreError> PostgresDialect::prepareConnection(QSqlDatabase& db, const StoreSettings& settings) const
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("SHOW server_version_num")) || !query.next())
        return StoreError(StoreError::Code::ConnectionFailed,
            tr("Could not ask the PostgreSQL server for its version: %1").arg(query.lastError().text()));
    const int version = query.value(0).toInt();
    if (version < 130000)
        return StoreError(StoreError::Code::Unsupported,
            tr("The PostgreSQL server is version %1; EventScope needs PostgreSQL 13 or newer (for xid8 "
               "transaction ids).")
                .arg(version));
    const QStringList statements { QStringLiteral("SET search_path TO ") + quoteIdentifier(settings.postgresSchema),
        QStringLiteral("SET TIME ZONE 'UTC'"),
        // "schema … already exists, skipping" and friends from idempotent DDL are not worth a line on stderr
        QStringLiteral("SET client_min_messages TO warning") };
    for (const QString& sql : statements) {
        if (!query.exec(sql))
            return StoreError(StoreError::Code::ConnectionFailed,
                tr("Could not set up the PostgreSQL connection (%1): %2").arg(sql, query.lastError().text()));
    }
    return std::nullopt;
}

StoreResult<int> PostgresDialect::detectSchemaVersion(QSqlDatabase& db, const StoreSettings& settings) const
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT "
                                 "(SELECT count(*) FROM pg_namespace WHERE nspname = ?), "
                                 "(SELECT count(*) FROM pg_tables WHERE schemaname = ?), "
                                 "(SELECT count(*) FROM pg_tables WHERE schemaname = ? "
                                 "AND tablename = 'es_schema_migrations')"));
    query.addBindValue(settings.postgresSchema);
    query.addBindValue(settings.postgresSchema);
    query.addBindValue(settings.postgresSchema);
    if (!query.exec() || !query.next())
        return StoreError(StoreError::Code::QueryFailed,
            tr("Could not inspect the PostgreSQL database: %1").arg(query.lastError().text()));
    const bool schemaExists = query.value(0).toInt() > 0;
    const int tables = query.value(1).toInt();
    const bool hasMigrations = query.value(2).toInt() > 0;
    if (!schemaExists || tables == 0)
        return 0;
    if (!hasMigrations)
        return StoreError(StoreError::Code::NotAnEventStore,
            tr("The PostgreSQL schema '%1' holds %2 tables but is not an EventScope store. Nothing was changed. "
               "Choose another schema (eventstore.options.schema) or database.")
                .arg(settings.postgresSchema)
                .arg(tables));
    if (!query.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM es_schema_migrations")) || !query.next())
        return StoreError(StoreError::Code::NotAnEventStore,
            tr("The EventScope schema table in '%1' cannot be read: %2")
                .arg(settings.postgresSchema, query.lastError().text()));
    return query.value(0).toInt();
}

QList<SchemaMigration> PostgresDialect::migrations() const
{
    return {
        { 1, QStringLiteral("events and streams"),
            {
                QStringLiteral(R"(CREATE TABLE es_streams (
                    stream_id text NOT NULL PRIMARY KEY,
                    category text NOT NULL,
                    last_version bigint NOT NULL,
                    first_recorded_at timestamptz NOT NULL,
                    last_recorded_at timestamptz NOT NULL
                ))"),
                // transaction_id is the writing transaction's id (xid8 never wraps); readAll() uses it to
                // deliver $all in commit order. Payload and metadata are json, not jsonb: stored byte for byte
                // as appended (jsonb would reorder keys and drop duplicates), and cheaper to write.
                QStringLiteral(R"(CREATE TABLE es_events (
                    global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
                    stream_id text NOT NULL,
                    stream_version bigint NOT NULL,
                    event_id uuid NOT NULL,
                    event_type text NOT NULL,
                    schema_version integer NOT NULL,
                    payload json NOT NULL,
                    metadata json NOT NULL,
                    recorded_at timestamptz NOT NULL DEFAULT now(),
                    CONSTRAINT es_events_stream UNIQUE (stream_id, stream_version),
                    CONSTRAINT es_events_event_id UNIQUE (event_id)
                ))"),
                QStringLiteral("CREATE INDEX es_events_commit_order ON es_events (transaction_id, global_position)"),
                QStringLiteral(
                    "CREATE INDEX es_events_type ON es_events (event_type, transaction_id, global_position)"),
                AppendFunction,
            } },
        { 2, QStringLiteral("snapshots"),
            {
                // state is text, not json: kept byte for byte as written. taken_at is milliseconds since the
                // Unix epoch (UTC), the same in both backends.
                QStringLiteral(R"(CREATE TABLE es_snapshots (
                    stream_id text NOT NULL,
                    version bigint NOT NULL,
                    aggregate_type text NOT NULL,
                    snapshot_schema_version integer NOT NULL,
                    state text NOT NULL,
                    taken_at bigint NOT NULL,
                    PRIMARY KEY (stream_id, version)
                ))"),
            } },
        { 3, QStringLiteral("projections and the operator audit log"),
            projectionTables(QStringLiteral("bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")) },
        // The explorer's reads (EventSearch): the position at a time (ORDER BY recorded_at, global_position),
        // correlation sets (the expression EventSearch queries), streams by last activity.
        { 4, QStringLiteral("explorer indexes"),
            {
                // Stream ids compare byte-wise, whatever the database's collation: category and prefix filters are
                // ranges ('order-' <= id < 'order-~'), which a linguistic collation (en-US-x-icu sorts '~' before
                // digits) would empty. SQLite compares bytes already.
                QStringLiteral("ALTER TABLE es_streams ALTER COLUMN stream_id TYPE text COLLATE \"C\""),
                QStringLiteral("ALTER TABLE es_events ALTER COLUMN stream_id TYPE text COLLATE \"C\""),
                QStringLiteral("ALTER TABLE es_snapshots ALTER COLUMN stream_id TYPE text COLLATE \"C\""),
                QStringLiteral(
                    "CREATE INDEX IF NOT EXISTS es_events_recorded_at ON es_events (recorded_at, global_position)"),
                QStringLiteral("CREATE INDEX IF NOT EXISTS es_events_correlation ON es_events "
                               "((metadata ->> 'correlationId'))"),
                QStringLiteral(
                    "CREATE INDEX IF NOT EXISTS es_streams_activity ON es_streams (last_recorded_at, stream_id)"),
            } },
    };
}

QStringList PostgresDialect::migrationLockStatements(const StoreSettings& settings) const
{
    // Two processes opening an empty database at once: the second waits here, then sees the schema.
    return { migrationLock(settings),
        QStringLiteral("CREATE SCHEMA IF NOT EXISTS ") + quoteIdentifier(settings.postgresSchema),
        QStringLiteral("SET LOCAL search_path TO ") + quoteIdentifier(settings.postgresSchema) };
}

std::optional<StoreError> PostgresDialect::afterMigrations(QSqlDatabase& db, const StoreSettings& settings) const
{
    // A store moved with pg_dump/pg_restore (or psql < dump) to another server keeps the transaction ids of the
    // server that wrote it. Where this server's counter is lower, $all (readAll(), subscriptions,
    // commitSafeHead()) would hide the restored events until the counter caught up, then mix them with new ones.
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("SELECT 1 FROM es_events WHERE ") + AheadCondition + QStringLiteral(" LIMIT 1")))
        return queryError(query, tr("checking the events' transaction ids"));
    if (!query.next())
        return std::nullopt; // the usual case: nothing restored ahead of this server
    query.finish();

    if (settings.readOnly) {
        qint64 ahead = 0;
        if (query.exec(QStringLiteral("SELECT count(*) FROM es_events WHERE ") + AheadCondition) && query.next())
            ahead = query.value(0).toLongLong();
        query.finish();
        return StoreError(StoreError::Code::SchemaTooNew,
            tr("This store was restored from another PostgreSQL server: the transaction ids of %1 events are "
               "ahead of this server's, so nothing that reads all events in commit order would see them. The store "
               "needs a one-time repair, which a read-only session cannot do. Open it once without read-only (in "
               "EventScope with \"Open read-only\" cleared, as support or developer), then read-only again.")
                .arg(ahead));
    }

    // Serialised with other openers (and migrations) by the migration lock: a second process waits here, and its
    // repair statement, which starts after the first one committed, finds nothing left ahead of its snapshot.
    if (!db.transaction())
        return StoreError(StoreError::Code::ConnectionFailed,
            tr("Could not start repairing the events' transaction ids: %1").arg(db.lastError().text()));
    auto fail = [&](const QString& what) {
        StoreError error = queryError(query, what);
        query.finish();
        db.rollback();
        return error;
    };
    if (!query.exec(migrationLock(settings)))
        return fail(tr("waiting for other sessions opening the store"));
    if (!query.exec(RepairRestoredRows) || !query.next())
        return fail(tr("repairing the transaction ids of events restored from another server"));
    const qint64 repaired = query.value(0).toLongLong();
    const qint64 runs = query.value(1).toLongLong();
    const qint64 floor = query.value(2).toLongLong();
    const qint64 next = query.value(3).toLongLong();
    query.finish();
    if (!db.commit())
        return fail(tr("committing the repaired transaction ids"));
    if (repaired > 0) {
        const bool merged = runs > next - floor;
        qCWarning(lcEventStore).nospace()
            << "this store was restored from another PostgreSQL server: moved the transaction ids of " << repaired
            << " events (" << runs << " commit-order runs) from ahead of this server to " << floor << ".."
            << (merged ? next - 1 : floor + runs - 1) << ", below its next transaction id " << next
            << (merged ? ", some runs sharing an id (not enough free ids)" : ", keeping their order");
    }
    return std::nullopt;
}

bool PostgresDialect::beginWrite(QSqlDatabase& db) const
{
    return db.transaction();
}

// MAX(global_position) is no cursor for readAll(): a transaction still running may hold a lower position with a
// lower transaction id, and readAll(MAX) would order it before the cursor when it commits. Every transaction below
// pg_snapshot_xmin has finished, so the newest of their rows in (transaction_id, global_position) order is final.
QString PostgresDialect::commitSafeHead() const
{
    return QStringLiteral(
        "SELECT COALESCE((SELECT global_position FROM es_events WHERE transaction_id < "
        "pg_snapshot_xmin(pg_current_snapshot()) ORDER BY transaction_id DESC, global_position DESC LIMIT 1), 0)");
}

QString PostgresDialect::eventColumns() const
{
    return QStringLiteral("global_position, stream_id, stream_version, event_id, event_type, schema_version, "
                          "payload, metadata, date_trunc('milliseconds', recorded_at)");
}

QString PostgresDialect::readAll(int typeCount, int categoryCount) const
{
    // Commit order without a global lock or timeouts (the rule Emmett and Beckett use):
    //
    // Positions come from a sequence when rows are inserted, so under concurrent writers a transaction can
    // take position 5, a later one 6, and the later one can commit first. A reader ordering by position
    // would deliver 6, move its checkpoint past 5, and never see 5 when it commits.
    //
    // Instead every row stores the id of the transaction that wrote it (xid8, 64-bit, never wraps), and a
    // reader only sees rows whose transaction id is below pg_snapshot_xmin(pg_current_snapshot()): the
    // oldest transaction still running. Every transaction below that horizon has finished, so no row can
    // later appear below it; rows are delivered ordered by (transaction_id, global_position), and a
    // checkpoint (the last delivered position, whose row gives its transaction id) is therefore final.
    // The price: while a transaction stays open, $all readers wait for it (appends are short; long
    // unrelated transactions on the same server delay live delivery, never lose or reorder events).
    //
    // The cursor's transaction id is that of the newest row at or before :after, so an arbitrary position
    // (0, or one that was rolled back) is a valid starting point too.
    QString sql = QStringLiteral("SELECT ") + eventColumns() + QStringLiteral(R"( FROM es_events
        WHERE (transaction_id, global_position) > (
                COALESCE((SELECT c.transaction_id FROM es_events c WHERE c.global_position <= ?
                          ORDER BY c.global_position DESC LIMIT 1), CAST('0' AS xid8)), ?)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot()))");
    sql += typeCondition(typeCount) + categoryCondition(categoryCount);
    return sql + QStringLiteral(" ORDER BY transaction_id, global_position LIMIT ?");
}

QString PostgresDialect::importEvent() const
{
    return QStringLiteral("INSERT INTO es_events (stream_id, stream_version, event_id, event_type, schema_version, "
                          "payload, metadata, recorded_at) VALUES (?, ?, CAST(? AS uuid), ?, ?, CAST(? AS json), "
                          "CAST(? AS json), to_timestamp(CAST(? AS double precision) / 1000.0))");
}

QString PostgresDialect::importStream() const
{
    return QStringLiteral("INSERT INTO es_streams (stream_id, category, last_version, first_recorded_at, "
                          "last_recorded_at) VALUES (?, ?, ?, to_timestamp(CAST(? AS double precision) / 1000.0), "
                          "to_timestamp(CAST(? AS double precision) / 1000.0)) ON CONFLICT (stream_id) DO UPDATE SET "
                          "last_version = excluded.last_version, last_recorded_at = excluded.last_recorded_at");
}

QString PostgresDialect::redateEvent() const
{
    return QStringLiteral("UPDATE es_events SET recorded_at = to_timestamp(CAST(? AS double precision) / 1000.0) "
                          "WHERE stream_id = ? AND stream_version = ?");
}

QString PostgresDialect::headPosition() const
{
    return QStringLiteral("SELECT COALESCE(MAX(global_position), 0) FROM es_events");
}

QDateTime PostgresDialect::toDateTime(const QVariant& value) const
{
    return value.toDateTime().toUTC();
}

bool PostgresDialect::isUniqueViolation(const QSqlError& error) const
{
    return error.nativeErrorCode() == QStringLiteral("23505");
}

} // namespace EventScope
