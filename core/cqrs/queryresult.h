// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonValue>
#include <QString>

#include <optional>

namespace EventScope {

/// The answer to a Query: a JSON value, or an error with a message for people.
class QueryResult {
public:
    enum class ErrorCode {
        UnknownQuery, ///< no handler is registered for the query type
        InvalidParameters, ///< the handler cannot use the parameters given
        StoreUnavailable, ///< the read model or store could not be reached
        HandlerFailed, ///< the handler threw (a bug)
    };

    struct Error {
        ErrorCode code;
        QString message;
    };

    QueryResult(QJsonValue value)
        : m_value(std::move(value))
    {
    }
    static QueryResult failure(ErrorCode code, QString message);

    bool ok() const { return !m_error.has_value(); }
    const QJsonValue& value() const { return m_value; }
    const std::optional<Error>& error() const { return m_error; }

    /// "unknown-query", "invalid-parameters", "store-unavailable" or "handler-failed".
    static QString codeName(ErrorCode code);

private:
    QueryResult() = default;
    QJsonValue m_value;
    std::optional<Error> m_error;
};

} // namespace EventScope
