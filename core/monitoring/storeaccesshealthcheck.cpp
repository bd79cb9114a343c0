// SPDX-License-Identifier: Apache-2.0
#include "storeaccesshealthcheck.h"

#include "eventstore/eventstore.h"

namespace EventScope {

StoreAccessHealthCheck::StoreAccessHealthCheck(std::weak_ptr<EventStore> store, QString name)
    : m_store(std::move(store))
    , m_name(std::move(name))
{
}

HealthCheckResult StoreAccessHealthCheck::check(QDeadlineTimer deadline)
{
    // The pipeline's own timeout bounds the call; the registry reports it as down if that is longer.
    Q_UNUSED(deadline)
    const std::shared_ptr<EventStore> store = m_store.lock();
    if (!store)
        return HealthCheckResult::down(tr("The event store has been closed; restart the server."));
    const auto head = store->headPosition();
    if (!head)
        return HealthCheckResult::down(
            tr("Reading the event store as the domain does failed: %1").arg(head.error().message()));
    return HealthCheckResult::up(tr("The domain reads the event store (head position %1).").arg(head.value()));
}

} // namespace EventScope
