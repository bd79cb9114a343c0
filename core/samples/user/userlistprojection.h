// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "projections/projection.h"

#include <QCoreApplication>

namespace EventScope {

/**
 * The read model of users, one row per user stream (`user-<id>`), in table "users" (physically `rm_users`):
 * user_id (the id without the stream prefix), first_name, last_name, email, email_lower (indexed, for
 * case-insensitive look-ups), active (1/0), deactivation_reason, created_at and updated_at (milliseconds since
 * the epoch, UTC, of the events), and the stream version and $all position of the last event applied.
 *
 * Reads payloads as the domain sees them (legacy UserCreated v1 events are upcasted). An event that lacks a
 * field the read model needs (a UserCreated without e-mail address, say) faults the projection on that event.
 * Events of a user whose UserCreated never reached the read model (an operator skipped it) change nothing.
 */
class UserListProjection final : public Projection {
    Q_DECLARE_TR_FUNCTIONS(UserListProjection)
public:
    static constexpr auto Name = "users";
    static constexpr auto Table = "users";

    QString name() const override { return QLatin1String(Name); }
    int version() const override { return 1; }
    QString description() const override;
    QStringList eventTypes() const override;
    QList<ReadModelTable> tables() const override;

    QString apply(const RecordedEvent& event, ProjectionBatch& batch) override;

    /// The user id of a stream id (`user-42` → `42`).
    static QString userId(const QString& streamId);
};

} // namespace EventScope
