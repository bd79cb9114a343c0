// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/appconfig.h"

#include <QString>
#include <QTextStream>

namespace EventScope {

/// Exit statuses of eventscope-cli.
enum ExitCode : int {
    ExitOk = 0,
    ExitFailure = 1, ///< the command ran and failed (store, SQL, file, configuration)
    ExitUsage = 2, ///< the command line was wrong; nothing was done
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

    /// Prints "eventscope-cli: <message>"; returns ExitFailure.
    int failure(const QString& message) const
    {
        err << "eventscope-cli: " << message << Qt::endl;
        return ExitFailure;
    }
};

} // namespace EventScope
