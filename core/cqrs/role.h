// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <optional>

namespace EventScope {

/**
 * What a person may do through the command bus, from least to most privileged. Auditors read only and
 * issue no command; support staff issue corrective commands and the ordinary commands marked as open to
 * support; developers issue every command. AuthorizationMiddleware enforces this.
 */
enum class Role { Auditor, Support, Developer };

/// "auditor", "support" or "developer": the name configuration, audit metadata and exports use.
QString roleName(Role role);
/// The role's name for people, in the user interface's language ("Auditor", "Prüfer" …).
QString roleTitle(Role role);
/// The role named \a name (case-insensitive), or std::nullopt when there is none of that name.
std::optional<Role> roleFromName(const QString& name);

} // namespace EventScope
