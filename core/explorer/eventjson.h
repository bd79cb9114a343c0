// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/eventstore.h"
#include "eventstore/recordedevent.h"

#include <limits>

#include <QByteArray>
#include <QIODevice>
#include <QString>

#include <optional>

namespace EventScope {

/// Events as JSON Lines, the format of `read` and `export`: one object per line with position, streamId,
/// version, eventId, type, schemaVersion, recordedAt (ISO 8601 UTC, milliseconds), and payload and metadata
/// exactly as stored. A file written by the explorer (EventExporter) starts with a header line, an object with
/// the key "eventscopeExport", that readers skip (isExportHeader()).
class EventJson {
public:
    /// The key that marks the header line of an explorer export.
    static constexpr auto ExportHeaderKey = "eventscopeExport";

    /// What writeEvents() reads: a stream (forward or backward from a version) or $all (after a position,
    /// filtered), at most limit events.
    struct Selection {
        QString stream; ///< empty: $all
        qint64 from = -1; ///< stream: first version (default 0, or the newest backward); $all: position to follow
        qint64 limit = std::numeric_limits<qint64>::max();
        bool backward = false;
        AllFilter filter;
    };
    /// Writes the selected events to \a out as lines, paging through the store; returns how many.
    static StoreResult<qint64> writeEvents(EventStore& store, const Selection& selection, QIODevice& out);

    static QByteArray line(const RecordedEvent& event);
    /**
     * One line of that format back into an event, payload and metadata kept byte for byte (position is read but
     * means nothing to an import). std::nullopt with \a error set when the line is not such an object.
     */
    static std::optional<RecordedEvent> parse(const QByteArray& line, QString* error);
    /// Whether \a line is the header line of an explorer export: a JSON object with the key "eventscopeExport".
    static bool isExportHeader(const QByteArray& line);
};

} // namespace EventScope
