// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "commandmiddleware.h"

#include <QCoreApplication>

namespace EventScope {

/**
 * Lets a command through only when the context names an actor and its role may issue the command
 * (CommandDescriptor::allows): auditors never, support staff corrective commands and the ordinary ones open
 * to support, developers everything. Rejects with CommandError::Unauthorized. Dry runs are checked alike.
 */
class AuthorizationMiddleware final : public CommandMiddleware {
    Q_DECLARE_TR_FUNCTIONS(AuthorizationMiddleware)

public:
    DispatchResult handle(const Command& command, CommandContext& context, const CommandDescriptor& descriptor,
        const CommandNext& next) override;
};

} // namespace EventScope
