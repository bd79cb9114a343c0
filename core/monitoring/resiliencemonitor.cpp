// SPDX-License-Identifier: Apache-2.0
#include "resiliencemonitor.h"

#include "resilience/resiliencepipeline.h"

namespace EventScope {

namespace {

CircuitBreakerReading::State readingOf(CircuitBreaker::State state)
{
    switch (state) {
    case CircuitBreaker::State::Closed:
        return CircuitBreakerReading::State::Closed;
    case CircuitBreaker::State::HalfOpen:
        return CircuitBreakerReading::State::HalfOpen;
    case CircuitBreaker::State::Open:
        return CircuitBreakerReading::State::Open;
    }
    return CircuitBreakerReading::State::Open;
}

/// The breaker as operators should see it: an open breaker whose sleep window has passed lets the next call
/// through as a trial, so it is reported half-open even when no call has come yet to move it there.
CircuitBreakerReading::State effectiveState(const CircuitBreaker& breaker)
{
    const CircuitBreaker::State state = breaker.state();
    if (state == CircuitBreaker::State::Open && breaker.retryAt() <= QDateTime::currentDateTimeUtc())
        return CircuitBreakerReading::State::HalfOpen;
    return readingOf(state);
}

} // namespace

ResilienceMonitor::ResilienceMonitor(std::shared_ptr<ResiliencePipeline> pipeline, StandardMetrics& metrics)
    : m_pipeline(std::move(pipeline))
    , m_breakerState(metrics.circuitBreakerState.labels({ m_pipeline->breaker().name() }))
    , m_bulkheadInUse(metrics.bulkheadInUse.labels({ m_pipeline->bulkhead().name() }))
    , m_bulkheadQueued(metrics.bulkheadQueued.labels({ m_pipeline->bulkhead().name() }))
    , m_bulkheadRejected(metrics.bulkheadRejected.labels({ m_pipeline->bulkhead().name() }))
    , m_retries(metrics.retries.labels({ QStringLiteral("eventstore") }))
    , m_breakerOpened(metrics.circuitBreakerOpened.labels({ m_pipeline->breaker().name() }))
    , m_breakerRejected(metrics.circuitBreakerRejected.labels({ m_pipeline->breaker().name() }))
    , m_timeouts(metrics.timeouts.labels({ QStringLiteral("eventstore") }))
{
}

void ResilienceMonitor::sample()
{
    const ResiliencePipeline::Statistics statistics = m_pipeline->statistics();
    // The reading's values are those of the gauge (CircuitBreakerReading, StandardMetrics::BreakerStateValue).
    m_breakerState.set(double(int(effectiveState(m_pipeline->breaker()))));
    m_bulkheadInUse.set(statistics.bulkhead.inUse);
    m_bulkheadQueued.set(statistics.bulkhead.queued);

    m_bulkheadRejected.follow(statistics.bulkhead.rejectedQueueFull + statistics.bulkhead.rejectedQueueTimeout);
    m_retries.follow(statistics.retries);
    m_breakerOpened.follow(statistics.breaker.opened);
    m_breakerRejected.follow(statistics.breaker.rejected);
    m_timeouts.follow(statistics.timeouts);
}

QList<CircuitBreakerReading> ResilienceMonitor::breakers() const
{
    CircuitBreaker& breaker = m_pipeline->breaker();
    return { CircuitBreakerReading { breaker.name(), effectiveState(breaker), breaker.stateSince() } };
}

} // namespace EventScope
