// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDateTime>
#include <QString>

namespace EventScope {

/**
 * One circuit breaker's state as monitoring sees it. Filled in by whoever owns the breakers (core/resilience),
 * so that monitoring does not depend on them. The numeric values are those of the `circuit_breaker_state` gauge.
 */
struct CircuitBreakerReading {
    enum class State { Closed = 0, HalfOpen = 1, Open = 2 };

    QString name;
    State state = State::Closed;
    /// When it entered this state (UTC); may be invalid when unknown.
    QDateTime since;
};

} // namespace EventScope
