// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "expectedversion.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QUuid>

namespace EventScope {

/// Global position of an event in the store. Positions are unique, positive and never reused.
using GlobalPosition = qint64;

/**
 * An event as it was stored. Payload and metadata are kept as the stored JSON text so that reading
 * millions of events does not pay for parsing them; payloadObject() and metadataObject() parse on demand.
 */
struct RecordedEvent {
    GlobalPosition position = 0;
    QString streamId;
    StreamVersion streamVersion = 0;
    QUuid eventId;
    QString eventType;
    int schemaVersion = 1;
    QByteArray payload; ///< compact JSON object text
    QByteArray metadata; ///< compact JSON object text
    QDateTime recordedAt; ///< UTC

    QJsonObject payloadObject() const;
    QJsonObject metadataObject() const;
};

} // namespace EventScope

Q_DECLARE_METATYPE(EventScope::RecordedEvent)
