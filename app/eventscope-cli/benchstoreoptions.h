// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "clicontext.h"

#include "eventstore/storesettings.h"

#include <optional>

class QCommandLineParser;

namespace EventScope {

/// The store options every `eventscope-cli bench …` suite shares: --backend and --dsn, and how they resolve.
class BenchStoreOptions {
public:
    /// Adds --backend and --dsn to \a parser.
    static void add(QCommandLineParser& parser);

    /**
     * The store to benchmark: the backend from --backend (else the configuration's, else SQLite), and for
     * PostgreSQL the database from --dsn, else $EVENTSCOPE_TEST_PG_DSN, else the configuration's connection.
     * On a wrong command line prints the usage error for \a command, sets \a exitCode and returns nothing.
     */
    static std::optional<StoreSettings> resolve(
        const QCommandLineParser& parser, const CliContext& context, const QString& command, int* exitCode);
};

} // namespace EventScope
