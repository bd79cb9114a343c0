// SPDX-License-Identifier: Apache-2.0
#include "resiliencepipeline.h"

#include "cqrs/commanderror.h"

#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcResilience, "eventscope.core.resilience")

namespace EventScope {

ResiliencePipeline::ResiliencePipeline(const AppConfig::Resilience& settings, Hooks hooks, QObject* parent)
    : QObject(parent)
    , m_settings(settings)
    , m_breaker(std::make_unique<CircuitBreaker>(settings.circuitBreaker, std::move(hooks.clock)))
    , m_bulkhead(std::make_unique<Bulkhead>(settings.bulkhead))
    , m_retry(settings.retry, std::move(hooks.sleeper), std::move(hooks.random))
    // One worker per bulkhead slot: workers hold the slot, so more could never run at once.
    , m_timeout(std::make_unique<TimeoutPolicy>(settings.timeout.duration, std::max(1, settings.bulkhead.maxRequests)))
{
}

ResiliencePipeline::~ResiliencePipeline() = default;

std::shared_ptr<ResiliencePipeline> ResiliencePipeline::fromConfig(const AppConfig::Resilience& settings, Hooks hooks)
{
    return std::make_shared<ResiliencePipeline>(settings, std::move(hooks));
}

DispatchResult ResiliencePipeline::execute(const std::function<DispatchResult()>& call)
{
    if (m_breaker->state() == CircuitBreaker::State::Open) {
        const QDateTime retryAt = m_breaker->retryAt();
        // Past the sleep window the breaker is due for trials: let the command through to make one.
        if (!retryAt.isValid() || retryAt > QDateTime::currentDateTimeUtc()) {
            m_gatedCommands.fetch_add(1, std::memory_order_relaxed);
            noteRejected(QStringLiteral("command"), QStringLiteral("circuit-breaker"));
            return DispatchResult::failure(
                CommandError::storeUnavailable(breakerOpenError(tr("the command")).message()));
        }
    }
    return call();
}

ResiliencePipeline::Statistics ResiliencePipeline::statistics() const
{
    Statistics statistics;
    statistics.breakerState = m_breaker->state();
    statistics.breaker = m_breaker->counters();
    statistics.bulkhead = m_bulkhead->counters();
    statistics.retries = m_retry.retries();
    statistics.retriesExhausted = m_retry.exhausted();
    statistics.timeouts = m_timeout->timeouts();
    statistics.gatedCommands = m_gatedCommands.load(std::memory_order_relaxed);
    return statistics;
}

StoreError ResiliencePipeline::breakerOpenError(const QString& operation) const
{
    const QDateTime retryAt = m_breaker->retryAt();
    return StoreError(StoreError::Code::ConnectionFailed,
        tr("The event store was not called for %1: circuit breaker \"%2\" is open because too many recent calls "
           "failed. It lets a trial call through at %3 (UTC). Check that the database is reachable; the "
           "application recovers by itself once it is.")
            .arg(operation, m_breaker->name(),
                retryAt.isValid() ? retryAt.toString(Qt::ISODate) : tr("the end of the sleep window")));
}

StoreError ResiliencePipeline::bulkheadError(const QString& operation, Bulkhead::Rejection why) const
{
    const auto& settings = m_bulkhead->settings();
    const QString reason = why == Bulkhead::Rejection::QueueFull
        ? tr("all %1 slots are busy and %2 calls are already waiting").arg(settings.maxRequests).arg(settings.queueSize)
        : tr("it waited %1 ms for one of %2 busy slots").arg(settings.timeout.count()).arg(settings.maxRequests);
    return StoreError(StoreError::Code::ConnectionFailed,
        tr("The event store was not called for %1: bulkhead \"%2\" turned it away because %3. The store is "
           "overloaded or slow; try again shortly, or raise resilience.bulkhead.max_requests / queue_size.")
            .arg(operation, m_bulkhead->name(), reason));
}

StoreError ResiliencePipeline::timeoutError(const QString& operation) const
{
    return StoreError(StoreError::Code::ConnectionFailed,
        tr("The event store did not answer %1 within %2 ms (resilience.timeout.duration). The call may still "
           "complete in the background — an append may still be stored, and retrying it with the same event ids "
           "is safe. Check the database's load and connectivity.")
            .arg(operation)
            .arg(m_timeout->duration().count()));
}

void ResiliencePipeline::noteRetry(
    const QString& operation, int failedAttempt, std::chrono::milliseconds delay, const StoreError& error)
{
    m_retry.noteRetry();
    qCInfo(lcResilience).noquote() << operation << "attempt" << failedAttempt << "failed transiently, retrying in"
                                   << delay.count() << "ms:" << error.message();
    Q_EMIT retrying(operation, failedAttempt, qint64(delay.count()), error.message());
}

void ResiliencePipeline::noteRejected(const QString& operation, const QString& policy)
{
    Q_EMIT rejected(operation, policy);
}

void ResiliencePipeline::noteTimeout(const QString& operation)
{
    qCWarning(lcResilience).noquote() << operation << "timed out after" << m_timeout->duration().count()
                                      << "ms; the call goes on in the background";
    Q_EMIT timedOut(operation);
}

} // namespace EventScope
