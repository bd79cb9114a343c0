// SPDX-License-Identifier: Apache-2.0
#include "commandbus.h"

#include "auditmetadatamiddleware.h"
#include "authorizationmiddleware.h"
#include "metricsmiddleware.h"
#include "resiliencemiddleware.h"
#include "retryonconflictmiddleware.h"
#include "validationmiddleware.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSysInfo>

#include <algorithm>
#include <exception>
#include <mutex>

namespace EventScope {

Q_LOGGING_CATEGORY(lcCommandBus, "eventscope.core.cqrs")

namespace {

// Walks the chain: step i runs middleware i with the rest of the chain as its next.
struct Chain {
    const QList<std::shared_ptr<CommandMiddleware>>& middleware;
    const CommandDescriptor& descriptor;
    const CommandBus::Handler& handler;

    DispatchResult run(qsizetype index, const Command& command, CommandContext& context) const
    {
        if (index == middleware.size())
            return callHandler(command, context);
        const CommandNext next
            = [this, index](const Command& c, CommandContext& ctx) { return run(index + 1, c, ctx); };
        return middleware.at(index)->handle(command, context, descriptor, next);
    }

    DispatchResult callHandler(const Command& command, const CommandContext& context) const
    {
        try {
            return handler(command, context);
        } catch (const std::exception& e) {
            qCWarning(lcCommandBus) << "handler of" << command.type << "threw:" << e.what();
            return DispatchResult::failure(CommandError::handlerFailed(
                CommandBus::tr("The handler of \"%1\" failed: %2. Nothing was written; report this as a bug.")
                    .arg(command.type, QString::fromLocal8Bit(e.what()))));
        }
    }
};

} // namespace

bool CommandBus::registerCommand(CommandDescriptor descriptor, Handler handler)
{
    if (descriptor.type.isEmpty() || !handler) {
        qCWarning(lcCommandBus) << "refusing to register a command without a type or handler:" << descriptor.type;
        return false;
    }
    const std::unique_lock lock(m_mutex);
    if (m_registrations.contains(descriptor.type)) {
        qCWarning(lcCommandBus) << "command" << descriptor.type << "already has a handler; one handler per type";
        return false;
    }
    const QString type = descriptor.type;
    m_registrations.insert(
        type, std::make_shared<const Registration>(Registration { std::move(descriptor), std::move(handler) }));
    return true;
}

void CommandBus::addMiddleware(std::shared_ptr<CommandMiddleware> middleware)
{
    if (!middleware)
        return;
    const std::unique_lock lock(m_mutex);
    m_middleware.append(std::move(middleware));
}

std::shared_ptr<CommandMetrics> CommandBus::installStandardMiddleware(PipelineOptions options)
{
    auto metrics = options.metrics ? options.metrics : std::make_shared<CommandMetrics>();
    addMiddleware(std::make_shared<ValidationMiddleware>());
    addMiddleware(std::make_shared<AuthorizationMiddleware>());
    addMiddleware(std::make_shared<AuditMetadataMiddleware>(
        options.appVersion.isEmpty() ? QStringLiteral(EVENTSCOPE_VERSION) : options.appVersion,
        options.hostName.isEmpty() ? QSysInfo::machineHostName() : options.hostName));
    addMiddleware(std::make_shared<MetricsMiddleware>(metrics));
    addMiddleware(std::make_shared<RetryOnConflictMiddleware>(options.maxConflictAttempts));
    addMiddleware(std::make_shared<ResilienceMiddleware>(options.resilience));
    return metrics;
}

std::shared_ptr<CommandMetrics> CommandBus::installStandardMiddleware()
{
    return installStandardMiddleware(PipelineOptions {});
}

bool CommandBus::hasHandler(const QString& type) const
{
    const std::shared_lock lock(m_mutex);
    return m_registrations.contains(type);
}

std::optional<CommandDescriptor> CommandBus::descriptor(const QString& type) const
{
    const std::shared_lock lock(m_mutex);
    const auto registration = m_registrations.value(type);
    if (!registration)
        return std::nullopt;
    return registration->descriptor;
}

QList<CommandDescriptor> CommandBus::descriptors() const
{
    QList<CommandDescriptor> result;
    {
        const std::shared_lock lock(m_mutex);
        for (const auto& registration : m_registrations)
            result.append(registration->descriptor);
    }
    std::sort(result.begin(), result.end(),
        [](const CommandDescriptor& a, const CommandDescriptor& b) { return a.type < b.type; });
    return result;
}

DispatchResult CommandBus::dispatch(const Command& command, CommandContext context) const
{
    std::shared_ptr<const Registration> registration;
    QList<std::shared_ptr<CommandMiddleware>> middleware;
    {
        const std::shared_lock lock(m_mutex);
        registration = m_registrations.value(command.type);
        middleware = m_middleware;
    }
    if (!registration)
        return DispatchResult::failure(CommandError::unknownCommand(command.type));

    const Chain chain { middleware, registration->descriptor, registration->handler };
    try {
        return chain.run(0, command, context);
    } catch (const std::exception& e) {
        qCWarning(lcCommandBus) << "middleware threw while dispatching" << command.type << ":" << e.what();
        return DispatchResult::failure(
            CommandError::handlerFailed(tr("Dispatching \"%1\" failed: %2. Report this as a bug.")
                                            .arg(command.type, QString::fromLocal8Bit(e.what()))));
    }
}

} // namespace EventScope
