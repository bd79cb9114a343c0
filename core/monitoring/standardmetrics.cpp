// SPDX-License-Identifier: Apache-2.0
#include "standardmetrics.h"

namespace EventScope {

StandardMetrics::StandardMetrics(MetricsRegistry& metrics)
    : registry(metrics)
    , commandsExecuted(metrics.counter(QStringLiteral("commands_executed_total"),
          QStringLiteral("Commands dispatched, by command type and outcome (\"ok\" or the error code)."),
          { QStringLiteral("type"), QStringLiteral("outcome") }))
    , eventsHandled(metrics
                        .counter(QStringLiteral("events_handled_total"),
                            QStringLiteral("Events published to the in-process event bus."))
                        .labels())
    , eventsAppended(
          metrics.counter(QStringLiteral("events_appended_total"), QStringLiteral("Events appended by this process."))
              .labels())
    , eventStoreErrors(metrics.counter(QStringLiteral("eventstore_errors_total"),
          QStringLiteral("Failed event store calls, by operation."), { QStringLiteral("operation") }))
    , eventStoreAppendDuration(metrics
                                   .histogram(QStringLiteral("eventstore_append_duration_seconds"),
                                       QStringLiteral("Time taken by event store appends, in seconds."))
                                   .labels())
    , eventStoreReadDuration(metrics
                                 .histogram(QStringLiteral("eventstore_read_duration_seconds"),
                                     QStringLiteral("Time taken by event store reads, in seconds."))
                                 .labels())
    , projectionEventsProcessed(metrics.counter(QStringLiteral("projection_events_processed_total"),
          QStringLiteral("Events applied by each projection in this process."), { QStringLiteral("projection") }))
    , projectionLag(metrics.gauge(QStringLiteral("projection_lag_events"),
          QStringLiteral("Events in $all that a projection has not applied yet."), { QStringLiteral("projection") }))
    , circuitBreakerState(metrics.gauge(QStringLiteral("circuit_breaker_state"),
          QStringLiteral("State of each circuit breaker: 0 closed, 1 half-open, 2 open."), { QStringLiteral("name") }))
    , bulkheadInUse(metrics.gauge(QStringLiteral("bulkhead_in_use"),
          QStringLiteral("Calls running in each bulkhead now."), { QStringLiteral("name") }))
    , bulkheadQueued(metrics.gauge(QStringLiteral("bulkhead_queued"),
          QStringLiteral("Calls waiting for a slot in each bulkhead now."), { QStringLiteral("name") }))
    , bulkheadRejected(metrics.counter(QStringLiteral("bulkhead_rejected_total"),
          QStringLiteral("Calls each bulkhead rejected (full queue or queue timeout)."), { QStringLiteral("name") }))
    , retries(metrics.counter(QStringLiteral("retries_total"),
          QStringLiteral("Attempts after the first one, by retry policy."), { QStringLiteral("name") }))
    , circuitBreakerOpened(metrics.counter(QStringLiteral("circuit_breaker_opened_total"),
          QStringLiteral("Times each circuit breaker opened."), { QStringLiteral("name") }))
    , circuitBreakerRejected(metrics.counter(QStringLiteral("circuit_breaker_rejected_total"),
          QStringLiteral("Calls each circuit breaker refused while open."), { QStringLiteral("name") }))
    , timeouts(metrics.counter(QStringLiteral("timeouts_total"),
          QStringLiteral("Calls whose caller stopped waiting, by timeout policy."), { QStringLiteral("name") }))
{
}

} // namespace EventScope
