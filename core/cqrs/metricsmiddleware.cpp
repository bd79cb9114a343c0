// SPDX-License-Identifier: Apache-2.0
#include "metricsmiddleware.h"

#include <QElapsedTimer>

namespace EventScope {

MetricsMiddleware::MetricsMiddleware(std::shared_ptr<CommandMetrics> metrics)
    : m_metrics(metrics ? std::move(metrics) : std::make_shared<CommandMetrics>())
{
}

QString MetricsMiddleware::outcome(const DispatchResult& result)
{
    return result.error ? CommandError::codeName(result.error->code()) : QStringLiteral("ok");
}

DispatchResult MetricsMiddleware::handle(
    const Command& command, CommandContext& context, const CommandDescriptor&, const CommandNext& next)
{
    QElapsedTimer timer;
    timer.start();
    DispatchResult result = next(command, context);
    m_metrics->record(command.type, outcome(result), std::chrono::nanoseconds(timer.nsecsElapsed()));
    return result;
}

} // namespace EventScope
