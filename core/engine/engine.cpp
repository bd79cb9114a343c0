// SPDX-License-Identifier: Apache-2.0
#include "engine.h"

#include "eventstore/sqleventstore.h"
#include "eventtypestatisticsquery.h"
#include "projections/eventtypestatsprojection.h"
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

    const QString statistics = QLatin1String(EventTypeStatisticsQuery::Type);
    const std::shared_ptr<SqlEventStore> store = engine->m_store;
    if (!engine->m_queries.registerQuery(
            statistics, [store](const Query& query) { return EventTypeStatisticsQuery::run(*store, query); }))
        return DomainError(DomainError::Code::InvalidRegistration,
            tr("The query %1 is registered by a domain module already; it belongs to the engine.").arg(statistics));
    engine->m_readModelQueries.insert(statistics, QLatin1String(EventTypeStatsProjection::Name));

    engine->m_projections = std::make_unique<ProjectionManager>(
        engine->m_store, std::const_pointer_cast<const EventTypeRegistry>(engine->m_registry));
    const auto addProjection = [&engine](const std::shared_ptr<Projection>& projection, const QString& owner) {
        if (auto refused = engine->m_projections->add(projection))
            return std::optional<DomainError>(DomainError(DomainError::Code::InvalidRegistration,
                tr("The projection \"%1\" of %2 could not be added: %3")
                    .arg(projection->name(), owner, refused->message())));
        return std::optional<DomainError>();
    };
    for (const auto& module : std::as_const(engine->m_modules)) {
        const auto projections = module->projections();
        for (const auto& projection : projections) {
            if (auto error = addProjection(projection, tr("the domain module \"%1\"").arg(module->name())))
                return *error;
        }
        const auto queries = module->readModelQueries();
        for (auto it = queries.cbegin(); it != queries.cend(); ++it)
            engine->m_readModelQueries.insert(it.key(), it.value());
    }
    if (auto error = addProjection(std::make_shared<EventTypeStatsProjection>(), tr("the engine")))
        return *error;
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
    // The checkpoint is taken before the read, so the answer is at least as fresh as "asOf" says.
    std::optional<GlobalPosition> asOf;
    if (const auto readModel = m_readModelQueries.constFind(query.type); readModel != m_readModelQueries.cend()) {
        if (const auto status = m_projections->status(readModel.value()))
            asOf = status->checkpoint;
    }
    QueryResult result = m_queries.execute(query);
    if (!asOf || !result.ok() || !result.value().isObject())
        return result;
    QJsonObject object = result.value().toObject();
    object.insert(QStringLiteral("asOf"), *asOf);
    return QJsonValue(object);
}

QStringList Engine::moduleNames() const
{
    QStringList names;
    for (const auto& module : m_modules)
        names.append(module->name());
    return names;
}

} // namespace EventScope
