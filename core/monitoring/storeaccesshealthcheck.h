// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "healthcheck.h"

#include <QCoreApplication>

#include <memory>

namespace EventScope {

class EventStore;

/**
 * Can the domain reach its events? Reads the head position through the store the engine's repositories use
 * (Engine::eventStore(): the resilience pipeline, and the fault injection of a chaos drill, in front of the
 * database). EventStoreHealthCheck probes the database itself; this one sees what commands see: an open
 * breaker, a full bulkhead, injected faults. Each probe is a real call, so it counts in the breaker's window
 * like any other. Down when the read fails; holds the store weakly.
 */
class StoreAccessHealthCheck final : public HealthCheck {
    Q_DECLARE_TR_FUNCTIONS(StoreAccessHealthCheck)
public:
    explicit StoreAccessHealthCheck(std::weak_ptr<EventStore> store, QString name = QStringLiteral("storeaccess"));

    QString name() const override { return m_name; }
    HealthCheckResult check(QDeadlineTimer deadline) override;

private:
    std::weak_ptr<EventStore> m_store;
    QString m_name;
};

} // namespace EventScope
