// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventquery.h"
#include "eventsearch.h"
#include "eventsummary.h"
#include "searchcontrol.h"
#include "streamquery.h"

#include "eventstore/recordedevent.h"
#include "eventstore/streaminfo.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class QThread;

namespace EventScope {

class SqlEventStore;
class StoreReader;

/**
 * Asynchronous access to the explorer's reads (EventSearch) for the GUI thread, in the manner of StoreReader:
 * every request returns an id at once, runs on a worker thread, and its answer comes back as a signal carrying
 * that id, emitted on the reader's thread.
 *
 * Two lanes, each a thread with its own database connection: searches (pages of summaries, which may take long
 * for content queries and can be cancelled) run on one; short reads (one event, a position at a time, stream
 * listings, the tail of $all) on the other, so that inspecting an event never waits behind a slow search.
 * Within a lane requests run in the order issued.
 *
 * It also owns a StoreReader over the same store, whose appended() signal tells the models that the store grew
 * (appends of other processes included).
 */
class ExplorerReader : public QObject {
    Q_OBJECT
public:
    explicit ExplorerReader(std::shared_ptr<SqlEventStore> store, QObject* parent = nullptr);
    /// Cancels running searches (and the type count) and joins both lanes; answers not delivered yet are dropped.
    /// The quick lane's reads are short (by key or index; a wildcard stream pattern scans the streams table), so
    /// joining it keeps the caller waiting briefly at most.
    ~ExplorerReader() override;

    static void registerMetaTypes();

    const std::shared_ptr<SqlEventStore>& store() const { return m_store; }
    const std::shared_ptr<EventSearch>& search() const { return m_search; }
    StoreReader* storeReader() const { return m_storeReader.get(); }

    /**
     * EventSearch::summaries on the search lane → summariesLoaded(), with SqlEventStore::commitSafeHead() read
     * just before the page: a page that reached the newest matching event covers everything up to it, so a tail
     * read from it (readTail(head)) misses nothing (it may repeat events the page holds; callers drop those).
     * \a control's time limit applies.
     */
    quint64 searchPage(const EventQuery& query, GlobalPosition boundary, EventSearch::Direction direction, int limit,
        bool inclusive = false, SearchControl control = {});
    /// Stops the search \a requestId if it is still queued or running (it then fails with Cancelled).
    void cancel(quint64 requestId);

    /// Up to \a count events of $all after \a after in commit order → tailLoaded().
    quint64 readTail(GlobalPosition after, int count);
    /// The event at \a position → eventLoaded().
    quint64 loadEvent(GlobalPosition position);
    /// The event with \a eventId → eventLoaded().
    quint64 loadEventById(const QUuid& eventId);
    /// The first position recorded at or after \a time → positionFound().
    quint64 findPositionAt(const QDateTime& time);
    /// Oldest and newest position → positionRangeLoaded().
    quint64 loadPositionRange();
    /// A page of streams → streamsListed().
    quint64 listStreams(const StreamQuery& query, const StreamCursor& cursor, int limit);
    /// Summaries of \a streamIds that exist → streamInfosLoaded().
    quint64 loadStreamInfos(const QStringList& streamIds);
    /// Every stored event type with its count → eventTypesLoaded(). A scan: it runs on the search lane and can be
    /// cancelled like a search.
    quint64 loadEventTypes();

Q_SIGNALS:
    /// \a atEnd: fewer than asked for came back, there is nothing more in that direction (for now).
    void summariesLoaded(quint64 requestId, const QList<EventScope::EventSummary>& summaries, bool atEnd,
        EventScope::GlobalPosition head);
    void tailLoaded(quint64 requestId, const QList<EventScope::RecordedEvent>& events, bool atEnd);
    /// \a found is false when there is no such event.
    void eventLoaded(quint64 requestId, const EventScope::RecordedEvent& event, bool found);
    void positionFound(quint64 requestId, EventScope::GlobalPosition position, bool found);
    void positionRangeLoaded(quint64 requestId, EventScope::GlobalPosition oldest, EventScope::GlobalPosition newest);
    void streamsListed(quint64 requestId, const EventScope::StreamListing& listing);
    void streamInfosLoaded(quint64 requestId, const QList<EventScope::StreamInfo>& streams);
    void eventTypesLoaded(quint64 requestId, const QList<EventScope::EventTypeCount>& types);
    /// The request failed; \a message says what went wrong, for people. \a cancelled: it was cancelled or ran
    /// out of time.
    void failed(quint64 requestId, const QString& message, bool cancelled);

private:
    class Lane;
    template <typename Work>
    quint64 submit(Lane& lane, Work work);
    template <typename Function>
    void post(Function function);
    void postFailure(quint64 requestId, const StoreError& error);

    std::shared_ptr<SqlEventStore> m_store;
    std::shared_ptr<EventSearch> m_search;
    std::unique_ptr<StoreReader> m_storeReader;
    std::unique_ptr<Lane> m_searchLane;
    std::unique_ptr<Lane> m_quickLane;
    QHash<quint64, SearchControl> m_controls; ///< searches not answered yet
    quint64 m_nextRequestId = 0;
    std::shared_ptr<std::atomic<bool>> m_stopping = std::make_shared<std::atomic<bool>>(false);
};

} // namespace EventScope

Q_DECLARE_METATYPE(EventScope::StreamListing)
