// SPDX-License-Identifier: Apache-2.0
#include "benchaggregatecommand.h"

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

QString formatNumber(double value)
{
    if (qIsNaN(value))
        return QStringLiteral("-");
    const double magnitude = std::abs(value);
    const int decimals = magnitude >= 100 ? 0 : magnitude >= 1 ? 2 : 3;
    return QLocale::c().toString(value, 'f', decimals);
}

QJsonValue jsonNumber(double value)
{
    // JSON has no NaN: "no baseline" is null.
    return qIsFinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

void printTable(QTextStream& out, const AggregateBenchmark::Report& report, const QString& scale)
{
    struct Row {
        QString name, value, unit, baseline, ratio;
    };
    QList<Row> rows { { tr("figure"), tr("value"), tr("unit"), tr("baseline"), tr("ratio") } };
    for (const BenchFigure& figure : report.figures)
        rows.append({ figure.name, formatNumber(figure.value), figure.unit, formatNumber(figure.baseline),
            qIsNaN(figure.ratio) ? QStringLiteral("-") : QLocale::c().toString(figure.ratio, 'f', 2) });
    qsizetype widths[5] = { 0, 0, 0, 0, 0 };
    for (const Row& row : std::as_const(rows)) {
        widths[0] = std::max(widths[0], row.name.size());
        widths[1] = std::max(widths[1], row.value.size());
        widths[2] = std::max(widths[2], row.unit.size());
        widths[3] = std::max(widths[3], row.baseline.size());
        widths[4] = std::max(widths[4], row.ratio.size());
    }

    out << tr("EventScope aggregate benchmark: %1, scale %2").arg(report.backend, scale) << Qt::endl << Qt::endl;
    for (const Row& row : std::as_const(rows)) {
        // Names and units left-aligned, numbers right-aligned.
        out << row.name.leftJustified(widths[0]) << "  " << row.value.rightJustified(widths[1]) << "  "
            << row.unit.leftJustified(widths[2]) << "  " << row.baseline.rightJustified(widths[3]) << "  "
            << row.ratio.rightJustified(widths[4]) << Qt::endl;
    }
    out << Qt::endl
        << tr("ratio = value / baseline; the baseline of a with-snapshots load is the load without snapshots of the "
              "same size, that of the flatness figure the with-snapshots load of the smaller size (target: at most "
              "2).")
        << Qt::endl;
    if (!report.notes.isEmpty()) {
        out << Qt::endl << tr("Notes:") << Qt::endl;
        for (const QString& note : report.notes)
            out << "  - " << note << Qt::endl;
    }
    if (!report.environment.isEmpty()) {
        out << Qt::endl << tr("Environment:") << Qt::endl;
        for (auto it = report.environment.cbegin(); it != report.environment.cend(); ++it)
            out << "  " << it.key() << ": " << it.value() << Qt::endl;
    }
}

QJsonObject toJson(
    const AggregateBenchmark::Report& report, const QString& scale, const AggregateBenchmark::Parameters& parameters)
{
    QJsonArray figures;
    for (const BenchFigure& figure : report.figures) {
        figures.append(QJsonObject { { QStringLiteral("name"), figure.name },
            { QStringLiteral("value"), jsonNumber(figure.value) }, { QStringLiteral("unit"), figure.unit },
            { QStringLiteral("baseline"), jsonNumber(figure.baseline) },
            { QStringLiteral("ratio"), jsonNumber(figure.ratio) } });
    }
    QJsonObject environment;
    for (auto it = report.environment.cbegin(); it != report.environment.cend(); ++it)
        environment.insert(it.key(), it.value());
    QJsonArray sizes;
    for (const int size : parameters.sizes)
        sizes.append(size);
    const QJsonObject values { { QStringLiteral("sizes"), sizes },
        { QStringLiteral("repetitions"), parameters.repetitions },
        { QStringLiteral("seedBatch"), parameters.seedBatch },
        { QStringLiteral("snapshotFrequency"), parameters.snapshotFrequency },
        { QStringLiteral("snapshotRetain"), parameters.snapshotRetain } };
    return QJsonObject { { QStringLiteral("suite"), QStringLiteral("aggregate") },
        { QStringLiteral("backend"), report.backend }, { QStringLiteral("scale"), scale },
        { QStringLiteral("parameters"), values }, { QStringLiteral("figures"), figures },
        { QStringLiteral("notes"), QJsonArray::fromStringList(report.notes) },
        { QStringLiteral("environment"), environment }, { QStringLiteral("machine"), MachineInfo::collect() } };
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
        context.out << QString::fromUtf8(
            QJsonDocument(toJson(report.value(), scaleName, parameters)).toJson(QJsonDocument::Indented));
        context.out.flush();
    } else {
        printTable(context.out, report.value(), scaleName);
    }
    return ExitOk;
}

} // namespace EventScope
