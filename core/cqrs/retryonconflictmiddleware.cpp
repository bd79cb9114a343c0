// SPDX-License-Identifier: Apache-2.0
#include "retryonconflictmiddleware.h"

#include <algorithm>

namespace EventScope {

RetryOnConflictMiddleware::RetryOnConflictMiddleware(int maxAttempts)
    : m_maxAttempts(std::max(1, maxAttempts))
{
}

DispatchResult RetryOnConflictMiddleware::handle(
    const Command& command, CommandContext& context, const CommandDescriptor&, const CommandNext& next)
{
    DispatchResult result = next(command, context);
    if (context.expectedVersion)
        return result;
    for (int attempt = 1; attempt < m_maxAttempts; ++attempt) {
        if (!result.error || result.error->code() != CommandError::Code::Conflict)
            break;
        result = next(command, context);
    }
    return result;
}

} // namespace EventScope
