// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>

namespace EventScope {

/**
 * One series of a counter: a total that only goes up (events appended, commands executed …).
 *
 * Obtain it once from CounterFamily::labels() and keep the reference: increment() is one atomic add, with no
 * lock and no lookup, and may be called from any thread. The reference stays valid as long as its registry.
 */
class Counter {
public:
    Counter() = default;
    Counter(const Counter&) = delete;
    Counter& operator=(const Counter&) = delete;

    /// Adds \a amount; negative amounts are ignored (a counter never goes down).
    void increment(double amount = 1.0)
    {
        if (amount > 0)
            m_value.fetch_add(amount, std::memory_order_relaxed);
    }
    double value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<double> m_value { 0.0 };
};

} // namespace EventScope
