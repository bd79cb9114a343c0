// SPDX-License-Identifier: Apache-2.0
#include "snapshotverifier.h"

#include "domain/aggregateroot.h"
#include "domain/eventtyperegistry.h"
#include "engine/engine.h"
#include "eventstore/eventstore.h"
#include "eventstore/sqleventstore.h"

#include <algorithm>
#include <map>

namespace EventScope {

namespace {

using Leaves = std::map<QString, QJsonValue>;

/// The leaves of \a object as StreamHistory sees them: scalars, nulls, arrays and empty objects.
void flatten(const QJsonObject& object, const QString& prefix, Leaves& out)
{
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString key = StreamHistory::pathOf({ it.key() });
        const QString path = prefix.isEmpty() ? key : prefix % u'.' % key;
        const QJsonValue value = it.value();
        if (value.isObject() && !value.toObject().isEmpty())
            flatten(value.toObject(), path, out);
        else
            out.emplace(path, value);
    }
}

} // namespace

SnapshotVerifier::SnapshotVerifier(
    std::shared_ptr<EventStore> events, const EventTypeRegistry* registry, Repository::Factory factory)
    : m_events(std::move(events))
    , m_registry(registry)
    , m_factory(std::move(factory))
{
}

SnapshotVerifier SnapshotVerifier::forStream(const Engine& engine, const QString& streamId)
{
    return SnapshotVerifier(engine.store(), &engine.registry(), engine.aggregateFactory(streamId));
}

QList<FieldChange> SnapshotVerifier::compare(const QJsonObject& snapshot, const QJsonObject& rebuilt)
{
    Leaves stored;
    Leaves replayed;
    flatten(snapshot, QString(), stored);
    flatten(rebuilt, QString(), replayed);

    QList<FieldChange> differences;
    auto s = stored.cbegin();
    auto r = replayed.cbegin();
    while (s != stored.cend() || r != replayed.cend()) {
        if (r == replayed.cend() || (s != stored.cend() && s->first < r->first)) {
            differences.append({ FieldChange::Kind::Removed, s->first, s->second, QJsonValue(QJsonValue::Undefined) });
            ++s;
        } else if (s == stored.cend() || r->first < s->first) {
            differences.append({ FieldChange::Kind::Added, r->first, QJsonValue(QJsonValue::Undefined), r->second });
            ++r;
        } else {
            if (s->second != r->second)
                differences.append({ FieldChange::Kind::Changed, s->first, s->second, r->second });
            ++s;
            ++r;
        }
    }
    return differences;
}

SnapshotCheck SnapshotVerifier::verify(const Snapshot& snapshot) const
{
    SnapshotCheck check;
    check.snapshotVersion = snapshot.version;
    const QString& stream = snapshot.streamId;

    if (snapshot.version < 0) {
        check.errors.append(tr("The snapshot of '%1' has no version (%2), so there are no events to compare it with. "
                               "Delete it.")
                                .arg(stream)
                                .arg(snapshot.version));
        return check;
    }
    if (!m_factory) {
        check.outcome = SnapshotCheck::Outcome::NotVerifiable;
        check.note = tr("No registered domain knows the stream '%1', so its events can only be folded as a generic "
                        "JSON merge of their payloads, which is not the state an aggregate writes into a snapshot. "
                        "Register the %2 aggregate's module to verify this snapshot.")
                         .arg(stream, snapshot.aggregateType.isEmpty() ? tr("snapshot's") : snapshot.aggregateType);
        return check;
    }
    const std::unique_ptr<AggregateRoot> aggregate = m_factory(stream);
    if (!aggregate) {
        check.errors.append(
            tr("The aggregate factory made no aggregate for stream '%1'. Check the domain's registration.")
                .arg(stream));
        return check;
    }

    // Events 0..version, in pages.
    QList<RecordedEvent> events;
    const qint64 wanted = snapshot.version + 1;
    while (events.size() < wanted) {
        const int page = int(std::min<qint64>(PageSize, wanted - events.size()));
        auto read = m_events->readStream(stream, events.size(), page);
        if (!read) {
            check.errors.append(tr("Reading the events of '%1' from version %2 failed: %3")
                                    .arg(stream)
                                    .arg(events.size())
                                    .arg(read.error().message()));
            return check;
        }
        const qsizetype got = read->size();
        events.append(std::move(read).value());
        if (got < page)
            break;
    }
    if (events.size() < wanted) {
        if (events.isEmpty())
            check.errors.append(tr("The stream '%1' has no events, but the snapshot is at version %2: it does not "
                                   "belong to this store's events. Delete the snapshot.")
                                    .arg(stream)
                                    .arg(snapshot.version));
        else
            check.errors.append(tr("The stream '%1' ends at version %2, but the snapshot is at version %3: events "
                                   "are missing, or the snapshot does not belong to these events. Delete the "
                                   "snapshot, or restore the missing events.")
                                    .arg(stream)
                                    .arg(events.size() - 1)
                                    .arg(snapshot.version));
        return check;
    }

    const StreamHistory history = StreamHistory::build(events, m_registry, m_factory);
    if (history.error() && history.failedVersion() <= snapshot.version) {
        check.errors.append(tr("The events of '%1' cannot be replayed up to version %2: %3")
                                .arg(stream)
                                .arg(snapshot.version)
                                .arg(history.error()->message()));
        return check;
    }

    check.rebuiltState = history.stateAt(snapshot.version);
    check.differences = compare(snapshot.state, check.rebuiltState);

    QStringList notes;
    if (!snapshot.aggregateType.isEmpty() && snapshot.aggregateType != aggregate->aggregateType())
        notes.append(tr("The snapshot names the aggregate type '%1', but stream '%2' holds a %3 aggregate.")
                         .arg(snapshot.aggregateType, stream, aggregate->aggregateType()));
    if (snapshot.schemaVersion != aggregate->snapshotSchemaVersion()) {
        check.outcome = SnapshotCheck::Outcome::Stale;
        notes.append(tr("The snapshot has schema version %1, but the %2 aggregate now writes version %3: it is "
                        "stale, not corrupt. Loading skips it and replays the events instead; the next snapshot "
                        "replaces it.")
                         .arg(snapshot.schemaVersion)
                         .arg(aggregate->aggregateType())
                         .arg(aggregate->snapshotSchemaVersion()));
    } else {
        check.outcome = check.differences.isEmpty() ? SnapshotCheck::Outcome::Matches : SnapshotCheck::Outcome::Differs;
        check.matches = check.differences.isEmpty();
    }
    check.note = notes.join(u' ');
    return check;
}

} // namespace EventScope
