// SPDX-License-Identifier: Apache-2.0
#include "sqldialect.h"

#include "postgresdialect.h"
#include "sqleventstore.h"
#include "sqlitedialect.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace EventScope {

std::unique_ptr<SqlDialect> SqlDialect::create(const StoreSettings& settings)
{
    switch (settings.backend) {
    case StoreSettings::Backend::Sqlite:
        return std::make_unique<SqliteDialect>();
    case StoreSettings::Backend::Postgres:
        return std::make_unique<PostgresDialect>(settings);
    }
    return nullptr;
}

QString SqlDialect::typeCondition(int typeCount)
{
    if (typeCount == 0)
        return {};
    QStringList marks;
    for (int i = 0; i < typeCount; ++i)
        marks << QStringLiteral("?");
    return QStringLiteral(" AND event_type IN (") + marks.join(QStringLiteral(", ")) + u')';
}

QString SqlDialect::categoryCondition(int categoryCount)
{
    if (categoryCount == 0)
        return {};
    QStringList ranges;
    for (int i = 0; i < categoryCount; ++i)
        ranges << QStringLiteral("(stream_id >= ? AND stream_id < ?) OR stream_id = ?");
    return QStringLiteral(" AND (") + ranges.join(QStringLiteral(" OR ")) + u')';
}

QVariantList SqlDialect::categoryBindings(const QString& category)
{
    // Stream ids only hold characters below '~', so "<category>-~" bounds the range.
    return { QString(category + u'-'), QString(category + QStringLiteral("-~")), category };
}

StoreResult<QList<RecordedEvent>> SqlDialect::queryEvents(
    StoreConnection& connection, const QString& sql, const QVariantList& binds, const QString& what) const
{
    auto query = connection.statement(sql);
    if (!query)
        return query.error();
    QSqlQuery* q = query.value();
    for (const QVariant& value : binds)
        q->addBindValue(value);
    if (!q->exec())
        return queryError(*q, what);
    QList<RecordedEvent> events;
    events.reserve(std::min(binds.last().toInt(), 4096));
    while (q->next())
        events.append(eventFromRow(*q));
    q->finish();
    return events;
}

RecordedEvent SqlDialect::eventFromRow(const QSqlQuery& query) const
{
    RecordedEvent event;
    event.position = query.value(0).toLongLong();
    event.streamId = query.value(1).toString();
    event.streamVersion = query.value(2).toLongLong();
    event.eventId = QUuid::fromString(query.value(3).toString());
    event.eventType = query.value(4).toString();
    event.schemaVersion = query.value(5).toInt();
    event.payload = query.value(6).toString().toUtf8();
    event.metadata = query.value(7).toString().toUtf8();
    event.recordedAt = toDateTime(query.value(8));
    return event;
}

// Projection checkpoints (position: last $all position applied to the live read model, in the same transaction
// as the read model's changes), the shadow rebuild in progress, a fault, and the pause flag; and the operator
// audit log. Times are milliseconds since the Unix epoch (UTC), as in es_snapshots. Types both backends accept.
QStringList SqlDialect::projectionTables(const QString& auditId)
{
    return {
        QStringLiteral(R"(CREATE TABLE es_projections (
                    name text NOT NULL PRIMARY KEY,
                    version integer NOT NULL,
                    position bigint NOT NULL,
                    paused integer NOT NULL DEFAULT 0,
                    fault_position bigint,
                    fault_stream text,
                    fault_type text,
                    fault_error text,
                    fault_at bigint,
                    shadow_version integer,
                    shadow_position bigint,
                    shadow_reason text,
                    shadow_started_at bigint,
                    owner text,
                    updated_at bigint NOT NULL
                ))"),
        QStringLiteral(R"(CREATE TABLE es_operator_audit (
                    id %1,
                    at bigint NOT NULL,
                    actor text NOT NULL,
                    role text NOT NULL,
                    action text NOT NULL,
                    projection text NOT NULL,
                    reason text NOT NULL,
                    detail text NOT NULL
                ))")
            .arg(auditId),
    };
}

StoreError SqlDialect::queryError(const QSqlQuery& query, const QString& what)
{
    const QSqlError error = query.lastError();
    qCWarning(lcEventStore).noquote() << "SQL failed while" << what << "|" << query.lastQuery() << "|" << error.text();
    const auto code = error.type() == QSqlError::ConnectionError ? StoreError::Code::ConnectionFailed
                                                                 : StoreError::Code::QueryFailed;
    return StoreError(code, tr("The store failed while %1: %2").arg(what, error.text().trimmed()));
}

} // namespace EventScope
