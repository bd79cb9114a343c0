// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "counter.h"

#include <QtGlobal>

#include <atomic>

namespace EventScope {

/**
 * Keeps a Prometheus counter in step with a running total kept elsewhere (statistics a component counts
 * itself): follow() adds what the total grew by since the previous call. A total that goes down (a reset) adds
 * nothing, so the counter never decreases. Thread-safe.
 */
class CounterMirror {
public:
    explicit CounterMirror(Counter& counter)
        : m_counter(counter)
    {
    }

    void follow(qint64 total)
    {
        qint64 seen = m_seen.load();
        while (total > seen && !m_seen.compare_exchange_weak(seen, total)) { }
        if (total > seen)
            m_counter.increment(double(total - seen));
    }

private:
    Counter& m_counter;
    std::atomic<qint64> m_seen { 0 };
};

} // namespace EventScope
