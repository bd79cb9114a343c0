// SPDX-License-Identifier: Apache-2.0
// eventscope-cli: the headless EventScope tool. Exit status: 0 success, 1 wrong usage (nothing was done),
// 2 the store refused the request (conflict, invalid input), 3 the store is unavailable, 4 other failures.

#include "appendcommand.h"
#include "benchaggregatecommand.h"
#include "benchprojectionscommand.h"
#include "benchstorecommand.h"
#include "clicontext.h"
#include "dispatchcommand.h"
#include "exportcommand.h"
#include "importcommand.h"
#include "projectionscommand.h"
#include "readcommand.h"
#include "seeddemocommand.h"
#include "servecommand.h"

#include "config/configloader.h"
#include "logbridge.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>
#include <optional>

using namespace EventScope;

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("eventscope-cli", text);
}

/// A subcommand: how it is described and parsed, and what it does.
struct Command {
    QString name; ///< as typed: "bench store", "seed-demo"
    QString summary;
    QString (*usage)();
    QString (*description)();
    void (*addOptions)(QCommandLineParser&);
    int (*run)(const QCommandLineParser&, CliContext&);
    bool takesArguments = false; ///< positional arguments after the command (its own parser checks them)
};

QList<Command> commands()
{
    return {
        { QStringLiteral("bench aggregate"),
            tr("Measure loading an aggregate with and without snapshots as its stream grows"),
            &BenchAggregateCommand::usage, &BenchAggregateCommand::description, &BenchAggregateCommand::addOptions,
            &BenchAggregateCommand::run },
        { QStringLiteral("bench projections"),
            tr("Measure rebuilding the account balances read model against plain SQL upserts"),
            &BenchProjectionsCommand::usage, &BenchProjectionsCommand::description,
            &BenchProjectionsCommand::addOptions, &BenchProjectionsCommand::run },
        { QStringLiteral("bench store"), tr("Measure the event store against plain SQL on the same database"),
            &BenchStoreCommand::usage, &BenchStoreCommand::description, &BenchStoreCommand::addOptions,
            &BenchStoreCommand::run },
        { QStringLiteral("append"), tr("Append one event (JSON) to a stream, with an expected version"),
            &AppendCommand::usage, &AppendCommand::description, &AppendCommand::addOptions, &AppendCommand::run },
        { QStringLiteral("dispatch"), tr("Issue a command through the engine (validation, roles, audit metadata)"),
            &DispatchCommand::usage, &DispatchCommand::description, &DispatchCommand::addOptions, &DispatchCommand::run,
            true },
        { QStringLiteral("export"), tr("Write every event (or one stream) to a JSON Lines file, byte for byte"),
            &ExportCommand::usage, &ExportCommand::description, &ExportCommand::addOptions, &ExportCommand::run },
        { QStringLiteral("import"), tr("Read an export into a store of either backend, all or nothing"),
            &ImportCommand::usage, &ImportCommand::description, &ImportCommand::addOptions, &ImportCommand::run },
        { QStringLiteral("projections"),
            tr("List the read-model projections, or pause, resume, reset, rebuild, retry or skip one"),
            &ProjectionsCommand::usage, &ProjectionsCommand::description, &ProjectionsCommand::addOptions,
            &ProjectionsCommand::run, true },
        { QStringLiteral("read"), tr("Print a stream or $all as JSON Lines"), &ReadCommand::usage,
            &ReadCommand::description, &ReadCommand::addOptions, &ReadCommand::run },
        { QStringLiteral("seed-demo"), tr("Write a demo history of users and accounts into an SQLite store"),
            &SeedDemoCommand::usage, &SeedDemoCommand::description, &SeedDemoCommand::addOptions,
            &SeedDemoCommand::run },
        { QStringLiteral("serve"),
            tr("Run the engine headless and serve health checks and Prometheus metrics over HTTP"),
            &ServeCommand::usage, &ServeCommand::description, &ServeCommand::addOptions, &ServeCommand::run },
    };
}

std::optional<Command> findCommand(const QString& name)
{
    for (const Command& command : commands()) {
        if (command.name == name)
            return command;
    }
    return std::nullopt;
}

QCommandLineOption configOption()
{
    return { QStringLiteral("config"),
        tr("Configuration file (YAML) for the event store and logging. Without it: built-in defaults, logging to "
           "the console only."),
        tr("file") };
}

QCommandLineOption logLevelOption()
{
    return { QStringLiteral("log-level"),
        tr("trace, debug, info, warn, error, critical or off. Default: the configuration's level, else warn."),
        tr("level") };
}

void addCommonOptions(QCommandLineParser& parser)
{
    parser.addOption(configOption());
    parser.addOption(logLevelOption());
    parser.addHelpOption();
}

/// QCommandLineParser's help with our own usage line (it would name the binary's full path).
QString helpText(const QCommandLineParser& parser, const QString& usage)
{
    const QString text = parser.helpText();
    return tr("Usage: %1\n").arg(usage) + text.mid(text.indexOf(u'\n'));
}

QString toolDescription()
{
    QString text = tr("The headless EventScope tool: read and append events, operate projections, benchmarks and "
                      "demo data for EventScope event stores.\n\n"
                      "Commands:\n");
    for (const Command& command : commands())
        text += QStringLiteral("  ") + command.name.leftJustified(19) + command.summary + u'\n';
    text += QStringLiteral("  ") + QStringLiteral("help").leftJustified(19)
        + tr("Show the help of a command, as in 'eventscope-cli help seed-demo'") + u'\n';
    text += tr("\nExit status: 0 success; 1 wrong usage or configuration (nothing was done); 2 the store refused the "
               "request (the stream moved on, invalid input); 3 the store is unavailable (cannot be opened or "
               "reached, not an EventScope store); 4 the command failed otherwise.");
    return text;
}

void setUpToolParser(QCommandLineParser& parser)
{
    parser.setApplicationDescription(toolDescription());
    addCommonOptions(parser);
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("command"), tr("The command to run (see above)."), QStringLiteral("<command> [<args>]"));
    // Everything after the command belongs to the command's own parser.
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
}

void setUpCommandParser(QCommandLineParser& parser, const Command& command)
{
    parser.setApplicationDescription(command.description());
    command.addOptions(parser);
    addCommonOptions(parser);
}

int runTool(const QStringList& arguments, QTextStream& out, QTextStream& err)
{
    CliContext context { out, err, ConfigLoader::defaults(), false };

    QCommandLineParser tool;
    setUpToolParser(tool);
    if (!tool.parse(arguments))
        return context.usageError(tool.errorText(), {});
    if (tool.isSet(QStringLiteral("version"))) {
        out << QCoreApplication::applicationName() << ' ' << QCoreApplication::applicationVersion() << Qt::endl;
        return ExitOk;
    }

    QStringList rest = tool.positionalArguments();
    if (rest.isEmpty()) {
        if (tool.isSet(QStringLiteral("help"))) {
            out << helpText(tool, tr("eventscope-cli [options] <command> [<args>]"));
            return ExitOk;
        }
        return context.usageError(tr("no command given."), {});
    }

    // "help [command]" prints the tool's or the command's help.
    QString word = rest.takeFirst();
    bool helpRequested = tool.isSet(QStringLiteral("help"));
    if (word == u"help") {
        if (rest.isEmpty()) {
            out << helpText(tool, tr("eventscope-cli [options] <command> [<args>]"));
            return ExitOk;
        }
        word = rest.takeFirst();
        helpRequested = true;
    }

    QString name = word;
    if (word == u"bench") {
        // "bench" groups the benchmark suites: "aggregate", "projections" and "store".
        if (rest.isEmpty() || rest.first().startsWith(u'-')) {
            const bool askedForHelp
                = helpRequested || rest.contains(QStringLiteral("--help")) || rest.contains(QStringLiteral("-h"));
            if (askedForHelp) {
                out << tr("Usage: eventscope-cli bench <suite> [options]\n\nSuites:\n  aggregate    %1\n  "
                          "projections  %2\n  store        %3\n\nRun 'eventscope-cli bench <suite> --help' for its "
                          "options.\n")
                           .arg(findCommand(QStringLiteral("bench aggregate"))->summary,
                               findCommand(QStringLiteral("bench projections"))->summary,
                               findCommand(QStringLiteral("bench store"))->summary);
                return ExitOk;
            }
            return context.usageError(tr("bench needs a suite: use 'eventscope-cli bench store', 'eventscope-cli "
                                         "bench aggregate' or 'eventscope-cli bench projections'."),
                QStringLiteral("bench"));
        }
        name = word + u' ' + rest.takeFirst();
    }
    const std::optional<Command> command = findCommand(name);
    if (!command)
        return context.usageError(tr("unknown command '%1'.").arg(name), {});

    QCommandLineParser parser;
    setUpCommandParser(parser, *command);
    if (!parser.parse(QStringList { QStringLiteral("eventscope-cli ") + command->name } + rest))
        return context.usageError(parser.errorText(), command->name);
    if (helpRequested || parser.isSet(QStringLiteral("help"))) {
        out << helpText(parser, command->usage());
        return ExitOk;
    }
    if (!command->takesArguments && !parser.positionalArguments().isEmpty())
        return context.usageError(
            tr("unexpected argument '%1'.").arg(parser.positionalArguments().constFirst()), command->name);

    // Options may stand before or after the command; after wins.
    const auto value = [&](const QCommandLineOption& option) {
        return parser.isSet(option) ? parser.value(option) : tool.value(option);
    };
    const QString configPath = value(configOption());
    const QString level = value(logLevelOption());
    if (!level.isEmpty() && !LogBridge::isValidLevel(level))
        return context.usageError(
            tr("unknown log level '%1'; use trace, debug, info, warn, error, critical or off.").arg(level),
            command->name);

    LogOptions logOptions;
    logOptions.appName = QCoreApplication::applicationName();
    logOptions.toFile = false;
    logOptions.level = QStringLiteral("warn");
    if (!configPath.isEmpty()) {
        // Its warnings (unknown keys …) are on standard error already: the loader logs each one.
        const ConfigLoadResult loaded = ConfigLoader::loadFile(configPath);
        if (!loaded.ok())
            return context.failure(tr("the configuration could not be used:\n%1").arg(loaded.error), ExitUsage);
        context.config = *loaded.config;
        context.hasConfigFile = true;
        logOptions = LogOptions::fromConfig(context.config.logging, QCoreApplication::applicationName());
    }
    if (!level.isEmpty())
        logOptions.level = level;
    LogBridge::install(logOptions);

    const int status = command->run(parser, context);
    LogBridge::shutdown();
    return status;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("eventscope-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("EventScope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(EVENTSCOPE_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);
    // Everything (stores, connections, threads, log sinks) is torn down inside runTool(), before the
    // application object: nothing is left for static destructors.
    const int status = runTool(QCoreApplication::arguments(), out, err);
    out.flush();
    err.flush();
    return status;
}
