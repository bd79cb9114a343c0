// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "expectedversion.h"

#include <QString>

#include <optional>

namespace EventScope {

/// The conflict an append reports when the stream is not where the caller expected it.
struct WrongExpectedVersion {
    ExpectedVersion expected;
    /// The stream's version when the append was attempted (NoStreamVersion if it had no events).
    StreamVersion actual = NoStreamVersion;
};

/**
 * A typed failure of an event store operation. Every error carries a message meant for people: it says
 * what went wrong and, where there is one, what to do about it. Nothing is written when an error is returned.
 */
class StoreError {
public:
    enum class Code {
        WrongExpectedVersion, ///< optimistic concurrency conflict; see wrongExpectedVersion()
        InvalidArgument, ///< bad stream id, event type, payload, metadata, page size …
        DuplicateEventId, ///< an event id already stored somewhere else
        NotAnEventStore, ///< the database holds tables that are not an EventScope store
        SchemaTooNew, ///< the store was written by a newer EventScope
        ConnectionFailed, ///< could not open or reach the database
        Unsupported, ///< driver or server lacks something the store needs
        QueryFailed, ///< a statement failed (logged with its SQL and driver error)
        Cancelled,
    };

    StoreError() = default;
    StoreError(Code code, QString message)
        : m_code(code)
        , m_message(std::move(message))
    {
    }

    static StoreError wrongExpectedVersion(const QString& stream, ExpectedVersion expected, StreamVersion actual);

    Code code() const { return m_code; }
    const QString& message() const { return m_message; }
    const std::optional<WrongExpectedVersion>& wrongExpectedVersion() const { return m_wrongVersion; }

    /// Stable machine name of the code ("wrong-expected-version", …) for logs and JSON output.
    static QString codeName(Code code);

private:
    Code m_code = Code::QueryFailed;
    QString m_message;
    std::optional<WrongExpectedVersion> m_wrongVersion;
};

} // namespace EventScope
