// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "circuitbreakerreading.h"
#include "healthcheck.h"

#include <QCoreApplication>
#include <QList>

#include <functional>

namespace EventScope {

/**
 * Are calls getting through? Up when no circuit breaker is open, degraded while one is half-open (trying
 * again), down while one is open. The breakers come from a callback, so that monitoring does not depend on
 * core/resilience; the callback is called on the health registry's worker thread and must be thread-safe.
 */
class ResilienceHealthCheck final : public HealthCheck {
    Q_DECLARE_TR_FUNCTIONS(ResilienceHealthCheck)
public:
    using Breakers = std::function<QList<CircuitBreakerReading>()>;

    explicit ResilienceHealthCheck(Breakers breakers, QString name = QStringLiteral("resilience"));

    QString name() const override { return m_name; }
    HealthCheckResult check(QDeadlineTimer deadline) override;

private:
    Breakers m_breakers;
    QString m_name;
};

} // namespace EventScope
