// SPDX-License-Identifier: Apache-2.0
#include "postgresdialect.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QUrl>
#include <QUrlQuery>
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

const QString EventColumns = QStringLiteral("global_position, stream_id, stream_version, event_id, event_type, "
                                            "schema_version, payload, metadata, recorded_at");

} // namespace

QString PostgresDialect::driverName() const
{
    return QStringLiteral("QPSQL");
}

StoreResult<PostgresDialect::ConnectionParameters> PostgresDialect::parseConnectionString(const QString& text)
{
    ConnectionParameters params;
    const QString trimmed = text.trimmed();
    const auto invalid = [&](const QString& why) {
        return StoreError(StoreError::Code::InvalidArgument,
            tr("The PostgreSQL connection string is not valid: %1. Use a URL such as "
               "postgres://user:password@localhost:5432/events?sslmode=disable or key=value pairs such as "
               "\"host=localhost port=5432 dbname=events user=me\".")
                .arg(why));
    };
    if (trimmed.isEmpty())
        return invalid(tr("it is empty"));

    if (trimmed.startsWith(QStringLiteral("postgres://")) || trimmed.startsWith(QStringLiteral("postgresql://"))) {
        const QUrl url(trimmed, QUrl::StrictMode);
        if (!url.isValid())
            return invalid(url.errorString());
        params.host = url.host();
        params.port = url.port(-1);
        params.user = url.userName(QUrl::FullyDecoded);
        params.password = url.password(QUrl::FullyDecoded);
        params.database = url.path(QUrl::FullyDecoded).mid(1);
        if (params.database.contains(u'/'))
            return invalid(tr("the database name '%1' contains '/'").arg(params.database));
        const QUrlQuery query(url);
        for (const auto& [key, value] : query.queryItems(QUrl::FullyDecoded)) {
            if (key == QStringLiteral("host"))
                params.host = value;
            else if (key == QStringLiteral("port"))
                params.port = value.toInt();
            else if (key == QStringLiteral("user"))
                params.user = value;
            else if (key == QStringLiteral("password"))
                params.password = value;
            else if (key == QStringLiteral("dbname"))
                params.database = value;
            else
                params.options << key + u'=' + value;
        }
    } else if (trimmed.contains(u'=')) {
        const QStringList pairs = trimmed.split(u' ', Qt::SkipEmptyParts);
        for (const QString& pair : pairs) {
            const qsizetype eq = pair.indexOf(u'=');
            if (eq <= 0)
                return invalid(tr("'%1' is not a key=value pair").arg(pair));
            const QString key = pair.left(eq);
            QString value = pair.mid(eq + 1);
            if (value.size() >= 2 && value.startsWith(u'\'') && value.endsWith(u'\''))
                value = value.mid(1, value.size() - 2);
            if (key == QStringLiteral("host") || key == QStringLiteral("hostaddr"))
                params.host = value;
            else if (key == QStringLiteral("port")) {
                bool ok = false;
                params.port = value.toInt(&ok);
                if (!ok || params.port <= 0 || params.port > 65535)
                    return invalid(tr("port '%1' is not a number between 1 and 65535").arg(value));
            } else if (key == QStringLiteral("dbname"))
                params.database = value;
            else if (key == QStringLiteral("user"))
                params.user = value;
            else if (key == QStringLiteral("password"))
                params.password = value;
            else
                params.options << key + u'=' + value;
        }
    } else {
        return invalid(tr("it is neither a postgres:// URL nor key=value pairs"));
    }
    if (params.port == 0 || params.port > 65535)
        return invalid(tr("the port is not between 1 and 65535"));
    if (params.database.isEmpty())
        return invalid(tr("it names no database"));
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
    options << QStringLiteral("application_name=eventscope");
    db.setConnectOptions(options.join(u';'));
    m_channel = QStringLiteral("eventscope_") + settings.postgresSchema.toLower();
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
        QStringLiteral("SET TIME ZONE 'UTC'") };
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
                QStringLiteral("CREATE INDEX es_streams_category ON es_streams (category, stream_id)"),
                // transaction_id is the writing transaction's id (xid8 never wraps); readAll() uses it to
                // deliver $all in commit order.
                QStringLiteral(R"(CREATE TABLE es_events (
                    global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
                    stream_id text NOT NULL,
                    stream_version bigint NOT NULL,
                    event_id uuid NOT NULL,
                    event_type text NOT NULL,
                    schema_version integer NOT NULL,
                    payload jsonb NOT NULL,
                    metadata jsonb NOT NULL,
                    category text NOT NULL,
                    recorded_at timestamptz NOT NULL DEFAULT now(),
                    CONSTRAINT es_events_stream UNIQUE (stream_id, stream_version),
                    CONSTRAINT es_events_event_id UNIQUE (event_id)
                ))"),
                QStringLiteral("CREATE INDEX es_events_commit_order ON es_events (transaction_id, global_position)"),
                QStringLiteral(
                    "CREATE INDEX es_events_type ON es_events (event_type, transaction_id, global_position)"),
                QStringLiteral(
                    "CREATE INDEX es_events_category ON es_events (category, transaction_id, global_position)"),
            } },
    };
}

QStringList PostgresDialect::migrationLockStatements(const StoreSettings& settings) const
{
    // Two processes opening an empty database at once: the second waits here, then sees the schema.
    return { QStringLiteral("SELECT pg_advisory_xact_lock(hashtext(%1))")
                 .arg(quoteLiteral(QStringLiteral("eventscope-migrate:") + settings.postgresSchema)),
        QStringLiteral("CREATE SCHEMA IF NOT EXISTS ") + quoteIdentifier(settings.postgresSchema),
        QStringLiteral("SET LOCAL search_path TO ") + quoteIdentifier(settings.postgresSchema) };
}

bool PostgresDialect::beginWrite(QSqlDatabase& db) const
{
    return db.transaction();
}

QString PostgresDialect::selectStreamVersionForUpdate() const
{
    // The row lock queues concurrent appends to one stream; under READ COMMITTED the waiter then sees the
    // winner's last_version and reports WrongExpectedVersion instead of failing on the unique index.
    return QStringLiteral("SELECT last_version FROM es_streams WHERE stream_id = ? FOR UPDATE");
}

QString PostgresDialect::insertEvents(int rows) const
{
    QStringList values;
    values.reserve(rows);
    for (int i = 0; i < rows; ++i)
        values << QStringLiteral("(?, ?, CAST(? AS uuid), ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ?)");
    return QStringLiteral("INSERT INTO es_events (stream_id, stream_version, event_id, event_type, schema_version, "
                          "payload, metadata, category) VALUES ")
        + values.join(QStringLiteral(", ")) + QStringLiteral(" RETURNING global_position");
}

QString PostgresDialect::upsertStream() const
{
    return QStringLiteral(
        "INSERT INTO es_streams (stream_id, category, last_version, first_recorded_at, last_recorded_at) "
        "VALUES (?, ?, ?, now(), now()) ON CONFLICT (stream_id) DO UPDATE SET last_version = excluded.last_version, "
        "last_recorded_at = excluded.last_recorded_at");
}

QString PostgresDialect::notifyStatement() const
{
    // Delivered at commit, only if the transaction commits.
    return QStringLiteral("SELECT pg_notify(%1, ?)").arg(quoteLiteral(m_channel));
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
    QString sql = QStringLiteral("SELECT ") + EventColumns + QStringLiteral(R"( FROM es_events
        WHERE (transaction_id, global_position) > (
                COALESCE((SELECT c.transaction_id FROM es_events c WHERE c.global_position <= ?
                          ORDER BY c.global_position DESC LIMIT 1), CAST('0' AS xid8)), ?)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot()))");
    if (typeCount > 0)
        sql += QStringLiteral(" AND event_type IN (") + placeholders(typeCount) + u')';
    if (categoryCount > 0)
        sql += QStringLiteral(" AND category IN (") + placeholders(categoryCount) + u')';
    return sql + QStringLiteral(" ORDER BY transaction_id, global_position LIMIT ?");
}

QString PostgresDialect::headPosition() const
{
    return QStringLiteral("SELECT COALESCE(MAX(global_position), 0) FROM es_events");
}

QDateTime PostgresDialect::toDateTime(const QVariant& value) const
{
    return value.toDateTime().toUTC();
}

QVariant PostgresDialect::recordedAtNow() const
{
    return {};
}

bool PostgresDialect::isUniqueViolation(const QSqlError& error) const
{
    return error.nativeErrorCode() == QStringLiteral("23505");
}

} // namespace EventScope
