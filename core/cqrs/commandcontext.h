// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/expectedversion.h"
#include "role.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace EventScope {

/**
 * Who issues a command, why, and in which chain of causes; filled by the caller and completed by
 * AuditMetadataMiddleware (correlation and causation ids, application version, host name).
 *
 * Dry run contract: when dryRun is true a handler decides as usual and returns the events it would
 * write, the version they would give the stream and the resulting state, but it must not append to the
 * event store (nor cause any other side effect). Middleware passes the flag through unchanged.
 *
 * Expected version: when set, the command is meant for the aggregate exactly as the issuer saw it (an operator
 * who looked at version 7 commits "at version 7"). The handler refuses with CommandError::Conflict when the
 * stream is at another version, and appends with ExpectedVersion::exact(); RetryOnConflictMiddleware does
 * not retry such a command, so the issuer sees what changed and decides again. A dry run checks it too.
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
    /// The version of the target aggregate the issuer decided on (NoStreamVersion: it must not exist yet);
    /// unset means "whatever version it has when the command runs".
    std::optional<StreamVersion> expectedVersion;
    QString appVersion;
    QString hostName;

    /// The metadata handlers copy onto every event they write: actor, role, reason, ticket, correlationId,
    /// causationId, appVersion and host; keys whose value is empty are left out.
    QJsonObject eventMetadata() const;
};

} // namespace EventScope
