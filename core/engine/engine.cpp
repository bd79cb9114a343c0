// SPDX-License-Identifier: Apache-2.0
#include "engine.h"

#include "eventstore/sqleventstore.h"
#include "samples/account/accountmodule.h"
#include "samples/user/usermodule.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcEngine, "eventscope.core.engine")

namespace EventScope {

QList<std::shared_ptr<DomainModule>> Engine::standardModules()
{
    return { std::make_shared<UserModule>(), std::make_shared<AccountModule>() };
}

DomainResult<std::unique_ptr<Engine>> Engine::create(const AppConfig& config)
{
    return create(config, Options {});
}

DomainResult<std::unique_ptr<Engine>> Engine::create(const AppConfig& config, std::shared_ptr<SqlEventStore> store)
{
    Options options;
    options.store = std::move(store);
    return create(config, std::move(options));
}

DomainResult<std::unique_ptr<Engine>> Engine::create(const AppConfig& config, Options options)
{
    std::unique_ptr<Engine> engine(new Engine);
    if (options.store) {
        engine->m_store = std::move(options.store);
    } else {
        auto opened = SqlEventStore::open(config.eventStore);
        if (!opened)
            return opened.error();
        engine->m_store = std::move(opened).value();
    }

    engine->m_registry = std::make_shared<EventTypeRegistry>();
    engine->m_policy = SnapshotPolicy::fromConfig(config.snapshots);
    engine->m_repositories = std::make_unique<RepositoryProvider>(
        engine->m_store, std::const_pointer_cast<const EventTypeRegistry>(engine->m_registry), engine->m_policy);
    engine->m_events = std::make_unique<EventBus>();

    CommandBus::PipelineOptions pipeline;
    pipeline.maxConflictAttempts = options.maxConflictAttempts;
    pipeline.appVersion = options.appVersion;
    pipeline.hostName = options.hostName;
    engine->m_metrics = engine->m_commands.installStandardMiddleware(pipeline);

    engine->m_modules = options.modules.isEmpty() ? standardModules() : options.modules;
    const auto failed = [](const DomainModule& module, const DomainError& error) {
        return DomainError(DomainError::Code::InvalidRegistration,
            tr("The domain module \"%1\" could not be registered: %2").arg(module.name(), error.message()));
    };
    for (const auto& module : std::as_const(engine->m_modules)) {
        const auto registered = module->registerEvents(*engine->m_registry);
        if (!registered)
            return failed(*module, registered.error());
    }
    if (const auto valid = engine->m_registry->validate(); !valid)
        return valid.error();
    for (const auto& module : std::as_const(engine->m_modules)) {
        auto registered = module->registerCommands(engine->m_commands, *engine->m_repositories);
        if (registered)
            registered = module->registerQueries(engine->m_queries, *engine->m_repositories);
        if (!registered)
            return failed(*module, registered.error());
    }
    return engine;
}

Engine::~Engine() = default;

DispatchResult Engine::dispatch(const Command& command, CommandContext context)
{
    const bool dryRun = context.dryRun;
    DispatchResult result = m_commands.dispatch(command, std::move(context));
    if (!result.ok() || dryRun || result.events.isEmpty())
        return result;

    // The written events as stored (positions, timestamps) for the subscribers.
    const auto count = result.events.size();
    const auto stored = m_store->readStream(result.aggregateId, result.newVersion - count + 1, int(count));
    if (!stored) {
        qCWarning(lcEngine) << "Events of" << result.aggregateId
                            << "were written but could not be read back to publish:" << stored.error().message();
        return result;
    }
    m_events->publish(stored.value());
    return result;
}

QueryResult Engine::query(const Query& query) const
{
    return m_queries.execute(query);
}

QStringList Engine::moduleNames() const
{
    QStringList names;
    for (const auto& module : m_modules)
        names.append(module->name());
    return names;
}

} // namespace EventScope
