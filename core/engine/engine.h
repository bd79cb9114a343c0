// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/appconfig.h"
#include "cqrs/commandbus.h"
#include "cqrs/eventbus.h"
#include "cqrs/query.h"
#include "cqrs/querybus.h"
#include "cqrs/queryresult.h"
#include "domain/domainresult.h"
#include "domain/eventtyperegistry.h"
#include "domain/snapshotpolicy.h"
#include "domainmodule.h"
#include "projections/projectionmanager.h"
#include "repositoryprovider.h"
#include "resilience/faultinjection.h"

#include <QCoreApplication>
#include <QList>

#include <memory>
#include <optional>

namespace EventScope {

struct StandardMetrics;

class FaultInjectingEventStore;
class ResiliencePipeline;

/**
 * The composition root and the one facade the GUI and the CLI use: the event store, the event type
 * registry, the command bus with the standard middleware chain, the query bus, the event bus, the
 * snapshot policy and the projection manager, all built from an AppConfig, with the domain modules registered.
 *
 * Projections: the manager holds every module's projections plus EventTypeStatsProjection ("event_type_stats",
 * answering GetEventTypeStatistics), but is not started: whoever runs the engine as a server or GUI calls
 * projections().start(). Queries read those read models; a result object of a query whose module names its read
 * model (DomainModule::readModelQueries()) carries "asOf", the projection's checkpoint ($all position).
 *
 * Resilience: the repositories read and append events through eventStore(), a ResilientEventStore running
 * every call through resilience() (built from AppConfig::resilience); the same pipeline gates the command bus
 * (ResilienceMiddleware). With Options::chaos a FaultInjectingEventStore sits between the decorator and the
 * SqlEventStore (chaos()). store() itself, used for snapshots, projections and read-model queries, is not
 * wrapped.
 *
 * Threading: create() runs on one thread (it opens the store there). Afterwards dispatch() and query() may
 * be called from any number of worker threads at once and must not be called on the GUI thread (they do
 * I/O). Events a dispatch wrote are published on the EventBus from the dispatching thread, after the append
 * succeeded; subscribers that touch widgets connect queued. Destroy the Engine after its worker threads
 * are done with it.
 */
class Engine {
    Q_DECLARE_TR_FUNCTIONS(Engine)
public:
    struct Options {
        /// Use this store instead of opening AppConfig::eventStore.
        std::shared_ptr<SqlEventStore> store;
        /// The domains to register; empty means standardModules().
        QList<std::shared_ptr<DomainModule>> modules;
        /// Attempts of one command when the aggregate changed meanwhile (RetryOnConflictMiddleware).
        int maxConflictAttempts = 3;
        /// Stamped on every event; empty means this build's version and host name.
        QString appVersion;
        QString hostName;
        /// Inject these faults into the events the domain reads and writes (chaos drills, tests); none when unset.
        std::optional<FaultInjection> chaos;
        /// Record the domain's event-store calls (latency, events appended, errors) here: a MeteredEventStore
        /// right in front of the SqlEventStore. Not owned; must outlive the Engine.
        StandardMetrics* metrics = nullptr;
    };

    /// The shipped sample domains: User and Account.
    static QList<std::shared_ptr<DomainModule>> standardModules();

    /**
     * Opens the store of \a config (unless \a options gives one), builds the buses and registers the
     * modules. Fails with the store's error, or InvalidRegistration when a module's registration fails or
     * an event type's upcaster chain has a gap.
     */
    static DomainResult<std::unique_ptr<Engine>> create(const AppConfig& config, Options options);
    static DomainResult<std::unique_ptr<Engine>> create(const AppConfig& config);
    static DomainResult<std::unique_ptr<Engine>> create(const AppConfig& config, std::shared_ptr<SqlEventStore> store);

    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    /// Runs \a command through the command bus; on success (not a dry run) publishes the written events.
    DispatchResult dispatch(const Command& command, CommandContext context = {});
    /// Runs \a query through the query bus; object results of read-model queries get "asOf" (see above).
    QueryResult query(const Query& query) const;

    const std::shared_ptr<SqlEventStore>& store() const { return m_store; }
    /// The store the domain reads and appends events through: resilience() in front of store() (and chaos()).
    const std::shared_ptr<EventStore>& eventStore() const { return m_eventStore; }
    /// The resilience pipeline built from AppConfig::resilience (breaker state, counters, signals).
    const std::shared_ptr<ResiliencePipeline>& resilience() const { return m_resilience; }
    /// The fault-injecting store when Options::chaos was given, else null.
    const std::shared_ptr<FaultInjectingEventStore>& chaos() const { return m_chaos; }
    const EventTypeRegistry& registry() const { return *m_registry; }
    CommandBus& commandBus() { return m_commands; }
    const CommandBus& commandBus() const { return m_commands; }
    QueryBus& queryBus() { return m_queries; }
    EventBus& eventBus() { return *m_events; }
    RepositoryProvider& repositories() { return *m_repositories; }
    /// The read models' projections (not started by create()).
    ProjectionManager& projections() { return *m_projections; }
    const ProjectionManager& projections() const { return *m_projections; }
    const SnapshotPolicy& snapshotPolicy() const { return m_policy; }
    const std::shared_ptr<CommandMetrics>& metrics() const { return m_metrics; }
    /// The aggregate factory of the module that owns \a streamId, or an empty one for a stream no module knows
    /// (time travel then folds payloads generically).
    Repository::Factory aggregateFactory(const QString& streamId) const;

    /// Names of the registered modules, in registration order.
    QStringList moduleNames() const;

private:
    Engine() = default;

    std::shared_ptr<SqlEventStore> m_store;
    std::shared_ptr<FaultInjectingEventStore> m_chaos;
    std::shared_ptr<ResiliencePipeline> m_resilience;
    std::shared_ptr<EventStore> m_eventStore;
    std::shared_ptr<EventTypeRegistry> m_registry;
    SnapshotPolicy m_policy;
    std::unique_ptr<RepositoryProvider> m_repositories;
    CommandBus m_commands;
    QueryBus m_queries;
    std::unique_ptr<EventBus> m_events;
    std::shared_ptr<CommandMetrics> m_metrics;
    QList<std::shared_ptr<DomainModule>> m_modules;
    QHash<QString, QString> m_readModelQueries; ///< query type → projection name
    /// Last, so that it is destroyed first: its threads use the store and the registry.
    std::unique_ptr<ProjectionManager> m_projections;
};

} // namespace EventScope
