// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/recordedevent.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QtGlobal>

#include <chrono>
#include <optional>

namespace EventScope {

enum class ProjectionState {
    Stopped, ///< not started, or stopped with the manager
    CatchingUp, ///< reading $all from its checkpoint towards the head
    Live, ///< caught up; applies events as they are appended
    Paused, ///< paused by an operator (kept across restarts)
    Rebuilding, ///< building a new read model into shadow tables; the current one keeps serving
    Faulted, ///< stopped on an event it cannot apply; see ProjectionStatus::fault
    RunningElsewhere, ///< another EventScope instance holds this projection's lock (PostgreSQL)
};

/// "stopped", "catching-up", "live", "paused", "rebuilding", "faulted", "running-elsewhere".
QString projectionStateName(ProjectionState state);

/// The event a projection stopped on, and why.
struct ProjectionFault {
    GlobalPosition position = 0;
    QString streamId;
    QString eventType;
    QString error;
    QDateTime at; ///< when it faulted (UTC)
};

/// Where a shadow rebuild is.
struct ProjectionRebuild {
    int version = 0; ///< version being built
    GlobalPosition position = 0; ///< checkpoint of the shadow tables
    GlobalPosition target = 0; ///< head when the rebuild last looked
    QString reason; ///< "version 2 → 3", or the operator's reason
    QDateTime startedAt;
    /// 0…1, by positions.
    double progress() const { return target <= 0 ? 1.0 : qBound(0.0, double(position) / double(target), 1.0); }
};

/**
 * A projection as operators see it. Lag is in events ($all positions not yet applied) and in time (age of
 * the oldest event not yet applied, 0 when caught up). eventsPerSecond is the recent apply rate; eta is
 * lag / rate while catching up or rebuilding.
 */
struct ProjectionStatus {
    QString name;
    QString description;
    int version = 0; ///< the code's version
    int storedVersion = 0; ///< version of the live read model in the store (0: never built)
    ProjectionState state = ProjectionState::Stopped;
    GlobalPosition checkpoint = 0;
    GlobalPosition head = 0;
    qint64 lagEvents = 0;
    std::chrono::milliseconds lagTime { 0 };
    double eventsPerSecond = 0;
    std::optional<std::chrono::milliseconds> eta;
    qint64 eventsProcessed = 0; ///< by this process since start
    QString lastError; ///< the last failure (also transient ones that were retried), empty if none
    std::optional<ProjectionFault> fault;
    std::optional<ProjectionRebuild> rebuild;
    QString owner; ///< "host:pid" of the instance running it (set for RunningElsewhere)
    QDateTime updatedAt;

    /// For the CLI, HTTP endpoints and queries: every field, times as ISO 8601 UTC, durations in milliseconds.
    QJsonObject toJson() const;
};

} // namespace EventScope

Q_DECLARE_METATYPE(EventScope::ProjectionStatus)
Q_DECLARE_METATYPE(EventScope::ProjectionFault)
