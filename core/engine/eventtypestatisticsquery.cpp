// SPDX-License-Identifier: Apache-2.0
#include "eventtypestatisticsquery.h"

#include "projections/eventtypestatsprojection.h"
#include "projections/readmodeltable.h"
#include "readmodelquery.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlQuery>

namespace EventScope {

QueryResult EventTypeStatisticsQuery::run(SqlEventStore& store, const Query& query)
{
    ReadModelQuery parameters(query,
        QStringLiteral("{\"from\": \"YYYY-MM-DD\", \"to\": \"YYYY-MM-DD\" (UTC days, inclusive), \"eventType\": "
                       "\"<type>\", \"limit\": 1…10000 (1000)}, each optional."));
    const QString from = parameters.day(QStringLiteral("from"));
    const QString to = parameters.day(QStringLiteral("to"));
    const QString eventType = parameters.text(QStringLiteral("eventType"));
    const qint64 limit = parameters.integer(QStringLiteral("limit"), 1000, 1, 10000);
    if (auto failure = parameters.failure())
        return *failure;
    if (!from.isEmpty() && !to.isEmpty() && from > to)
        return QueryResult::failure(QueryResult::ErrorCode::InvalidParameters,
            tr("\"from\" (%1) is after \"to\" (%2). Pass from ≤ to.").arg(from, to));

    QStringList where;
    QVariantList binds;
    if (!from.isEmpty()) {
        where.append(QStringLiteral("day >= ?"));
        binds.append(from);
    }
    if (!to.isEmpty()) {
        where.append(QStringLiteral("day <= ?"));
        binds.append(to);
    }
    if (!eventType.isEmpty()) {
        where.append(QStringLiteral("event_type = ?"));
        binds.append(eventType);
    }
    binds.append(limit + 1);
    const QString sql = QStringLiteral("SELECT day, event_type, count FROM ")
        + ReadModelTable::liveName(QLatin1String(EventTypeStatsProjection::Table))
        + (where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND ")))
        + QStringLiteral(" ORDER BY day, event_type LIMIT ?");
    QJsonArray rows;
    if (auto failure = ReadModelQuery::select(
            store, QLatin1String(EventTypeStatsProjection::Name), sql, binds, [&rows](const QSqlQuery& row) {
                rows.append(QJsonObject { { QStringLiteral("day"), row.value(0).toString() },
                    { QStringLiteral("eventType"), row.value(1).toString() },
                    { QStringLiteral("count"), row.value(2).toLongLong() } });
            }))
        return *failure;
    const bool truncated = rows.size() > limit;
    if (truncated)
        rows.removeLast();
    return QJsonValue(QJsonObject { { QStringLiteral("rows"), rows }, { QStringLiteral("truncated"), truncated } });
}

} // namespace EventScope
