// SPDX-License-Identifier: Apache-2.0
#include "engine.h"

#include "monitoring/meteredeventstore.h"

#include <QJsonArray>

#include "eventstore/sqleventstore.h"
#include "eventtypestatisticsquery.h"
#include "projections/eventtypestatsprojection.h"
#include "resilience/faultinjectingeventstore.h"
#include "resilience/resiliencepipeline.h"
#include "resilience/resilienteventstore.h"
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

    std::shared_ptr<EventStore> events = engine->m_store;
    if (options.metrics)
        events = std::make_shared<MeteredEventStore>(events, *options.metrics);
    if (options.chaos) {
        engine->m_chaos = std::make_shared<FaultInjectingEventStore>(events, *options.chaos);
        events = engine->m_chaos;
    }
    engine->m_resilience = ResiliencePipeline::fromConfig(config.resilience);
    engine->m_eventStore = std::make_shared<ResilientEventStore>(events, engine->m_resilience);

    engine->m_registry = std::make_shared<EventTypeRegistry>();
    engine->m_policy = SnapshotPolicy::fromConfig(config.snapshots);
    engine->m_repositories = std::make_unique<RepositoryProvider>(engine->m_store, engine->m_eventStore,
        std::const_pointer_cast<const EventTypeRegistry>(engine->m_registry), engine->m_policy);
    engine->m_events = std::make_unique<EventBus>();

    CommandBus::PipelineOptions pipeline;
    pipeline.maxConflictAttempts = options.maxConflictAttempts;
    pipeline.appVersion = options.appVersion;
    pipeline.hostName = options.hostName;
    pipeline.resilience = engine->m_resilience;
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

    ProjectionManager::Options projectionOptions;
    projectionOptions.batchSize = config.projections.batchSize;
    projectionOptions.pollInterval = config.projections.pollInterval;
    engine->m_projections = std::make_unique<ProjectionManager>(
        engine->m_store, std::const_pointer_cast<const EventTypeRegistry>(engine->m_registry), projectionOptions);
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

    // The projections themselves, for operators: their status and the operator audit log.
    const ProjectionManager* manager = engine->m_projections.get();
    const bool listed = engine->m_queries.registerQuery(QStringLiteral("ListProjections"), [manager](const Query&) {
        QJsonArray projections;
        for (const ProjectionStatus& status : manager->statuses())
            projections.append(status.toJson());
        return QueryResult(QJsonObject { { QStringLiteral("projections"), projections } });
    });
    const bool audited
        = engine->m_queries.registerQuery(QStringLiteral("GetOperatorAuditLog"), [manager](const Query& query) {
              const QJsonValue limit = query.parameters.value(QLatin1String("limit"));
              const QJsonValue before = query.parameters.value(QLatin1String("beforeId"));
              if ((!limit.isUndefined() && (!limit.isDouble() || limit.toInteger() < 1 || limit.toInteger() > 10000))
                  || (!before.isUndefined() && (!before.isDouble() || before.toInteger() < 0)))
                  return QueryResult::failure(QueryResult::ErrorCode::InvalidParameters,
                      tr("GetOperatorAuditLog takes \"limit\" (1 to 10000, default 200) and \"beforeId\" (the id "
                         "of the oldest entry seen, for the next page)."));
              const auto entries = manager->auditLog(int(limit.toInteger(200)), before.toInteger(0));
              if (!entries)
                  return QueryResult::failure(QueryResult::ErrorCode::StoreUnavailable, entries.error().message());
              QJsonArray json;
              for (const OperatorAuditEntry& entry : entries.value())
                  json.append(entry.toJson());
              QJsonObject result { { QStringLiteral("entries"), json } };
              if (entries->size() == int(limit.toInteger(200)))
                  result.insert(QStringLiteral("nextBeforeId"), entries->last().id);
              return QueryResult(result);
          });
    if (!listed || !audited)
        return DomainError(DomainError::Code::InvalidRegistration,
            tr("The queries ListProjections and GetOperatorAuditLog belong to the engine; a domain module registers "
               "one of them already."));
    return engine;
}

Engine::~Engine()
{
    // A call that timed out may still run on a worker and, when it appends, signal through the decorators:
    // let it finish while they all still exist.
    if (m_resilience)
        m_resilience->timeout().waitForAbandonedCalls();
}

DispatchResult Engine::dispatch(const Command& command, CommandContext context)
{
    const bool dryRun = context.dryRun;
    DispatchResult result = m_commands.dispatch(command, std::move(context));
    if (!result.ok() || dryRun || result.events.isEmpty())
        return result;

    // The written events as stored (positions, timestamps) for the subscribers.
    const auto count = result.events.size();
    const auto stored = m_eventStore->readStream(result.aggregateId, result.newVersion - count + 1, int(count));
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
        // From the store, not the runner: right also when the projections run in another instance.
        if (const auto checkpoint = m_projections->storedCheckpoint(readModel.value()))
            asOf = checkpoint.value();
    }
    QueryResult result = m_queries.execute(query);
    if (!asOf || !result.ok() || !result.value().isObject())
        return result;
    QJsonObject object = result.value().toObject();
    object.insert(QStringLiteral("asOf"), *asOf);
    return QJsonValue(object);
}

Repository::Factory Engine::aggregateFactory(const QString& streamId) const
{
    for (const auto& module : m_modules) {
        if (auto factory = module->aggregateFactory(streamId))
            return factory;
    }
    return {};
}

QStringList Engine::moduleNames() const
{
    QStringList names;
    for (const auto& module : m_modules)
        names.append(module->name());
    return names;
}

} // namespace EventScope
