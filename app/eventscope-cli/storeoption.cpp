// SPDX-License-Identifier: Apache-2.0
#include "storeoption.h"

#include "eventstore/storelocation.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

namespace EventScope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("eventscope-cli", text);
}

} // namespace

void StoreOption::add(QCommandLineParser& parser)
{
    parser.addOption({ QStringLiteral("store"),
        tr("The event store: an SQLite file, or a PostgreSQL connection string (postgres://user:password@host:port/db "
           "or host=… dbname=…). Default: the configuration's eventstore section, else ./eventscope.db."),
        tr("store") });
}

StoreSettings StoreOption::settings(const QCommandLineParser& parser, const CliContext& context)
{
    const QString store = parser.value(QStringLiteral("store"));
    return store.isEmpty() ? context.config.eventStore : storeSettingsFromLocation(store, context.config.eventStore);
}

std::shared_ptr<SqlEventStore> StoreOption::open(
    const QCommandLineParser& parser, CliContext& context, bool readOnly, int* exitCode)
{
    StoreSettings settings = StoreOption::settings(parser, context);
    settings.readOnly = readOnly;
    // Reading never creates a store: a mistyped path must not leave an empty file behind.
    settings.createIfMissing = !readOnly;
    if (readOnly && settings.backend == StoreSettings::Backend::Sqlite && settings.connection != u":memory:"
        && !QFileInfo::exists(settings.connection)) {
        *exitCode = context.failure(
            tr("there is no store at '%1'. Check the path, or give --store.").arg(settings.connection),
            ExitUnavailable);
        return nullptr;
    }
    auto opened = SqlEventStore::open(settings);
    if (!opened) {
        *exitCode = context.storeFailure(opened.error());
        return nullptr;
    }
    *exitCode = ExitOk;
    return opened.value();
}

} // namespace EventScope
