// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>

namespace EventScope {

/**
 * One series of a gauge: a value that goes up and down (projection lag, bulkhead calls in use, breaker state).
 *
 * Obtain it once from GaugeFamily::labels() and keep the reference: set(), increment() and decrement() are
 * single atomic operations, lock-free, callable from any thread. The reference lives as long as its registry.
 */
class Gauge {
public:
    Gauge() = default;
    Gauge(const Gauge&) = delete;
    Gauge& operator=(const Gauge&) = delete;

    void set(double value) { m_value.store(value, std::memory_order_relaxed); }
    void increment(double amount = 1.0) { m_value.fetch_add(amount, std::memory_order_relaxed); }
    void decrement(double amount = 1.0) { m_value.fetch_sub(amount, std::memory_order_relaxed); }
    double value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<double> m_value { 0.0 };
};

} // namespace EventScope
