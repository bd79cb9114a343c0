// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

#include <chrono>
#include <optional>

namespace EventScope {

/**
 * What a FaultInjectingEventStore does to the calls it passes on ("chaos" drills and tests).
 *
 * Injected failures are transient store errors (StoreError::Code::ConnectionFailed) returned *instead of*
 * calling the inner store, so nothing is written by a failed call.
 */
struct FaultInjection {
    /// Share of calls, in [0, 1], that fail at random.
    double failureRate = 0.0;
    /// Added before every call (also before one that then fails).
    std::chrono::milliseconds latency { 0 };
    /// Every call fails from outageStart until outageEnd, both measured from when the settings were applied;
    /// no outage when outageStart is unset, an outage without end when only outageEnd is unset.
    std::optional<std::chrono::milliseconds> outageStart;
    std::optional<std::chrono::milliseconds> outageEnd;
    /// Seed of the random failures: the same seed gives the same sequence of failures (for one calling thread).
    quint64 seed = 1;

    bool operator==(const FaultInjection&) const = default;
};

} // namespace EventScope
