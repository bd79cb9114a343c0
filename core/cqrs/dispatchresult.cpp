// SPDX-License-Identifier: Apache-2.0
#include "dispatchresult.h"

namespace EventScope {

DispatchResult DispatchResult::success(
    QString aggregateId, StreamVersion newVersion, QList<EventData> events, std::optional<QJsonObject> state)
{
    DispatchResult result;
    result.aggregateId = std::move(aggregateId);
    result.newVersion = newVersion;
    result.events = std::move(events);
    result.state = std::move(state);
    return result;
}

DispatchResult DispatchResult::failure(CommandError error)
{
    DispatchResult result;
    result.error = std::move(error);
    return result;
}

} // namespace EventScope
