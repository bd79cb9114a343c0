// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventquery.h"
#include "eventsummary.h"
#include "searchcontrol.h"
#include "streamquery.h"

#include "eventstore/storeresult.h"

#include <QCoreApplication>
#include <QList>
#include <QUuid>

#include <memory>
#include <optional>

namespace EventScope {

class SqlEventStore;

/**
 * The explorer's reads: keyset pages of events in position order, in either direction from an anchor,
 * filtered by an EventQuery; single events by position; correlation sets; the position at a time; stream
 * listings by activity or name. Never OFFSET: every page continues from a boundary position.
 *
 * Threading: like SqlEventStore, callable from any QThread (each uses its own connection); never from the
 * GUI thread. Searches honour a SearchControl: cancelled from another thread or out of time, they stop and
 * return StoreError::Code::Cancelled.
 */
class EventSearch {
    Q_DECLARE_TR_FUNCTIONS(EventSearch)
public:
    enum class Direction {
        Older, ///< positions below the boundary, highest first
        Newer, ///< positions above the boundary, lowest first
    };

    explicit EventSearch(std::shared_ptr<SqlEventStore> store);

    /**
     * Up to \a limit summaries matching \a query beyond \a boundary in \a direction: Older returns positions
     * < boundary in descending order (boundary 0 or below: from the newest event), Newer returns positions
     * > boundary ascending (0: from the oldest). \a inclusive also admits the boundary itself.
     * An invalid query fails with InvalidArgument and the message of EventQuery::validate().
     */
    StoreResult<QList<EventSummary>> summaries(const EventQuery& query, GlobalPosition boundary, Direction direction,
        int limit, SearchControl control = {}, bool inclusive = false) const;

    /// The same page as summaries(), as full events (for export).
    StoreResult<QList<RecordedEvent>> events(const EventQuery& query, GlobalPosition boundary, Direction direction,
        int limit, SearchControl control = {}, bool inclusive = false) const;

    /// The event at \a position, or std::nullopt when there is none.
    StoreResult<std::optional<RecordedEvent>> event(GlobalPosition position) const;

    /// The event with \a eventId, or std::nullopt when there is none (causation links).
    StoreResult<std::optional<RecordedEvent>> eventById(const QUuid& eventId) const;

    /// Every event whose metadata carries \a correlationId, in position order, at most \a limit.
    StoreResult<QList<RecordedEvent>> correlated(const QString& correlationId, int limit = 10000) const;

    /// Position of the first event recorded at or after \a time; std::nullopt when every event is older.
    StoreResult<std::optional<GlobalPosition>> positionAt(const QDateTime& time) const;

    /// Every stored event type with its number of events, by name. It counts every event (a scan: about 0.35 s per
    /// million on SQLite), so it runs under \a control like a search.
    StoreResult<QList<EventTypeCount>> eventTypes(SearchControl control = {}) const;

    /// Oldest and newest position (0, 0 when the store is empty).
    StoreResult<std::pair<GlobalPosition, GlobalPosition>> positionRange() const;

    /// A page of streams matching \a query after \a cursor (null: the first page).
    StoreResult<StreamListing> listStreams(const StreamQuery& query, const StreamCursor& cursor, int limit) const;

    const std::shared_ptr<SqlEventStore>& store() const { return m_store; }

private:
    std::shared_ptr<SqlEventStore> m_store;
};

} // namespace EventScope
