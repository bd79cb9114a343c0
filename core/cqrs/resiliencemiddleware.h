// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "commandmiddleware.h"
#include "resiliencepolicy.h"

#include <memory>

namespace EventScope {

/// The slot for a ResiliencePolicy in the pipeline: runs the rest of the chain through the policy.
class ResilienceMiddleware final : public CommandMiddleware {
public:
    /// A null \a policy means ResiliencePolicy::passThrough().
    explicit ResilienceMiddleware(std::shared_ptr<ResiliencePolicy> policy = nullptr);

    DispatchResult handle(const Command& command, CommandContext& context, const CommandDescriptor& descriptor,
        const CommandNext& next) override;

private:
    const std::shared_ptr<ResiliencePolicy> m_policy;
};

} // namespace EventScope
