// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/eventstore.h"
#include "faultinjection.h"

#include <QCoreApplication>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <random>

namespace EventScope {

/**
 * An EventStore that passes calls on to another one and injects faults: random failures, added latency and
 * an outage window (see FaultInjection), plus a manual outage switch. For tests and for the `--chaos` drills
 * of the CLI and GUI. Settings can change while calls run. Thread-safe as the inner store is.
 */
class FaultInjectingEventStore : public EventStore {
    Q_OBJECT
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;
    using Sleeper = std::function<void(std::chrono::milliseconds)>;

    /// \a clock and \a sleeper default to steady_clock and a real sleep; tests pass their own.
    FaultInjectingEventStore(std::shared_ptr<EventStore> inner, FaultInjection faults, Clock clock = {},
        Sleeper sleeper = {}, QObject* parent = nullptr);
    ~FaultInjectingEventStore() override;

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

    /// Replaces the faults; the outage window restarts from now and the random sequence from the seed.
    void setFaults(const FaultInjection& faults);
    FaultInjection faults() const;
    /// Manual outage: while on, every call fails (on top of the configured window).
    void setOutage(bool on);
    /// True while calls fail because of the manual switch or the outage window.
    bool inOutage() const;

    qint64 calls() const { return m_calls.load(std::memory_order_relaxed); }
    qint64 injectedFailures() const { return m_injected.load(std::memory_order_relaxed); }
    const std::shared_ptr<EventStore>& inner() const { return m_inner; }

Q_SIGNALS:
    /// A fault was injected into \a operation (from the calling thread).
    void faultInjected(const QString& operation, const QString& message);

private:
    /// The error to return instead of calling the inner store, if any (after the latency).
    std::optional<StoreError> inject(const QString& operation);
    bool inOutageLocked(std::chrono::steady_clock::time_point now) const;

    template <typename T>
    StoreResult<T> call(const QString& operation, const std::function<StoreResult<T>()>& work)
    {
        if (auto error = inject(operation))
            return *error;
        return work();
    }

    const std::shared_ptr<EventStore> m_inner;
    const Clock m_clock;
    const Sleeper m_sleeper;
    mutable std::mutex m_mutex;
    FaultInjection m_faults;
    std::chrono::steady_clock::time_point m_appliedAt;
    std::mt19937_64 m_random;
    bool m_manualOutage = false;
    std::atomic<qint64> m_calls { 0 };
    std::atomic<qint64> m_injected { 0 };
};

} // namespace EventScope
