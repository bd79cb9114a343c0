// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "counter.h"
#include "gauge.h"
#include "histogram.h"
#include "metricsnapshot.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <type_traits>

namespace EventScope {

/**
 * A named metric with label names, holding one series per set of label values. Created by MetricsRegistry.
 *
 * labels() looks the series up under a lock, creating it on first use: call it once per label set, keep the
 * returned reference, and update that on hot paths. Series are never removed, so references stay valid for
 * the registry's lifetime. Thread-safe.
 */
template <typename Series>
class MetricFamily final {
public:
    static constexpr MetricType type()
    {
        if constexpr (std::is_same_v<Series, Counter>)
            return MetricType::Counter;
        else if constexpr (std::is_same_v<Series, Gauge>)
            return MetricType::Gauge;
        else
            return MetricType::Histogram;
    }

    MetricFamily(QString name, QString help, QStringList labelNames, QList<double> bounds = {})
        : m_name(std::move(name))
        , m_help(std::move(help))
        , m_labelNames(std::move(labelNames))
        , m_bounds(std::move(bounds))
    {
    }
    MetricFamily(const MetricFamily&) = delete;
    MetricFamily& operator=(const MetricFamily&) = delete;

    const QString& name() const { return m_name; }
    const QString& help() const { return m_help; }
    const QStringList& labelNames() const { return m_labelNames; }
    /// Histograms: the upper bounds of the buckets (without +Inf).
    const QList<double>& bounds() const { return m_bounds; }

    /**
     * The series for \a labelValues (one per label name, in order; any text is allowed). Throws
     * std::invalid_argument when the number of values does not match the label names — a programming error.
     */
    Series& labels(const QStringList& labelValues)
    {
        if (labelValues.size() != m_labelNames.size()) {
            throw std::invalid_argument(QStringLiteral("Metric %1 has the labels (%2) but was given %3 values (%4).")
                                            .arg(m_name, m_labelNames.join(QLatin1String(", ")))
                                            .arg(labelValues.size())
                                            .arg(labelValues.join(QLatin1String(", ")))
                                            .toStdString());
        }
        const std::lock_guard lock(m_mutex);
        auto& slot = m_series[labelValues];
        if (!slot) {
            if constexpr (std::is_same_v<Series, Histogram>)
                slot = std::make_unique<Histogram>(m_bounds);
            else
                slot = std::make_unique<Series>();
        }
        return *slot;
    }
    /// The series of a metric without labels.
    Series& labels() { return labels(QStringList()); }

    MetricSnapshot snapshot() const
    {
        MetricSnapshot result;
        result.name = m_name;
        result.help = m_help;
        result.type = type();
        result.labelNames = m_labelNames;
        result.bounds = m_bounds;
        const std::lock_guard lock(m_mutex);
        result.series.reserve(qsizetype(m_series.size()));
        for (const auto& [labelValues, series] : m_series) {
            MetricSeriesSnapshot entry;
            entry.labelValues = labelValues;
            if constexpr (std::is_same_v<Series, Histogram>) {
                entry.bucketCounts = series->cumulativeCounts();
                entry.count = entry.bucketCounts.constLast();
                entry.sum = series->sum();
            } else {
                entry.value = series->value();
            }
            result.series << entry;
        }
        return result;
    }

private:
    const QString m_name;
    const QString m_help;
    const QStringList m_labelNames;
    const QList<double> m_bounds;
    mutable std::mutex m_mutex;
    std::map<QStringList, std::unique_ptr<Series>> m_series;
};

using CounterFamily = MetricFamily<Counter>;
using GaugeFamily = MetricFamily<Gauge>;
using HistogramFamily = MetricFamily<Histogram>;

} // namespace EventScope
