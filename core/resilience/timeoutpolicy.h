// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QThreadPool>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace EventScope {

/**
 * Bounds how long a caller waits for a call.
 *
 * What a timeout means: store calls are synchronous SQL statements that cannot be interrupted safely from
 * another thread (neither QSqlQuery nor the SQLite handle the store uses support it). So run() starts the
 * call on a worker thread of its own pool and waits up to the duration; when the time is up the *caller
 * stops waiting* and gets std::nullopt (the pipeline turns that into an error saying so), while the call
 * itself finishes on the worker and its result is dropped. A timed-out append may therefore still commit:
 * the error says so, and retrying with the same event ids is safe because appends are idempotent by event
 * id. This was chosen over a statement timeout in the database because it works the same for SQLite and
 * PostgreSQL and for any EventStore (including the fault-injecting one), and it bounds what the user waits
 * for, which is what the setting is about. Slow work still occupies a worker: pair it with a Bulkhead
 * (whose permit the work holds until it ends) so abandoned calls cannot pile up without limit.
 *
 * A zero duration disables the timeout: the call runs on the caller's thread. Workers are QThreads, so an
 * EventStore may be called from them (each opens its own connection). The destructor waits for running
 * calls. Thread-safe.
 */
class TimeoutPolicy {
public:
    /// \a maxThreads bounds the workers (abandoned calls included); more calls wait in the pool's queue.
    explicit TimeoutPolicy(std::chrono::milliseconds duration, int maxThreads = 16);
    ~TimeoutPolicy();
    TimeoutPolicy(const TimeoutPolicy&) = delete;
    TimeoutPolicy& operator=(const TimeoutPolicy&) = delete;

    std::chrono::milliseconds duration() const { return m_duration; }
    /// Waits until every call, abandoned ones included, has finished (before what they report to goes away).
    void waitForAbandonedCalls() { m_pool.waitForDone(); }
    bool enabled() const { return m_duration.count() > 0; }

    /**
     * Runs \a work and returns its result, or std::nullopt when it did not finish within duration().
     * \a work must own what it uses (capture by value, shared pointers): it may outlive the caller.
     */
    template <typename T>
    std::optional<T> run(std::function<T()> work)
    {
        if (!enabled())
            return work();
        struct State {
            std::mutex mutex;
            std::condition_variable done;
            std::optional<T> result;
        };
        auto state = std::make_shared<State>();
        m_pool.start([state, work = std::move(work)] {
            T value = work();
            {
                const std::lock_guard lock(state->mutex);
                state->result.emplace(std::move(value));
            }
            state->done.notify_all();
        });
        std::unique_lock lock(state->mutex);
        if (!state->done.wait_for(lock, m_duration, [&state] { return state->result.has_value(); })) {
            m_timeouts.fetch_add(1, std::memory_order_relaxed);
            return std::nullopt;
        }
        return std::move(state->result);
    }

    /// Calls whose caller stopped waiting, since construction.
    qint64 timeouts() const { return m_timeouts.load(std::memory_order_relaxed); }
    /// Workers busy now (finishing abandoned calls included).
    int activeWorkers() const { return m_pool.activeThreadCount(); }

private:
    const std::chrono::milliseconds m_duration;
    QThreadPool m_pool;
    std::atomic<qint64> m_timeouts { 0 };
};

} // namespace EventScope
