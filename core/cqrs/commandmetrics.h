// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QMap>
#include <QString>

#include <chrono>
#include <mutex>
#include <utility>

namespace EventScope {

/**
 * In-process counts and durations of dispatched commands by command type and outcome ("ok" or a
 * CommandError code name). Monitoring exports these as `commands_executed_total{type,outcome}`.
 * Thread-safe.
 */
class CommandMetrics {
public:
    struct Entry {
        QString commandType;
        QString outcome;
        qint64 count = 0;
        std::chrono::nanoseconds totalDuration { 0 };
        std::chrono::nanoseconds maxDuration { 0 };
    };

    void record(const QString& commandType, const QString& outcome, std::chrono::nanoseconds duration);

    qint64 count(const QString& commandType, const QString& outcome) const;
    /// Every dispatch recorded, of any type and outcome.
    qint64 total() const;
    /// Every (type, outcome) pair seen, ordered by type then outcome.
    QList<Entry> entries() const;
    void reset();

private:
    mutable std::mutex m_mutex;
    QMap<std::pair<QString, QString>, Entry> m_entries;
};

} // namespace EventScope
