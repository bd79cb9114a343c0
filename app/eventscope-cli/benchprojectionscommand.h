// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "clicontext.h"

class QCommandLineParser;

namespace EventScope {

/// `eventscope-cli bench projections`: runs ProjectionBenchmark and prints its figures as a table or as JSON.
class BenchProjectionsCommand {
public:
    static QString usage();
    static QString description();
    static void addOptions(QCommandLineParser& parser);
    /// Runs with the options \a parser has parsed; returns an ExitCode (ExitFailure also when a balance is wrong).
    static int run(const QCommandLineParser& parser, CliContext& context);
};

} // namespace EventScope
