// SPDX-License-Identifier: Apache-2.0
// Out-of-line destructors of the pipeline's interfaces and the small middleware without state.
#include "commandmiddleware.h"

#include "resiliencemiddleware.h"
#include "resiliencepolicy.h"

namespace EventScope {

CommandMiddleware::~CommandMiddleware() = default;
ResiliencePolicy::~ResiliencePolicy() = default;

namespace {

class PassThroughResiliencePolicy final : public ResiliencePolicy {
public:
    DispatchResult execute(const std::function<DispatchResult()>& call) override { return call(); }
};

} // namespace

std::shared_ptr<ResiliencePolicy> ResiliencePolicy::passThrough()
{
    return std::make_shared<PassThroughResiliencePolicy>();
}

ResilienceMiddleware::ResilienceMiddleware(std::shared_ptr<ResiliencePolicy> policy)
    : m_policy(policy ? std::move(policy) : ResiliencePolicy::passThrough())
{
}

DispatchResult ResilienceMiddleware::handle(
    const Command& command, CommandContext& context, const CommandDescriptor&, const CommandNext& next)
{
    return m_policy->execute([&] { return next(command, context); });
}

} // namespace EventScope
