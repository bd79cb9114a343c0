// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "commandmetrics.h"
#include "commandmiddleware.h"

#include <memory>

namespace EventScope {

/// Records every dispatch that reaches it in a CommandMetrics: type, outcome and how long the rest of the chain took.
class MetricsMiddleware final : public CommandMiddleware {
public:
    explicit MetricsMiddleware(std::shared_ptr<CommandMetrics> metrics);

    DispatchResult handle(const Command& command, CommandContext& context, const CommandDescriptor& descriptor,
        const CommandNext& next) override;

    /// "ok", or the error's CommandError::codeName().
    static QString outcome(const DispatchResult& result);

private:
    const std::shared_ptr<CommandMetrics> m_metrics;
};

} // namespace EventScope
