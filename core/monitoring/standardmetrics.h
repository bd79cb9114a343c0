// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "metricsregistry.h"

namespace EventScope {

/**
 * The metrics EventScope promises, registered in one place so that their names, help texts and labels are
 * the same in the GUI's charts, `/metrics` and the documentation. Construct it once over the process's
 * MetricsRegistry (constructing it again over the same registry returns the same families) and hand it
 * to the parts that record.
 *
 * Families with labels are held as families: take the series for a label set once (e.g. per breaker name at
 * start-up) and keep it. Label-less series are held directly.
 */
struct StandardMetrics {
    /// Values of `circuit_breaker_state`.
    enum BreakerStateValue { BreakerClosed = 0, BreakerHalfOpen = 1, BreakerOpen = 2 };

    explicit StandardMetrics(MetricsRegistry& registry);

    MetricsRegistry& registry;

    /// commands_executed_total{type,outcome}: outcome is "ok" or a CommandError code name.
    CounterFamily& commandsExecuted;
    /// events_handled_total: events handed to the in-process EventBus's subscribers.
    Counter& eventsHandled;
    /// events_appended_total: events written by this process.
    Counter& eventsAppended;
    /// eventstore_errors_total{operation}: failed event-store calls ("append", "read", …).
    CounterFamily& eventStoreErrors;
    /// eventstore_append_duration_seconds: one observation per append call.
    Histogram& eventStoreAppendDuration;
    /// eventstore_read_duration_seconds: one observation per read call.
    Histogram& eventStoreReadDuration;
    /// projection_events_processed_total{projection}
    CounterFamily& projectionEventsProcessed;
    /// projection_lag_events{projection}: $all positions not yet applied.
    GaugeFamily& projectionLag;
    /// circuit_breaker_state{name}: 0 closed, 1 half-open, 2 open (BreakerStateValue).
    GaugeFamily& circuitBreakerState;
    /// bulkhead_in_use{name}: calls running now.
    GaugeFamily& bulkheadInUse;
    /// bulkhead_queued{name}: calls waiting for a slot now.
    GaugeFamily& bulkheadQueued;
    /// bulkhead_rejected_total{name}
    CounterFamily& bulkheadRejected;
    /// retries_total{name}: attempts after the first, per retry policy.
    CounterFamily& retries;
    /// circuit_breaker_opened_total{name}: times each breaker opened (an open/close cycle between two scrapes
    /// shows here even when the state gauge missed it).
    CounterFamily& circuitBreakerOpened;
    /// circuit_breaker_rejected_total{name}: calls refused while a breaker was open.
    CounterFamily& circuitBreakerRejected;
    /// timeouts_total{name}: calls whose caller stopped waiting, per timeout policy.
    CounterFamily& timeouts;
};

} // namespace EventScope
