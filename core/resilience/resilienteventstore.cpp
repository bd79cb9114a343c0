// SPDX-License-Identifier: Apache-2.0
#include "resilienteventstore.h"

#include "resiliencepipeline.h"

namespace EventScope {

// Every lambda captures the inner store and the arguments by value: after a timeout it outlives the caller.

ResilientEventStore::ResilientEventStore(
    std::shared_ptr<EventStore> inner, std::shared_ptr<ResiliencePipeline> pipeline, QObject* parent)
    : EventStore(parent)
    , m_inner(std::move(inner))
    , m_pipeline(std::move(pipeline))
{
    Q_ASSERT(m_inner && m_pipeline);
    connect(m_inner.get(), &EventStore::eventsAppended, this, &EventStore::eventsAppended, Qt::DirectConnection);
}

ResilientEventStore::~ResilientEventStore() = default;

StoreResult<AppendResult> ResilientEventStore::append(
    const QString& streamId, ExpectedVersion expected, const QList<EventData>& events)
{
    return m_pipeline->run<AppendResult>(QStringLiteral("append"),
        [inner = m_inner, streamId, expected, events] { return inner->append(streamId, expected, events); });
}

StoreResult<QList<RecordedEvent>> ResilientEventStore::readStream(
    const QString& streamId, StreamVersion from, int maxCount, ReadDirection direction)
{
    return m_pipeline->run<QList<RecordedEvent>>(
        QStringLiteral("readStream"), [inner = m_inner, streamId, from, maxCount, direction] {
            return inner->readStream(streamId, from, maxCount, direction);
        });
}

StoreResult<QList<RecordedEvent>> ResilientEventStore::readAll(
    GlobalPosition after, int maxCount, const AllFilter& filter)
{
    return m_pipeline->run<QList<RecordedEvent>>(QStringLiteral("readAll"),
        [inner = m_inner, after, maxCount, filter] { return inner->readAll(after, maxCount, filter); });
}

StoreResult<StreamPage> ResilientEventStore::listStreams(const StreamFilter& filter, const QString& after, int maxCount)
{
    return m_pipeline->run<StreamPage>(QStringLiteral("listStreams"),
        [inner = m_inner, filter, after, maxCount] { return inner->listStreams(filter, after, maxCount); });
}

StoreResult<std::optional<StreamInfo>> ResilientEventStore::streamInfo(const QString& streamId)
{
    return m_pipeline->run<std::optional<StreamInfo>>(
        QStringLiteral("streamInfo"), [inner = m_inner, streamId] { return inner->streamInfo(streamId); });
}

StoreResult<QList<EventTypeCount>> ResilientEventStore::eventTypes()
{
    return m_pipeline->run<QList<EventTypeCount>>(
        QStringLiteral("eventTypes"), [inner = m_inner] { return inner->eventTypes(); });
}

StoreResult<GlobalPosition> ResilientEventStore::headPosition()
{
    return m_pipeline->run<GlobalPosition>(
        QStringLiteral("headPosition"), [inner = m_inner] { return inner->headPosition(); });
}

StoreResult<qint64> ResilientEventStore::eventCount()
{
    return m_pipeline->run<qint64>(QStringLiteral("eventCount"), [inner = m_inner] { return inner->eventCount(); });
}

} // namespace EventScope
