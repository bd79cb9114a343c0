// SPDX-License-Identifier: Apache-2.0
#include "projectionhealthcheck.h"

#include "projections/projectionmanager.h"

namespace EventScope {

ProjectionHealthCheck::ProjectionHealthCheck(Statuses statuses, Thresholds thresholds, QString name)
    : m_statuses(std::move(statuses))
    , m_thresholds(thresholds)
    , m_name(std::move(name))
{
}

std::shared_ptr<ProjectionHealthCheck> ProjectionHealthCheck::forManager(
    const ProjectionManager& manager, Thresholds thresholds)
{
    return std::make_shared<ProjectionHealthCheck>([&manager] { return manager.statuses(); }, thresholds);
}

HealthCheckResult ProjectionHealthCheck::check(QDeadlineTimer)
{
    const QList<ProjectionStatus> statuses = m_statuses ? m_statuses() : QList<ProjectionStatus>();
    if (statuses.isEmpty())
        return HealthCheckResult::up(tr("No projections are registered."));

    HealthStatus status = HealthStatus::Up;
    QStringList problems;
    qint64 maxLag = 0;
    for (const ProjectionStatus& projection : statuses) {
        maxLag = std::max(maxLag, projection.lagEvents);
        if (projection.state == ProjectionState::Faulted) {
            status = HealthStatus::Down;
            const ProjectionFault fault = projection.fault.value_or(ProjectionFault {});
            problems << tr("'%1' is faulted at position %2 (%3 in %4): %5 — retry or skip the event")
                            .arg(projection.name)
                            .arg(fault.position)
                            .arg(fault.eventType, fault.streamId, fault.error);
            continue;
        }
        if (projection.lagEvents >= m_thresholds.downLagEvents) {
            status = HealthStatus::Down;
            problems << tr("'%1' lags %2 events behind (limit %3)")
                            .arg(projection.name)
                            .arg(projection.lagEvents)
                            .arg(m_thresholds.downLagEvents);
        } else if (projection.lagEvents >= m_thresholds.degradedLagEvents) {
            status = worstOf(status, HealthStatus::Degraded);
            problems << tr("'%1' lags %2 events behind (warning from %3)")
                            .arg(projection.name)
                            .arg(projection.lagEvents)
                            .arg(m_thresholds.degradedLagEvents);
        }
        if (projection.state == ProjectionState::Paused) {
            status = worstOf(status, HealthStatus::Degraded);
            problems << tr("'%1' is paused by an operator").arg(projection.name);
        } else if (projection.state == ProjectionState::Stopped) {
            status = worstOf(status, HealthStatus::Degraded);
            problems << tr("'%1' is not running").arg(projection.name);
        }
    }
    if (problems.isEmpty()) {
        return HealthCheckResult::up(
            tr("%n projection(s) running, lagging at most %1 events.", nullptr, int(statuses.size())).arg(maxLag));
    }
    return { status, problems.join(QStringLiteral("; ")) + u'.', {}, {} };
}

} // namespace EventScope
