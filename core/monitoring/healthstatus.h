// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace EventScope {

/// How well a component works, from best to worst. An overall status is the worst of its parts.
enum class HealthStatus {
    Up, ///< works as it should
    Degraded, ///< works, but something needs attention (lagging projection, half-open breaker)
    Down, ///< does not work (store unreachable, projection faulted, breaker open, check timed out)
};

/// "up", "degraded", "down".
QString healthStatusName(HealthStatus status);
/// The worse of \a a and \a b.
constexpr HealthStatus worstOf(HealthStatus a, HealthStatus b)
{
    return int(a) >= int(b) ? a : b;
}

} // namespace EventScope
