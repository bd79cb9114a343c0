// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "healthcheck.h"

#include <QCoreApplication>

#include <memory>

namespace EventScope {

class SqlEventStore;

/**
 * Is the event store there? Reads the newest row of es_schema_migrations and — unless the store was opened
 * read-only — writes it back unchanged in a write transaction (taking the same write lock an append takes), all
 * within the deadline. Works on SQLite and PostgreSQL.
 *
 * Down when the store is closed, unreachable, or does not answer by the deadline (PostgreSQL: statement and
 * lock timeouts; SQLite: the busy timeout and the process's write lock); degraded when the schema version in
 * the store is not the one this build uses (another process upgraded it). Runs on the calling thread's
 * connection to the store (the registry's worker thread); holds the store weakly, keeping nothing alive.
 */
class EventStoreHealthCheck final : public HealthCheck {
    Q_DECLARE_TR_FUNCTIONS(EventStoreHealthCheck)
public:
    explicit EventStoreHealthCheck(std::weak_ptr<SqlEventStore> store, QString name = QStringLiteral("eventstore"));

    QString name() const override { return m_name; }
    HealthCheckResult check(QDeadlineTimer deadline) override;

private:
    static HealthCheckResult probe(const std::shared_ptr<SqlEventStore>& store, QDeadlineTimer deadline, bool* failed);

    std::weak_ptr<SqlEventStore> m_store;
    QString m_name;
};

} // namespace EventScope
