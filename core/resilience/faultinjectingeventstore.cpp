// SPDX-License-Identifier: Apache-2.0
#include "faultinjectingeventstore.h"

#include <QLoggingCategory>

#include <thread>

Q_LOGGING_CATEGORY(lcChaos, "eventscope.core.resilience.chaos")

namespace EventScope {

FaultInjectingEventStore::FaultInjectingEventStore(
    std::shared_ptr<EventStore> inner, FaultInjection faults, Clock clock, Sleeper sleeper, QObject* parent)
    : EventStore(parent)
    , m_inner(std::move(inner))
    , m_clock(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); }))
    , m_sleeper(sleeper ? std::move(sleeper)
                        : Sleeper([](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); }))
{
    Q_ASSERT(m_inner);
    connect(m_inner.get(), &EventStore::eventsAppended, this, &EventStore::eventsAppended, Qt::DirectConnection);
    setFaults(faults);
}

FaultInjectingEventStore::~FaultInjectingEventStore() = default;

void FaultInjectingEventStore::setFaults(const FaultInjection& faults)
{
    const std::lock_guard lock(m_mutex);
    m_faults = faults;
    m_appliedAt = m_clock();
    m_random.seed(faults.seed);
    // A drill that injects nothing (the GUI's toggle off, an engine built ready for drills) is no warning.
    if (faults.failureRate <= 0.0 && faults.latency.count() <= 0 && !faults.outageStart) {
        qCInfo(lcChaos) << "fault injection off";
        return;
    }
    qCWarning(lcChaos).noquote() << "fault injection active: failure rate" << faults.failureRate << ", latency"
                                 << faults.latency.count() << "ms"
                                 << (faults.outageStart ? ", with an outage window" : "");
}

FaultInjection FaultInjectingEventStore::faults() const
{
    const std::lock_guard lock(m_mutex);
    return m_faults;
}

void FaultInjectingEventStore::setOutage(bool on)
{
    const std::lock_guard lock(m_mutex);
    m_manualOutage = on;
}

bool FaultInjectingEventStore::inOutage() const
{
    const std::lock_guard lock(m_mutex);
    return inOutageLocked(m_clock());
}

bool FaultInjectingEventStore::inOutageLocked(std::chrono::steady_clock::time_point now) const
{
    if (m_manualOutage)
        return true;
    if (!m_faults.outageStart)
        return false;
    const auto elapsed = now - m_appliedAt;
    return elapsed >= *m_faults.outageStart && (!m_faults.outageEnd || elapsed < *m_faults.outageEnd);
}

std::optional<StoreError> FaultInjectingEventStore::inject(const QString& operation)
{
    m_calls.fetch_add(1, std::memory_order_relaxed);
    std::chrono::milliseconds latency;
    bool outage = false;
    bool fail = false;
    {
        const std::lock_guard lock(m_mutex);
        latency = m_faults.latency;
        outage = inOutageLocked(m_clock());
        // Draw for every call, so the sequence of failures depends only on the seed and the call count.
        const double draw = std::uniform_real_distribution<double>(0.0, 1.0)(m_random);
        fail = draw < m_faults.failureRate;
    }
    if (latency.count() > 0)
        m_sleeper(latency);
    if (!outage && !fail)
        return std::nullopt;
    m_injected.fetch_add(1, std::memory_order_relaxed);
    const QString message = outage
        ? QCoreApplication::translate("FaultInjectingEventStore",
            "Injected fault (chaos drill): the event store is in a simulated outage, %1 was not run. Turn fault "
            "injection off to end the drill.")
              .arg(operation)
        : QCoreApplication::translate("FaultInjectingEventStore",
            "Injected fault (chaos drill): a simulated connection failure, %1 was not run. Turn fault injection "
            "off to end the drill.")
              .arg(operation);
    Q_EMIT faultInjected(operation, message);
    return StoreError(StoreError::Code::ConnectionFailed, message);
}

StoreResult<AppendResult> FaultInjectingEventStore::append(
    const QString& streamId, ExpectedVersion expected, const QList<EventData>& events)
{
    return call<AppendResult>(QStringLiteral("append"), [&] { return m_inner->append(streamId, expected, events); });
}

StoreResult<QList<RecordedEvent>> FaultInjectingEventStore::readStream(
    const QString& streamId, StreamVersion from, int maxCount, ReadDirection direction)
{
    return call<QList<RecordedEvent>>(
        QStringLiteral("readStream"), [&] { return m_inner->readStream(streamId, from, maxCount, direction); });
}

StoreResult<QList<RecordedEvent>> FaultInjectingEventStore::readAll(
    GlobalPosition after, int maxCount, const AllFilter& filter)
{
    return call<QList<RecordedEvent>>(
        QStringLiteral("readAll"), [&] { return m_inner->readAll(after, maxCount, filter); });
}

StoreResult<StreamPage> FaultInjectingEventStore::listStreams(
    const StreamFilter& filter, const QString& after, int maxCount)
{
    return call<StreamPage>(
        QStringLiteral("listStreams"), [&] { return m_inner->listStreams(filter, after, maxCount); });
}

StoreResult<std::optional<StreamInfo>> FaultInjectingEventStore::streamInfo(const QString& streamId)
{
    return call<std::optional<StreamInfo>>(QStringLiteral("streamInfo"), [&] { return m_inner->streamInfo(streamId); });
}

StoreResult<QList<EventTypeCount>> FaultInjectingEventStore::eventTypes()
{
    return call<QList<EventTypeCount>>(QStringLiteral("eventTypes"), [&] { return m_inner->eventTypes(); });
}

StoreResult<GlobalPosition> FaultInjectingEventStore::headPosition()
{
    return call<GlobalPosition>(QStringLiteral("headPosition"), [&] { return m_inner->headPosition(); });
}

StoreResult<qint64> FaultInjectingEventStore::eventCount()
{
    return call<qint64>(QStringLiteral("eventCount"), [&] { return m_inner->eventCount(); });
}

} // namespace EventScope
