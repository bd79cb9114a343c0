// SPDX-License-Identifier: Apache-2.0
#include "projectionstatus.h"

namespace EventScope {

QString projectionStateName(ProjectionState state)
{
    switch (state) {
    case ProjectionState::Stopped:
        return QStringLiteral("stopped");
    case ProjectionState::CatchingUp:
        return QStringLiteral("catching-up");
    case ProjectionState::Live:
        return QStringLiteral("live");
    case ProjectionState::Paused:
        return QStringLiteral("paused");
    case ProjectionState::Rebuilding:
        return QStringLiteral("rebuilding");
    case ProjectionState::Faulted:
        return QStringLiteral("faulted");
    case ProjectionState::RunningElsewhere:
        return QStringLiteral("running-elsewhere");
    }
    return QStringLiteral("unknown");
}

QJsonObject ProjectionStatus::toJson() const
{
    QJsonObject json { { QStringLiteral("name"), name }, { QStringLiteral("description"), description },
        { QStringLiteral("version"), version }, { QStringLiteral("storedVersion"), storedVersion },
        { QStringLiteral("state"), projectionStateName(state) }, { QStringLiteral("checkpoint"), checkpoint },
        { QStringLiteral("head"), head }, { QStringLiteral("lagEvents"), lagEvents },
        { QStringLiteral("lagMs"), qint64(lagTime.count()) }, { QStringLiteral("eventsPerSecond"), eventsPerSecond },
        { QStringLiteral("etaMs"), eta ? QJsonValue(qint64(eta->count())) : QJsonValue() },
        { QStringLiteral("eventsProcessed"), eventsProcessed }, { QStringLiteral("lastError"), lastError },
        { QStringLiteral("owner"), owner },
        { QStringLiteral("updatedAt"), updatedAt.toUTC().toString(Qt::ISODateWithMs) } };
    if (fault)
        json.insert(QStringLiteral("fault"),
            QJsonObject { { QStringLiteral("position"), fault->position },
                { QStringLiteral("streamId"), fault->streamId }, { QStringLiteral("eventType"), fault->eventType },
                { QStringLiteral("error"), fault->error },
                { QStringLiteral("at"), fault->at.toUTC().toString(Qt::ISODateWithMs) } });
    if (rebuild)
        json.insert(QStringLiteral("rebuild"),
            QJsonObject { { QStringLiteral("version"), rebuild->version },
                { QStringLiteral("position"), rebuild->position }, { QStringLiteral("target"), rebuild->target },
                { QStringLiteral("progress"), rebuild->progress() }, { QStringLiteral("reason"), rebuild->reason },
                { QStringLiteral("startedAt"), rebuild->startedAt.toUTC().toString(Qt::ISODateWithMs) } });
    return json;
}

} // namespace EventScope
