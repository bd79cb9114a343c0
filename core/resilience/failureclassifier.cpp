// SPDX-License-Identifier: Apache-2.0
#include "failureclassifier.h"

#include "cqrs/commanderror.h"

#include <QStringList>

namespace EventScope {

FailureKind FailureClassifier::classify(const StoreError& error)
{
    switch (error.code()) {
    case StoreError::Code::WrongExpectedVersion:
    case StoreError::Code::InvalidArgument:
    case StoreError::Code::DuplicateEventId:
    case StoreError::Code::Cancelled:
        return FailureKind::CallerError;
    case StoreError::Code::ConnectionFailed:
        return FailureKind::Transient;
    case StoreError::Code::QueryFailed:
        return isTransientMessage(error.message()) ? FailureKind::Transient : FailureKind::Persistent;
    case StoreError::Code::NotAnEventStore:
    case StoreError::Code::SchemaTooNew:
    case StoreError::Code::Unsupported:
        break;
    }
    return FailureKind::Persistent;
}

FailureKind FailureClassifier::classify(const CommandError& error)
{
    return error.code() == CommandError::Code::StoreUnavailable ? FailureKind::Transient : FailureKind::CallerError;
}

bool FailureClassifier::isTransientMessage(const QString& message)
{
    static const QStringList markers {
        QStringLiteral("database is locked"), // SQLITE_BUSY
        QStringLiteral("database table is locked"), // SQLITE_LOCKED
        QStringLiteral("40001"), // PostgreSQL serialization_failure
        QStringLiteral("could not serialize access"),
        QStringLiteral("40P01"), // PostgreSQL deadlock_detected
        QStringLiteral("deadlock detected"),
        QStringLiteral("server closed the connection"),
        QStringLiteral("terminating connection"),
        QStringLiteral("no connection to the server"),
        QStringLiteral("connection to server"),
    };
    for (const QString& marker : markers) {
        if (message.contains(marker, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

QString FailureClassifier::kindName(FailureKind kind)
{
    switch (kind) {
    case FailureKind::Success:
        return QStringLiteral("success");
    case FailureKind::CallerError:
        return QStringLiteral("caller-error");
    case FailureKind::Transient:
        return QStringLiteral("transient");
    case FailureKind::Persistent:
        return QStringLiteral("persistent");
    case FailureKind::TimedOut:
        return QStringLiteral("timed-out");
    case FailureKind::Rejected:
        return QStringLiteral("rejected");
    }
    return QString();
}

} // namespace EventScope
