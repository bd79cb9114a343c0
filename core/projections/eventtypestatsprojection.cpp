// SPDX-License-Identifier: Apache-2.0
#include "eventtypestatsprojection.h"

#include "projectionbatch.h"

#include <QDate>

namespace EventScope {

namespace {

constexpr qint64 MSecsPerDay = 24 * 60 * 60 * 1000;

qint64 dayNumber(qint64 msecsSinceEpoch)
{
    // Floor, not truncation, so that instants before 1970 fall on the right day.
    return msecsSinceEpoch >= 0 ? msecsSinceEpoch / MSecsPerDay : -((-msecsSinceEpoch + MSecsPerDay - 1) / MSecsPerDay);
}

} // namespace

QString EventTypeStatsProjection::description() const
{
    return tr("Number of events of each type per day (UTC).");
}

QList<ReadModelTable> EventTypeStatsProjection::tables() const
{
    ReadModelTable daily;
    daily.name = QLatin1String(Table);
    daily.columns = { QStringLiteral("day TEXT NOT NULL"), QStringLiteral("event_type TEXT NOT NULL"),
        QStringLiteral("count BIGINT NOT NULL") };
    daily.primaryKey = { QStringLiteral("day"), QStringLiteral("event_type") };
    daily.indexes = { { QStringLiteral("event_type"), QStringLiteral("day") } };
    return { daily };
}

QString EventTypeStatsProjection::dayOf(qint64 msecsSinceEpoch)
{
    return QDate(1970, 1, 1).addDays(dayNumber(msecsSinceEpoch)).toString(Qt::ISODate);
}

QString EventTypeStatsProjection::apply(const RecordedEvent& event, ProjectionBatch&)
{
    ++m_counts[Key { dayNumber(event.recordedAt.toMSecsSinceEpoch()), event.eventType }];
    return {};
}

QString EventTypeStatsProjection::flush(ProjectionBatch& batch)
{
    // The target table is named in the update so that PostgreSQL does not find "count" ambiguous.
    const QString upsert = QStringLiteral("INSERT INTO {event_type_daily} (day, event_type, count) VALUES (?, ?, ?) "
                                          "ON CONFLICT (day, event_type) DO UPDATE SET "
                                          "count = {event_type_daily}.count + excluded.count");
    const QDate epoch(1970, 1, 1);
    for (auto it = m_counts.cbegin(); it != m_counts.cend(); ++it) {
        if (!batch.exec(upsert, { epoch.addDays(it.key().day).toString(Qt::ISODate), it.key().eventType, it.value() }))
            return batch.error() ? batch.error()->message() : tr("Writing the event type statistics failed.");
    }
    m_counts.clear();
    return {};
}

void EventTypeStatsProjection::discard()
{
    m_counts.clear();
}

} // namespace EventScope
