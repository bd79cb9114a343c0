// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "domain/repository.h"
#include "domain/snapshot.h"
#include "timetravel/streamhistory.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace EventScope {

class Engine;
class EventStore;
class EventTypeRegistry;

/**
 * What SnapshotVerifier found for one snapshot.
 *
 * The differences are leaf fields (paths as StreamHistory::pathOf() builds them) where the snapshot and the
 * state rebuilt from the events disagree: FieldChange::oldValue is the snapshot's value, newValue the rebuilt
 * one. Kind::Removed marks a field only the snapshot has, Kind::Added one only the rebuilt state has.
 */
struct SnapshotCheck {
    enum class Outcome {
        Matches, ///< the events give exactly the snapshot's state
        Differs, ///< they do not (see differences); the snapshot is wrong, or apply() changed since
        Stale, ///< written with another snapshot schema version: the layouts differ, it is not corrupt
        NotVerifiable, ///< no registered aggregate for the stream: nothing to rebuild the state with
        Failed, ///< the events could not be read or replayed (see errors)
    };

    Outcome outcome = Outcome::Failed;
    /// True only for Outcome::Matches.
    bool matches = false;
    QList<FieldChange> differences;
    /// Why the outcome is what it is when that needs saying (stale layout, generic fold, other aggregate type).
    QString note;
    /// What went wrong reading or replaying the events, for people.
    QStringList errors;
    StreamVersion snapshotVersion = NoStreamVersion;
    /// The state after replaying the events up to the snapshot's version (empty unless they were replayed).
    QJsonObject rebuiltState;
};

/**
 * Checks a Snapshot against the events it claims to summarise: reads the stream up to the snapshot's version
 * (EventStore::readStream in pages), rebuilds the aggregate's state with StreamHistory::build() and compares it
 * field by field with the snapshot's state.
 *
 * Only an aggregate fold can verify a snapshot: for a stream without a registered aggregate the verifier says
 * so (Outcome::NotVerifiable) instead of comparing a generic merge of payloads with an aggregate's state. A
 * snapshot whose schema version is not the aggregate's current snapshotSchemaVersion() is reported as stale
 * (Repository::load() skips it), with the differences for information.
 *
 * Synchronous and blocking: call verify() from a worker thread (QtConcurrent), never from the GUI thread. The
 * verifier holds no state between calls; one instance may verify any number of snapshots of its stream kind,
 * one call at a time per thread.
 */
class SnapshotVerifier {
    Q_DECLARE_TR_FUNCTIONS(SnapshotVerifier)
public:
    /// Events read per EventStore::readStream() call.
    static constexpr int PageSize = 500;

    /**
     * Reads events from \a events, decodes them with \a registry (not owned; must outlive the verifier) and
     * replays them into aggregates made by \a factory (empty: no registered aggregate).
     */
    SnapshotVerifier(
        std::shared_ptr<EventStore> events, const EventTypeRegistry* registry, Repository::Factory factory);

    /// A verifier for the snapshots of \a streamId in \a engine: its store, registry and aggregate factory.
    /// \a engine must outlive the verifier.
    static SnapshotVerifier forStream(const Engine& engine, const QString& streamId);

    /// Rebuilds the state at \a snapshot's version from the events and compares it with the snapshot's.
    SnapshotCheck verify(const Snapshot& snapshot) const;

    /// The leaf fields where \a snapshot and \a rebuilt differ, sorted by path (see SnapshotCheck).
    static QList<FieldChange> compare(const QJsonObject& snapshot, const QJsonObject& rebuilt);

private:
    std::shared_ptr<EventStore> m_events;
    const EventTypeRegistry* m_registry = nullptr;
    Repository::Factory m_factory;
};

} // namespace EventScope
