// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/appconfig.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace EventScope {

/**
 * A circuit breaker over a rolling window of the last `requestVolume` calls.
 *
 * Closed: calls pass; once the window holds `requestVolume` outcomes and the share of failures in it is at
 * least `failureRatio`, the breaker opens. Open: tryAcquire() refuses every call (without running it) until
 * `sleepWindow` has passed; then the breaker is half-open. Half-open: up to `successThreshold` trial calls
 * are let through at a time; `successThreshold` successes close it (with an empty window), one failure opens
 * it again for another `sleepWindow`.
 *
 * Use: tryAcquire() before a call; if it returns a Permit, run the call and pass the permit to record().
 * Outcomes of calls that started before the latest state change are ignored, so a slow call that began while
 * closed cannot close a breaker that has opened meanwhile.
 *
 * Observability: stateChanged() is emitted after every transition (from the thread whose call caused it,
 * outside the lock; connect queued from the GUI); history() keeps the last transitions with their times;
 * the counters are thread-safe snapshots. Thread-safe throughout.
 */
class CircuitBreaker : public QObject {
    Q_OBJECT
public:
    enum class State { Closed, Open, HalfOpen };
    Q_ENUM(State)

    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    /// One state change.
    struct Transition {
        State from = State::Closed;
        State to = State::Closed;
        QDateTime at; ///< UTC wall time of the change
        QString reason;
    };

    /// Handed out by tryAcquire(); give it back to record().
    struct Permit {
        std::uint64_t generation = 0;
        bool trial = false;
    };

    /// Counters since construction.
    struct Counters {
        qint64 successes = 0;
        qint64 failures = 0;
        qint64 rejected = 0; ///< calls refused while open (or half-open with all trial slots taken)
        qint64 opened = 0; ///< times the breaker opened
    };

    /// \a clock measures the sleep window (default: std::chrono::steady_clock::now); tests pass their own.
    explicit CircuitBreaker(AppConfig::CircuitBreaker settings, Clock clock = {}, QObject* parent = nullptr);
    ~CircuitBreaker() override;

    const QString& name() const { return m_settings.name; }
    const AppConfig::CircuitBreaker& settings() const { return m_settings; }

    /// A permit when the call may run, std::nullopt when the breaker refuses it (counted as rejected).
    std::optional<Permit> tryAcquire();
    /**
     * True, and counted as a rejection, while the breaker is open and its sleep window has not passed: a cheap
     * check before anything else is waited for. Takes no trial permit; false means "ask tryAcquire()".
     */
    bool refusesNow();
    /// The outcome of a call that got \a permit.
    void record(const Permit& permit, bool success);

    State state() const;
    /// When the current state began (UTC).
    QDateTime stateSince() const;
    /// While open: when trial calls will be let through (UTC); otherwise invalid.
    QDateTime retryAt() const;
    /// Failures and outcomes currently in the rolling window.
    std::pair<int, int> window() const;
    /// The last transitions, oldest first (at most 100).
    QList<Transition> history() const;
    Counters counters() const;

    /// Forces the breaker closed with an empty window (an operator's reset).
    void reset();

    static QString stateName(State state);

Q_SIGNALS:
    /// After every transition; \a at is UTC.
    void stateChanged(EventScope::CircuitBreaker::State from, EventScope::CircuitBreaker::State to, const QDateTime& at,
        const QString& reason);

private:
    std::optional<Transition> transitionLocked(State to, QString reason);
    void emitTransition(const std::optional<Transition>& transition);
    void clearWindowLocked();

    const AppConfig::CircuitBreaker m_settings;
    const Clock m_clock;
    mutable std::mutex m_mutex;
    State m_state = State::Closed;
    std::uint64_t m_generation = 0;
    QDateTime m_stateSince;
    std::chrono::steady_clock::time_point m_openedAt;
    std::vector<bool> m_window; ///< ring buffer of outcomes, true = failure
    std::size_t m_windowNext = 0;
    int m_windowCount = 0;
    int m_windowFailures = 0;
    int m_trialsInFlight = 0;
    int m_trialSuccesses = 0;
    QList<Transition> m_history;
    Counters m_counters;
};

} // namespace EventScope
