// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace EventScope {

enum class MetricType { Counter, Gauge, Histogram };

/// "counter", "gauge", "histogram": the TYPE names of the Prometheus text format.
QString metricTypeName(MetricType type);

/// The value of one series (one set of label values) at the moment of the snapshot.
struct MetricSeriesSnapshot {
    QStringList labelValues; ///< in the order of MetricSnapshot::labelNames
    double value = 0; ///< counters and gauges
    /// Histograms: cumulative counts per bound of MetricSnapshot::bounds, then +Inf (== count).
    QList<quint64> bucketCounts;
    double sum = 0; ///< histograms
    quint64 count = 0; ///< histograms
};

/**
 * A metric family with all its series, copied out of the MetricsRegistry: what charts and the Prometheus
 * exposition read. Plain values, safe to pass between threads (e.g. by queued signal to the GUI's models).
 */
struct MetricSnapshot {
    QString name;
    QString help;
    MetricType type = MetricType::Counter;
    QStringList labelNames;
    QList<double> bounds; ///< histograms: upper bounds of the buckets, without +Inf
    QList<MetricSeriesSnapshot> series; ///< ordered by label values

    /// The series with \a labelValues, or nullptr.
    const MetricSeriesSnapshot* find(const QStringList& labelValues) const;
};

} // namespace EventScope

Q_DECLARE_METATYPE(EventScope::MetricSnapshot)
