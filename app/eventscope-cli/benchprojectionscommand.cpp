// SPDX-License-Identifier: Apache-2.0
#include "benchprojectionscommand.h"

#include "benchreport.h"

#include "bench/projectionbenchmark.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace EventScope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("BenchProjectionsCommand", text);
}

const QString Command = QStringLiteral("bench projections");
const QString DsnVariable = QStringLiteral("EVENTSCOPE_TEST_PG_DSN");
constexpr qint64 MaxEvents = 100000000;

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
              "with account events over 10,000 accounts, lets a ProjectionManager catch up from the start, then "
              "rebuilds the read model into shadow tables. Compares both with a plain baseline on the same "
              "database (readAll, QJsonDocument, one upsert per event, a transaction per batch), checks every "
              "balance, and prints the events per second of each (targets: SQLite at least 200,000 events/s and "
              "60% of the baseline, PostgreSQL at least 100,000 events/s).\n"
              "Exit status 1 also when a balance in the read model is wrong.\n"
              "1,000,000 events take about a minute; --events 20000 is a quick smoke test.");
}

void BenchProjectionsCommand::addOptions(QCommandLineParser& parser)
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
    parser.addOption({ QStringLiteral("events"),
        tr("Events to seed and rebuild (default 1,000,000), spread over 10,000 accounts (fewer below 1,000,000 "
           "events: one account per 100 events)."),
        tr("n"), QStringLiteral("1000000") });
    parser.addOption({ QStringLiteral("json"), tr("Print one JSON object on stdout instead of a table.") });
}

int BenchProjectionsCommand::run(const QCommandLineParser& parser, CliContext& context)
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

    bool isNumber = false;
    const QString eventsText = parser.value(QStringLiteral("events"));
    const qint64 events = eventsText.toLongLong(&isNumber);
    if (!isNumber || events < 1 || events > MaxEvents)
        return context.usageError(tr("--events takes a whole number from 1 to %1, not '%2'.")
                                      .arg(QLocale::c().toString(MaxEvents), eventsText),
            Command);
    const bool json = parser.isSet(QStringLiteral("json"));

    // --- run --------------------------------------------------------------------------------------------
    const ProjectionBenchmark::Parameters parameters = ProjectionBenchmark::Parameters::forEvents(events);
    ProjectionBenchmark benchmark(settings, parameters);
    QTextStream& err = context.err;
    benchmark.setProgress([&err](const QString& line) { err << "[bench] " << line << Qt::endl; });

    const auto outcome = benchmark.run();
    if (!outcome)
        return context.failure(tr("the projection benchmark failed: %1").arg(outcome.error().message()));

    const QString scale = tr("%1 events").arg(events);
    if (json) {
        context.out << QString::fromUtf8(
            QJsonDocument(BenchReportPrinter::toJson(QStringLiteral("projections"), outcome->report, scale,
                              parametersJson(parameters), { { QStringLiteral("check"), checkJson(outcome.value()) } }))
                .toJson(QJsonDocument::Indented));
        context.out.flush();
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
