// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/appconfig.h"
#include "eventstore/storeerror.h"

#include <QString>
#include <QTextStream>

namespace EventScope {

/// Exit statuses of eventscope-cli (documented in its --help).
enum ExitCode : int {
    ExitOk = 0,
    ExitUsage = 1, ///< the command line or the configuration was wrong; nothing was done
    ExitRejected = 2, ///< the store refused the request: a conflict (the stream moved on) or invalid input
    ExitUnavailable = 3, ///< the store could not be opened or reached, or is not an EventScope store
    ExitFailure = 4, ///< the command ran and failed otherwise (a file, a benchmark check, an internal error)
};

/// What main() hands every subcommand: the configuration in force and where to write.
struct CliContext {
    /// Results (tables, JSON) go to `out`; progress, warnings and errors to `err`.
    QTextStream& out;
    QTextStream& err;
    AppConfig config;
    /// True when --config named a file; otherwise `config` holds the defaults.
    bool hasConfigFile = false;

    /// Prints "eventscope-cli: <message>" and where to find the usage of \a command; returns ExitUsage.
    int usageError(const QString& message, const QString& command) const
    {
        err << "eventscope-cli: " << message << Qt::endl
            << "Run 'eventscope-cli " << (command.isEmpty() ? QString() : command + u' ') << "--help' for usage."
            << Qt::endl;
        return ExitUsage;
    }

    /// Prints "eventscope-cli: <message>"; returns \a code (ExitFailure unless told).
    int failure(const QString& message, ExitCode code = ExitFailure) const
    {
        err << "eventscope-cli: " << message << Qt::endl;
        return code;
    }
    /// Prints the store's message; returns the exit status its error code stands for.
    int storeFailure(const StoreError& error) const { return failure(error.message(), exitCodeOf(error)); }

    /// ExitRejected for conflicts and invalid input, ExitUnavailable for a store that cannot be used,
    /// ExitFailure for the rest.
    static ExitCode exitCodeOf(const StoreError& error)
    {
        switch (error.code()) {
        case StoreError::Code::WrongExpectedVersion:
        case StoreError::Code::InvalidArgument:
        case StoreError::Code::DuplicateEventId:
            return ExitRejected;
        case StoreError::Code::NotAnEventStore:
        case StoreError::Code::SchemaTooNew:
        case StoreError::Code::ConnectionFailed:
        case StoreError::Code::Unsupported:
            return ExitUnavailable;
        case StoreError::Code::QueryFailed:
        case StoreError::Code::Cancelled:
            return ExitFailure;
        }
        return ExitFailure;
    }
};

} // namespace EventScope
