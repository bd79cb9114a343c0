// SPDX-License-Identifier: Apache-2.0
#include "benchprojectionscommand.h"

#include "benchreport.h"
#include "benchstoreoptions.h"

#include "bench/projectionbenchmark.h"
#include "projections/projectionmanager.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

namespace EventScope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("BenchProjectionsCommand", text);
}

const QString Command = QStringLiteral("bench projections");
constexpr qint64 MaxEvents = 100000000;
constexpr int MaxAppendBatch = 1000;

QJsonObject parametersJson(const ProjectionBenchmark::Parameters& parameters)
{
    return { { QStringLiteral("events"), parameters.events }, { QStringLiteral("accounts"), parameters.accounts },
        { QStringLiteral("appendBatch"), parameters.appendBatch },
        { QStringLiteral("readBatch"), parameters.readBatch } };
}

QJsonObject checkJson(const ProjectionBenchmark::Outcome& outcome)
{
    QJsonArray targets;
    for (const ProjectionBenchmark::Target& target : outcome.targets)
        targets.append(
            QJsonObject { { QStringLiteral("target"), target.description }, { QStringLiteral("met"), target.met } });
    return { { QStringLiteral("correct"), outcome.correct },
        { QStringLiteral("accountsChecked"), outcome.accountsChecked },
        { QStringLiteral("mismatches"), QJsonArray::fromStringList(outcome.mismatches) },
        { QStringLiteral("targets"), targets } };
}

} // namespace

QString BenchProjectionsCommand::usage()
{
    return QStringLiteral("eventscope-cli bench projections [options]");
}

QString BenchProjectionsCommand::description()
{
    return tr("Measures rebuilding the account balances read model: seeds a fresh store (which it removes again) "
              "with account events over 10,000 accounts (appends of 10 events, round-robin over the accounts, so "
              "that a projection batch of 2,000 events touches about 200 accounts), lets a ProjectionManager catch up "
              "from the start, then "
              "rebuilds the read model into shadow tables. Compares both with a plain baseline on the same "
              "database (readAll, QJsonDocument, one upsert per event, a transaction per batch), checks every "
              "balance, and prints the events per second of each (targets: SQLite at least 200,000 events/s and "
              "60% of the baseline, PostgreSQL at least 100,000 events/s).\n"
              "Exit status 4 also when a balance in the read model is wrong.\n"
              "1,000,000 events take about a minute; --events 20000 is a quick smoke test.");
}

void BenchProjectionsCommand::addOptions(QCommandLineParser& parser)
{
    BenchStoreOptions::add(parser);
    parser.addOption({ QStringLiteral("events"),
        tr("Events to seed and rebuild (default 1,000,000), spread over 10,000 accounts (fewer below 1,000,000 "
           "events: one account per 100 events)."),
        tr("n"), QStringLiteral("1000000") });
    parser.addOption({ QStringLiteral("append-batch"),
        tr("Events per append while seeding, 1 to %1 (default 10). Appends go round-robin over the accounts, so a "
           "projection batch of 2,000 events touches about 2,000 / N accounts: larger N lets the projection "
           "coalesce more rows per batch, 1 interleaves the accounts the most.")
            .arg(MaxAppendBatch),
        tr("n"), QString::number(ProjectionBenchmark::Parameters().appendBatch) });
    parser.addOption({ QStringLiteral("batch-size"),
        tr("Events per projection batch (one transaction each), also the baseline's read size; 1 to 100,000 "
           "(default %1, the projections.batch_size default).")
            .arg(ProjectionManager::Options().batchSize),
        tr("n"), QString::number(ProjectionManager::Options().batchSize) });
    parser.addOption({ QStringLiteral("json"), tr("Print one JSON object on stdout instead of a table.") });
}

int BenchProjectionsCommand::run(const QCommandLineParser& parser, CliContext& context)
{
    // --- what to measure --------------------------------------------------------------------------------
    int exitCode = ExitOk;
    const auto resolved = BenchStoreOptions::resolve(parser, context, Command, &exitCode);
    if (!resolved)
        return exitCode;
    const StoreSettings& settings = *resolved;

    bool isNumber = false;
    const QString eventsText = parser.value(QStringLiteral("events"));
    const qint64 events = eventsText.toLongLong(&isNumber);
    if (!isNumber || events < 1 || events > MaxEvents)
        return context.usageError(tr("--events takes a whole number from 1 to %1, not '%2'.")
                                      .arg(QLocale::c().toString(MaxEvents), eventsText),
            Command);
    const QString appendBatchText = parser.value(QStringLiteral("append-batch"));
    const int appendBatch = appendBatchText.toInt(&isNumber);
    if (!isNumber || appendBatch < 1 || appendBatch > MaxAppendBatch)
        return context.usageError(
            tr("--append-batch takes a whole number from 1 to %1, not '%2'.").arg(MaxAppendBatch).arg(appendBatchText),
            Command);
    const QString batchSizeText = parser.value(QStringLiteral("batch-size"));
    const int batchSize = batchSizeText.toInt(&isNumber);
    if (!isNumber || batchSize < 1 || batchSize > 100000)
        return context.usageError(
            tr("--batch-size takes a whole number from 1 to 100000, not '%1'.").arg(batchSizeText), Command);
    const bool json = parser.isSet(QStringLiteral("json"));

    // --- run --------------------------------------------------------------------------------------------
    ProjectionBenchmark::Parameters parameters = ProjectionBenchmark::Parameters::forEvents(events);
    parameters.appendBatch = appendBatch;
    parameters.readBatch = batchSize;
    ProjectionBenchmark benchmark(settings, parameters);
    benchmark.setProgress(BenchReportPrinter::progressTo(context.err));

    const auto outcome = benchmark.run();
    if (!outcome)
        return context.failure(tr("the projection benchmark failed: %1").arg(outcome.error().message()));

    const QString scale = tr("%1 events").arg(events);
    if (json) {
        BenchReportPrinter::printJson(context.out,
            BenchReportPrinter::toJson(QStringLiteral("projections"), outcome->report, scale,
                parametersJson(parameters), { { QStringLiteral("check"), checkJson(outcome.value()) } }));
    } else {
        BenchReportPrinter::printTable(context.out,
            tr("EventScope projection benchmark: %1, %2").arg(outcome->report.backend, scale), outcome->report,
            tr("ratio = value / baseline; the baseline reads the same events with readAll, parses each payload with "
               "QJsonDocument and runs one plain upsert per event, a transaction per batch."));
    }
    if (!outcome->correct)
        return context.failure(tr("the account balances read model is wrong (%1). The projection or the projection "
                                  "manager lost or misapplied events; run the projection tests.")
                                   .arg(outcome->mismatches.join(QStringLiteral("; "))));
    return ExitOk;
}

} // namespace EventScope
