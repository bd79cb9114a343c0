// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "commandmiddleware.h"

namespace EventScope {

/**
 * Runs the rest of the chain again when it ends in CommandError::Conflict (another writer changed the
 * aggregate between load and append), up to maxAttempts runs in all; then returns the last conflict.
 * Handlers reload the aggregate on every run, so a retry decides on fresh state. No delay between runs:
 * backoff belongs to the ResiliencePolicy. A command whose context carries an expectedVersion is never
 * retried: its issuer decided on that version and must see what changed.
 */
class RetryOnConflictMiddleware final : public CommandMiddleware {
public:
    static constexpr int DefaultMaxAttempts = 3;

    /// \a maxAttempts below 1 counts as 1 (no retry).
    explicit RetryOnConflictMiddleware(int maxAttempts = DefaultMaxAttempts);

    int maxAttempts() const { return m_maxAttempts; }

    DispatchResult handle(const Command& command, CommandContext& context, const CommandDescriptor& descriptor,
        const CommandNext& next) override;

private:
    const int m_maxAttempts;
};

} // namespace EventScope
