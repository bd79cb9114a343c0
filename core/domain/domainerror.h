// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventstore/storeerror.h"

#include <QString>

#include <optional>

namespace EventScope {

/**
 * A typed failure of the domain layer: decoding an event, validating the event type registry, loading an
 * aggregate. Failures of the event store underneath keep their StoreError (storeError()). The message is
 * meant for people: it says what is wrong and what to do.
 */
class DomainError {
public:
    enum class Code {
        Store, ///< the event or snapshot store failed; see storeError()
        SchemaVersionTooNew, ///< a stored event has a schema version newer than this build knows
        MissingUpcaster, ///< the upcaster chain of an event type has a gap
        InvalidRegistration, ///< a type or upcaster registration is inconsistent
        InvalidStream, ///< a stream's events do not fit the aggregate (gaps, wrong order)
    };

    DomainError() = default;
    DomainError(Code code, QString message)
        : m_code(code)
        , m_message(std::move(message))
    {
    }
    DomainError(StoreError error)
        : m_code(Code::Store)
        , m_message(error.message())
        , m_storeError(std::move(error))
    {
    }

    Code code() const { return m_code; }
    const QString& message() const { return m_message; }
    /// Set when code() is Store.
    const std::optional<StoreError>& storeError() const { return m_storeError; }

private:
    Code m_code = Code::Store;
    QString m_message;
    std::optional<StoreError> m_storeError;
};

} // namespace EventScope
