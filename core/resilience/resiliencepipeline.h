// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bulkhead.h"
#include "circuitbreaker.h"
#include "config/appconfig.h"
#include "cqrs/resiliencepolicy.h"
#include "eventstore/storeresult.h"
#include "failureclassifier.h"
#include "retrypolicy.h"
#include "timeoutpolicy.h"

#include <QCoreApplication>
#include <QObject>

#include <functional>
#include <memory>
#include <utility>

namespace EventScope {

/**
 * The policies of the `resilience:` section composed into one pipeline, for event-store calls and for the
 * command bus.
 *
 * Store calls (run()), outermost first: retry → bulkhead → circuit breaker → timeout → the call.
 * - Retry is outermost, so each attempt passes the other policies afresh: it takes a bulkhead slot and asks
 *   the breaker again (an open breaker stops the retries), and backoff waits hold no slot. Only
 *   FailureKind::Transient outcomes are retried (see FailureClassifier); never conflicts or invalid input.
 * - The bulkhead comes before the breaker so that its rejections (load shedding) do not count as store
 *   failures.
 * - The timeout is innermost: a hung call counts as a breaker failure. Timed-out calls are not retried:
 *   the abandoned attempt still occupies the store (see TimeoutPolicy), another would add to the load.
 * Rejections and timeouts come back as StoreError::Code::ConnectionFailed (the store is unavailable to this
 * caller) with a message saying which policy refused the call and what to do.
 *
 * Commands (execute(), the command bus's ResiliencePolicy): the store calls a command handler makes are
 * protected individually by ResilientEventStore with this same pipeline, where retrying is safe — an append
 * is retried with the same event ids, so it cannot be applied twice. Retrying a whole command could decide
 * it twice (a deposit whose commit was acknowledged late would be re-run with new event ids), and counting
 * the command as well would count each store failure twice. So for commands the pipeline is a gate: while
 * the breaker is open it answers CommandError::StoreUnavailable without running the handler; otherwise
 * it runs the handler once and passes its result through.
 *
 * Observability for metrics: the components' counters and signals (CircuitBreaker::stateChanged,
 * Bulkhead::rejected) and this object's retrying() / timedOut() / rejected(); statistics() snapshots all
 * counters. Thread-safe.
 */
class ResiliencePipeline : public QObject, public ResiliencePolicy {
    Q_OBJECT
public:
    /// Test hooks; empty members mean the real clock, sleep and random numbers.
    struct Hooks {
        CircuitBreaker::Clock clock;
        RetryPolicy::Sleeper sleeper;
        RetryPolicy::Random random;
    };

    /// Counters of all policies at one moment (each read atomically, not all together).
    struct Statistics {
        CircuitBreaker::State breakerState = CircuitBreaker::State::Closed;
        CircuitBreaker::Counters breaker;
        Bulkhead::Counters bulkhead;
        qint64 retries = 0;
        qint64 retriesExhausted = 0;
        qint64 timeouts = 0;
        qint64 gatedCommands = 0; ///< commands answered StoreUnavailable by the gate
    };

    explicit ResiliencePipeline(const AppConfig::Resilience& settings, Hooks hooks = {}, QObject* parent = nullptr);
    ~ResiliencePipeline() override;

    static std::shared_ptr<ResiliencePipeline> fromConfig(const AppConfig::Resilience& settings, Hooks hooks = {});

    /// Runs the store call \a call, named \a operation ("append", "readStream" …) in messages and signals.
    /// \a call may outlive this call (timeout): it must own what it uses.
    template <typename T>
    StoreResult<T> run(const QString& operation, std::function<StoreResult<T>()> call);

    /// The command bus's policy: the breaker gate described above.
    DispatchResult execute(const std::function<DispatchResult()>& call) override;

    CircuitBreaker& breaker() { return *m_breaker; }
    Bulkhead& bulkhead() { return *m_bulkhead; }
    const RetryPolicy& retry() const { return m_retry; }
    TimeoutPolicy& timeout() { return *m_timeout; }
    const AppConfig::Resilience& settings() const { return m_settings; }
    Statistics statistics() const;

Q_SIGNALS:
    /// \a operation failed transiently on attempt \a failedAttempt and is tried again after \a delayMs.
    void retrying(const QString& operation, int failedAttempt, qint64 delayMs, const QString& error);
    /// The caller of \a operation stopped waiting after the timeout; the call goes on in the background.
    void timedOut(const QString& operation);
    /// \a operation was not run: \a policy is "circuit-breaker" or "bulkhead".
    void rejected(const QString& operation, const QString& policy);

private:
    template <typename T>
    struct Attempt {
        StoreResult<T> result;
        FailureKind kind;
    };

    template <typename T>
    Attempt<T> attempt(const QString& operation, const std::function<StoreResult<T>()>& call);

    StoreError breakerOpenError(const QString& operation) const;
    StoreError bulkheadError(const QString& operation, Bulkhead::Rejection why) const;
    StoreError timeoutError(const QString& operation) const;
    void noteRetry(
        const QString& operation, int failedAttempt, std::chrono::milliseconds delay, const StoreError& error);
    void noteRejected(const QString& operation, const QString& policy);
    void noteTimeout(const QString& operation);

    const AppConfig::Resilience m_settings;
    std::unique_ptr<CircuitBreaker> m_breaker;
    std::unique_ptr<Bulkhead> m_bulkhead;
    RetryPolicy m_retry;
    std::unique_ptr<TimeoutPolicy> m_timeout;
    std::atomic<qint64> m_gatedCommands { 0 };
};

template <typename T>
StoreResult<T> ResiliencePipeline::run(const QString& operation, std::function<StoreResult<T>()> call)
{
    for (int n = 1;; ++n) {
        Attempt<T> outcome = attempt<T>(operation, call);
        if (outcome.kind != FailureKind::Transient)
            return std::move(outcome.result);
        if (n >= m_retry.maxAttempts()) {
            m_retry.noteExhausted();
            return std::move(outcome.result);
        }
        const auto delay = m_retry.delay(n);
        noteRetry(operation, n, delay, outcome.result.error());
        m_retry.sleep(delay);
    }
}

template <typename T>
ResiliencePipeline::Attempt<T> ResiliencePipeline::attempt(
    const QString& operation, const std::function<StoreResult<T>()>& call)
{
    // An open breaker answers at once: a caller must not first queue for a bulkhead slot (held, when the store
    // hangs, by calls that timed out) only to be refused. No trial permit is taken here.
    if (m_breaker->refusesNow()) {
        noteRejected(operation, QStringLiteral("circuit-breaker"));
        return { breakerOpenError(operation), FailureKind::Rejected };
    }
    Bulkhead::Rejection why = Bulkhead::Rejection::None;
    Bulkhead::Permit permit = m_bulkhead->acquire(&why);
    if (!permit) {
        noteRejected(operation, QStringLiteral("bulkhead"));
        return { bulkheadError(operation, why), FailureKind::Rejected };
    }
    const auto ticket = m_breaker->tryAcquire();
    if (!ticket) {
        noteRejected(operation, QStringLiteral("circuit-breaker"));
        return { breakerOpenError(operation), FailureKind::Rejected };
    }
    // The worker holds the permit until the call really ends, even when the caller stopped waiting.
    std::optional<StoreResult<T>> result
        = m_timeout->run<StoreResult<T>>([call, permit]() -> StoreResult<T> { return call(); });
    if (!result) {
        m_breaker->record(*ticket, false);
        noteTimeout(operation);
        return { timeoutError(operation), FailureKind::TimedOut };
    }
    const FailureKind kind = FailureClassifier::classify(*result);
    m_breaker->record(*ticket, kind == FailureKind::Success || kind == FailureKind::CallerError);
    return { std::move(*result), kind };
}

} // namespace EventScope
