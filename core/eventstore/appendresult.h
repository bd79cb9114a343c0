// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "recordedevent.h"

namespace EventScope {

/// What a successful append did.
struct AppendResult {
    /// Version of the stream's last event after the append.
    StreamVersion nextExpectedVersion = NoStreamVersion;
    /// Position of the first and last appended event (equal for one event; 0 when nothing was appended).
    GlobalPosition firstPosition = 0;
    GlobalPosition lastPosition = 0;
    /// True when every event was already stored at this place and nothing was written (idempotent retry).
    bool alreadyApplied = false;
};

} // namespace EventScope
