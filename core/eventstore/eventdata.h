// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QString>
#include <QUuid>

namespace EventScope {

/**
 * An event to append: the caller chooses its id (which makes appends idempotent), its type and schema
 * version, and its JSON payload and metadata. Metadata conventionally holds correlationId, causationId,
 * actor and reason, and may hold anything else.
 */
struct EventData {
    QUuid eventId = newEventId();
    QString eventType;
    int schemaVersion = 1;
    QJsonObject payload;
    QJsonObject metadata;

    static EventData create(QString type, QJsonObject payload, QJsonObject metadata = {}, int schemaVersion = 1)
    {
        return EventData { newEventId(), std::move(type), schemaVersion, std::move(payload), std::move(metadata) };
    }

    /**
     * A new time-ordered event id (UUID version 7, RFC 9562): 48 bits of Unix milliseconds, then a counter
     * that keeps ids of one process increasing within a millisecond, then random bits. Ids made this way
     * sort in creation order, so the store's unique index on event ids grows at its end instead of being
     * written at random places – several times cheaper for large appends than random (version 4) ids.
     */
    static QUuid newEventId();
};

} // namespace EventScope
