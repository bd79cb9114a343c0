// SPDX-License-Identifier: Apache-2.0
#include "explorerreader.h"

#include "eventstore/sqleventstore.h"
#include "eventstore/storereader.h"

#include <QMetaObject>
#include <QThread>

namespace EventScope {

/// A worker thread and the object requests are queued to.
class ExplorerReader::Lane {
public:
    explicit Lane(const QString& name)
    {
        m_thread.setObjectName(name);
        m_worker.moveToThread(&m_thread);
        m_thread.start();
    }
    ~Lane()
    {
        m_thread.quit();
        m_thread.wait();
    }
    QObject* worker() { return &m_worker; }

private:
    QThread m_thread;
    QObject m_worker; // destroyed first: it lives in m_thread, which has stopped by then
};

void ExplorerReader::registerMetaTypes()
{
    StoreReader::registerMetaTypes();
    qRegisterMetaType<EventSummary>();
    qRegisterMetaType<QList<EventSummary>>();
    qRegisterMetaType<StreamListing>();
}

ExplorerReader::ExplorerReader(std::shared_ptr<SqlEventStore> store, QObject* parent)
    : QObject(parent)
    , m_store(std::move(store))
    , m_search(std::make_shared<EventSearch>(m_store))
    , m_storeReader(std::make_unique<StoreReader>(m_store))
    , m_searchLane(std::make_unique<Lane>(QStringLiteral("ExplorerSearch")))
    , m_quickLane(std::make_unique<Lane>(QStringLiteral("ExplorerRead")))
{
    registerMetaTypes();
    // No read before the store watch knows where it starts: an append between a model's first page and the
    // watch's start would otherwise be neither in the page nor reported (the StoreReader's own requests are
    // ordered behind its start on its thread; these lanes are other threads).
    for (Lane* lane : { m_searchLane.get(), m_quickLane.get() }) {
        QMetaObject::invokeMethod(
            lane->worker(), [started = m_storeReader->watchStart()] { started.wait_for(std::chrono::seconds(30)); },
            Qt::QueuedConnection);
    }
}

ExplorerReader::~ExplorerReader()
{
    m_stopping->store(true);
    for (SearchControl& control : m_controls)
        control.cancel();
    m_searchLane.reset();
    m_quickLane.reset();
}

template <typename Work>
quint64 ExplorerReader::submit(Lane& lane, Work work)
{
    const quint64 id = ++m_nextRequestId;
    QMetaObject::invokeMethod(
        lane.worker(),
        [id, work = std::move(work), stopping = m_stopping]() mutable {
            if (!stopping->load())
                work(id);
        },
        Qt::QueuedConnection);
    return id;
}

// Answers are posted to the reader's thread; the reader joins the lanes before it dies, and answers still queued
// then are discarded with it.
template <typename Function>
void ExplorerReader::post(Function function)
{
    QMetaObject::invokeMethod(this, std::move(function), Qt::QueuedConnection);
}

void ExplorerReader::postFailure(quint64 requestId, const StoreError& error)
{
    post([this, requestId, message = error.message(), cancelled = error.code() == StoreError::Code::Cancelled] {
        m_controls.remove(requestId);
        Q_EMIT failed(requestId, message, cancelled);
    });
}

quint64 ExplorerReader::searchPage(const EventQuery& query, GlobalPosition boundary, EventSearch::Direction direction,
    int limit, bool inclusive, SearchControl control)
{
    const quint64 id = submit(*m_searchLane, [this, query, boundary, direction, limit, inclusive, control](quint64 id) {
        auto head = m_store->commitSafeHead();
        if (!head) {
            postFailure(id, head.error());
            return;
        }
        auto result = m_search->summaries(query, boundary, direction, limit, control, inclusive);
        if (!result) {
            postFailure(id, result.error());
            return;
        }
        const bool atEnd = result->size() < limit;
        post([this, id, summaries = std::move(result).value(), atEnd, head = *head] {
            m_controls.remove(id);
            Q_EMIT summariesLoaded(id, summaries, atEnd, head);
        });
    });
    m_controls.insert(id, control);
    return id;
}

void ExplorerReader::cancel(quint64 requestId)
{
    const auto found = m_controls.constFind(requestId);
    if (found != m_controls.constEnd())
        SearchControl(*found).cancel();
}

quint64 ExplorerReader::readTail(GlobalPosition after, int count)
{
    return submit(*m_quickLane, [this, after, count](quint64 id) {
        auto result = m_store->readAll(after, count);
        if (!result) {
            postFailure(id, result.error());
            return;
        }
        const bool atEnd = result->size() < count;
        post([this, id, events = std::move(result).value(), atEnd] { Q_EMIT tailLoaded(id, events, atEnd); });
    });
}

quint64 ExplorerReader::loadEvent(GlobalPosition position)
{
    return submit(*m_quickLane, [this, position](quint64 id) {
        auto result = m_search->event(position);
        if (!result) {
            postFailure(id, result.error());
            return;
        }
        post([this, id, event = result->value_or(RecordedEvent()), found = result->has_value()] {
            Q_EMIT eventLoaded(id, event, found);
        });
    });
}

quint64 ExplorerReader::loadEventById(const QUuid& eventId)
{
    return submit(*m_quickLane, [this, eventId](quint64 id) {
        auto result = m_search->eventById(eventId);
        if (!result) {
            postFailure(id, result.error());
            return;
        }
        post([this, id, event = result->value_or(RecordedEvent()), found = result->has_value()] {
            Q_EMIT eventLoaded(id, event, found);
        });
    });
}

quint64 ExplorerReader::findPositionAt(const QDateTime& time)
{
    return submit(*m_quickLane, [this, time](quint64 id) {
        auto result = m_search->positionAt(time);
        if (!result) {
            postFailure(id, result.error());
            return;
        }
        post([this, id, position = result->value_or(0), found = result->has_value()] {
            Q_EMIT positionFound(id, position, found);
        });
    });
}

quint64 ExplorerReader::loadPositionRange()
{
    return submit(*m_quickLane, [this](quint64 id) {
        auto result = m_search->positionRange();
        if (!result) {
            postFailure(id, result.error());
            return;
        }
        post([this, id, range = *result] { Q_EMIT positionRangeLoaded(id, range.first, range.second); });
    });
}

quint64 ExplorerReader::listStreams(const StreamQuery& query, const StreamCursor& cursor, int limit)
{
    return submit(*m_quickLane, [this, query, cursor, limit](quint64 id) {
        auto result = m_search->listStreams(query, cursor, limit);
        if (!result) {
            postFailure(id, result.error());
            return;
        }
        post([this, id, listing = std::move(result).value()] { Q_EMIT streamsListed(id, listing); });
    });
}

quint64 ExplorerReader::loadStreamInfos(const QStringList& streamIds)
{
    return submit(*m_quickLane, [this, streamIds](quint64 id) {
        QList<StreamInfo> infos;
        infos.reserve(streamIds.size());
        for (const QString& streamId : streamIds) {
            auto result = m_store->streamInfo(streamId);
            if (!result) {
                postFailure(id, result.error());
                return;
            }
            if (result->has_value())
                infos.append(**result);
        }
        post([this, id, infos = std::move(infos)] { Q_EMIT streamInfosLoaded(id, infos); });
    });
}

quint64 ExplorerReader::loadEventTypes()
{
    // A scan of every event: on the search lane, cancellable (a store closed meanwhile does not wait for it).
    SearchControl control;
    const quint64 id = submit(*m_searchLane, [this, control](quint64 id) {
        auto result = m_search->eventTypes(control);
        if (!result) {
            postFailure(id, result.error());
            return;
        }
        post([this, id, types = std::move(result).value()] {
            m_controls.remove(id);
            Q_EMIT eventTypesLoaded(id, types);
        });
    });
    m_controls.insert(id, control);
    return id;
}

} // namespace EventScope
