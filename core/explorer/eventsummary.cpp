// SPDX-License-Identifier: Apache-2.0
#include "eventsummary.h"

#include <QJsonObject>
#include <QJsonValue>

namespace EventScope {

EventSummary EventSummary::of(const RecordedEvent& event)
{
    EventSummary summary;
    summary.position = event.position;
    summary.version = event.streamVersion;
    summary.recordedAtMs = event.recordedAt.toMSecsSinceEpoch();
    summary.schemaVersion = event.schemaVersion;
    summary.streamId = event.streamId;
    summary.eventType = event.eventType;
    // Only string values count, as in EventQuery and the database's summaries: a number is no actor.
    const QJsonObject metadata = event.metadataObject();
    summary.actor = metadata.value(QStringLiteral("actor")).toString();
    summary.correlationId = metadata.value(QStringLiteral("correlationId")).toString();
    return summary;
}

} // namespace EventScope
