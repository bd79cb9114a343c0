// SPDX-License-Identifier: Apache-2.0
#include "resiliencehealthcheck.h"

namespace EventScope {

ResilienceHealthCheck::ResilienceHealthCheck(Breakers breakers, QString name)
    : m_breakers(std::move(breakers))
    , m_name(std::move(name))
{
}

HealthCheckResult ResilienceHealthCheck::check(QDeadlineTimer)
{
    const QList<CircuitBreakerReading> breakers = m_breakers ? m_breakers() : QList<CircuitBreakerReading>();
    if (breakers.isEmpty())
        return HealthCheckResult::up(tr("No circuit breakers are configured."));

    HealthStatus status = HealthStatus::Up;
    QStringList problems;
    for (const CircuitBreakerReading& breaker : breakers) {
        const QString since
            = breaker.since.isValid() ? tr(" since %1").arg(breaker.since.toUTC().toString(Qt::ISODate)) : QString();
        switch (breaker.state) {
        case CircuitBreakerReading::State::Closed:
            break;
        case CircuitBreakerReading::State::HalfOpen:
            status = worstOf(status, HealthStatus::Degraded);
            problems << tr("circuit breaker '%1' is half-open%2 (trying calls again)").arg(breaker.name, since);
            break;
        case CircuitBreakerReading::State::Open:
            status = HealthStatus::Down;
            problems << tr("circuit breaker '%1' is open%2: calls are refused until the dependency recovers")
                            .arg(breaker.name, since);
            break;
        }
    }
    if (problems.isEmpty())
        return HealthCheckResult::up(tr("All %n circuit breaker(s) closed.", nullptr, int(breakers.size())));
    return { status, problems.join(QStringLiteral("; ")) + u'.', {}, {} };
}

} // namespace EventScope
