// SPDX-License-Identifier: Apache-2.0
#include "storereader.h"

#include "allsubscription.h"
#include "eventstore.h"
#include "sqleventstore.h"

#include <QLoggingCategory>
#include <QMetaObject>
#include <QScopeGuard>
#include <QThread>

namespace EventScope {

namespace {
Q_LOGGING_CATEGORY(lcStoreReader, "eventscope.core.storereader")
}

void StoreReader::registerMetaTypes()
{
    qRegisterMetaType<GlobalPosition>("EventScope::GlobalPosition");
    qRegisterMetaType<RecordedEvent>();
    qRegisterMetaType<QList<RecordedEvent>>();
    qRegisterMetaType<StreamInfo>();
    qRegisterMetaType<QList<StreamInfo>>();
    qRegisterMetaType<EventTypeCount>();
    qRegisterMetaType<QList<EventTypeCount>>();
    qRegisterMetaType<StreamPage>();
}

StoreReader::StoreReader(std::shared_ptr<EventStore> store, QObject* parent)
    : QObject(parent)
    , m_store(std::move(store))
{
    Q_ASSERT(m_store);
    registerMetaTypes();

    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("StoreReader"));
    m_worker = new QObject;
    m_worker->moveToThread(m_thread);
    m_thread->start();

    if (std::dynamic_pointer_cast<SqlEventStore>(m_store)) {
        // The subscription starts at the head as it is now; reading the head first on the worker also orders it
        // before every request a model makes, so no append can fall between a model's last read and the
        // subscription's first one.
        auto store = m_store;
        auto stopping = m_stopping;
        QMetaObject::invokeMethod(
            m_worker,
            [this, store, stopping, started = m_watchStartPromise] {
                // Whatever happens, readers waiting for the watch's start go on.
                const auto release = qScopeGuard([started] { started->set_value(); });
                if (stopping->load())
                    return;
                // Watch from the commit-safe head (on PostgreSQL a transaction still running may commit below the
                // highest position); show the highest position as the head.
                auto sql = std::static_pointer_cast<SqlEventStore>(store);
                auto head = sql->headPosition();
                auto from = head ? sql->commitSafeHead() : StoreResult<GlobalPosition>(head.error());
                QMetaObject::invokeMethod(
                    this,
                    [this, head = std::move(head), from = std::move(from)] {
                        if (!from) {
                            qCWarning(lcStoreReader) << "cannot watch the store for appends:" << from.error().message();
                            Q_EMIT watchFailed(from.error().message());
                            return;
                        }
                        setHead(*head);
                        startWatching(*from);
                    },
                    Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    } else {
        m_watchStartPromise->set_value(); // the store's own signal: watching from now on
        connect(m_store.get(), &EventStore::eventsAppended, this,
            [this](const QString& streamId, GlobalPosition lastPosition) {
                noteAppended(QStringList { streamId }, lastPosition);
            });
    }
}

StoreReader::~StoreReader()
{
    m_stopping->store(true);
    if (m_subscription)
        m_subscription->stop();
    m_subscription.reset();
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
}

template <typename Work>
quint64 StoreReader::submit(Work work)
{
    const quint64 id = ++m_nextRequestId;
    QMetaObject::invokeMethod(
        m_worker,
        [id, work = std::move(work), stopping = m_stopping]() mutable {
            if (!stopping->load())
                work(id);
        },
        Qt::QueuedConnection);
    return id;
}

// The worker posts results to the reader's thread; the reader outlives the worker's work (its destructor joins
// the thread), and results still queued when the reader dies are discarded with it.
template <typename Function>
void StoreReader::post(Function function)
{
    QMetaObject::invokeMethod(this, std::move(function), Qt::QueuedConnection);
}

void StoreReader::postFailure(quint64 requestId, const StoreError& error)
{
    post([this, requestId, message = error.message()] { Q_EMIT failed(requestId, message); });
}

quint64 StoreReader::listStreams(const StreamFilter& filter, const QString& after, int count)
{
    return submit([this, filter, after, count](quint64 id) {
        auto result = m_store->listStreams(filter, after, count);
        if (!result) {
            postFailure(id, result.error());
            return;
        }
        post([this, id, page = std::move(result).value()] { Q_EMIT streamsLoaded(id, page); });
    });
}

quint64 StoreReader::readStream(const QString& streamId, StreamVersion fromVersion, int count)
{
    return submit([this, streamId, fromVersion, count](quint64 id) {
        auto result = m_store->readStream(streamId, fromVersion, count, ReadDirection::Forward);
        if (!result) {
            postFailure(id, result.error());
            return;
        }
        const bool atEnd = result->size() < count;
        post([this, id, events = std::move(result).value(), atEnd] { Q_EMIT eventsLoaded(id, events, atEnd); });
    });
}

quint64 StoreReader::readAll(GlobalPosition after, int count, const AllFilter& filter)
{
    return submit([this, after, count, filter](quint64 id) {
        auto result = m_store->readAll(after, count, filter);
        if (!result) {
            postFailure(id, result.error());
            return;
        }
        const bool atEnd = result->size() < count;
        post([this, id, events = std::move(result).value(), atEnd] { Q_EMIT eventsLoaded(id, events, atEnd); });
    });
}

quint64 StoreReader::loadStreamInfos(const QStringList& streamIds)
{
    return submit([this, streamIds](quint64 id) {
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

quint64 StoreReader::loadEventTypes()
{
    return submit([this](quint64 id) {
        auto result = m_store->eventTypes();
        if (!result) {
            postFailure(id, result.error());
            return;
        }
        post([this, id, types = std::move(result).value()] { Q_EMIT eventTypesLoaded(id, types); });
    });
}

quint64 StoreReader::loadSummary()
{
    return submit([this](quint64 id) {
        auto head = m_store->headPosition();
        if (!head) {
            postFailure(id, head.error());
            return;
        }
        auto count = m_store->eventCount();
        if (!count) {
            postFailure(id, count.error());
            return;
        }
        post([this, id, head = *head, count = *count] {
            setHead(head);
            Q_EMIT summaryLoaded(id, head, count);
        });
    });
}

void StoreReader::startWatching(GlobalPosition head)
{
    auto sqlStore = std::dynamic_pointer_cast<SqlEventStore>(m_store);
    AllSubscription::Options options;
    options.after = head;
    // Runs on the subscription's thread: keep only what the views need to know, the events stay in the store.
    auto handler = [this](const QList<RecordedEvent>& events) {
        if (events.isEmpty())
            return;
        QStringList streamIds;
        QSet<QString> seen;
        for (const RecordedEvent& event : events) {
            if (!seen.contains(event.streamId)) {
                seen.insert(event.streamId);
                streamIds.append(event.streamId);
            }
        }
        noteAppended(streamIds, events.constLast().position);
    };
    m_subscription = std::make_unique<AllSubscription>(std::move(sqlStore), options, std::move(handler));
    connect(m_subscription.get(), &AllSubscription::failed, this, &StoreReader::watchFailed, Qt::QueuedConnection);
    m_subscription->start();
}

void StoreReader::noteAppended(const QStringList& streamIds, GlobalPosition head)
{
    std::lock_guard lock(m_pendingMutex);
    for (const QString& streamId : streamIds) {
        if (!m_pendingSet.contains(streamId)) {
            m_pendingSet.insert(streamId);
            m_pendingStreams.append(streamId);
        }
    }
    m_pendingHead = std::max(m_pendingHead, head);
    if (!m_deliveryQueued) {
        m_deliveryQueued = true;
        QMetaObject::invokeMethod(this, &StoreReader::deliverAppended, Qt::QueuedConnection);
    }
}

void StoreReader::deliverAppended()
{
    QStringList streamIds;
    GlobalPosition head = 0;
    {
        std::lock_guard lock(m_pendingMutex);
        streamIds.swap(m_pendingStreams);
        m_pendingSet.clear();
        head = m_pendingHead;
        m_deliveryQueued = false;
    }
    if (streamIds.isEmpty())
        return;
    setHead(head);
    Q_EMIT appended(streamIds, head);
}

void StoreReader::setHead(GlobalPosition head)
{
    if (head <= m_head)
        return;
    m_head = head;
    Q_EMIT headChanged(head);
}

} // namespace EventScope
