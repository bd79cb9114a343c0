// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "monitoring/circuitbreakerreading.h"
#include "monitoring/standardmetrics.h"

#include <QList>

#include <memory>
#include <mutex>

namespace EventScope {

class ResiliencePipeline;

/**
 * What the server reports about the engine's resilience pipeline: sample() copies its statistics into the
 * standard metrics (circuit_breaker_state{name}, bulkhead_in_use/queued{name}, bulkhead_rejected_total{name},
 * retries_total{name="eventstore"}, the counters advanced by what happened since the previous sample), and
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
    Counter& m_bulkheadRejected;
    Counter& m_retries;
    std::mutex m_mutex;
    qint64 m_seenRejected = 0;
    qint64 m_seenRetries = 0;
};

} // namespace EventScope
