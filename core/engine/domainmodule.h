// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "domain/domainresult.h"
#include "domain/eventtyperegistry.h"
#include "domain/repository.h"

#include <QHash>
#include <QList>
#include <QString>

#include <memory>

namespace EventScope {

class CommandBus;
class Projection;
class QueryBus;
class RepositoryProvider;

/**
 * One business domain (users, accounts, or one of your own) plugged into the Engine in one place: its event
 * types with their schema versions and upcasters, its commands with descriptors and handlers, its projections
 * and the queries that read them.
 *
 * The Engine calls registerEvents() of every module first, then registerCommands() and registerQueries(), and
 * adds the projections() to its ProjectionManager; all of it happens once, on one thread, before the first
 * dispatch. Handlers registered here are called from worker threads, many at once, so they keep no unguarded
 * mutable state. Queries should read the module's read models (tables `rm_<table>` in the store's database, on
 * the calling thread's connection, SqlEventStore::threadConnection()), not load aggregates.
 */
class DomainModule {
public:
    virtual ~DomainModule();

    /// Short name for logs and error messages ("user", "account").
    virtual QString name() const = 0;
    /// Registers the module's event types, current schema versions and upcasters.
    virtual DomainResult<Done> registerEvents(EventTypeRegistry& registry) = 0;
    /// Registers a descriptor and a handler for each command; handlers get their repositories from \a repositories.
    virtual DomainResult<Done> registerCommands(CommandBus& commands, RepositoryProvider& repositories) = 0;
    /// Registers the module's queries.
    virtual DomainResult<Done> registerQueries(QueryBus& queries, RepositoryProvider& repositories) = 0;
    /// The projections that build the module's read models (new instances on each call). Default: none.
    virtual QList<std::shared_ptr<Projection>> projections() const;
    /// Query type → name of the projection whose read model answers it. The Engine adds that projection's
    /// checkpoint to object results as "asOf", so callers know how fresh the answer is. Default: none.
    virtual QHash<QString, QString> readModelQueries() const;
    /// The factory of the aggregate that \a streamId holds when the stream is one of this module's (time travel
    /// replays a stream through it); empty for other streams. Default: empty.
    virtual Repository::Factory aggregateFactory(const QString& streamId) const;
};

} // namespace EventScope
