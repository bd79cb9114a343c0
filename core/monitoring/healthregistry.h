// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "healthcheck.h"
#include "healthreport.h"

#include <QStringList>
#include <QThreadPool>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace EventScope {

/**
 * Runs health checks, each with a timeout, and combines their results: the overall status is the worst one.
 *
 * Threading: run() and friends block the calling thread until every check has answered or the timeout has
 * passed (the checks run in parallel on the registry's own QThreadPool, so that is about the slowest check,
 * never the sum). Call them from a worker thread — an HTTP handler's thread, QtConcurrent::run — never from
 * the GUI thread. A check that has not answered by the timeout is reported as down; it keeps running in the
 * background, and until it returns every further run reports it as still running instead of piling up
 * threads. The destructor waits for checks still running. add() and the run functions are thread-safe.
 */
class HealthRegistry {
public:
    /// \a timeout: how long one check may take (AppConfig::Health::timeout).
    explicit HealthRegistry(std::chrono::milliseconds timeout = std::chrono::seconds(5));
    ~HealthRegistry();
    HealthRegistry(const HealthRegistry&) = delete;
    HealthRegistry& operator=(const HealthRegistry&) = delete;

    /// Adds \a check; returns false (and adds nothing) when a check of that name is registered already.
    bool add(std::shared_ptr<HealthCheck> check);
    QStringList names() const;
    std::chrono::milliseconds timeout() const { return m_timeout; }

    /// Runs every check.
    HealthReport runAll();
    /// Runs the check called \a name alone; std::nullopt when there is none.
    std::optional<HealthReport> run(const QString& name);
    /// Runs the checks called \a names (unknown names are ignored).
    HealthReport run(const QStringList& names);

private:
    struct Entry {
        std::shared_ptr<HealthCheck> check;
        /// Set while a run of this check is in progress (also one the registry stopped waiting for).
        std::shared_ptr<std::atomic<qint64>> runningSince;
    };

    const std::chrono::milliseconds m_timeout;
    mutable std::mutex m_mutex;
    std::vector<Entry> m_entries;
    QThreadPool m_pool;
};

} // namespace EventScope
