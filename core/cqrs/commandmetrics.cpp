// SPDX-License-Identifier: Apache-2.0
#include "commandmetrics.h"

#include <algorithm>

namespace EventScope {

void CommandMetrics::record(const QString& commandType, const QString& outcome, std::chrono::nanoseconds duration)
{
    const std::lock_guard lock(m_mutex);
    Entry& entry = m_entries[std::make_pair(commandType, outcome)];
    if (entry.count == 0) {
        entry.commandType = commandType;
        entry.outcome = outcome;
    }
    ++entry.count;
    entry.totalDuration += duration;
    entry.maxDuration = std::max(entry.maxDuration, duration);
}

qint64 CommandMetrics::count(const QString& commandType, const QString& outcome) const
{
    const std::lock_guard lock(m_mutex);
    const auto it = m_entries.constFind(std::make_pair(commandType, outcome));
    return it == m_entries.cend() ? 0 : it->count;
}

qint64 CommandMetrics::total() const
{
    const std::lock_guard lock(m_mutex);
    qint64 sum = 0;
    for (const Entry& entry : m_entries)
        sum += entry.count;
    return sum;
}

QList<CommandMetrics::Entry> CommandMetrics::entries() const
{
    const std::lock_guard lock(m_mutex);
    return m_entries.values();
}

void CommandMetrics::reset()
{
    const std::lock_guard lock(m_mutex);
    m_entries.clear();
}

} // namespace EventScope
