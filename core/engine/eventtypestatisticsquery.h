// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cqrs/query.h"
#include "cqrs/queryresult.h"

#include <QCoreApplication>

namespace EventScope {

class SqlEventStore;

/**
 * The GetEventTypeStatistics query over the EventTypeStatsProjection's read model: {"from", "to" (days
 * "YYYY-MM-DD", UTC, inclusive), "eventType", "limit" (1…10000, default 1000)}, all optional →
 * {rows: [{day, eventType, count}] by day then type, truncated: whether more rows matched than limit}.
 */
class EventTypeStatisticsQuery {
    Q_DECLARE_TR_FUNCTIONS(EventTypeStatisticsQuery)
public:
    static constexpr auto Type = "GetEventTypeStatistics";

    /// Runs \a query on the calling thread's connection to \a store.
    static QueryResult run(SqlEventStore& store, const Query& query);
};

} // namespace EventScope
