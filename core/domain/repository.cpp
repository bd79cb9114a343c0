// SPDX-License-Identifier: Apache-2.0
#include "repository.h"

#include "eventstore/sqleventstore.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace EventScope {

namespace {
constexpr int ReadBatch = 500;
constexpr StreamVersion Latest = std::numeric_limits<StreamVersion>::max();
} // namespace

Repository::Repository(std::shared_ptr<SqlEventStore> store, std::shared_ptr<const EventTypeRegistry> registry,
    Factory factory, SnapshotPolicy policy)
    : Repository(store, store, std::move(registry), std::move(factory), policy)
{
}

Repository::Repository(std::shared_ptr<EventStore> events, std::shared_ptr<SqlEventStore> snapshotStore,
    std::shared_ptr<const EventTypeRegistry> registry, Factory factory, SnapshotPolicy policy)
    : m_store(std::move(events))
    , m_registry(std::move(registry))
    , m_factory(std::move(factory))
    , m_policy(policy)
    , m_snapshots(std::move(snapshotStore))
{
}

DomainResult<LoadedAggregate> Repository::load(const QString& id)
{
    return loadUpTo(id, Latest, m_policy.enabled());
}

DomainResult<LoadedAggregate> Repository::loadAt(const QString& id, StreamVersion version)
{
    if (version < 0)
        return DomainError(DomainError::Code::InvalidStream,
            tr("Cannot load '%1' as of version %2: versions start at 0.").arg(id).arg(version));
    return loadUpTo(id, version, m_policy.enabled());
}

DomainResult<LoadedAggregate> Repository::loadUpTo(const QString& id, StreamVersion version, bool useSnapshots)
{
    LoadedAggregate loaded;
    loaded.aggregate = m_factory(id);
    if (useSnapshots) {
        // Usually the newest snapshot is usable: read it alone, and all kept ones only when it is not.
        auto newest = m_snapshots.latest(id, version);
        if (!newest)
            return newest.error();
        StoreResult<QList<Snapshot>> snapshots = QList<Snapshot> {};
        if (newest->has_value()) {
            snapshots = QList<Snapshot> { **newest };
            if ((*newest)->schemaVersion != loaded.aggregate->snapshotSchemaVersion())
                snapshots = m_snapshots.list(id, version);
        }
        if (!snapshots)
            return snapshots.error();
        const int wanted = loaded.aggregate->snapshotSchemaVersion();
        for (const Snapshot& snapshot : snapshots.value()) {
            if (snapshot.schemaVersion != wanted) {
                loaded.report.warnings.append(
                    tr("Snapshot of '%1' at version %2 ignored: it has snapshot schema version %3, the aggregate "
                       "uses %4. It will be replaced by the next snapshot.")
                        .arg(id)
                        .arg(snapshot.version)
                        .arg(snapshot.schemaVersion)
                        .arg(wanted));
                continue;
            }
            if (!loaded.aggregate->restoreSnapshot(snapshot.state, snapshot.version)) {
                loaded.report.warnings.append(tr("Snapshot of '%1' at version %2 ignored: its state was rejected by "
                                                 "the aggregate. Run verify to compare it with the events.")
                                                  .arg(id)
                                                  .arg(snapshot.version));
                loaded.aggregate = m_factory(id); // restoreState() may have changed part of the state
                continue;
            }
            loaded.report.snapshotVersion = snapshot.version;
            break;
        }
        for (const QString& warning : std::as_const(loaded.report.warnings))
            qCInfo(lcDomain).noquote() << warning;
    }
    if (auto error = replay(*loaded.aggregate, version, &loaded.report))
        return *error;
    return loaded;
}

std::optional<DomainError> Repository::replay(AggregateRoot& aggregate, StreamVersion upTo, LoadReport* report)
{
    StreamVersion next = aggregate.version() + 1;
    while (next <= upTo) {
        const qint64 wanted = upTo == Latest ? ReadBatch : std::min<qint64>(ReadBatch, upTo - next + 1);
        auto events = m_store->readStream(aggregate.id(), next, int(wanted));
        if (!events)
            return DomainError(events.error());
        for (const RecordedEvent& stored : events.value()) {
            if (stored.streamVersion != next)
                return DomainError(DomainError::Code::InvalidStream,
                    tr("Stream '%1' skips from version %2 to %3; it cannot be replayed.")
                        .arg(aggregate.id())
                        .arg(next - 1)
                        .arg(stored.streamVersion));
            auto event = m_registry->decode(stored);
            if (!event)
                return event.error();
            if (event->isUpcasted())
                ++report->eventsUpcasted;
            aggregate.replay(event.value());
            ++report->eventsReplayed;
            ++next;
        }
        if (events->size() < wanted)
            break;
    }
    return std::nullopt;
}

StoreResult<AppendResult> Repository::save(AggregateRoot& aggregate, const QJsonObject& metadata)
{
    const StreamVersion before = aggregate.committedVersion();
    if (!aggregate.hasUncommittedEvents()) {
        AppendResult nothing;
        nothing.nextExpectedVersion = before;
        nothing.alreadyApplied = true;
        return nothing;
    }
    QList<EventData> events;
    events.reserve(aggregate.uncommittedEvents().size());
    for (const DomainEvent& event : aggregate.uncommittedEvents()) {
        QJsonObject merged = event.metadata;
        for (auto it = metadata.constBegin(); it != metadata.constEnd(); ++it)
            merged.insert(it.key(), it.value());
        events.append(EventData { event.eventId, event.type, event.schemaVersion, event.payload, merged });
    }
    const ExpectedVersion expected
        = before == NoStreamVersion ? ExpectedVersion::noStream() : ExpectedVersion::exact(before);
    auto result = m_store->append(aggregate.id(), expected, events);
    if (!result)
        return result;
    aggregate.markCommitted();

    if (m_policy.shouldSnapshot(before, aggregate.version())) {
        Snapshot snapshot;
        snapshot.streamId = aggregate.id();
        snapshot.version = aggregate.version();
        snapshot.aggregateType = aggregate.aggregateType();
        snapshot.schemaVersion = aggregate.snapshotSchemaVersion();
        snapshot.state = aggregate.snapshotState();
        auto saved = m_snapshots.save(snapshot);
        if (!saved) {
            qCWarning(lcDomain).noquote()
                << "Events of" << aggregate.id() << "were stored, the snapshot was not:" << saved.error().message();
        } else if (m_policy.retain() > 0) {
            auto removed = m_snapshots.retain(aggregate.id(), m_policy.retain());
            if (!removed)
                qCWarning(lcDomain).noquote()
                    << "Old snapshots of" << aggregate.id() << "were not removed:" << removed.error().message();
        }
    }
    return result;
}

DomainResult<SnapshotVerification> Repository::verify(const QString& id)
{
    SnapshotVerification verification;
    auto latest = m_snapshots.latest(id);
    if (!latest)
        return latest.error();
    if (!latest->has_value())
        return verification;
    const Snapshot& snapshot = **latest;
    auto rebuilt = loadUpTo(id, snapshot.version, false);
    if (!rebuilt)
        return rebuilt.error();
    AggregateRoot& aggregate = *rebuilt->aggregate;
    if (aggregate.version() != snapshot.version)
        return DomainError(DomainError::Code::InvalidStream,
            tr("The snapshot of '%1' is at version %2, but the stream ends at version %3. The snapshot does not "
               "belong to these events; delete it.")
                .arg(id)
                .arg(snapshot.version)
                .arg(aggregate.version()));
    verification.snapshotVersion = snapshot.version;
    verification.storedState = snapshot.state;
    verification.rebuiltState = aggregate.snapshotState();
    if (snapshot.schemaVersion != aggregate.snapshotSchemaVersion())
        verification.note = tr("The snapshot has schema version %1, the aggregate uses %2; load() ignores it.")
                                .arg(snapshot.schemaVersion)
                                .arg(aggregate.snapshotSchemaVersion());
    verification.outcome = verification.storedState == verification.rebuiltState
        ? SnapshotVerification::Outcome::Match
        : SnapshotVerification::Outcome::Mismatch;
    return verification;
}

} // namespace EventScope
