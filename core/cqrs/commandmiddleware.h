// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "command.h"
#include "commandcontext.h"
#include "commanddescriptor.h"
#include "dispatchresult.h"

#include <functional>

namespace EventScope {

/// The rest of the chain after a middleware: the next middleware, or finally the command's handler.
using CommandNext = std::function<DispatchResult(const Command&, CommandContext&)>;

/**
 * One step of the CommandBus pipeline. handle() may answer by itself (reject), change the context
 * (stamp metadata) and call \a next any number of times (retry). The descriptor is the one registered for
 * the command's type. Implementations must be thread-safe: the bus dispatches from many threads at once.
 */
class CommandMiddleware {
public:
    virtual ~CommandMiddleware();
    virtual DispatchResult handle(
        const Command& command, CommandContext& context, const CommandDescriptor& descriptor, const CommandNext& next)
        = 0;
};

} // namespace EventScope
