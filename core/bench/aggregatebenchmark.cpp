// SPDX-License-Identifier: Apache-2.0
#include "aggregatebenchmark.h"

#include "scratchstore.h"

#include "domain/eventtyperegistry.h"
#include "domain/repository.h"
#include "domain/snapshotpolicy.h"
#include "eventstore/sqldialect.h"
#include "eventstore/sqleventstore.h"
#include "samples/account/accountaggregate.h"
#include "samples/account/accountmodule.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUuid>

#include <algorithm>
#include <memory>
#include <vector>

Q_LOGGING_CATEGORY(lcAggregateBench, "eventscope.core.bench.aggregate")

namespace EventScope {

namespace {

const QString StreamId = QStringLiteral("account-bench");
constexpr qint64 OpeningAmount = 100; ///< cents of the first deposit; deposit n pays OpeningAmount + n % 900

qint64 depositAmount(int n)
{
    return OpeningAmount + n % 900;
}

double medianMs(std::vector<qint64> nsecs)
{
    if (nsecs.empty())
        return qQNaN();
    std::sort(nsecs.begin(), nsecs.end());
    const size_t middle = nsecs.size() / 2;
    const double median = nsecs.size() % 2 ? double(nsecs[middle]) : (double(nsecs[middle - 1]) + nsecs[middle]) / 2;
    return std::max(median, 1.0) / 1e6;
}

QString scaleCount(qint64 n)
{
    return QLocale::c().toString(n);
}

StoreError fromDomain(const DomainError& error)
{
    if (error.storeError())
        return *error.storeError();
    return StoreError(StoreError::Code::QueryFailed,
        AggregateBenchmark::tr("The aggregate benchmark failed: %1").arg(error.message()));
}

/// Appends AccountOpened and size − 1 deposits to StreamId in batches; returns the final balance.
StoreResult<qint64> seedStream(SqlEventStore& store, int size, int batchSize)
{
    const QJsonObject metadata { { QStringLiteral("actor"), QStringLiteral("service:aggregate-bench") },
        { QStringLiteral("role"), QStringLiteral("developer") },
        { QStringLiteral("correlationId"), EventData::newEventId().toString(QUuid::WithoutBraces) } };
    qint64 balance = 0;
    StreamVersion version = NoStreamVersion;
    int written = 0;
    while (written < size) {
        const int count = std::min(batchSize, size - written);
        QList<EventData> events;
        events.reserve(count);
        for (int i = 0; i < count; ++i, ++written) {
            if (written == 0) {
                events.append(EventData::create(QStringLiteral("AccountOpened"),
                    { { QStringLiteral("owner"), QStringLiteral("Benchmark Ltd") },
                        { QStringLiteral("currency"), QStringLiteral("EUR") } },
                    metadata));
                continue;
            }
            const qint64 amount = depositAmount(written);
            balance += amount;
            events.append(EventData::create(QStringLiteral("MoneyDeposited"),
                { { QStringLiteral("amount"), amount }, { QStringLiteral("balanceAfter"), balance },
                    { QStringLiteral("transactionId"), QUuid::createUuid().toString(QUuid::WithoutBraces) } },
                metadata));
        }
        const auto expected
            = version == NoStreamVersion ? ExpectedVersion::noStream() : ExpectedVersion::exact(version);
        const auto result = store.append(StreamId, expected, events);
        if (!result)
            return result.error();
        version = result->nextExpectedVersion;
    }
    return balance;
}

} // namespace

AggregateBenchmark::Parameters AggregateBenchmark::Parameters::forScale(Scale scale)
{
    Parameters p;
    switch (scale) {
    case Scale::Full:
        break;
    case Scale::Small:
        p.sizes = { 10, 1000, 10000 };
        p.repetitions = 5;
        break;
    case Scale::Tiny:
        p.sizes = { 10, 100, 1000 };
        p.repetitions = 3;
        break;
    }
    return p;
}

AggregateBenchmark::AggregateBenchmark(StoreSettings settings, Parameters parameters)
    : m_settings(std::move(settings))
    , m_parameters(std::move(parameters))
{
}

std::optional<AggregateBenchmark::Scale> AggregateBenchmark::scaleFromName(const QString& name)
{
    if (name == u"tiny")
        return Scale::Tiny;
    if (name == u"small")
        return Scale::Small;
    if (name == u"full")
        return Scale::Full;
    return std::nullopt;
}

void AggregateBenchmark::progress(const QString& text) const
{
    qCInfo(lcAggregateBench).noquote() << text;
    if (m_progress)
        m_progress(text);
}

StoreResult<AggregateBenchmark::Report> AggregateBenchmark::run()
{
    const Parameters& p = m_parameters;
    if (p.sizes.size() < 2 || p.repetitions < 1 || p.seedBatch < 1 || p.snapshotFrequency < 1
        || !std::is_sorted(p.sizes.cbegin(), p.sizes.cend()) || p.sizes.constFirst() < 1)
        return StoreError(StoreError::Code::InvalidArgument,
            tr("The aggregate benchmark needs at least two ascending sizes of at least 1 event, and repetitions, "
               "seed batch and snapshot frequency of at least 1."));

    QTemporaryDir directory(QDir::temp().filePath(QStringLiteral("eventscope-bench-XXXXXX")));
    if (auto unusable = ScratchStore::checkDirectory(directory, m_settings))
        return *unusable;
    m_directory = directory.path();
    m_runId = ScratchStore::newRunId();

    Report report;
    report.backend = StoreSettings::backendName(m_settings.backend);
    if (m_settings.backend == StoreSettings::Backend::Sqlite)
        report.notes << tr("SQLite: each size in a new temporary file.");
    else
        report.notes
            << tr("PostgreSQL: each size in a new schema es_bench_%1_agg<size>, dropped afterwards.").arg(m_runId);
    report.notes << tr("Times are the median of %1 loads of one Account aggregate through Repository::load(), "
                       "after one unmeasured load; snapshots every %2 events, the last %3 kept.")
                        .arg(p.repetitions)
                        .arg(p.snapshotFrequency)
                        .arg(p.snapshotRetain);

    QMap<int, double> withSnapshots;
    for (const int size : p.sizes) {
        if (auto result = runSize(size, report, withSnapshots); !result)
            return result.error();
    }

    const int largest = p.sizes.constLast();
    const int second = p.sizes.at(p.sizes.size() - 2);
    const BenchFigure flatness
        = BenchFigure::compared(QStringLiteral("flatness.with_snapshots.%1_vs_%2").arg(largest).arg(second),
            withSnapshots.value(largest), QStringLiteral("ms"), withSnapshots.value(second));
    report.figures << flatness;
    report.notes << tr("flatness: with snapshots, loading %1 events takes %2× the time of %3 events (target: at "
                       "most 2×) – %4.")
                        .arg(scaleCount(largest))
                        .arg(flatness.ratio, 0, 'f', 2)
                        .arg(scaleCount(second))
                        .arg(flatness.ratio <= 2 ? tr("met") : tr("NOT met"));
    return report;
}

StoreResult<Done> AggregateBenchmark::runSize(int size, Report& report, QMap<int, double>& withSnapshots)
{
    const Parameters& p = m_parameters;
    progress(tr("%1 events: seeding in appends of %2 (not measured)").arg(scaleCount(size)).arg(p.seedBatch));
    ScratchStore scratch(m_settings, QStringLiteral("es_bench_%1_agg%2").arg(m_runId).arg(size), m_directory);
    if (auto opened = scratch.open(); !opened)
        return opened.error();
    ScratchStore::describeEnvironment(*scratch.shared(), report);

    const auto balance = seedStream(*scratch.shared(), size, p.seedBatch);
    if (!balance)
        return balance.error();

    auto registry = std::make_shared<EventTypeRegistry>();
    if (auto registered = AccountModule().registerEvents(*registry); !registered)
        return fromDomain(registered.error());
    const Repository::Factory factory = [](const QString& id) { return std::make_unique<AccountAggregate>(id); };
    const SnapshotPolicy policy(true, p.snapshotFrequency, p.snapshotRetain);
    // Both repositories share the store; the one without snapshots never reads es_snapshots.
    Repository plain(scratch.shared(), registry, factory, SnapshotPolicy::disabled());
    Repository snapshotting(scratch.shared(), registry, factory, policy);

    // The snapshots the policy would have taken (each time the stream reached a multiple of the frequency)
    // and retention would have kept: the state the repository rebuilds at each of those versions.
    const StreamVersion lastVersion = size - 1;
    QList<StreamVersion> snapshotVersions;
    for (StreamVersion events = (size / p.snapshotFrequency) * qint64(p.snapshotFrequency); events > 0;
         events -= p.snapshotFrequency) {
        snapshotVersions.prepend(events - 1);
        if (p.snapshotRetain > 0 && snapshotVersions.size() >= p.snapshotRetain)
            break;
    }
    qint64 snapshotBytes = 0;
    for (const StreamVersion version : std::as_const(snapshotVersions)) {
        auto state = plain.loadAt(StreamId, version);
        if (!state)
            return fromDomain(state.error());
        AggregateRoot& aggregate = *state->aggregate;
        Snapshot snapshot { StreamId, version, aggregate.aggregateType(), aggregate.snapshotSchemaVersion(),
            aggregate.snapshotState(), {} };
        snapshotBytes = QJsonDocument(snapshot.state).toJson(QJsonDocument::Compact).size();
        if (auto saved = snapshotting.snapshots().save(snapshot); !saved)
            return saved.error();
    }
    const StreamVersion expectedSnapshot = snapshotVersions.isEmpty() ? NoStreamVersion : snapshotVersions.last();

    // One load, checked: the right version and balance, from the expected snapshot, replaying only the rest.
    const auto load = [&](Repository& repository, bool snapshots, qint64* nsecs) -> StoreResult<Done> {
        QElapsedTimer timer;
        timer.start();
        auto loaded = repository.load(StreamId);
        const qint64 elapsed = timer.nsecsElapsed();
        if (!loaded)
            return fromDomain(loaded.error());
        const auto* account = dynamic_cast<const AccountAggregate*>(loaded->aggregate.get());
        const StreamVersion from = snapshots ? expectedSnapshot : NoStreamVersion;
        if (!account || account->version() != lastVersion || account->balance() != balance.value()
            || loaded->report.snapshotVersion != from || loaded->report.eventsReplayed != lastVersion - from)
            return StoreError(StoreError::Code::QueryFailed,
                tr("Loading the %1-event account %2 snapshots gave version %3, balance %4, from snapshot %5 with %6 "
                   "events replayed; expected version %7, balance %8, from snapshot %9. The repository or the "
                   "snapshot store is broken.")
                    .arg(size)
                    .arg(snapshots ? tr("with") : tr("without"))
                    .arg(account ? account->version() : -2)
                    .arg(account ? account->balance() : -1)
                    .arg(loaded->report.snapshotVersion)
                    .arg(loaded->report.eventsReplayed)
                    .arg(lastVersion)
                    .arg(balance.value())
                    .arg(from));
        if (nsecs)
            *nsecs = elapsed;
        return Done {};
    };

    progress(tr("%1 events: loading %2 times without and with snapshots").arg(scaleCount(size)).arg(p.repetitions));
    for (const bool snapshots : { false, true }) {
        if (auto warm = load(snapshots ? snapshotting : plain, snapshots, nullptr); !warm)
            return warm.error();
    }
    std::vector<qint64> plainNs;
    std::vector<qint64> snapshotNs;
    for (int r = 0; r < p.repetitions; ++r) {
        qint64 elapsed = 0;
        if (auto done = load(plain, false, &elapsed); !done)
            return done.error();
        plainNs.push_back(elapsed);
        if (auto done = load(snapshotting, true, &elapsed); !done)
            return done.error();
        snapshotNs.push_back(elapsed);
    }

    const double without = medianMs(plainNs);
    const double with = medianMs(snapshotNs);
    withSnapshots.insert(size, with);
    report.figures << BenchFigure::single(
        QStringLiteral("load.%1.without_snapshots").arg(size), without, QStringLiteral("ms"));
    report.figures << BenchFigure::compared(
        QStringLiteral("load.%1.with_snapshots").arg(size), with, QStringLiteral("ms"), without);
    if (expectedSnapshot == NoStreamVersion)
        report.notes << tr("%1 events: no snapshot (fewer than %2 events), both modes replay every event.")
                            .arg(scaleCount(size))
                            .arg(p.snapshotFrequency);
    else
        report.notes << tr("%1 events: with snapshots the load starts at version %2 and replays %3 events; the "
                           "snapshot state is %4 bytes of JSON.")
                            .arg(scaleCount(size))
                            .arg(expectedSnapshot)
                            .arg(lastVersion - expectedSnapshot)
                            .arg(scaleCount(snapshotBytes));
    return Done {};
}

} // namespace EventScope
