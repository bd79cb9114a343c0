// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <Qt>

namespace EventScope {

/// Item data roles shared by the models over events and streams. Each model documents which it answers.
enum ModelRole : int {
    EventTypeRole = Qt::UserRole + 1, ///< QString
    PayloadJsonRole, ///< QString, indented JSON of the event's payload
    MetadataJsonRole, ///< QString, indented JSON of the event's metadata
    PositionRole, ///< qint64 GlobalPosition
    StreamIdRole, ///< QString
    StreamVersionRole, ///< qint64 StreamVersion (of the event, or the stream's last)
    EventIdRole, ///< QUuid
    SchemaVersionRole, ///< int
    RecordedAtRole, ///< QDateTime, UTC (of the event, or the stream's last)
    ActorRole, ///< QString, metadata "actor"
    CategoryRole, ///< QString
    EventCountRole, ///< qint64
    RecordedEventRole, ///< EventScope::RecordedEvent
    CorrelationIdRole, ///< QString, metadata "correlationId"
};

} // namespace EventScope
