// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "healthcheckresult.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>

#include <map>

namespace EventScope {

/// The outcome of running some or all health checks: the worst status, and each check's result by name.
struct HealthReport {
    HealthStatus status = HealthStatus::Up;
    std::map<QString, HealthCheckResult> checks;
    /// When the report was made (UTC).
    QDateTime time;

    /// {"status": "degraded", "checks": {"eventstore": {…}, …}, "time": "2026-…Z"}
    QJsonObject toJson() const;
    QByteArray toJsonBytes() const;
    /// 200 while the service can serve (up or degraded), 503 when it is down: what probes expect.
    int httpStatusCode() const { return status == HealthStatus::Down ? 503 : 200; }
};

} // namespace EventScope

Q_DECLARE_METATYPE(EventScope::HealthReport)
