// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/recordedevent.h"

#include <QByteArray>

namespace EventScope {

/// Events as JSON Lines, the format of `read` and `export`: one object per line with position, streamId,
/// version, eventId, type, schemaVersion, recordedAt (ISO 8601 UTC, milliseconds), and payload and metadata
/// exactly as stored.
class EventJson {
public:
    static QByteArray line(const RecordedEvent& event);
};

} // namespace EventScope
