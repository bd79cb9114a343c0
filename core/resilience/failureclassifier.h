// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/storeresult.h"

namespace EventScope {

class CommandError;

/**
 * How the outcome of one protected call counts for the resilience policies.
 *
 * | kind        | retried | counts for the circuit breaker |
 * |-------------|---------|--------------------------------|
 * | Success     | –       | success                        |
 * | CallerError | no      | success: the store answered, the request was wrong (conflict, validation, domain) |
 * | Transient   | yes     | failure                        |
 * | Persistent  | no      | failure: retrying the same call will fail the same way |
 * | TimedOut    | no      | failure (see TimeoutPolicy for why a timed-out call is not retried) |
 * | Rejected    | no      | not counted: the pipeline itself refused the call (breaker open, bulkhead full) |
 */
enum class FailureKind { Success, CallerError, Transient, Persistent, TimedOut, Rejected };

/**
 * Decides which store errors are transient, i.e. worth retrying.
 *
 * Transient: StoreError::Code::ConnectionFailed (connection lost or refused; the store also reports SQLite's
 * SQLITE_BUSY this way), and QueryFailed whose message shows a lock or serialization problem: SQLite's
 * "database is locked" / "database table is locked", PostgreSQL's serialization failure (SQLSTATE 40001,
 * "could not serialize access") and deadlock (40P01, "deadlock detected"), or a connection that dropped
 * mid-statement ("server closed the connection", "terminating connection", "no connection to the server").
 *
 * Caller errors (never retried, never a breaker failure): WrongExpectedVersion, InvalidArgument,
 * DuplicateEventId, Cancelled. Everything else (NotAnEventStore, SchemaTooNew, Unsupported, any other
 * QueryFailed) is Persistent. Thread-safe: pure functions.
 */
class FailureClassifier {
public:
    FailureClassifier() = delete;

    static FailureKind classify(const StoreError& error);
    /// Success for a successful result, else classify(error()).
    template <typename T>
    static FailureKind classify(const StoreResult<T>& result)
    {
        return result.ok() ? FailureKind::Success : classify(result.error());
    }
    /// Commands: StoreUnavailable is Transient, every other code (validation, conflict, domain …) a CallerError.
    static FailureKind classify(const CommandError& error);

    /// True when \a message names a lock, serialization or dropped-connection problem (see the class comment).
    static bool isTransientMessage(const QString& message);

    /// Stable lower-case name ("transient", "timed-out" …) for logs and metrics labels.
    static QString kindName(FailureKind kind);
};

} // namespace EventScope
