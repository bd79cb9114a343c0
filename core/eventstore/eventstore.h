// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "appendresult.h"
#include "eventdata.h"
#include "readoptions.h"
#include "storeresult.h"
#include "streaminfo.h"

#include <QList>
#include <QObject>

#include <optional>

namespace EventScope {

/**
 * An append-only store of events grouped into streams, with a global order ($all).
 *
 * Threading: every function may be called from any thread, concurrently. Implementations give each
 * calling thread its own database connection, opened on first use and closed when that QThread finishes;
 * call the store from QThreads (QThread, QThreadPool, QtConcurrent), not from foreign threads. Never call
 * it from the GUI thread: every call may do I/O.
 *
 * Ordering: within a stream, versions are 0, 1, 2 … without gaps. $all is the order in which appends
 * became visible (commit order). Positions are unique and increase within one append; readAll(after)
 * continues after the event at position \a after and never skips an event that committed late.
 */
class EventStore : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~EventStore() override;

    /**
     * Appends \a events to \a streamId in one transaction if the stream satisfies \a expected. On a conflict
     * returns StoreError::Code::WrongExpectedVersion with the actual version and writes nothing. Appending
     * events whose ids are already stored at this place in this stream succeeds without writing
     * (AppendResult::alreadyApplied).
     */
    virtual StoreResult<AppendResult> append(
        const QString& streamId, ExpectedVersion expected, const QList<EventData>& events)
        = 0;

    /// Up to \a maxCount events of \a streamId starting at version \a from (inclusive). Backward from
    /// NoStreamVersion (-1) starts at the stream's last event. A missing stream reads as empty.
    virtual StoreResult<QList<RecordedEvent>> readStream(
        const QString& streamId, StreamVersion from, int maxCount, ReadDirection direction = ReadDirection::Forward)
        = 0;

    /// Up to \a maxCount events of $all after position \a after (0 = from the start), matching \a filter.
    virtual StoreResult<QList<RecordedEvent>> readAll(GlobalPosition after, int maxCount, const AllFilter& filter = {})
        = 0;

    /// Streams in id order after \a after (exclusive; empty = from the start) matching \a filter.
    virtual StoreResult<StreamPage> listStreams(const StreamFilter& filter, const QString& after, int maxCount) = 0;

    /// The stream's summary, or std::nullopt when it has no events.
    virtual StoreResult<std::optional<StreamInfo>> streamInfo(const QString& streamId) = 0;

    /// Every stored event type with its number of events, by name.
    virtual StoreResult<QList<EventTypeCount>> eventTypes() = 0;

    /// Position of the newest event (0 when the store is empty).
    virtual StoreResult<GlobalPosition> headPosition() = 0;

    /// Number of stored events.
    virtual StoreResult<qint64> eventCount() = 0;

Q_SIGNALS:
    /**
     * Emitted after an append of this object committed, from the appending thread. Other processes'
     * appends are not reported here: subscriptions (AllSubscription) see those.
     */
    void eventsAppended(const QString& streamId, EventScope::GlobalPosition lastPosition);
};

} // namespace EventScope
