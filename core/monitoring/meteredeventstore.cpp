// SPDX-License-Identifier: Apache-2.0
#include "meteredeventstore.h"

#include <chrono>

namespace EventScope {

MeteredEventStore::MeteredEventStore(std::shared_ptr<EventStore> inner, StandardMetrics& metrics)
    : m_inner(std::move(inner))
    , m_metrics(metrics)
    , m_appendErrors(metrics.eventStoreErrors.labels({ QStringLiteral("append") }))
    , m_readStreamErrors(metrics.eventStoreErrors.labels({ QStringLiteral("read_stream") }))
    , m_readAllErrors(metrics.eventStoreErrors.labels({ QStringLiteral("read_all") }))
    , m_listErrors(metrics.eventStoreErrors.labels({ QStringLiteral("list_streams") }))
    , m_infoErrors(metrics.eventStoreErrors.labels({ QStringLiteral("stream_info") }))
    , m_typesErrors(metrics.eventStoreErrors.labels({ QStringLiteral("event_types") }))
    , m_headErrors(metrics.eventStoreErrors.labels({ QStringLiteral("head_position") }))
    , m_countErrors(metrics.eventStoreErrors.labels({ QStringLiteral("event_count") }))
{
    // Appends of the inner store are this store's appends.
    connect(m_inner.get(), &EventStore::eventsAppended, this, &EventStore::eventsAppended, Qt::DirectConnection);
}

template <typename T, typename Call>
StoreResult<T> MeteredEventStore::measured(Histogram* duration, Counter& errors, Call call)
{
    const auto started = std::chrono::steady_clock::now();
    StoreResult<T> result = call();
    if (duration)
        duration->observe(std::chrono::steady_clock::now() - started);
    if (!result.ok())
        errors.increment();
    return result;
}

StoreResult<AppendResult> MeteredEventStore::append(
    const QString& streamId, ExpectedVersion expected, const QList<EventData>& events)
{
    auto result = measured<AppendResult>(&m_metrics.eventStoreAppendDuration, m_appendErrors,
        [&] { return m_inner->append(streamId, expected, events); });
    if (result.ok() && !result->alreadyApplied)
        m_metrics.eventsAppended.increment(double(events.size()));
    return result;
}

StoreResult<QList<RecordedEvent>> MeteredEventStore::readStream(
    const QString& streamId, StreamVersion from, int maxCount, ReadDirection direction)
{
    return measured<QList<RecordedEvent>>(&m_metrics.eventStoreReadDuration, m_readStreamErrors,
        [&] { return m_inner->readStream(streamId, from, maxCount, direction); });
}

StoreResult<QList<RecordedEvent>> MeteredEventStore::readAll(
    GlobalPosition after, int maxCount, const AllFilter& filter)
{
    return measured<QList<RecordedEvent>>(
        &m_metrics.eventStoreReadDuration, m_readAllErrors, [&] { return m_inner->readAll(after, maxCount, filter); });
}

StoreResult<StreamPage> MeteredEventStore::listStreams(const StreamFilter& filter, const QString& after, int maxCount)
{
    return measured<StreamPage>(
        &m_metrics.eventStoreReadDuration, m_listErrors, [&] { return m_inner->listStreams(filter, after, maxCount); });
}

StoreResult<std::optional<StreamInfo>> MeteredEventStore::streamInfo(const QString& streamId)
{
    return measured<std::optional<StreamInfo>>(
        &m_metrics.eventStoreReadDuration, m_infoErrors, [&] { return m_inner->streamInfo(streamId); });
}

StoreResult<QList<EventTypeCount>> MeteredEventStore::eventTypes()
{
    return measured<QList<EventTypeCount>>(nullptr, m_typesErrors, [&] { return m_inner->eventTypes(); });
}

StoreResult<GlobalPosition> MeteredEventStore::headPosition()
{
    return measured<GlobalPosition>(nullptr, m_headErrors, [&] { return m_inner->headPosition(); });
}

StoreResult<qint64> MeteredEventStore::eventCount()
{
    return measured<qint64>(nullptr, m_countErrors, [&] { return m_inner->eventCount(); });
}

} // namespace EventScope
