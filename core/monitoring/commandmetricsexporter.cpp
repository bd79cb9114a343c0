// SPDX-License-Identifier: Apache-2.0
#include "commandmetricsexporter.h"

#include "cqrs/commandmetrics.h"

namespace EventScope {

CommandMetricsExporter::CommandMetricsExporter(std::shared_ptr<const CommandMetrics> source, StandardMetrics& metrics)
    : m_source(std::move(source))
    , m_metrics(metrics)
{
}

void CommandMetricsExporter::sample()
{
    if (!m_source)
        return;
    const QList<CommandMetrics::Entry> entries = m_source->entries();
    const std::lock_guard lock(m_mutex);
    QMap<std::pair<QString, QString>, qint64> seen;
    for (const CommandMetrics::Entry& entry : entries) {
        const auto key = std::make_pair(entry.commandType, entry.outcome);
        const qint64 before = m_seen.value(key, 0);
        // Fewer than before: the source was reset in between; everything it holds now is new.
        const qint64 added = entry.count >= before ? entry.count - before : entry.count;
        Counter& counter = m_metrics.commandsExecuted.labels({ entry.commandType, entry.outcome });
        counter.increment(double(added));
        seen.insert(key, entry.count);
    }
    m_seen = std::move(seen);
}

} // namespace EventScope
