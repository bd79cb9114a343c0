// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/storeresult.h"
#include "snapshot.h"

#include <QCoreApplication>
#include <QList>
#include <QLoggingCategory>

#include <limits>
#include <memory>
#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcDomain)

namespace EventScope {

class SqlEventStore;

/**
 * Snapshots of aggregates, in the es_snapshots table of an SqlEventStore's database (SQLite or PostgreSQL).
 * At most one snapshot per stream and version; saving one again replaces it.
 *
 * Threading: like the store, callable from any QThread (each uses its own connection); not from the GUI thread.
 */
class SnapshotStore {
    Q_DECLARE_TR_FUNCTIONS(SnapshotStore)
public:
    explicit SnapshotStore(std::shared_ptr<SqlEventStore> store);

    /// Stores \a snapshot, replacing one of the same stream and version. takenAt defaults to now.
    StoreResult<Done> save(const Snapshot& snapshot);
    /// The newest snapshot of \a streamId at or before \a atMost, or std::nullopt.
    StoreResult<std::optional<Snapshot>> latest(
        const QString& streamId, StreamVersion atMost = std::numeric_limits<StreamVersion>::max());
    /// Snapshots of \a streamId at or before \a atMost, newest first.
    StoreResult<QList<Snapshot>> list(
        const QString& streamId, StreamVersion atMost = std::numeric_limits<StreamVersion>::max());
    /// Deletes all but the newest \a keep snapshots of \a streamId; returns how many were deleted.
    StoreResult<int> retain(const QString& streamId, int keep);

    const std::shared_ptr<SqlEventStore>& eventStore() const { return m_store; }

private:
    std::shared_ptr<SqlEventStore> m_store;
};

} // namespace EventScope
