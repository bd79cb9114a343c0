// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "domain/repository.h"

#include <QHash>
#include <QString>

#include <memory>
#include <mutex>

namespace EventScope {

/**
 * Hands domain modules the Repository of each aggregate kind, all over one store, one event type registry
 * and one snapshot policy. Asking twice for the same aggregate type returns the same Repository.
 * The repositories read and append events through eventStore() (the Engine puts a ResilientEventStore
 * there); snapshots and the modules' own SQL (read models) use store() directly.
 * Thread-safe; the repositories are as thread-safe as the store.
 */
class RepositoryProvider {
public:
    RepositoryProvider(
        std::shared_ptr<SqlEventStore> store, std::shared_ptr<const EventTypeRegistry> registry, SnapshotPolicy policy);
    /// Events through \a events, which usually wraps \a store.
    RepositoryProvider(std::shared_ptr<SqlEventStore> store, std::shared_ptr<EventStore> events,
        std::shared_ptr<const EventTypeRegistry> registry, SnapshotPolicy policy);

    /// The repository for aggregates of \a aggregateType, made with \a factory on first request.
    std::shared_ptr<Repository> repository(const QString& aggregateType, const Repository::Factory& factory);

    const std::shared_ptr<SqlEventStore>& store() const { return m_store; }
    /// Where the repositories read and append events.
    const std::shared_ptr<EventStore>& eventStore() const { return m_events; }
    const std::shared_ptr<const EventTypeRegistry>& registry() const { return m_registry; }
    const SnapshotPolicy& policy() const { return m_policy; }

private:
    std::shared_ptr<SqlEventStore> m_store;
    std::shared_ptr<EventStore> m_events;
    std::shared_ptr<const EventTypeRegistry> m_registry;
    SnapshotPolicy m_policy;
    std::mutex m_mutex;
    QHash<QString, std::shared_ptr<Repository>> m_repositories;
};

} // namespace EventScope
