// SPDX-License-Identifier: Apache-2.0
#include "seeddemocommand.h"

#include "storeoption.h"

#include "eventstore/sqleventstore.h"
#include "samples/demoseeder.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QUrl>

namespace EventScope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("SeedDemoCommand", text);
}

const QString Command = QStringLiteral("seed-demo");

/// Reads option \a name as an integer in [\a minimum, \a maximum]; false (and a usage message) otherwise.
bool readInteger(const QCommandLineParser& parser, const QString& name, qint64 minimum, qint64 maximum, qint64* value,
    QString* message)
{
    if (!parser.isSet(name))
        return true;
    bool ok = false;
    const qint64 parsed = parser.value(name).toLongLong(&ok);
    if (!ok || parsed < minimum || parsed > maximum) {
        *message = tr("--%1 must be a whole number from %2 to %3, not '%4'.")
                       .arg(name)
                       .arg(minimum)
                       .arg(maximum)
                       .arg(parser.value(name));
        return false;
    }
    *value = parsed;
    return true;
}

} // namespace

QString SeedDemoCommand::usage()
{
    return QStringLiteral("eventscope-cli seed-demo [--store STORE] [options]");
}

QString SeedDemoCommand::description()
{
    return tr("Writes a demo history into a store (an SQLite file is created if it does not exist; PostgreSQL "
              "gets its schema): users with "
              "renames, e-mail changes and deactivations, and ledger accounts with deposits, withdrawals, "
              "reversals, corrections and freezes. The same --seed gives the same history; seeding again with "
              "the same options writes nothing.");
}

void SeedDemoCommand::addOptions(QCommandLineParser& parser)
{
    StoreOption::add(parser);
    parser.addOption({ QStringLiteral("events"), tr("Number of events to write (default 3000)."), tr("n") });
    parser.addOption(
        { QStringLiteral("seed"), tr("Random seed; the same seed gives the same history (default 42)."), tr("s") });
    parser.addOption({ QStringLiteral("users"), tr("Users to create (default 120)."), tr("n") });
    parser.addOption({ QStringLiteral("accounts"), tr("Accounts to open (default 80)."), tr("n") });
    parser.addOption({ QStringLiteral("days"),
        tr("Days the history spans, ending now (default 90); 0 keeps the times at which the events were written."),
        tr("n") });
    parser.addOption({ QStringLiteral("force"),
        tr("Also write into a store that already holds events (the demo streams are added beside them).") });
}

int SeedDemoCommand::run(const QCommandLineParser& parser, CliContext& context)
{
    if (!parser.isSet(QStringLiteral("store")) && !context.hasConfigFile)
        return context.usageError(
            tr("seed-demo needs the store to write to: pass --store PATH (or a PostgreSQL connection string), or "
               "--config with an eventstore section."),
            Command);
    // Named in messages without a password.
    const QString path = StoreOption::settings(parser, context).connection;
    const QString shown = path.contains(QLatin1String("://")) ? QUrl(path).toDisplayString(QUrl::RemovePassword)
                                                              : QDir::toNativeSeparators(path);

    DemoSeeder::Options options;
    qint64 events = options.targetEvents;
    qint64 seed = options.seed;
    qint64 users = options.users;
    qint64 accounts = options.accounts;
    qint64 days = options.historyDays;
    QString message;
    if (!readInteger(parser, QStringLiteral("events"), 1, 100'000'000, &events, &message)
        || !readInteger(parser, QStringLiteral("seed"), 0, 0xffffffffLL, &seed, &message)
        || !readInteger(parser, QStringLiteral("users"), 1, 10'000'000, &users, &message)
        || !readInteger(parser, QStringLiteral("accounts"), 0, 10'000'000, &accounts, &message)
        || !readInteger(parser, QStringLiteral("days"), 0, DemoSeeder::MaxHistoryDays, &days, &message))
        return context.usageError(message, Command);
    options.targetEvents = int(events);
    options.seed = quint32(seed);
    options.users = int(users);
    options.accounts = int(accounts);
    options.historyDays = int(days);

    // The configuration's store tuning (busy timeout, durability) applies; the store is the one given here.
    int exitCode = ExitOk;
    const std::shared_ptr<SqlEventStore> store = StoreOption::open(parser, context, false, &exitCode);
    if (!store)
        return exitCode;

    const auto existing = store->eventCount();
    if (!existing)
        return context.storeFailure(existing.error());
    if (existing.value() > 0) {
        if (!parser.isSet(QStringLiteral("force")))
            return context.failure(tr("'%1' already holds %2 events. Seeding would add the demo streams beside them; "
                                      "pass --force to do that, or give a new file name.")
                                       .arg(shown)
                                       .arg(existing.value()),
                ExitRejected);
        context.err << tr("'%1' already holds %2 events; adding the demo streams beside them (--force).")
                           .arg(shown)
                           .arg(existing.value())
                    << Qt::endl;
    }

    QElapsedTimer timer;
    timer.start();
    const auto summary = DemoSeeder::seed(*store, options);
    if (!summary) {
        return context.failure(tr("seeding '%1' stopped: %2 Events written before the failure stay in the store.")
                                   .arg(shown, summary.error().message()));
    }

    context.out << tr("Wrote %1 events in %2 streams (%3 users, %4 accounts) with %5 appends to '%6' in %7 s (seed "
                      "%8).")
                       .arg(summary->events)
                       .arg(summary->streams)
                       .arg(summary->userStreams)
                       .arg(summary->accountStreams)
                       .arg(summary->appends)
                       .arg(shown)
                       .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 2)
                       .arg(options.seed)
                << Qt::endl;
    if (summary->alreadyPresent > 0)
        context.out << tr("%1 events of this history were already in the store and were not written again.")
                           .arg(summary->alreadyPresent)
                    << Qt::endl;
    return ExitOk;
}

} // namespace EventScope
