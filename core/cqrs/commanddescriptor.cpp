// SPDX-License-Identifier: Apache-2.0
#include "commanddescriptor.h"

namespace EventScope {

const FieldDescriptor* CommandDescriptor::field(const QString& name) const
{
    for (const FieldDescriptor& candidate : fields) {
        if (candidate.name == name)
            return &candidate;
    }
    return nullptr;
}

bool CommandDescriptor::allows(Role role) const
{
    switch (role) {
    case Role::Auditor:
        return false;
    case Role::Support:
        return corrective || minimumRole != Role::Developer;
    case Role::Developer:
        return true;
    }
    return false;
}

} // namespace EventScope
