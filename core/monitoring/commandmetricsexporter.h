// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "standardmetrics.h"

#include <QMap>

#include <memory>
#include <mutex>
#include <utility>

namespace EventScope {

class CommandMetrics;

/**
 * Feeds `commands_executed_total{type,outcome}` from the CommandMetrics that the command bus's MetricsMiddleware
 * already records, instead of a second middleware counting the same dispatches: the GUI's command statistics and
 * `/metrics` then come from one source and always agree, and a dispatch pays for one record, not two.
 *
 * sample() adds what was recorded since the previous sample to the counters. Call it on the metrics interval and
 * right before rendering `/metrics`. CommandMetrics::reset() is not a decrease: counts seen after a reset are
 * added again from zero, so the counter stays monotonic as Prometheus requires. Thread-safe.
 */
class CommandMetricsExporter {
public:
    CommandMetricsExporter(std::shared_ptr<const CommandMetrics> source, StandardMetrics& metrics);

    void sample();

private:
    std::shared_ptr<const CommandMetrics> m_source;
    StandardMetrics& m_metrics;
    std::mutex m_mutex;
    QMap<std::pair<QString, QString>, qint64> m_seen;
};

} // namespace EventScope
