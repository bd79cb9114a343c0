// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace EventScope {

/// Why a ProjectionManager operation was refused or failed. The message says what to do.
class ProjectionError {
public:
    enum class Code {
        UnknownProjection,
        NotPermitted, ///< the operator's role may not do this
        ReasonRequired,
        InvalidState, ///< e.g. skip when the projection is not faulted
        RunningElsewhere, ///< another instance runs the projection; act there
        InvalidProjection, ///< a bad name, table or duplicate registration
        Store, ///< the database failed
    };

    ProjectionError(Code code, QString message)
        : m_code(code)
        , m_message(std::move(message))
    {
    }

    Code code() const { return m_code; }
    const QString& message() const { return m_message; }

private:
    Code m_code;
    QString m_message;
};

} // namespace EventScope
