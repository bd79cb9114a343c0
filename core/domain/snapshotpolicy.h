// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/appconfig.h"
#include "eventstore/expectedversion.h"

namespace EventScope {

/// When a Repository takes snapshots, and how many it keeps per aggregate.
class SnapshotPolicy {
public:
    SnapshotPolicy() = default;
    SnapshotPolicy(bool enabled, int frequency, int retain)
        : m_enabled(enabled && frequency > 0)
        , m_frequency(frequency)
        , m_retain(retain)
    {
    }
    static SnapshotPolicy fromConfig(const AppConfig::Snapshots& config)
    {
        return SnapshotPolicy(config.enabled, config.frequency, config.retain);
    }
    static SnapshotPolicy disabled() { return SnapshotPolicy(false, 0, 0); }

    bool enabled() const { return m_enabled; }
    /// A snapshot is taken each time an aggregate's stream reaches a multiple of this many events.
    int frequency() const { return m_frequency; }
    /// Snapshots kept per aggregate; 0 or less keeps all.
    int retain() const { return m_retain; }

    /// True when saving moved a stream from \a before to \a after across a multiple of frequency() events.
    bool shouldSnapshot(StreamVersion before, StreamVersion after) const
    {
        if (!m_enabled || after <= before)
            return false;
        // A stream at version v holds v + 1 events.
        return (after + 1) / m_frequency > (before + 1) / m_frequency;
    }

private:
    bool m_enabled = true;
    int m_frequency = 10;
    int m_retain = 3;
};

} // namespace EventScope
