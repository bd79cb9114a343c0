// SPDX-License-Identifier: Apache-2.0
#include "benchaggregatecommand.h"

#include "benchreport.h"

#include "machineinfo.h"

#include "bench/aggregatebenchmark.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QtNumeric>

#include <cmath>

namespace EventScope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("BenchAggregateCommand", text);
}

const QString Command = QStringLiteral("bench aggregate");
const QString DsnVariable = QStringLiteral("EVENTSCOPE_TEST_PG_DSN");

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
    parser.addOption({ QStringLiteral("backend"),
        tr("Store backend: sqlite (a temporary file) or postgres (a new schema, dropped afterwards). Default: "
           "the configuration's eventstore type, else sqlite."),
        tr("sqlite|postgres") });
    parser.addOption({ QStringLiteral("dsn"),
        tr("PostgreSQL database to benchmark in, as postgres://user:password@host:port/db or key=value pairs. "
           "Default: $%1, else the configuration's connection.")
            .arg(DsnVariable),
        tr("url") });
    parser.addOption({ QStringLiteral("scale"),
        tr("Stream lengths: tiny (10/100/1,000 events), small (10/1,000/10,000) or full (10/1,000/100,000, "
           "default)."),
        tr("tiny|small|full"), QStringLiteral("full") });
    parser.addOption({ QStringLiteral("json"), tr("Print one JSON object on stdout instead of a table.") });
}

int BenchAggregateCommand::run(const QCommandLineParser& parser, CliContext& context)
{
    // --- what to measure --------------------------------------------------------------------------------
    StoreSettings settings = context.config.eventStore;
    if (parser.isSet(QStringLiteral("backend"))) {
        const QString backend = parser.value(QStringLiteral("backend")).toLower();
        if (backend == u"sqlite")
            settings.backend = StoreSettings::Backend::Sqlite;
        else if (backend == u"postgres" || backend == u"postgresql")
            settings.backend = StoreSettings::Backend::Postgres;
        else
            return context.usageError(
                tr("unknown backend '%1'; use --backend sqlite or --backend postgres.").arg(backend), Command);
    } else if (!context.hasConfigFile) {
        settings.backend = StoreSettings::Backend::Sqlite;
    }

    if (settings.backend == StoreSettings::Backend::Postgres) {
        QString dsn = parser.value(QStringLiteral("dsn"));
        if (dsn.isEmpty())
            dsn = qEnvironmentVariable(qPrintable(DsnVariable));
        if (dsn.isEmpty() && context.hasConfigFile
            && context.config.eventStore.backend == StoreSettings::Backend::Postgres)
            dsn = context.config.eventStore.connection;
        if (dsn.isEmpty())
            return context.usageError(tr("the postgres backend needs a database: pass --dsn "
                                         "postgres://user:password@host:port/db, or set %1.")
                                          .arg(DsnVariable),
                Command);
        settings.connection = dsn;
    } else if (parser.isSet(QStringLiteral("dsn"))) {
        return context.usageError(tr("--dsn applies to --backend postgres only; sqlite benchmarks use a temporary "
                                     "file."),
            Command);
    }

    const QString scaleName = parser.value(QStringLiteral("scale")).toLower();
    const auto scale = AggregateBenchmark::scaleFromName(scaleName);
    if (!scale)
        return context.usageError(tr("unknown scale '%1'; use tiny, small or full.").arg(scaleName), Command);
    const bool json = parser.isSet(QStringLiteral("json"));

    // --- run --------------------------------------------------------------------------------------------
    const AggregateBenchmark::Parameters parameters = AggregateBenchmark::Parameters::forScale(*scale);
    AggregateBenchmark benchmark(settings, parameters);
    QTextStream& err = context.err;
    benchmark.setProgress([&err](const QString& line) { err << "[bench] " << line << Qt::endl; });

    const auto report = benchmark.run();
    if (!report)
        return context.failure(tr("the aggregate benchmark failed: %1").arg(report.error().message()));

    if (json) {
        context.out << QString::fromUtf8(QJsonDocument(BenchReportPrinter::toJson(QStringLiteral("aggregate"),
                                                           report.value(), scaleName, parametersJson(parameters)))
                                             .toJson(QJsonDocument::Indented));
        context.out.flush();
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
