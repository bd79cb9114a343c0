// SPDX-License-Identifier: Apache-2.0
#include "authorizationmiddleware.h"

#include <QCoreApplication>

namespace EventScope {

namespace {

} // namespace

DispatchResult AuthorizationMiddleware::handle(
    const Command& command, CommandContext& context, const CommandDescriptor& descriptor, const CommandNext& next)
{
    if (context.actor.trimmed().isEmpty()) {
        return DispatchResult::failure(
            CommandError::unauthorized(tr("Commands need an actor: sign in or pass your user name.")));
    }
    if (!descriptor.allows(context.role)) {
        QString message;
        if (context.role == Role::Auditor)
            message = tr("Auditors have read-only access and cannot run \"%1\". Ask a support engineer or developer.");
        else
            message = tr("Only developers may run \"%1\". Ask a developer, or use a corrective command if one fits.");
        return DispatchResult::failure(CommandError::unauthorized(message.arg(descriptor.type)));
    }
    return next(command, context);
}

} // namespace EventScope
