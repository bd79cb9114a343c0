// SPDX-License-Identifier: Apache-2.0
#include "benchaggregatecommand.h"

#include "benchreport.h"
#include "benchstoreoptions.h"

#include "bench/aggregatebenchmark.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>

namespace EventScope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("BenchAggregateCommand", text);
}

const QString Command = QStringLiteral("bench aggregate");

QJsonObject parametersJson(const AggregateBenchmark::Parameters& parameters)
{
    QJsonArray sizes;
    for (const int size : parameters.sizes)
        sizes.append(size);
    return { { QStringLiteral("sizes"), sizes }, { QStringLiteral("repetitions"), parameters.repetitions },
        { QStringLiteral("seedBatch"), parameters.seedBatch },
        { QStringLiteral("snapshotFrequency"), parameters.snapshotFrequency },
        { QStringLiteral("snapshotRetain"), parameters.snapshotRetain } };
}

} // namespace

QString BenchAggregateCommand::usage()
{
    return QStringLiteral("eventscope-cli bench aggregate [options]");
}

QString BenchAggregateCommand::description()
{
    return tr("Measures loading one Account aggregate through the repository as its stream grows (10, 1,000 and "
              "100,000 events), without snapshots and with a snapshot every 100 events, on fresh stores it creates "
              "and removes again. Prints the median load time of each, and how much slower the with-snapshots load "
              "of 100,000 events is than that of 1,000 (target: at most 2x).\n"
              "Full scale takes about a minute; --scale tiny (10/100/1,000 events) is a quick smoke test.");
}

void BenchAggregateCommand::addOptions(QCommandLineParser& parser)
{
    BenchStoreOptions::add(parser);
    parser.addOption({ QStringLiteral("scale"),
        tr("Stream lengths: tiny (10/100/1,000 events), small (10/1,000/10,000) or full (10/1,000/100,000, "
           "default)."),
        tr("tiny|small|full"), QStringLiteral("full") });
    parser.addOption({ QStringLiteral("json"), tr("Print one JSON object on stdout instead of a table.") });
}

int BenchAggregateCommand::run(const QCommandLineParser& parser, CliContext& context)
{
    // --- what to measure --------------------------------------------------------------------------------
    int exitCode = ExitOk;
    const auto resolved = BenchStoreOptions::resolve(parser, context, Command, &exitCode);
    if (!resolved)
        return exitCode;
    const StoreSettings& settings = *resolved;

    const QString scaleName = parser.value(QStringLiteral("scale")).toLower();
    const auto scale = AggregateBenchmark::scaleFromName(scaleName);
    if (!scale)
        return context.usageError(tr("unknown scale '%1'; use tiny, small or full.").arg(scaleName), Command);
    const bool json = parser.isSet(QStringLiteral("json"));

    // --- run --------------------------------------------------------------------------------------------
    const AggregateBenchmark::Parameters parameters = AggregateBenchmark::Parameters::forScale(*scale);
    AggregateBenchmark benchmark(settings, parameters);
    benchmark.setProgress(BenchReportPrinter::progressTo(context.err));

    const auto report = benchmark.run();
    if (!report)
        return context.failure(tr("the aggregate benchmark failed: %1").arg(report.error().message()));

    if (json) {
        BenchReportPrinter::printJson(context.out,
            BenchReportPrinter::toJson(
                QStringLiteral("aggregate"), report.value(), scaleName, parametersJson(parameters)));
    } else {
        BenchReportPrinter::printTable(context.out,
            tr("EventScope aggregate benchmark: %1, scale %2").arg(report.value().backend, scaleName), report.value(),
            tr("ratio = value / baseline; the baseline of a with-snapshots load is the load without snapshots of the "
               "same size, that of the flatness figure the with-snapshots load of the smaller size (target: at most "
               "2)."));
    }
    return ExitOk;
}

} // namespace EventScope
