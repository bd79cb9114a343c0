// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/expectedversion.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace EventScope {

/// The state of an aggregate after the event at \a version of its stream, as stored in es_snapshots.
struct Snapshot {
    QString streamId;
    StreamVersion version = NoStreamVersion;
    QString aggregateType;
    /// AggregateRoot::snapshotSchemaVersion() of the aggregate that took it.
    int schemaVersion = 1;
    QJsonObject state;
    QDateTime takenAt; ///< UTC, millisecond precision
};

} // namespace EventScope
