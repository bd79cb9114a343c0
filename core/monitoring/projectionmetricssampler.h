// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "standardmetrics.h"

#include "projections/projectionstatus.h"

#include <QHash>
#include <QList>

#include <functional>
#include <mutex>

namespace EventScope {

class ProjectionManager;

/**
 * Samples projection statuses into `projection_lag_events{projection}` (set to the current lag) and
 * `projection_events_processed_total{projection}` (advanced by the events applied since the previous sample;
 * ProjectionStatus::eventsProcessed counts per run, so a restart of the manager adds from zero again).
 *
 * Call sample() on the metrics interval (AppConfig::Metrics::interval) and before rendering `/metrics`, from any
 * thread; the statuses callback must be thread-safe, as ProjectionManager::statuses() is. Thread-safe.
 */
class ProjectionMetricsSampler {
public:
    using Statuses = std::function<QList<ProjectionStatus>()>;

    ProjectionMetricsSampler(Statuses statuses, StandardMetrics& metrics);
    /// Over \a manager, which must outlive the sampler.
    ProjectionMetricsSampler(const ProjectionManager& manager, StandardMetrics& metrics);

    void sample();

private:
    Statuses m_statuses;
    StandardMetrics& m_metrics;
    std::mutex m_mutex;
    QHash<QString, qint64> m_processed;
};

} // namespace EventScope
