// SPDX-License-Identifier: Apache-2.0
#include "benchstorecommand.h"

#include "benchreport.h"
#include "benchstoreoptions.h"

#include "bench/storebenchmark.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>

namespace EventScope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("BenchStoreCommand", text);
}

const QString Command = QStringLiteral("bench store");

QJsonArray caseNames(const QList<StoreBenchmark::Case>& cases)
{
    QJsonArray names;
    for (const StoreBenchmark::Case c : cases)
        names.append(StoreBenchmark::caseLetter(c));
    return names;
}

QJsonObject parametersJson(const StoreBenchmark::Parameters& parameters)
{
    return { { QStringLiteral("singleAppends"), parameters.singleAppends },
        { QStringLiteral("batchEvents"), parameters.batchEvents },
        { QStringLiteral("batchSize"), parameters.batchSize }, { QStringLiteral("writers"), parameters.writers },
        { QStringLiteral("writerBatches"), parameters.writerBatches },
        { QStringLiteral("streamEvents"), parameters.streamEvents },
        { QStringLiteral("pageSize"), parameters.pageSize }, { QStringLiteral("readRounds"), parameters.readRounds },
        { QStringLiteral("catchUpEvents"), parameters.catchUpEvents },
        { QStringLiteral("catchUpSeedBatch"), parameters.catchUpSeedBatch },
        { QStringLiteral("catchUpReadBatch"), parameters.catchUpReadBatch } };
}

} // namespace

QString BenchStoreCommand::usage()
{
    return QStringLiteral("eventscope-cli bench store [options]");
}

QString BenchStoreCommand::description()
{
    return tr("Measures the event store against plain SQL doing the same work on the same database, on fresh "
              "stores it creates and removes again:\n"
              "  a  single-event appends to new streams vs one row per transaction\n"
              "  b  appends of 100 events vs 100 rows per transaction\n"
              "  c  4 concurrent writers, on their own streams and on one stream (no baseline)\n"
              "  d  one stream read in pages of 500 vs a plain scan\n"
              "  e  catch-up over $all (readAll, subscription) vs a plain scan, with memory growth\n"
              "Full scale takes minutes and a few GiB of temporary disk; --scale tiny is a quick smoke test.");
}

void BenchStoreCommand::addOptions(QCommandLineParser& parser)
{
    BenchStoreOptions::add(parser);
    parser.addOption(
        { QStringLiteral("scale"), tr("Size of the cases: tiny (~1/1000, seconds), small (~1/10) or full (default)."),
            tr("tiny|small|full"), QStringLiteral("full") });
    parser.addOption(
        { QStringLiteral("cases"), tr("Comma-separated cases to run (default: a,b,c,d,e)."), tr("a,b,...") });
    parser.addOption({ QStringLiteral("json"), tr("Print one JSON object on stdout instead of a table.") });
}

int BenchStoreCommand::run(const QCommandLineParser& parser, CliContext& context)
{
    // --- what to measure --------------------------------------------------------------------------------
    int exitCode = ExitOk;
    const auto resolved = BenchStoreOptions::resolve(parser, context, Command, &exitCode);
    if (!resolved)
        return exitCode;
    const StoreSettings& settings = *resolved;

    const QString scaleName = parser.value(QStringLiteral("scale")).toLower();
    const auto scale = StoreBenchmark::scaleFromName(scaleName);
    if (!scale)
        return context.usageError(tr("unknown scale '%1'; use tiny, small or full.").arg(scaleName), Command);

    QList<StoreBenchmark::Case> cases = StoreBenchmark::allCases();
    if (parser.isSet(QStringLiteral("cases"))) {
        cases.clear();
        const QStringList names = parser.value(QStringLiteral("cases")).split(u',', Qt::SkipEmptyParts);
        for (const QString& name : names) {
            const auto c = StoreBenchmark::caseFromName(name);
            if (!c)
                return context.usageError(
                    tr("unknown case '%1'; cases are a, b, c, d and e (see --help).").arg(name.trimmed()), Command);
            if (!cases.contains(*c))
                cases.append(*c);
        }
        if (cases.isEmpty())
            return context.usageError(tr("--cases names no case; use for example --cases a,b."), Command);
    }
    const bool json = parser.isSet(QStringLiteral("json"));

    // --- run --------------------------------------------------------------------------------------------
    const StoreBenchmark::Parameters parameters = StoreBenchmark::Parameters::forScale(*scale);
    StoreBenchmark benchmark(settings, parameters);
    benchmark.setCases(cases);
    benchmark.setProgress(BenchReportPrinter::progressTo(context.err));

    const auto report = benchmark.run();
    if (!report)
        return context.failure(tr("the store benchmark failed: %1").arg(report.error().message()));

    if (json) {
        BenchReportPrinter::printJson(context.out,
            BenchReportPrinter::toJson(QStringLiteral("store"), report.value(), scaleName, parametersJson(parameters),
                { { QStringLiteral("cases"), caseNames(cases) } }));
    } else {
        BenchReportPrinter::printTable(context.out,
            tr("EventScope store benchmark: %1, scale %2").arg(report.value().backend, scaleName), report.value(),
            tr("ratio = value / baseline; baselines do the same work with plain SQL on the same database."));
    }
    return ExitOk;
}

} // namespace EventScope
