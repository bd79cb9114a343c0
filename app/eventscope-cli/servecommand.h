// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "clicontext.h"

class QCommandLineParser;

namespace EventScope {

/// `eventscope-cli serve`: see description().
class ServeCommand {
public:
    static QString usage();
    static QString description();
    static void addOptions(QCommandLineParser& parser);
    /// Runs with the options \a parser has parsed until SIGINT or SIGTERM; returns an ExitCode.
    static int run(const QCommandLineParser& parser, CliContext& context);
};

} // namespace EventScope
