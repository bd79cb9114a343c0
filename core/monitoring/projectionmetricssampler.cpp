// SPDX-License-Identifier: Apache-2.0
#include "projectionmetricssampler.h"

#include "projections/projectionmanager.h"

namespace EventScope {

ProjectionMetricsSampler::ProjectionMetricsSampler(Statuses statuses, StandardMetrics& metrics)
    : m_statuses(std::move(statuses))
    , m_metrics(metrics)
{
}

ProjectionMetricsSampler::ProjectionMetricsSampler(const ProjectionManager& manager, StandardMetrics& metrics)
    : ProjectionMetricsSampler([&manager] { return manager.statuses(); }, metrics)
{
}

void ProjectionMetricsSampler::sample()
{
    if (!m_statuses)
        return;
    const QList<ProjectionStatus> statuses = m_statuses();
    const std::lock_guard lock(m_mutex);
    for (const ProjectionStatus& status : statuses) {
        m_metrics.projectionLag.labels({ status.name }).set(double(status.lagEvents));
        const qint64 before = m_processed.value(status.name, 0);
        const qint64 added
            = status.eventsProcessed >= before ? status.eventsProcessed - before : status.eventsProcessed;
        m_metrics.projectionEventsProcessed.labels({ status.name }).increment(double(added));
        m_processed.insert(status.name, status.eventsProcessed);
    }
}

} // namespace EventScope
