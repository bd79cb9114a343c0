// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "domain/domainerror.h"
#include "domain/repository.h"
#include "eventstore/recordedevent.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <map>
#include <optional>
#include <vector>

namespace EventScope {

class EventTypeRegistry;

/**
 * One field of a state that differs between two consecutive versions. The path names a leaf of the state:
 * object keys joined with '.', where a '.' or '\' inside a key is escaped with '\' (StreamHistory::pathOf()).
 * Leaves are scalars, null (aggregate states only), arrays (compared and replaced as a whole) and empty objects.
 */
struct FieldChange {
    enum class Kind { Added, Removed, Changed };
    Kind kind = Kind::Changed;
    QString path;
    QJsonValue oldValue; ///< Undefined for Added
    QJsonValue newValue; ///< Undefined for Removed
};

/// Which event last set a field of the state ("blame").
struct FieldBlame {
    QString path;
    QJsonValue value;
    /// Version of that event; NoStreamVersion when the field has its initial value (the empty aggregate's).
    StreamVersion version = NoStreamVersion;
    GlobalPosition position = 0;
    QString eventType;
    QUuid eventId;
    QDateTime recordedAt;
};

/// One event of the stream and what it changed in the state.
struct HistoryStep {
    StreamVersion version = NoStreamVersion;
    GlobalPosition position = 0;
    QString eventType;
    QUuid eventId;
    QDateTime recordedAt;
    int storedSchemaVersion = 1; ///< as stored
    int schemaVersion = 1; ///< after upcasting; differs from storedSchemaVersion for upcasted events
    /// The field-level diff against the previous version, sorted by path.
    QList<FieldChange> changes;
    /// Generic fold only: fields the payload wrote again with the value they had. Not a change, but this event
    /// is now the one that last set them.
    QStringList rewritten;

    bool isUpcasted() const { return storedSchemaVersion != schemaVersion; }
};

/**
 * Aggregate time travel over one stream: the state at every version, the field-level diff of each version
 * against the one before, and for each field the event that last set it.
 *
 * With an aggregate factory (a registered domain), the state at version N is the aggregate's snapshotState()
 * after replaying events 0..N, each decoded (and upcasted) through the EventTypeRegistry — the state
 * Repository::loadAt() gives. Blame then names the last event after which the field's value differed.
 *
 * Without one, the state is a generic fold of the payloads (upcasted when a registry is given), labelled as
 * such (fold() == Fold::GenericMerge): each payload is applied to the state as a JSON Merge Patch (RFC 7386).
 * Objects merge key by key, recursively; any other value, arrays included, replaces what was there; a null
 * value removes the key (so the state never holds null). Blame names the last event whose payload wrote the
 * field, even with the value it already had (HistoryStep::rewritten).
 *
 * Complexity, with P the total size (leaf fields) of all payloads, C the total number of changed fields over
 * the history and S the size of a state: build() keeps the state as a sorted map of leaf paths and stores only
 * each version's changes, plus a full copy of the state whenever the changes since the last copy outnumber its
 * fields. The generic fold is O(P log S) time and O(C) memory. The aggregate fold must compare the aggregate's
 * whole state after every event (aggregates expose nothing finer), so it is O(N·S log S) time for N events,
 * and O(C) memory. stateAt() and blameAt() restore the nearest copy and replay the changes after it: O(S log S)
 * amortised, independent of N — never a copy of the state per version. Arrays are leaves: an array that
 * changes is kept whole in that version's diff (old and new value), so streams that grow a large array in
 * every event pay for it in memory.
 *
 * Pure and synchronous: no store access (the caller reads the events), meant to run on a worker thread. An
 * instance is immutable once built and may be read from any thread.
 */
class StreamHistory {
    Q_DECLARE_TR_FUNCTIONS(StreamHistory)
public:
    enum class Fold {
        Aggregate, ///< states from the registered domain's aggregate
        GenericMerge, ///< states from a JSON merge of the payloads
    };

    /**
     * Computes the history of \a events: one stream, in version order, starting at version 0. With \a factory
     * the states come from the aggregate it makes (the events decoded with \a registry, or as stored when it is
     * null); without, from the generic fold of payloads (upcasted through \a registry when given).
     *
     * Never fails as a whole: when an event cannot be used (it does not decode, its payload is not a JSON
     * object, or the events skip a version or change stream), the history stops before it, error() says why and
     * failedVersion() which version.
     */
    static StreamHistory build(const QList<RecordedEvent>& events, const EventTypeRegistry* registry = nullptr,
        const Repository::Factory& factory = {});

    Fold fold() const { return m_fold; }
    bool isGeneric() const { return m_fold == Fold::GenericMerge; }
    /// A short label for people: which kind of state this is.
    QString foldLabel() const;
    const QString& streamId() const { return m_streamId; }

    /// One step per version that could be computed, step i at version i.
    const QList<HistoryStep>& steps() const { return m_steps; }
    /// The last version with a state, or NoStreamVersion when there is none.
    StreamVersion lastVersion() const { return m_steps.size() - 1; }
    bool contains(StreamVersion version) const { return version >= 0 && version < m_steps.size(); }

    /// Why the history stops early, if it does.
    const std::optional<DomainError>& error() const { return m_error; }
    /// The version that could not be computed, or NoStreamVersion when the history is complete.
    StreamVersion failedVersion() const { return m_failedVersion; }

    /// The state before the first event: the empty aggregate's state, or {} for the generic fold.
    QJsonObject initialState() const;
    /// The state after the event at \a version; an empty object when !contains(version).
    QJsonObject stateAt(StreamVersion version) const;
    /// The diff of \a version against version - 1 (the initial state for version 0); empty when !contains(version).
    QList<FieldChange> diffAt(StreamVersion version) const;
    /// Every field of the state at \a version with the event that last set it, sorted by path.
    QList<FieldBlame> blameAt(StreamVersion version) const;
    /// The event that last set \a path as of \a version, if the state has that field.
    std::optional<FieldBlame> blame(StreamVersion version, const QString& path) const;

    /// The path of a field from its keys, outermost first, escaped as FieldChange describes.
    static QString pathOf(const QStringList& keys);
    /// The keys of \a path, unescaped; the inverse of pathOf().
    static QStringList keysOf(const QString& path);

private:
    struct Field {
        QJsonValue value;
        qsizetype origin = -1; ///< index of the step that last set it; -1 for the initial state
    };
    using Fields = std::map<QString, Field>;
    struct Checkpoint {
        qsizetype step = -1; ///< the state after this step
        Fields fields;
    };

    Fields fieldsAt(StreamVersion version) const;
    FieldBlame blameOf(const QString& path, const Field& field) const;

    Fold m_fold = Fold::GenericMerge;
    QString m_streamId;
    QList<HistoryStep> m_steps;
    Fields m_initial;
    std::vector<Checkpoint> m_checkpoints; ///< ascending by step
    std::optional<DomainError> m_error;
    StreamVersion m_failedVersion = NoStreamVersion;

    friend class StreamHistoryBuilder;
};

} // namespace EventScope
