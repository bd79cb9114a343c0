// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "healthcheckresult.h"

#include <QDeadlineTimer>
#include <QString>

namespace EventScope {

/**
 * One component's health check (event store, projections, resilience …), run by HealthRegistry.
 *
 * Threading: check() runs on one of the registry's worker threads (a QThreadPool thread), never on the GUI
 * thread, possibly at the same time as other checks but never concurrently with itself. It may do I/O; it
 * should give up by \a deadline and say so: the registry reports a check that has not returned by then as
 * down, and does not start it again until it has returned. Throwing a std::exception reports it as down.
 */
class HealthCheck {
public:
    virtual ~HealthCheck();

    /// Lower-case identifier, unique in the registry: the key in the JSON body and the URL (/health/<name>).
    virtual QString name() const = 0;
    virtual HealthCheckResult check(QDeadlineTimer deadline) = 0;
};

} // namespace EventScope
