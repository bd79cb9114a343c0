// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "aggregateroot.h"
#include "domainresult.h"
#include "eventstore/appendresult.h"
#include "eventtyperegistry.h"
#include "snapshotpolicy.h"
#include "snapshotstore.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace EventScope {

class EventStore;

/// How an aggregate was loaded: from which snapshot, how many events were replayed, what was skipped.
struct LoadReport {
    /// Version of the snapshot the state started from; NoStreamVersion when it was rebuilt from events only.
    StreamVersion snapshotVersion = NoStreamVersion;
    int eventsReplayed = 0;
    /// Events whose payload was upcasted from an older schema version.
    int eventsUpcasted = 0;
    /// Snapshots that were not used (another snapshot schema version, or rejected state), with the reason.
    QStringList warnings;
};

/// An aggregate loaded by a Repository, with the report of how.
struct LoadedAggregate {
    std::unique_ptr<AggregateRoot> aggregate;
    LoadReport report;
};

/// Outcome of Repository::verify().
struct SnapshotVerification {
    enum class Outcome {
        Match, ///< rebuilding from events gives the snapshot's state
        Mismatch, ///< it does not: the snapshot (or apply()) is wrong
        NoSnapshot, ///< the stream has no snapshot to verify
    };
    Outcome outcome = Outcome::NoSnapshot;
    StreamVersion snapshotVersion = NoStreamVersion;
    QJsonObject storedState; ///< the snapshot as stored
    QJsonObject rebuiltState; ///< snapshotState() after replaying the events up to the snapshot's version
    /// Set when the snapshot was written with another snapshot schema version (compared anyway).
    QString note;
};

/**
 * Loads and saves aggregates of one kind: event stream plus snapshots, with upcasting on read.
 *
 * load() starts from the newest snapshot whose schema version matches the aggregate's (others are skipped
 * and reported in LoadReport::warnings) and replays the events after it; loadAt() does the same as of a past
 * version and never uses a later snapshot. save() appends the uncommitted events with optimistic
 * concurrency and, when the SnapshotPolicy says so, takes a snapshot and applies retention.
 *
 * Threading: as thread-safe as the store it uses; aggregates themselves are not shared.
 */
class Repository {
    Q_DECLARE_TR_FUNCTIONS(Repository)
public:
    /// Makes an empty aggregate for a stream id.
    using Factory = std::function<std::unique_ptr<AggregateRoot>(const QString& id)>;

    /// Events and snapshots both in \a store.
    Repository(std::shared_ptr<SqlEventStore> store, std::shared_ptr<const EventTypeRegistry> registry, Factory factory,
        SnapshotPolicy policy = {});
    /// Events read and appended through \a events (e.g. a ResilientEventStore in front of \a snapshotStore),
    /// snapshots in \a snapshotStore's database.
    Repository(std::shared_ptr<EventStore> events, std::shared_ptr<SqlEventStore> snapshotStore,
        std::shared_ptr<const EventTypeRegistry> registry, Factory factory, SnapshotPolicy policy = {});

    /// The aggregate \a id at its latest version (a new, empty aggregate when the stream has no events).
    DomainResult<LoadedAggregate> load(const QString& id);
    /// The aggregate \a id as it was after the event at \a version (time travel).
    DomainResult<LoadedAggregate> loadAt(const QString& id, StreamVersion version);

    /**
     * Appends \a aggregate's uncommitted events, each with \a metadata merged into its own, expecting the
     * stream at the aggregate's committedVersion() (no stream for a new aggregate). On success marks them
     * committed; on WrongExpectedVersion returns the store's error unchanged and leaves the aggregate as it
     * was. With nothing to save returns alreadyApplied and the current version without touching the store.
     * A snapshot that cannot be written is logged, not reported: the events are stored.
     */
    StoreResult<AppendResult> save(AggregateRoot& aggregate, const QJsonObject& metadata = {});

    /// Rebuilds \a id from events only up to its latest snapshot and compares the states.
    DomainResult<SnapshotVerification> verify(const QString& id);

    SnapshotStore& snapshots() { return m_snapshots; }
    const SnapshotPolicy& policy() const { return m_policy; }

private:
    DomainResult<LoadedAggregate> loadUpTo(const QString& id, StreamVersion version, bool useSnapshots);
    std::optional<DomainError> replay(AggregateRoot& aggregate, StreamVersion upTo, LoadReport* report);

    std::shared_ptr<EventStore> m_store;
    std::shared_ptr<const EventTypeRegistry> m_registry;
    Factory m_factory;
    SnapshotPolicy m_policy;
    SnapshotStore m_snapshots;
};

} // namespace EventScope
