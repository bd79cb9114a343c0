// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/eventstore.h"

#include <memory>

namespace EventScope {

class ResiliencePipeline;

/**
 * An EventStore that runs every call of another EventStore through a ResiliencePipeline (retry, bulkhead,
 * circuit breaker, timeout). Results and errors are the inner store's, plus the pipeline's own errors when
 * it refuses or stops waiting for a call (StoreError::Code::ConnectionFailed, with a message naming the
 * policy). eventsAppended() of the inner store is re-emitted. Thread-safe as the inner store is.
 */
class ResilientEventStore : public EventStore {
    Q_OBJECT
public:
    ResilientEventStore(
        std::shared_ptr<EventStore> inner, std::shared_ptr<ResiliencePipeline> pipeline, QObject* parent = nullptr);
    ~ResilientEventStore() override;

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

    const std::shared_ptr<EventStore>& inner() const { return m_inner; }
    const std::shared_ptr<ResiliencePipeline>& pipeline() const { return m_pipeline; }

private:
    const std::shared_ptr<EventStore> m_inner;
    const std::shared_ptr<ResiliencePipeline> m_pipeline;
};

} // namespace EventScope
