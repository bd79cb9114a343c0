// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "standardmetrics.h"

#include "eventstore/eventstore.h"

#include <memory>

namespace EventScope {

/**
 * An EventStore that records what passes through it into the standard metrics: the duration of every append
 * (eventstore_append_duration_seconds) and read (eventstore_read_duration_seconds), the events appended
 * (events_appended_total; an idempotent re-append counts none) and failed calls by operation
 * (eventstore_errors_total{operation}: append, read_stream, read_all, list_streams, stream_info, event_types,
 * head_position, event_count). The Engine puts it right in front of the SqlEventStore, so it measures the
 * database, not retries or injected faults. Thread-safe as the inner store is; recording is lock-free.
 */
class MeteredEventStore final : public EventStore {
    Q_OBJECT

public:
    MeteredEventStore(std::shared_ptr<EventStore> inner, StandardMetrics& metrics);

    StoreResult<AppendResult> append(
        const QString& streamId, ExpectedVersion expected, const QList<EventData>& events) override;
    StoreResult<QList<RecordedEvent>> readStream(const QString& streamId, StreamVersion from, int maxCount,
        ReadDirection direction = ReadDirection::Forward) override;
    StoreResult<QList<RecordedEvent>> readAll(
        GlobalPosition after, int maxCount, const AllFilter& filter = {}) override;
    StoreResult<StreamPage> listStreams(const StreamFilter& filter, const QString& after, int maxCount) override;
    StoreResult<std::optional<StreamInfo>> streamInfo(const QString& streamId) override;
    StoreResult<QList<EventTypeCount>> eventTypes() override;
    StoreResult<GlobalPosition> headPosition() override;
    StoreResult<qint64> eventCount() override;

private:
    template <typename T, typename Call>
    StoreResult<T> measured(Histogram* duration, Counter& errors, Call call);

    std::shared_ptr<EventStore> m_inner;
    StandardMetrics& m_metrics;
    Counter& m_appendErrors;
    Counter& m_readStreamErrors;
    Counter& m_readAllErrors;
    Counter& m_listErrors;
    Counter& m_infoErrors;
    Counter& m_typesErrors;
    Counter& m_headErrors;
    Counter& m_countErrors;
};

} // namespace EventScope
