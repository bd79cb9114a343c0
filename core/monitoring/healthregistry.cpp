// SPDX-License-Identifier: Apache-2.0
#include "healthregistry.h"

#include <QDateTime>
#include <QElapsedTimer>

#include <algorithm>
#include <condition_variable>
#include <exception>

namespace EventScope {

namespace {

/// What the waiting thread and the checks' threads of one run share; outlives the run if a check hangs.
struct RunState {
    std::mutex mutex;
    std::condition_variable done;
    std::vector<std::optional<HealthCheckResult>> results;
    int pending = 0;
};

// Checks get the full timeout as their deadline; the registry waits a little longer, so that a check which
// gives up at its deadline reports its own, more precise reason instead of a bare "did not answer".
constexpr std::chrono::milliseconds Grace { 200 };

} // namespace

HealthRegistry::HealthRegistry(std::chrono::milliseconds timeout)
    : m_timeout(std::max(timeout, std::chrono::milliseconds(1)))
{
    m_pool.setObjectName(QStringLiteral("HealthChecks"));
}

HealthRegistry::~HealthRegistry()
{
    m_pool.waitForDone();
}

bool HealthRegistry::add(std::shared_ptr<HealthCheck> check)
{
    if (!check)
        return false;
    const std::lock_guard lock(m_mutex);
    const QString name = check->name();
    for (const Entry& entry : m_entries) {
        if (entry.check->name() == name)
            return false;
    }
    m_entries.push_back({ std::move(check), std::make_shared<std::atomic<qint64>>(0) });
    // One thread per check, and as many spare for a check that returns just as the next run starts.
    m_pool.setMaxThreadCount(int(m_entries.size()) * 2);
    return true;
}

QStringList HealthRegistry::names() const
{
    const std::lock_guard lock(m_mutex);
    QStringList result;
    for (const Entry& entry : m_entries)
        result << entry.check->name();
    return result;
}

HealthReport HealthRegistry::runAll()
{
    return run(names());
}

std::optional<HealthReport> HealthRegistry::run(const QString& name)
{
    if (!names().contains(name))
        return std::nullopt;
    return run(QStringList { name });
}

HealthReport HealthRegistry::run(const QStringList& names)
{
    std::vector<Entry> selected;
    {
        const std::lock_guard lock(m_mutex);
        for (const Entry& entry : m_entries) {
            if (names.contains(entry.check->name()))
                selected.push_back(entry);
        }
    }

    const auto state = std::make_shared<RunState>();
    state->results.resize(selected.size());
    const QDateTime started = QDateTime::currentDateTimeUtc();
    const QDeadlineTimer deadline(m_timeout);
    const QDeadlineTimer waitUntil(m_timeout + Grace);

    for (size_t i = 0; i < selected.size(); ++i) {
        const Entry& entry = selected[i];
        qint64 expected = 0;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const bool claimed = entry.runningSince->compare_exchange_strong(expected, now);
        // Another request is running this check right now (probes overlap all the time): run it again beside it.
        // Only a run older than the timeout means the component hangs; then no further run is piled on.
        if (!claimed && now - expected >= m_timeout.count()) {
            // The previous run of this check has not returned yet: do not start another one.
            HealthCheckResult result = HealthCheckResult::down(
                QStringLiteral("The previous check has been running for %1 ms without an answer (timeout %2 ms); "
                               "the component does not respond.")
                    .arg(now - expected)
                    .arg(m_timeout.count()));
            result.checkedAt = QDateTime::fromMSecsSinceEpoch(expected, Qt::UTC);
            result.duration = std::chrono::milliseconds(now - expected);
            state->results[i] = result;
            continue;
        }
        ++state->pending;
        m_pool.start([state, i, check = entry.check, runningSince = entry.runningSince, deadline, claimed]() {
            const QDateTime checkedAt = QDateTime::currentDateTimeUtc();
            QElapsedTimer timer;
            timer.start();
            HealthCheckResult result;
            try {
                result = check->check(deadline);
            } catch (const std::exception& error) {
                result = HealthCheckResult::down(
                    QStringLiteral("The check failed unexpectedly: %1").arg(QString::fromLocal8Bit(error.what())));
            } catch (...) {
                result = HealthCheckResult::down(QStringLiteral("The check failed unexpectedly."));
            }
            result.checkedAt = checkedAt;
            result.duration = std::chrono::milliseconds(timer.elapsed());
            {
                const std::lock_guard lock(state->mutex);
                state->results[i] = std::move(result);
                --state->pending;
            }
            if (claimed)
                runningSince->store(0);
            state->done.notify_all();
        });
    }

    HealthReport report;
    {
        std::unique_lock lock(state->mutex);
        state->done.wait_for(lock, std::chrono::milliseconds(std::max<qint64>(0, waitUntil.remainingTime())),
            [&] { return state->pending == 0; });
        for (size_t i = 0; i < selected.size(); ++i) {
            HealthCheckResult result;
            if (state->results[i]) {
                result = *state->results[i];
            } else {
                result = HealthCheckResult::down(
                    QStringLiteral("No answer within the timeout of %1 ms; the component does not respond "
                                   "(monitoring.health.timeout).")
                        .arg(m_timeout.count()));
                result.checkedAt = started;
                result.duration = m_timeout;
            }
            report.status = worstOf(report.status, result.status);
            report.checks.emplace(selected[i].check->name(), std::move(result));
        }
    }
    report.time = QDateTime::currentDateTimeUtc();
    return report;
}

} // namespace EventScope
