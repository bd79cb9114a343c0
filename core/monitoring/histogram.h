// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

namespace EventScope {

/**
 * One series of a histogram: how many observations fell at or below each upper bound, their sum and count.
 *
 * Obtain it once from HistogramFamily::labels() and keep the reference: observe() is a binary search over the
 * family's bounds and three atomic adds, with no lock, callable from any thread. Durations are observed in
 * seconds, as Prometheus names them (`…_duration_seconds`).
 */
class Histogram {
public:
    /// Upper bounds in seconds from 0.5 ms to 10 s: the default for latencies of database calls and commands.
    static QList<double> defaultLatencyBounds();

    /// \a bounds must be sorted, finite and unique (HistogramFamily checks them at registration).
    explicit Histogram(QList<double> bounds);
    Histogram(const Histogram&) = delete;
    Histogram& operator=(const Histogram&) = delete;

    void observe(double value);
    /// Observes \a duration in seconds.
    template <typename Rep, typename Period>
    void observe(std::chrono::duration<Rep, Period> duration)
    {
        observe(std::chrono::duration<double>(duration).count());
    }

    const QList<double>& bounds() const { return m_bounds; }
    /// Cumulative counts, one per bound plus the last for +Inf (which equals count()).
    QList<quint64> cumulativeCounts() const;
    /// Sum of the observed values.
    double sum() const { return m_sum.load(std::memory_order_relaxed); }
    /// Number of observations: the sum of the buckets, so that it always agrees with the +Inf bucket.
    quint64 count() const;

private:
    const QList<double> m_bounds;
    /// Non-cumulative: m_buckets[i] counts values in (bounds[i-1], bounds[i]]; the last one counts the rest.
    const std::unique_ptr<std::atomic<quint64>[]> m_buckets;
    std::atomic<double> m_sum { 0.0 };
};

} // namespace EventScope
