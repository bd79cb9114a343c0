// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "commandmetrics.h"
#include "commandmiddleware.h"
#include "resiliencepolicy.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>

#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>

namespace EventScope {

/**
 * Routes each command to the one handler registered for its type, through a chain of middleware.
 *
 * dispatch() is synchronous and may do I/O: call it from worker threads, never the GUI thread. It may be
 * called from many threads at once. Register handlers and add middleware before dispatching (both are
 * thread-safe, but a dispatch already running keeps the chain it started with).
 *
 * Handlers receive the context completed by the middleware and copy CommandContext::eventMetadata() onto
 * every event they write. When context.dryRun is true a handler must not append; it returns the events
 * it would write. A handler that throws a std::exception yields CommandError::HandlerFailed: no exception
 * leaves dispatch().
 */
class CommandBus {
    Q_DECLARE_TR_FUNCTIONS(CommandBus)

public:
    using Handler = std::function<DispatchResult(const Command&, const CommandContext&)>;

    /// Parameters of the standard pipeline (installStandardMiddleware()).
    struct PipelineOptions {
        /// Where MetricsMiddleware counts; a new CommandMetrics when null.
        std::shared_ptr<CommandMetrics> metrics;
        int maxConflictAttempts = 3;
        /// Null means pass-through.
        std::shared_ptr<ResiliencePolicy> resilience;
        /// Stamped by AuditMetadataMiddleware; empty means EVENTSCOPE_VERSION, respectively this machine's host name.
        QString appVersion;
        QString hostName;
    };

    /**
     * Registers \a handler for commands of \a descriptor's type. Returns false (and logs why) when the type
     * is empty, the handler is empty, or the type already has a handler: one handler per command type.
     */
    [[nodiscard]] bool registerCommand(CommandDescriptor descriptor, Handler handler);

    /// Appends \a middleware to the chain: the first added runs first (outermost).
    void addMiddleware(std::shared_ptr<CommandMiddleware> middleware);

    /**
     * Adds the standard chain, in this order: ValidationMiddleware, AuthorizationMiddleware,
     * AuditMetadataMiddleware, MetricsMiddleware, RetryOnConflictMiddleware, ResilienceMiddleware.
     * Returns the metrics the chain records into.
     */
    std::shared_ptr<CommandMetrics> installStandardMiddleware(PipelineOptions options);
    std::shared_ptr<CommandMetrics> installStandardMiddleware();

    bool hasHandler(const QString& type) const;
    std::optional<CommandDescriptor> descriptor(const QString& type) const;
    /// Every registered descriptor, ordered by type (for forms, help and the CLI).
    QList<CommandDescriptor> descriptors() const;

    /// Runs \a command through the chain to its handler. An unregistered type yields CommandError::UnknownCommand.
    DispatchResult dispatch(const Command& command, CommandContext context = {}) const;

private:
    struct Registration {
        CommandDescriptor descriptor;
        Handler handler;
    };

    mutable std::shared_mutex m_mutex;
    QHash<QString, std::shared_ptr<const Registration>> m_registrations;
    QList<std::shared_ptr<CommandMiddleware>> m_middleware;
};

} // namespace EventScope
