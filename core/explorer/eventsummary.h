// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/recordedevent.h"

#include <QMetaType>
#include <QString>

namespace EventScope {

/**
 * What a row of the events table shows: everything but the payload and the metadata's other keys. Kept small
 * on purpose (the explorer holds a million of these): the time is milliseconds since the epoch, and the
 * strings are shared between rows by whoever keeps many (see EventTableModel).
 */
struct EventSummary {
    GlobalPosition position = 0;
    StreamVersion version = 0;
    qint64 recordedAtMs = 0; ///< UTC, milliseconds since the Unix epoch
    int schemaVersion = 1;
    QString streamId;
    QString eventType;
    QString actor; ///< metadata "actor"; empty when absent
    QString correlationId; ///< metadata "correlationId"; empty when absent

    /// The summary of a full event (parses its metadata).
    static EventSummary of(const RecordedEvent& event);
};

} // namespace EventScope

Q_DECLARE_METATYPE(EventScope::EventSummary)
