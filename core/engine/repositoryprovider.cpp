// SPDX-License-Identifier: Apache-2.0
#include "repositoryprovider.h"

#include "eventstore/sqleventstore.h"

namespace EventScope {

RepositoryProvider::RepositoryProvider(
    std::shared_ptr<SqlEventStore> store, std::shared_ptr<const EventTypeRegistry> registry, SnapshotPolicy policy)
    : RepositoryProvider(store, store, std::move(registry), policy)
{
}

RepositoryProvider::RepositoryProvider(std::shared_ptr<SqlEventStore> store, std::shared_ptr<EventStore> events,
    std::shared_ptr<const EventTypeRegistry> registry, SnapshotPolicy policy)
    : m_store(std::move(store))
    , m_events(events ? std::move(events) : std::shared_ptr<EventStore>(m_store))
    , m_registry(std::move(registry))
    , m_policy(policy)
{
}

std::shared_ptr<Repository> RepositoryProvider::repository(
    const QString& aggregateType, const Repository::Factory& factory)
{
    const std::lock_guard lock(m_mutex);
    auto& repository = m_repositories[aggregateType];
    if (!repository)
        repository = std::make_shared<Repository>(m_events, m_store, m_registry, factory, m_policy);
    return repository;
}

} // namespace EventScope
