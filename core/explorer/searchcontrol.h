// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDeadlineTimer>

#include <atomic>
#include <chrono>
#include <memory>

namespace EventScope {

/**
 * Lets a caller stop a running search: cancel() from any thread (it never blocks), or a time limit. A search
 * that stops for either reason returns StoreError::Code::Cancelled with a message saying which, and what to
 * do (narrow the query, or raise the limit). Copies share the same cancellation flag.
 */
class SearchControl {
public:
    SearchControl() = default;
    /// A control whose searches stop after \a timeLimit (0: no limit), counted from start().
    explicit SearchControl(std::chrono::milliseconds timeLimit)
        : m_timeLimit(timeLimit)
    {
    }

    void cancel() { m_state->cancelled.store(true); }
    bool isCancelled() const { return m_state->cancelled.load(); }

    std::chrono::milliseconds timeLimit() const { return m_timeLimit; }
    /// Starts the clock for the time limit; called by the search when it begins.
    void start() { m_deadline = m_timeLimit.count() > 0 ? QDeadlineTimer(m_timeLimit) : QDeadlineTimer::Forever; }
    bool hasExpired() const { return m_deadline.hasExpired(); }
    QDeadlineTimer deadline() const { return m_deadline; }

    /// True when the search should stop now (cancelled or out of time).
    bool shouldStop() const { return isCancelled() || hasExpired(); }

private:
    struct State {
        std::atomic<bool> cancelled { false };
    };
    std::shared_ptr<State> m_state = std::make_shared<State>();
    std::chrono::milliseconds m_timeLimit { 0 };
    QDeadlineTimer m_deadline { QDeadlineTimer::Forever };
};

} // namespace EventScope
