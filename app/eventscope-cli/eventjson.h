// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/recordedevent.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace EventScope {

/// Events as JSON Lines, the format of `read` and `export`: one object per line with position, streamId,
/// version, eventId, type, schemaVersion, recordedAt (ISO 8601 UTC, milliseconds), and payload and metadata
/// exactly as stored.
class EventJson {
public:
    static QByteArray line(const RecordedEvent& event);
    /**
     * One line of that format back into an event, payload and metadata kept byte for byte (position is read but
     * means nothing to an import). std::nullopt with \a error set when the line is not such an object.
     */
    static std::optional<RecordedEvent> parse(const QByteArray& line, QString* error);
};

} // namespace EventScope
