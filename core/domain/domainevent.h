// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/recordedevent.h"

#include <QJsonObject>
#include <QString>
#include <QUuid>

#include <optional>

namespace EventScope {

/**
 * An event as the domain sees it: its type, the schema version its payload is in, the payload and the
 * metadata. An event raised by an aggregate has no stored form yet; an event loaded from the store keeps
 * the RecordedEvent it was decoded from, untouched, so that a viewer can show the stored form next to the
 * upcasted one.
 */
struct DomainEvent {
    QUuid eventId;
    QString type;
    /// Schema version of payload (after upcasting, for loaded events).
    int schemaVersion = 1;
    QJsonObject payload;
    QJsonObject metadata;
    /// False when the type is not registered: the payload is the stored JSON, unchanged.
    bool known = true;
    /// The event as stored, when it was loaded from the store.
    std::optional<RecordedEvent> stored;

    /// Stream version of the stored event, or NoStreamVersion for an event not stored yet.
    StreamVersion streamVersion() const { return stored ? stored->streamVersion : NoStreamVersion; }
    /// True when the payload was transformed from an older stored schema version.
    bool isUpcasted() const { return stored && stored->schemaVersion != schemaVersion; }
};

} // namespace EventScope
