// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/appconfig.h"

#include <atomic>
#include <chrono>
#include <functional>

namespace EventScope {

/**
 * Retries with exponential backoff.
 *
 * The nominal delay before retry n (n = 1 for the second attempt) is initialDelay × backoffFactor^(n−1),
 * capped at maxDelay. With jitter the delay actually waited is drawn uniformly from [nominal/2, nominal]
 * ("equal jitter"): callers that failed together spread out, and no delay collapses to zero, so a retry
 * never hammers a store that just said it is busy.
 *
 * Which outcomes are retried is the caller's decision (run()'s \a shouldRetry); the pipeline retries only
 * FailureKind::Transient. Waiting goes through the Sleeper and randomness through the Random given to the
 * constructor, so tests check the schedule without sleeping. Thread-safe, if the Sleeper and Random are.
 */
class RetryPolicy {
public:
    using Sleeper = std::function<void(std::chrono::milliseconds)>;
    /// Returns a number in [0, 1).
    using Random = std::function<double()>;
    /// Told before each wait: the attempt that failed (1-based) and the delay that follows.
    using Observer = std::function<void(int failedAttempt, std::chrono::milliseconds delay)>;

    /// Defaults: std::this_thread::sleep_for and QRandomGenerator::global().
    explicit RetryPolicy(AppConfig::Retry settings, Sleeper sleeper = {}, Random random = {});

    const AppConfig::Retry& settings() const { return m_settings; }
    int maxAttempts() const { return m_settings.maxAttempts < 1 ? 1 : m_settings.maxAttempts; }

    /// The delay before retry \a retry (1-based) without jitter.
    std::chrono::milliseconds nominalDelay(int retry) const;
    /// The delay to wait before retry \a retry: nominalDelay(), jittered if configured (draws from Random).
    std::chrono::milliseconds delay(int retry) const;
    /// Waits \a delay through the Sleeper.
    void sleep(std::chrono::milliseconds delay) const { m_sleeper(delay); }

    /**
     * Calls \a attempt until it returns something \a shouldRetry refuses, or maxAttempts() attempts were made,
     * waiting delay(n) between attempts; returns the last result. \a observer (optional) hears of every retry.
     */
    template <typename T>
    T run(const std::function<T()>& attempt, const std::function<bool(const T&)>& shouldRetry,
        const Observer& observer = {}) const
    {
        for (int n = 1;; ++n) {
            T result = attempt();
            if (!shouldRetry(result))
                return result;
            if (n >= maxAttempts()) {
                m_exhausted.fetch_add(1, std::memory_order_relaxed);
                return result;
            }
            const auto wait = delay(n);
            m_retries.fetch_add(1, std::memory_order_relaxed);
            if (observer)
                observer(n, wait);
            sleep(wait);
        }
    }

    /// Retries made (waits started) since construction.
    qint64 retries() const { return m_retries.load(std::memory_order_relaxed); }
    /// Calls that still failed with a retryable outcome after the last attempt.
    qint64 exhausted() const { return m_exhausted.load(std::memory_order_relaxed); }
    void noteRetry() const { m_retries.fetch_add(1, std::memory_order_relaxed); }
    void noteExhausted() const { m_exhausted.fetch_add(1, std::memory_order_relaxed); }

private:
    const AppConfig::Retry m_settings;
    const Sleeper m_sleeper;
    const Random m_random;
    mutable std::atomic<qint64> m_retries { 0 };
    mutable std::atomic<qint64> m_exhausted { 0 };
};

} // namespace EventScope
