// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fielddescriptor.h"
#include "role.h"

#include <QList>
#include <QString>

namespace EventScope {

/**
 * What a command is, for people and for the bus: its type name, help text, fields and who may issue it.
 * The UI generates forms from descriptors; ValidationMiddleware and AuthorizationMiddleware enforce them.
 *
 * A corrective command repairs data (a support task): it needs a non-empty reason and is always open to
 * support staff. An ordinary command is open to support when minimumRole is below Role::Developer, else
 * to developers only. Auditors issue no command whatever minimumRole says.
 */
struct CommandDescriptor {
    QString type;
    QString help;
    bool corrective = false;
    Role minimumRole = Role::Developer;
    QList<FieldDescriptor> fields;

    /// The field called \a name, or nullptr.
    const FieldDescriptor* field(const QString& name) const;
    /// True when a person with \a role may issue this command.
    bool allows(Role role) const;
};

} // namespace EventScope
