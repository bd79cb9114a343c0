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
}

std::optional<StoreSettings> BenchStoreOptions::resolve(
    const QCommandLineParser& parser, const CliContext& context, const QString& command, int* exitCode)
{
    const auto usageError = [&](const QString& message) -> std::optional<StoreSettings> {
        *exitCode = context.usageError(message, command);
        return std::nullopt;
    };

    StoreSettings settings = context.config.eventStore;
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
