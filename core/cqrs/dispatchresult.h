// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "commanderror.h"
#include "eventstore/eventdata.h"
#include "eventstore/expectedversion.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace EventScope {

/**
 * What dispatching a command did: the aggregate's id and new version, the events written (for a dry run,
 * the events that would have been written and the version they would have given), and the aggregate's
 * resulting state when the handler provides it — or, when it failed, the typed error.
 */
struct DispatchResult {
    QString aggregateId;
    StreamVersion newVersion = NoStreamVersion;
    QList<EventData> events;
    std::optional<QJsonObject> state;
    std::optional<CommandError> error;

    bool ok() const { return !error.has_value(); }

    static DispatchResult success(QString aggregateId, StreamVersion newVersion, QList<EventData> events,
        std::optional<QJsonObject> state = std::nullopt);
    static DispatchResult failure(CommandError error);
};

} // namespace EventScope
