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
    QUuid eventId = QUuid::createUuid();
    QString eventType;
    int schemaVersion = 1;
    QJsonObject payload;
    QJsonObject metadata;

    static EventData create(QString type, QJsonObject payload, QJsonObject metadata = {}, int schemaVersion = 1)
    {
        return EventData { QUuid::createUuid(), std::move(type), schemaVersion, std::move(payload),
            std::move(metadata) };
    }
};

} // namespace EventScope
