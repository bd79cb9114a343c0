// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "circuitbreakerreading.h"
#include "countermirror.h"
#include "standardmetrics.h"

#include <QList>

#include <memory>

namespace EventScope {

class ResiliencePipeline;

/**
 * What the server reports about the engine's resilience pipeline: sample() copies its statistics into the
 * standard metrics (circuit_breaker_state{name}, bulkhead_in_use/queued{name}, bulkhead_rejected_total{name},
 * retries_total{name="eventstore"}, circuit_breaker_opened_total and circuit_breaker_rejected_total{name},
 * timeouts_total{name="eventstore"}, the counters advanced by what happened since the previous sample), and
 * breakers() reads the breaker for ResilienceHealthCheck. Sampling the counters instead of counting signals
 * keeps the pipeline's hot path free of metrics work. Thread-safe.
 */
class ResilienceMonitor {
public:
    ResilienceMonitor(std::shared_ptr<ResiliencePipeline> pipeline, StandardMetrics& metrics);

    void sample();
    QList<CircuitBreakerReading> breakers() const;

private:
    std::shared_ptr<ResiliencePipeline> m_pipeline;
    Gauge& m_breakerState;
    Gauge& m_bulkheadInUse;
    Gauge& m_bulkheadQueued;
    CounterMirror m_bulkheadRejected;
    CounterMirror m_retries;
    CounterMirror m_breakerOpened;
    CounterMirror m_breakerRejected;
    CounterMirror m_timeouts;
};

} // namespace EventScope
