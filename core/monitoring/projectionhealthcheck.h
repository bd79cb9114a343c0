// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "healthcheck.h"

#include "projections/projectionstatus.h"

#include <QCoreApplication>
#include <QList>

#include <functional>

namespace EventScope {

class ProjectionManager;

/**
 * Are the read models current? Down when a projection is faulted or lags by at least Thresholds::downLagEvents
 * events; degraded when one lags by at least Thresholds::degradedLagEvents, is paused, or is stopped.
 * Rebuilding and running-elsewhere projections count by their lag like the others.
 *
 * The statuses come from a callback (ProjectionManager::statuses() through forManager(), or anything else);
 * it is called on the health registry's worker thread and must be thread-safe, as statuses() is.
 */
class ProjectionHealthCheck final : public HealthCheck {
    Q_DECLARE_TR_FUNCTIONS(ProjectionHealthCheck)
public:
    struct Thresholds {
        qint64 degradedLagEvents = 1000;
        qint64 downLagEvents = 100000;
    };
    using Statuses = std::function<QList<ProjectionStatus>()>;

    ProjectionHealthCheck(Statuses statuses, Thresholds thresholds, QString name = QStringLiteral("projections"));
    /// Over \a manager, which must outlive the check (or the registry holding it).
    static std::shared_ptr<ProjectionHealthCheck> forManager(const ProjectionManager& manager, Thresholds thresholds);

    QString name() const override { return m_name; }
    HealthCheckResult check(QDeadlineTimer deadline) override;

private:
    Statuses m_statuses;
    Thresholds m_thresholds;
    QString m_name;
};

} // namespace EventScope
