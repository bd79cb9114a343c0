// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "metricfamily.h"
#include "metricsnapshot.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <map>
#include <mutex>
#include <optional>
#include <variant>

namespace EventScope {

/**
 * The process's metrics: counters, gauges and histograms, each a family of series told apart by label values.
 *
 * Register a family once (counter(), gauge(), histogram()), ask it for the series of a label set once, and
 * keep that reference: updating it is lock-free (see Counter, Gauge, Histogram). Registering the same name
 * again with the same type, label names (and bounds) returns the existing family, so independent parts of
 * the engine may each register what they use.
 *
 * Names are checked at registration: metric names match [a-zA-Z_:][a-zA-Z0-9_:]*, label names
 * [a-zA-Z_][a-zA-Z0-9_]* and do not start with "__" (reserved by Prometheus); histograms may not use the label
 * "le". A bad name, or a name registered before with another type or other labels, is a programming error:
 * these functions then throw std::invalid_argument with a message that names the problem. Use
 * metricNameError() and labelNameError() first for names that come from data.
 *
 * Thread-safe. snapshot() copies every series for charts and the Prometheus exposition.
 */
class MetricsRegistry {
public:
    MetricsRegistry() = default;
    MetricsRegistry(const MetricsRegistry&) = delete;
    MetricsRegistry& operator=(const MetricsRegistry&) = delete;

    CounterFamily& counter(const QString& name, const QString& help, const QStringList& labelNames = {});
    GaugeFamily& gauge(const QString& name, const QString& help, const QStringList& labelNames = {});
    /// \a bounds: ascending, finite upper bounds (Histogram::defaultLatencyBounds() when empty).
    HistogramFamily& histogram(
        const QString& name, const QString& help, const QStringList& labelNames = {}, QList<double> bounds = {});

    /// Every family with every series, ordered by name.
    QList<MetricSnapshot> snapshot() const;
    /// One family, or std::nullopt when \a name is not registered.
    std::optional<MetricSnapshot> snapshot(const QString& name) const;
    QStringList names() const;

    /// Why \a name is not a valid metric name, or an empty string when it is.
    static QString metricNameError(const QString& name);
    /// Why \a name is not a valid label name, or an empty string when it is.
    static QString labelNameError(const QString& name);

private:
    using Family
        = std::variant<std::unique_ptr<CounterFamily>, std::unique_ptr<GaugeFamily>, std::unique_ptr<HistogramFamily>>;

    template <typename Series>
    MetricFamily<Series>& add(
        const QString& name, const QString& help, const QStringList& labelNames, const QList<double>& bounds);
    static MetricSnapshot snapshotOf(const Family& family);

    mutable std::mutex m_mutex;
    std::map<QString, Family> m_families;
};

} // namespace EventScope
