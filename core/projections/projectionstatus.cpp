// SPDX-License-Identifier: Apache-2.0
#include "projectionstatus.h"

namespace EventScope {

QString projectionStateName(ProjectionState state)
{
    switch (state) {
    case ProjectionState::Stopped:
        return QStringLiteral("stopped");
    case ProjectionState::CatchingUp:
        return QStringLiteral("catching-up");
    case ProjectionState::Live:
        return QStringLiteral("live");
    case ProjectionState::Paused:
        return QStringLiteral("paused");
    case ProjectionState::Rebuilding:
        return QStringLiteral("rebuilding");
    case ProjectionState::Faulted:
        return QStringLiteral("faulted");
    case ProjectionState::RunningElsewhere:
        return QStringLiteral("running-elsewhere");
    }
    return QStringLiteral("unknown");
}

} // namespace EventScope
