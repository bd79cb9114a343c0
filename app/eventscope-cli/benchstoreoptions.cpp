// SPDX-License-Identifier: Apache-2.0
#include "benchstoreoptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace EventScope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("BenchStoreOptions", text);
}

const QString DsnVariable = QStringLiteral("EVENTSCOPE_TEST_PG_DSN");

} // namespace

void BenchStoreOptions::add(QCommandLineParser& parser)
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
    parser.addOption({ QStringLiteral("store"),
        tr("Like every store command's --store: a PostgreSQL connection string selects the postgres backend and "
           "that database (same as --backend postgres --dsn). The benchmarks never touch an existing store's "
           "events: they work in a new schema, or in temporary SQLite files."),
        tr("store") });
}

std::optional<StoreSettings> BenchStoreOptions::resolve(
    const QCommandLineParser& parser, const CliContext& context, const QString& command, int* exitCode)
{
    const auto usageError = [&](const QString& message) -> std::optional<StoreSettings> {
        *exitCode = context.usageError(message, command);
        return std::nullopt;
    };

    StoreSettings settings = context.config.eventStore;
    if (parser.isSet(QStringLiteral("store"))) {
        const QString store = parser.value(QStringLiteral("store"));
        const bool postgres = store.startsWith(QLatin1String("postgres://"))
            || store.startsWith(QLatin1String("postgresql://")) || store.contains(QLatin1String("dbname="))
            || store.contains(QLatin1String("host="));
        if (!postgres)
            return usageError(tr("--store for a benchmark names a PostgreSQL database; SQLite benchmarks make their "
                                 "own temporary files (use --backend sqlite)."));
        if (parser.isSet(QStringLiteral("dsn"))
            || (parser.isSet(QStringLiteral("backend"))
                && parser.value(QStringLiteral("backend")).toLower() == u"sqlite"))
            return usageError(tr("give either --store or --backend/--dsn, not both."));
        settings.backend = StoreSettings::Backend::Postgres;
        settings.connection = store;
        return settings;
    }
    if (parser.isSet(QStringLiteral("backend"))) {
        const QString backend = parser.value(QStringLiteral("backend")).toLower();
        if (backend == u"sqlite")
            settings.backend = StoreSettings::Backend::Sqlite;
        else if (backend == u"postgres" || backend == u"postgresql")
            settings.backend = StoreSettings::Backend::Postgres;
        else
            return usageError(tr("unknown backend '%1'; use --backend sqlite or --backend postgres.").arg(backend));
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
            return usageError(tr("the postgres backend needs a database: pass --dsn "
                                 "postgres://user:password@host:port/db, or set %1.")
                                  .arg(DsnVariable));
        settings.connection = dsn;
    } else if (parser.isSet(QStringLiteral("dsn"))) {
        return usageError(tr("--dsn applies to --backend postgres only; sqlite benchmarks use a temporary file."));
    }
    return settings;
}

} // namespace EventScope
