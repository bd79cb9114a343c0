// SPDX-License-Identifier: Apache-2.0
#include "histogram.h"

#include <algorithm>
#include <cmath>

namespace EventScope {

QList<double> Histogram::defaultLatencyBounds()
{
    return { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0 };
}

Histogram::Histogram(QList<double> bounds)
    : m_bounds(std::move(bounds))
    , m_buckets(std::make_unique<std::atomic<quint64>[]>(m_bounds.size() + 1))
{
}

void Histogram::observe(double value)
{
    // Buckets are "less than or equal": a value equal to a bound belongs to that bound's bucket. NaN lands in +Inf.
    const auto it = std::isnan(value) ? m_bounds.cend() : std::lower_bound(m_bounds.cbegin(), m_bounds.cend(), value);
    m_buckets[std::distance(m_bounds.cbegin(), it)].fetch_add(1, std::memory_order_relaxed);
    m_sum.fetch_add(value, std::memory_order_relaxed);
}

QList<quint64> Histogram::cumulativeCounts() const
{
    QList<quint64> counts;
    counts.reserve(m_bounds.size() + 1);
    quint64 running = 0;
    for (qsizetype i = 0; i <= m_bounds.size(); ++i) {
        running += m_buckets[i].load(std::memory_order_relaxed);
        counts << running;
    }
    return counts;
}

quint64 Histogram::count() const
{
    quint64 total = 0;
    for (qsizetype i = 0; i <= m_bounds.size(); ++i)
        total += m_buckets[i].load(std::memory_order_relaxed);
    return total;
}

} // namespace EventScope
