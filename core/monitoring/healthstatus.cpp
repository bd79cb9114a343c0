// SPDX-License-Identifier: Apache-2.0
#include "healthstatus.h"

namespace EventScope {

QString healthStatusName(HealthStatus status)
{
    switch (status) {
    case HealthStatus::Up:
        return QStringLiteral("up");
    case HealthStatus::Degraded:
        return QStringLiteral("degraded");
    case HealthStatus::Down:
        return QStringLiteral("down");
    }
    return QStringLiteral("down");
}

} // namespace EventScope
