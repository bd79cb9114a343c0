// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "domain/domainresult.h"
#include "domain/eventtyperegistry.h"

#include <QString>

namespace EventScope {

class CommandBus;
class QueryBus;
class RepositoryProvider;

/**
 * One business domain (users, accounts, or one of your own) plugged into the Engine in one place: its event
 * types with their schema versions and upcasters, its commands with descriptors and handlers, its queries.
 *
 * The Engine calls registerEvents() of every module first, then registerCommands() and registerQueries();
 * all of it happens once, on one thread, before the first dispatch. Handlers registered here are called
 * from worker threads, many at once, so they keep no unguarded mutable state.
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
};

} // namespace EventScope
