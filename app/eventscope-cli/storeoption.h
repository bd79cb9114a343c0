// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "clicontext.h"

#include "eventstore/sqleventstore.h"

#include <memory>

class QCommandLineParser;

namespace EventScope {

/**
 * The `--store` option every store command takes: an SQLite file path, or a PostgreSQL connection string
 * (postgres://user:password@host:port/db or host=… dbname=…). Without it the configuration's `eventstore:`
 * section applies (with --config), else ./eventscope.db.
 */
class StoreOption {
public:
    static void add(QCommandLineParser& parser);
    static StoreSettings settings(const QCommandLineParser& parser, const CliContext& context);
    /// Opens the store; on failure prints why and returns nullptr with \a exitCode set (3 for an unusable store).
    static std::shared_ptr<SqlEventStore> open(
        const QCommandLineParser& parser, CliContext& context, bool readOnly, int* exitCode);
};

} // namespace EventScope
