// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "clicontext.h"

class QCommandLineParser;

namespace EventScope {

/// `eventscope-cli import`: see description().
class ImportCommand {
public:
    static QString usage();
    static QString description();
    static void addOptions(QCommandLineParser& parser);
    /// Runs with the options \a parser has parsed; returns an ExitCode.
    static int run(const QCommandLineParser& parser, CliContext& context);
};

} // namespace EventScope
