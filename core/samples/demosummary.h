// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

namespace EventScope {

/// What DemoSeeder::seed() wrote.
struct DemoSummary {
    /// Streams written (users + accounts).
    int streams = 0;
    int userStreams = 0;
    int accountStreams = 0;
    /// Events written, over all streams.
    qint64 events = 0;
    /// Events of the history that the store already held from an earlier run with the same options
    /// (recognised by stream version and correlation id), and that were therefore not written again.
    qint64 alreadyPresent = 0;
    /// Writes made: commands dispatched plus legacy events appended directly; each wrote one event.
    int appends = 0;
};

} // namespace EventScope
