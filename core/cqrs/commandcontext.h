// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "role.h"

#include <QJsonObject>
#include <QString>

namespace EventScope {

/**
 * Who issues a command, why, and in which chain of causes; filled by the caller and completed by
 * AuditMetadataMiddleware (correlation and causation ids, application version, host name).
 *
 * Dry run contract: when dryRun is true a handler decides as usual and returns the events it would
 * write, the version they would give the stream and the resulting state, but it must not append to the
 * event store (nor cause any other side effect). Middleware passes the flag through unchanged.
 */
struct CommandContext {
    QString actor;
    Role role = Role::Auditor;
    QString reason;
    /// A ticket or incident reference for a corrective command (optional).
    QString ticket;
    /// Ties together everything caused by one user action; generated when the caller gives none.
    QString correlationId;
    /// What caused this command: defaults to the command's id (so its events point back at it).
    QString causationId;
    bool dryRun = false;
    QString appVersion;
    QString hostName;

    /// The metadata handlers copy onto every event they write: actor, role, reason, ticket, correlationId,
    /// causationId, appVersion and host; keys whose value is empty are left out.
    QJsonObject eventMetadata() const;
};

} // namespace EventScope
