// SPDX-License-Identifier: Apache-2.0
#include "role.h"

#include <QCoreApplication>

namespace EventScope {

QString roleName(Role role)
{
    switch (role) {
    case Role::Auditor:
        return QStringLiteral("auditor");
    case Role::Support:
        return QStringLiteral("support");
    case Role::Developer:
        return QStringLiteral("developer");
    }
    return {};
}

QString roleTitle(Role role)
{
    switch (role) {
    case Role::Auditor:
        return QCoreApplication::translate("Role", "Auditor");
    case Role::Support:
        return QCoreApplication::translate("Role", "Support");
    case Role::Developer:
        return QCoreApplication::translate("Role", "Developer");
    }
    return {};
}

std::optional<Role> roleFromName(const QString& name)
{
    for (const Role role : { Role::Auditor, Role::Support, Role::Developer }) {
        if (name.compare(roleName(role), Qt::CaseInsensitive) == 0)
            return role;
    }
    return std::nullopt;
}

} // namespace EventScope
