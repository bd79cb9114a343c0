// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "healthstatus.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <chrono>

namespace EventScope {

/// What one health check found: a status, a sentence for operators, and when and how long it ran.
struct HealthCheckResult {
    HealthStatus status = HealthStatus::Down;
    /// What was checked or what is wrong, and what to do about it.
    QString detail;
    /// Filled in by HealthRegistry.
    std::chrono::milliseconds duration { 0 };
    /// When the check started (UTC); filled in by HealthRegistry.
    QDateTime checkedAt;

    static HealthCheckResult up(QString detail) { return { HealthStatus::Up, std::move(detail), {}, {} }; }
    static HealthCheckResult degraded(QString detail) { return { HealthStatus::Degraded, std::move(detail), {}, {} }; }
    static HealthCheckResult down(QString detail) { return { HealthStatus::Down, std::move(detail), {}, {} }; }

    /// {"status": "up", "detail": "…", "durationMs": 3, "checkedAt": "2026-…Z"}
    QJsonObject toJson() const;
};

} // namespace EventScope
