// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "readoptions.h"
#include "recordedevent.h"
#include "storeerror.h"
#include "streaminfo.h"

#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <atomic>
#include <future>
#include <memory>
#include <mutex>

class QThread;

namespace EventScope {

class AllSubscription;
class EventStore;
class SqlEventStore;

/**
 * Asynchronous, read-only access to an EventStore for code that must not block (the GUI thread).
 *
 * Every request runs on the reader's own worker thread, one at a time in the order issued, and returns a
 * request id at once. Its result comes back as a signal emitted on the thread the reader lives in, carrying
 * that id, so a caller can tell its own answers from stale ones. A request never yields both a result and
 * failed().
 *
 * The reader also watches the store for appends (through an AllSubscription when the store is a
 * SqlEventStore, which sees other processes' appends too; otherwise through EventStore::eventsAppended) and
 * reports them coalesced by appended(): which streams changed and the new head, never the events themselves.
 *
 * Call it only from the thread it lives in. The destructor stops the subscription and joins the worker.
 */
class StoreReader : public QObject {
    Q_OBJECT
public:
    /// Reads \a store; live notifications start at once (see appended()).
    explicit StoreReader(std::shared_ptr<EventStore> store, QObject* parent = nullptr);
    /// Waits for the request being read, if any; requests not started yet are dropped without a signal.
    ~StoreReader() override;

    /// Registers the value types of the signals with Qt's meta-type system (done by the constructor too).
    static void registerMetaTypes();

    const std::shared_ptr<EventStore>& store() const { return m_store; }
    /**
     * Ready once the position the watch starts from has been read (or could not be). Appends after that moment
     * are reported by appended(); a reader on another thread that waits for this before its first read misses no
     * append between that read and the watch (ExplorerReader's lanes do).
     */
    std::shared_future<void> watchStart() const { return m_watchStart; }
    /// The newest position the reader has seen (0 until known).
    GlobalPosition head() const { return m_head; }

    /// Streams in id order after \a after (exclusive) matching \a filter → streamsLoaded().
    quint64 listStreams(const StreamFilter& filter, const QString& after, int count);
    /// Up to \a count events of \a streamId from \a fromVersion (inclusive), forward → eventsLoaded().
    quint64 readStream(const QString& streamId, StreamVersion fromVersion, int count);
    /// Up to \a count events of $all after \a after matching \a filter → eventsLoaded().
    quint64 readAll(GlobalPosition after, int count, const AllFilter& filter = {});
    /// The summaries of \a streamIds that exist, in the order given → streamInfosLoaded().
    quint64 loadStreamInfos(const QStringList& streamIds);
    /// Every stored event type with its count → eventTypesLoaded().
    quint64 loadEventTypes();
    /// Head position and number of events → summaryLoaded() (and headChanged() if the head moved).
    quint64 loadSummary();

Q_SIGNALS:
    void streamsLoaded(quint64 requestId, const EventScope::StreamPage& page);
    /// \a atEnd is true when the read returned fewer events than asked for: there was nothing more then.
    void eventsLoaded(quint64 requestId, const QList<EventScope::RecordedEvent>& events, bool atEnd);
    void streamInfosLoaded(quint64 requestId, const QList<EventScope::StreamInfo>& streams);
    void eventTypesLoaded(quint64 requestId, const QList<EventScope::EventTypeCount>& types);
    void summaryLoaded(quint64 requestId, EventScope::GlobalPosition head, qint64 eventCount);
    /// The request failed; \a message says what went wrong, for people.
    void failed(quint64 requestId, const QString& message);

    /// The newest known position changed.
    void headChanged(EventScope::GlobalPosition head);
    /// Events were appended to \a streamIds (in first-seen order, no duplicates); \a head is the newest position.
    /// Bursts of appends are coalesced into one signal per turn of the reader's event loop.
    void appended(const QStringList& streamIds, EventScope::GlobalPosition head);
    /// Watching for appends failed (the subscription keeps retrying).
    void watchFailed(const QString& message);

private:
    template <typename Work>
    quint64 submit(Work work);
    template <typename Function>
    void post(Function function);
    void postFailure(quint64 requestId, const StoreError& error);
    void startWatching(GlobalPosition head);
    void noteAppended(const QStringList& streamIds, GlobalPosition head);
    void deliverAppended();
    void setHead(GlobalPosition head);

    std::shared_ptr<EventStore> m_store;
    QThread* m_thread = nullptr;
    QObject* m_worker = nullptr; // lives in m_thread; requests are queued to it
    std::unique_ptr<AllSubscription> m_subscription;
    quint64 m_nextRequestId = 0;
    GlobalPosition m_head = 0;
    std::shared_ptr<std::atomic<bool>> m_stopping = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<std::promise<void>> m_watchStartPromise = std::make_shared<std::promise<void>>();
    std::shared_future<void> m_watchStart = m_watchStartPromise->get_future().share();

    // Filled by the subscription thread, drained on the reader's thread.
    std::mutex m_pendingMutex;
    QStringList m_pendingStreams;
    QSet<QString> m_pendingSet;
    GlobalPosition m_pendingHead = 0;
    bool m_deliveryQueued = false;
};

} // namespace EventScope
