// SPDX-License-Identifier: Apache-2.0
#include "storebenchmark.h"

#include "scratchstore.h"

#include "eventstore/allsubscription.h"
#include "eventstore/sqldialect.h"
#include "eventstore/sqleventstore.h"
#include "eventstore/streamid.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSemaphore>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QUuid>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <mutex>
#include <numeric>
#include <vector>

Q_LOGGING_CATEGORY(lcStoreBench, "eventscope.core.bench")

namespace EventScope {

namespace {

const QString EventColumns = QStringLiteral("global_position, stream_id, stream_version, event_id, event_type, "
                                            "schema_version, payload, metadata, recorded_at");
const QString RawTable = QStringLiteral("bench_raw_events");

/// Rate per second of \a count things done in \a nsecs nanoseconds (never divides by zero).
double perSecond(qint64 count, qint64 nsecs)
{
    return double(count) * 1e9 / double(std::max<qint64>(nsecs, 1));
}

double percentileMs(std::vector<qint64>& nsecs, double percentile)
{
    if (nsecs.empty())
        return qQNaN();
    const auto index = std::min(nsecs.size() - 1, size_t(std::ceil(percentile * double(nsecs.size()))) - 1);
    std::nth_element(nsecs.begin(), nsecs.begin() + qsizetype(index), nsecs.end());
    return double(std::max<qint64>(nsecs[index], 1)) / 1e6;
}

StoreError sqlError(const QSqlQuery& query, const QString& what)
{
    qCWarning(lcStoreBench).noquote() << what << "failed:" << query.lastQuery() << "–" << query.lastError().text();
    return StoreError(StoreError::Code::QueryFailed,
        StoreBenchmark::tr("The benchmark could not %1: %2").arg(what, query.lastError().text()));
}

/// A typical small domain event (~300 bytes of JSON), different for every \a n.
EventData benchEvent(qint64 n)
{
    const QJsonObject payload { { QStringLiteral("transactionId"), QUuid::createUuid().toString(QUuid::WithoutBraces) },
        { QStringLiteral("amount"), 100 + n % 9900 }, { QStringLiteral("balanceAfter"), 500000 + n },
        { QStringLiteral("reference"), QStringLiteral("INV-%1").arg(n, 8, 10, QLatin1Char('0')) } };
    const QJsonObject metadata { { QStringLiteral("correlationId"),
                                     EventData::newEventId().toString(QUuid::WithoutBraces) },
        { QStringLiteral("actor"), QStringLiteral("service:store-bench") },
        { QStringLiteral("role"), QStringLiteral("service") }, { QStringLiteral("source"), QStringLiteral("bench") } };
    return EventData::create(QStringLiteral("MoneyDeposited"), payload, metadata);
}

QList<EventData> benchEvents(qint64 first, int count)
{
    QList<EventData> events;
    events.reserve(count);
    for (int i = 0; i < count; ++i)
        events.append(benchEvent(first + i));
    return events;
}

// ---- memory ----------------------------------------------------------------------------------------------

struct MemorySample {
    qint64 rssKiB = 0;
    qint64 peakKiB = 0; ///< VmHWM: highest resident size since start or since the last resetPeakMemory()
};

std::optional<MemorySample> sampleMemory()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly | QIODevice::Text))
        return std::nullopt;
    MemorySample sample;
    bool haveRss = false;
    bool havePeak = false;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray& line : lines) {
        const auto value
            = [&line] { return line.mid(line.indexOf(':') + 1).trimmed().split(' ').value(0).toLongLong(); };
        if (line.startsWith("VmRSS:")) {
            sample.rssKiB = value();
            haveRss = true;
        } else if (line.startsWith("VmHWM:")) {
            sample.peakKiB = value();
            havePeak = true;
        }
    }
    if (!haveRss || !havePeak)
        return std::nullopt;
    return sample;
}

/// Resets VmHWM to the current resident size (Linux 4.0+), so that the peak of one phase can be measured.
bool resetPeakMemory()
{
    QFile clearRefs(QStringLiteral("/proc/self/clear_refs"));
    return clearRefs.open(QIODevice::WriteOnly) && clearRefs.write("5") == 1;
}

/// Measures the peak growth of resident memory while a phase runs.
class PeakMemoryProbe {
public:
    PeakMemoryProbe()
        : m_reset(resetPeakMemory())
        , m_before(sampleMemory())
    {
    }

    /// Peak growth in MiB since construction, or NaN when /proc is not available.
    double growthMiB() const
    {
        const auto after = sampleMemory();
        if (!m_before || !after)
            return qQNaN();
        return double(std::max<qint64>(0, after->peakKiB - m_before->rssKiB)) / 1024.0;
    }
    bool peakWasReset() const { return m_reset; }

private:
    bool m_reset;
    std::optional<MemorySample> m_before;
};

// ---- stores ----------------------------------------------------------------------------------------------

/// The calling thread's connection of \a store, as a value usable for queries.
StoreResult<QSqlDatabase> connectionOf(SqlEventStore& store)
{
    return store.threadConnection();
}

/**
 * Creates the raw baseline table beside es_events with the same columns and indexes: SQLite copies the
 * store's own DDL from sqlite_master with the table renamed, PostgreSQL uses CREATE TABLE … (LIKE es_events
 * INCLUDING ALL).
 */
StoreResult<Done> createRawTable(SqlEventStore& store)
{
    auto db = connectionOf(store);
    if (!db)
        return db.error();
    QSqlQuery query(*db);
    QStringList ddl;
    if (store.settings().backend == StoreSettings::Backend::Sqlite) {
        if (!query.exec(QStringLiteral("SELECT sql FROM sqlite_master WHERE tbl_name = 'es_events' AND type IN "
                                       "('table', 'index') AND sql IS NOT NULL "
                                       "ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, name")))
            return sqlError(query, StoreBenchmark::tr("read the store's schema"));
        while (query.next())
            ddl << query.value(0).toString().replace(QStringLiteral("es_events"), RawTable);
        if (ddl.isEmpty())
            return StoreError(StoreError::Code::QueryFailed,
                StoreBenchmark::tr(
                    "The store has no es_events table in sqlite_master; the benchmark needs the store's schema."));
    } else {
        ddl << QStringLiteral("CREATE TABLE %1 (LIKE es_events INCLUDING ALL)").arg(RawTable);
    }
    for (const QString& sql : std::as_const(ddl)) {
        if (!query.exec(sql))
            return sqlError(query, StoreBenchmark::tr("create the raw baseline table"));
    }
    return Done {};
}

bool isSqlite(const SqlDialect& dialect)
{
    return dialect.driverName() == QStringLiteral("QSQLITE");
}

/// Plain INSERT of \a rows events into the raw table: what an application without an event store would send.
/// SQLite binds recorded_at (epoch ms); PostgreSQL lets the column default stamp it, as the store does.
QString rawInsert(const SqlDialect& dialect, int rows)
{
    const QString row = isSqlite(dialect)
        ? QStringLiteral("(?, ?, ?, ?, ?, ?, ?, ?)")
        : QStringLiteral("(?, ?, CAST(? AS uuid), ?, ?, CAST(? AS json), CAST(? AS json))");
    QStringList values;
    for (int i = 0; i < rows; ++i)
        values << row;
    return QStringLiteral("INSERT INTO ") + RawTable
        + QStringLiteral(" (stream_id, stream_version, event_id, event_type, schema_version, payload, metadata")
        + (isSqlite(dialect) ? QStringLiteral(", recorded_at) VALUES ") : QStringLiteral(") VALUES "))
        + values.join(QStringLiteral(", "));
}

/// Binds one event at row \a row of a (multi-row) insert, in rawInsert()'s placeholder order.
void bindRow(QSqlQuery& query, const SqlDialect& dialect, int row, const QString& streamId, StreamVersion version,
    const EventData& event)
{
    const bool sqlite = isSqlite(dialect);
    int index = row * (sqlite ? 8 : 7);
    query.bindValue(index++, streamId);
    query.bindValue(index++, version);
    query.bindValue(index++, event.eventId.toString(QUuid::WithoutBraces));
    query.bindValue(index++, event.eventType);
    query.bindValue(index++, event.schemaVersion);
    query.bindValue(index++, QString::fromUtf8(QJsonDocument(event.payload).toJson(QJsonDocument::Compact)));
    query.bindValue(index++, QString::fromUtf8(QJsonDocument(event.metadata).toJson(QJsonDocument::Compact)));
    if (sqlite)
        query.bindValue(index++, QDateTime::currentMSecsSinceEpoch());
}

/// Reads every column of the current row, as a consumer of the rows would; returns a value to keep.
qint64 touchRow(const QSqlQuery& query)
{
    qint64 sum = 0;
    for (int column = 0; column < 9; ++column) {
        const QVariant value = query.value(column);
        sum += value.isNull() ? 0 : 1;
    }
    return sum + query.value(6).toByteArray().size();
}

qint64 touchEvent(const RecordedEvent& event)
{
    return event.payload.size() + event.metadata.size() + (event.eventId.isNull() ? 0 : 1);
}

/// Seeds \a total events in appends of \a batch, round-robin over \a streams streams named \a prefix-<n>.
StoreResult<Done> seedStreams(SqlEventStore& store, const QString& prefix, qint64 total, int batch, int streams)
{
    std::vector<StreamVersion> versions(size_t(std::max(streams, 1)), NoStreamVersion);
    qint64 written = 0;
    for (int append = 0; written < total; ++append) {
        const int stream = append % int(versions.size());
        const int count = int(std::min<qint64>(batch, total - written));
        StreamVersion& version = versions[size_t(stream)];
        const auto expected
            = version == NoStreamVersion ? ExpectedVersion::noStream() : ExpectedVersion::exact(version);
        const auto result = store.append(prefix + QString::number(stream), expected, benchEvents(written, count));
        if (!result)
            return result.error();
        version = result->nextExpectedVersion;
        written += count;
    }
    return Done {};
}

QString scaleCount(qint64 count)
{
    return QLocale::c().toString(count);
}

} // namespace

// ---- StoreBenchmark --------------------------------------------------------------------------------------

StoreBenchmark::Parameters StoreBenchmark::Parameters::forScale(Scale scale)
{
    Parameters full;
    if (scale == Scale::Full)
        return full;
    const double factor = scale == Scale::Small ? 0.1 : 0.001;
    const auto scaled = [factor](qint64 value, qint64 minimum) {
        return std::max<qint64>(minimum, qint64(std::llround(double(value) * factor)));
    };
    Parameters p = full;
    p.singleAppends = int(scaled(full.singleAppends, 5));
    p.batchEvents = int(scaled(full.batchEvents, 2 * full.batchSize));
    p.writerBatches = int(scaled(full.writerBatches, 2));
    p.streamEvents = int(scaled(full.streamEvents, 10));
    p.readRounds = scale == Scale::Small ? 3 : 1;
    p.catchUpEvents = scaled(full.catchUpEvents, full.catchUpReadBatch);
    return p;
}

StoreBenchmark::StoreBenchmark(StoreSettings settings, Parameters parameters)
    : m_settings(std::move(settings))
    , m_parameters(parameters)
    , m_cases(allCases())
{
}

QList<StoreBenchmark::Case> StoreBenchmark::allCases()
{
    return { Case::SingleAppend, Case::BatchAppend, Case::ConcurrentWriters, Case::StreamRead, Case::CatchUp };
}

std::optional<StoreBenchmark::Case> StoreBenchmark::caseFromName(const QString& name)
{
    const QString n = name.trimmed().toLower();
    if (n == u"a" || n == u"single")
        return Case::SingleAppend;
    if (n == u"b" || n == u"batch")
        return Case::BatchAppend;
    if (n == u"c" || n == u"concurrent")
        return Case::ConcurrentWriters;
    if (n == u"d" || n == u"read")
        return Case::StreamRead;
    if (n == u"e" || n == u"catchup")
        return Case::CatchUp;
    return std::nullopt;
}

QString StoreBenchmark::caseLetter(Case c)
{
    switch (c) {
    case Case::SingleAppend:
        return QStringLiteral("a");
    case Case::BatchAppend:
        return QStringLiteral("b");
    case Case::ConcurrentWriters:
        return QStringLiteral("c");
    case Case::StreamRead:
        return QStringLiteral("d");
    case Case::CatchUp:
        return QStringLiteral("e");
    }
    return {};
}

std::optional<StoreBenchmark::Scale> StoreBenchmark::scaleFromName(const QString& name)
{
    const QString n = name.trimmed().toLower();
    if (n == u"tiny")
        return Scale::Tiny;
    if (n == u"small")
        return Scale::Small;
    if (n == u"full")
        return Scale::Full;
    return std::nullopt;
}

void StoreBenchmark::progress(const QString& text) const
{
    if (m_progress)
        m_progress(text);
}

StoreResult<StoreBenchmark::Report> StoreBenchmark::run()
{
    const Parameters& p = m_parameters;
    if (p.singleAppends < 1 || p.batchEvents < 1 || p.batchSize < 1 || p.writers < 1 || p.writerBatches < 1
        || p.streamEvents < 1 || p.pageSize < 1 || p.readRounds < 1 || p.catchUpEvents < 1 || p.catchUpSeedBatch < 1
        || p.catchUpReadBatch < 1)
        return StoreError(StoreError::Code::InvalidArgument, tr("Every benchmark size must be at least 1."));

    QTemporaryDir directory(QDir::temp().filePath(QStringLiteral("eventscope-bench-XXXXXX")));
    if (auto unusable = ScratchStore::checkDirectory(directory, m_settings))
        return *unusable;
    m_directory = directory.path();
    m_runId = ScratchStore::newRunId();

    Report report;
    report.backend = StoreSettings::backendName(m_settings.backend);
    if (m_settings.backend == StoreSettings::Backend::Sqlite) {
        report.notes << tr("SQLite in a temporary file, WAL, synchronous=%1; the baselines use the store's own "
                           "connection and a copy of the es_events DDL.")
                            .arg(m_settings.sqliteSynchronous == StoreSettings::SqliteSync::Full
                                    ? QStringLiteral("FULL")
                                    : QStringLiteral("NORMAL"));
    } else {
        report.notes << tr("PostgreSQL: each case in a new schema es_bench_%1_<case>, dropped afterwards; the "
                           "baselines use the store's connection and CREATE TABLE … (LIKE es_events INCLUDING ALL).")
                            .arg(m_runId);
    }

    for (const Case c : allCases()) {
        if (!m_cases.contains(c))
            continue;
        StoreResult<Done> result = Done {};
        switch (c) {
        case Case::SingleAppend:
            result = runSingleAppend(report);
            break;
        case Case::BatchAppend:
            result = runBatchAppend(report);
            break;
        case Case::ConcurrentWriters:
            result = runConcurrentWriters(report);
            break;
        case Case::StreamRead:
            result = runStreamRead(report);
            break;
        case Case::CatchUp:
            result = runCatchUp(report);
            break;
        }
        if (!result)
            return result.error();
    }
    return report;
}

QString StoreBenchmark::scratchName(Case c) const
{
    if (m_settings.backend == StoreSettings::Backend::Sqlite)
        return QStringLiteral("case-") + caseLetter(c);
    return QStringLiteral("es_bench_") + m_runId + u'_' + caseLetter(c);
}

namespace {

StoreError transactionError(const QSqlDatabase& db, const QString& what)
{
    qCWarning(lcStoreBench).noquote() << what << "failed:" << db.lastError().text();
    return StoreError(StoreError::Code::QueryFailed,
        StoreBenchmark::tr("The benchmark could not %1: %2").arg(what, db.lastError().text()));
}

} // namespace

// a) one event per append, each to a new stream, against one row per transaction.
StoreResult<Done> StoreBenchmark::runSingleAppend(Report& report)
{
    const int count = m_parameters.singleAppends;
    progress(
        tr("a: %1 single-event appends to new streams, then the same rows one per transaction").arg(scaleCount(count)));
    ScratchStore scratch(m_settings, scratchName(Case::SingleAppend), m_directory);
    if (auto opened = scratch.open(); !opened)
        return opened.error();
    SqlEventStore& store = scratch.store();
    ScratchStore::describeEnvironment(store, report);

    // Throughput counts the time spent appending (resp. inserting), not making the events.
    std::vector<qint64> storeLatency;
    storeLatency.reserve(size_t(count));
    for (int i = 0; i < count; ++i) {
        const QList<EventData> events { benchEvent(i) };
        QElapsedTimer one;
        one.start();
        const auto result
            = store.append(QStringLiteral("benchA-") + QString::number(i), ExpectedVersion::noStream(), events);
        storeLatency.push_back(one.nsecsElapsed());
        if (!result)
            return result.error();
    }
    const qint64 storeNs = std::accumulate(storeLatency.cbegin(), storeLatency.cend(), qint64(0));

    std::vector<qint64> rawLatency;
    rawLatency.reserve(size_t(count));
    qint64 rawNs = 0;
    {
        if (auto created = createRawTable(store); !created)
            return created.error();
        auto connection = connectionOf(store);
        if (!connection)
            return connection.error();
        QSqlDatabase db = connection.value();
        QSqlQuery insert(db);
        if (!insert.prepare(rawInsert(store.dialect(), 1)))
            return sqlError(insert, tr("prepare the raw insert"));
        for (int i = 0; i < count; ++i) {
            const EventData event = benchEvent(i);
            QElapsedTimer one;
            one.start();
            if (!db.transaction())
                return transactionError(db, tr("begin a raw transaction"));
            bindRow(insert, store.dialect(), 0, QStringLiteral("rawA-") + QString::number(i), 0, event);
            if (!insert.exec()) {
                const StoreError error = sqlError(insert, tr("insert a raw row"));
                db.rollback();
                return error;
            }
            if (!db.commit())
                return transactionError(db, tr("commit a raw transaction"));
            rawLatency.push_back(one.nsecsElapsed());
        }
        rawNs = std::accumulate(rawLatency.cbegin(), rawLatency.cend(), qint64(0));
    }

    report.figures << BenchFigure::compared(QStringLiteral("a.append.single"), perSecond(count, storeNs),
        QStringLiteral("events/s"), perSecond(count, rawNs));
    report.figures << BenchFigure::compared(QStringLiteral("a.append.single.p50"), percentileMs(storeLatency, 0.50),
        QStringLiteral("ms"), percentileMs(rawLatency, 0.50));
    report.figures << BenchFigure::compared(QStringLiteral("a.append.single.p99"), percentileMs(storeLatency, 0.99),
        QStringLiteral("ms"), percentileMs(rawLatency, 0.99));
    return Done {};
}

// b) appends of batchSize events against batchSize rows per transaction.
StoreResult<Done> StoreBenchmark::runBatchAppend(Report& report)
{
    const int batch = m_parameters.batchSize;
    const int appends = (m_parameters.batchEvents + batch - 1) / batch;
    const qint64 events = qint64(appends) * batch;
    constexpr int AppendsPerStream = 10;
    progress(
        tr("b: %1 events in appends of %2, then the same rows %2 per transaction").arg(scaleCount(events)).arg(batch));
    ScratchStore scratch(m_settings, scratchName(Case::BatchAppend), m_directory);
    if (auto opened = scratch.open(); !opened)
        return opened.error();
    SqlEventStore& store = scratch.store();
    ScratchStore::describeEnvironment(store, report);

    // Throughput counts the time spent appending (resp. inserting), not making the events.
    QElapsedTimer timer;
    qint64 storeNs = 0;
    StreamVersion version = NoStreamVersion;
    for (int i = 0; i < appends; ++i) {
        if (i % AppendsPerStream == 0)
            version = NoStreamVersion;
        const QList<EventData> list = benchEvents(qint64(i) * batch, batch);
        const auto expected
            = version == NoStreamVersion ? ExpectedVersion::noStream() : ExpectedVersion::exact(version);
        timer.start();
        const auto result
            = store.append(QStringLiteral("benchB-") + QString::number(i / AppendsPerStream), expected, list);
        storeNs += timer.nsecsElapsed();
        if (!result)
            return result.error();
        version = result->nextExpectedVersion;
    }

    qint64 rawNs = 0;
    {
        if (auto created = createRawTable(store); !created)
            return created.error();
        auto connection = connectionOf(store);
        if (!connection)
            return connection.error();
        QSqlDatabase db = connection.value();
        const SqlDialect& dialect = store.dialect();
        // SQLite reuses a one-row statement (as the store does); PostgreSQL gets multi-row INSERTs of 100 rows.
        const int rowsPerStatement = std::clamp(isSqlite(dialect) ? 1 : 100, 1, batch);
        const int remainder = batch % rowsPerStatement;
        QSqlQuery insert(db);
        if (!insert.prepare(rawInsert(dialect, rowsPerStatement)))
            return sqlError(insert, tr("prepare the raw insert"));
        QSqlQuery insertRest(db);
        if (remainder > 0 && !insertRest.prepare(rawInsert(dialect, remainder)))
            return sqlError(insertRest, tr("prepare the raw insert"));

        for (int i = 0; i < appends; ++i) {
            const QList<EventData> list = benchEvents(qint64(i) * batch, batch);
            const QString streamId = QStringLiteral("rawB-") + QString::number(i / AppendsPerStream);
            const StreamVersion first = StreamVersion(i % AppendsPerStream) * batch;
            timer.start();
            if (!db.transaction())
                return transactionError(db, tr("begin a raw transaction"));
            int row = 0;
            while (row < batch) {
                const int rows = batch - row >= rowsPerStatement ? rowsPerStatement : remainder;
                QSqlQuery& query = rows == rowsPerStatement ? insert : insertRest;
                for (int r = 0; r < rows; ++r)
                    bindRow(query, dialect, r, streamId, first + row + r, list[row + r]);
                if (!query.exec()) {
                    const StoreError error = sqlError(query, tr("insert raw rows"));
                    db.rollback();
                    return error;
                }
                row += rows;
            }
            if (!db.commit())
                return transactionError(db, tr("commit a raw transaction"));
            rawNs += timer.nsecsElapsed();
        }
    }

    report.figures << BenchFigure::compared(QStringLiteral("b.append.batch%1").arg(batch), perSecond(events, storeNs),
        QStringLiteral("events/s"), perSecond(events, rawNs));
    return Done {};
}

namespace {

struct WriterOutcome {
    std::optional<StoreError> error;
    qint64 conflicts = 0;
};

/// Runs \a work(writer, outcome) on \a writers QThreads at once; returns the wall time in nanoseconds.
template <typename Work>
qint64 runWriters(int writers, std::vector<WriterOutcome>& outcomes, Work work)
{
    outcomes.assign(size_t(writers), WriterOutcome {});
    std::vector<std::unique_ptr<QThread>> threads;
    QSemaphore ready;
    QSemaphore go;
    for (int w = 0; w < writers; ++w) {
        threads.emplace_back(QThread::create([w, &outcomes, &work, &ready, &go] {
            ready.release();
            go.acquire(); // all writers start together
            work(w, outcomes[size_t(w)]);
        }));
        threads.back()->setObjectName(QStringLiteral("bench-writer-%1").arg(w));
        threads.back()->start();
    }
    ready.acquire(writers);
    QElapsedTimer timer;
    timer.start();
    go.release(writers);
    for (auto& thread : threads)
        thread->wait();
    return timer.nsecsElapsed();
}

} // namespace

// c) concurrent writers: each on its own streams, then all on one stream with optimistic concurrency.
StoreResult<Done> StoreBenchmark::runConcurrentWriters(Report& report)
{
    const int writers = m_parameters.writers;
    const int batches = m_parameters.writerBatches;
    const int batch = m_parameters.batchSize;
    constexpr int StreamsPerWriter = 5;
    const qint64 events = qint64(writers) * batches * batch;
    progress(tr("c: %1 writers × %2 appends of %3 events, on their own streams and then on one stream")
                 .arg(writers)
                 .arg(batches)
                 .arg(batch));
    ScratchStore scratch(m_settings, scratchName(Case::ConcurrentWriters), m_directory);
    if (auto opened = scratch.open(); !opened)
        return opened.error();
    SqlEventStore& store = scratch.store();
    ScratchStore::describeEnvironment(store, report);

    std::vector<WriterOutcome> outcomes;
    const qint64 ownNs = runWriters(writers, outcomes, [&](int w, WriterOutcome& outcome) {
        std::vector<StreamVersion> versions(StreamsPerWriter, NoStreamVersion);
        for (int b = 0; b < batches; ++b) {
            StreamVersion& version = versions[size_t(b % StreamsPerWriter)];
            const auto expected
                = version == NoStreamVersion ? ExpectedVersion::noStream() : ExpectedVersion::exact(version);
            const QString streamId = QStringLiteral("benchC-w%1-%2").arg(w).arg(b % StreamsPerWriter);
            const auto result = store.append(streamId, expected, benchEvents(qint64(b) * batch, batch));
            if (!result) {
                outcome.error = result.error();
                return;
            }
            version = result->nextExpectedVersion;
        }
    });
    for (const WriterOutcome& outcome : outcomes) {
        if (outcome.error)
            return *outcome.error;
    }

    // Each writer retries a conflicting append with the version the conflict reported, as a command
    // handler would after reloading the aggregate; bounded so that a livelock fails instead of hanging.
    const int maxConflicts = 1000 + batches * writers * 20;
    const qint64 sharedNs = runWriters(writers, outcomes, [&](int, WriterOutcome& outcome) {
        StreamVersion known = NoStreamVersion;
        for (int b = 0; b < batches; ++b) {
            const QList<EventData> list = benchEvents(qint64(b) * batch, batch);
            while (true) {
                const auto expected
                    = known == NoStreamVersion ? ExpectedVersion::noStream() : ExpectedVersion::exact(known);
                const auto result = store.append(QStringLiteral("benchC-shared"), expected, list);
                if (result) {
                    known = result->nextExpectedVersion;
                    break;
                }
                if (result.error().code() != StoreError::Code::WrongExpectedVersion
                    || ++outcome.conflicts > maxConflicts) {
                    outcome.error = result.error();
                    return;
                }
                if (const auto& conflict = result.error().wrongExpectedVersion())
                    known = conflict->actual;
            }
        }
    });
    qint64 conflicts = 0;
    for (const WriterOutcome& outcome : outcomes) {
        if (outcome.error)
            return *outcome.error;
        conflicts += outcome.conflicts;
    }
    const auto info = store.streamInfo(QStringLiteral("benchC-shared"));
    if (!info)
        return info.error();
    if (!info.value() || info.value()->eventCount != events)
        return StoreError(StoreError::Code::QueryFailed,
            tr("The shared stream of case c holds %1 events instead of %2: the store lost or duplicated appends.")
                .arg(info.value() ? info.value()->eventCount : 0)
                .arg(events));

    report.figures << BenchFigure::single(QStringLiteral("c.concurrent%1.own_streams").arg(writers),
        perSecond(events, ownNs), QStringLiteral("events/s"));
    report.figures << BenchFigure::single(QStringLiteral("c.concurrent%1.one_stream").arg(writers),
        perSecond(events, sharedNs), QStringLiteral("events/s"));
    report.notes << tr("c: %1 writers on one stream met %2 WrongExpectedVersion conflicts for %3 successful "
                       "appends and retried each with the reported version.")
                        .arg(writers)
                        .arg(conflicts)
                        .arg(writers * batches);
    return Done {};
}

// d) one stream read forward page by page against one plain scan of its rows.
StoreResult<Done> StoreBenchmark::runStreamRead(Report& report)
{
    const int events = m_parameters.streamEvents;
    const int page = m_parameters.pageSize;
    const int rounds = m_parameters.readRounds;
    progress(tr("d: reading a %1-event stream %2 times in pages of %3, then scanning it with plain SQL")
                 .arg(scaleCount(events))
                 .arg(rounds)
                 .arg(page));
    ScratchStore scratch(m_settings, scratchName(Case::StreamRead), m_directory);
    if (auto opened = scratch.open(); !opened)
        return opened.error();
    SqlEventStore& store = scratch.store();
    ScratchStore::describeEnvironment(store, report);
    if (auto seeded = seedStreams(store, QStringLiteral("benchD-"), events, m_parameters.batchSize, 1); !seeded)
        return seeded.error();
    const QString streamId = QStringLiteral("benchD-0");

    qint64 checksum = 0;
    qint64 storeRead = 0;
    QElapsedTimer timer;
    timer.start();
    for (int round = 0; round < rounds; ++round) {
        StreamVersion from = 0;
        while (true) {
            const auto result = store.readStream(streamId, from, page);
            if (!result)
                return result.error();
            for (const RecordedEvent& event : result.value())
                checksum += touchEvent(event);
            storeRead += result->size();
            if (result->size() < page)
                break;
            from = result->last().streamVersion + 1;
        }
    }
    const qint64 storeNs = timer.nsecsElapsed();

    qint64 rawRead = 0;
    qint64 rawNs = 0;
    {
        auto connection = connectionOf(store);
        if (!connection)
            return connection.error();
        QSqlQuery scan(connection.value());
        scan.setForwardOnly(true);
        if (!scan.prepare(QStringLiteral("SELECT ") + EventColumns
                + QStringLiteral(" FROM es_events WHERE stream_id = ? ORDER BY stream_version")))
            return sqlError(scan, tr("prepare the raw stream scan"));
        timer.restart();
        for (int round = 0; round < rounds; ++round) {
            scan.bindValue(0, streamId);
            if (!scan.exec())
                return sqlError(scan, tr("scan the stream"));
            while (scan.next()) {
                checksum += touchRow(scan);
                ++rawRead;
            }
            scan.finish();
        }
        rawNs = timer.nsecsElapsed();
    }
    if (storeRead != qint64(events) * rounds || rawRead != storeRead)
        return StoreError(StoreError::Code::QueryFailed,
            tr("Case d read %1 events through the store and %2 with plain SQL, expected %3 each.")
                .arg(storeRead)
                .arg(rawRead)
                .arg(qint64(events) * rounds));
    qCDebug(lcStoreBench) << "case d checksum" << checksum;

    report.figures << BenchFigure::compared(QStringLiteral("d.read.stream.page%1").arg(page),
        perSecond(storeRead, storeNs), QStringLiteral("events/s"), perSecond(rawRead, rawNs));
    return Done {};
}

// e) catch-up over $all: readAll in batches and an AllSubscription, against a forward-only scan.
StoreResult<Done> StoreBenchmark::runCatchUp(Report& report)
{
    const qint64 events = m_parameters.catchUpEvents;
    const int batch = m_parameters.catchUpReadBatch;
    progress(tr("e: seeding %1 events in appends of %2 (not measured)")
                 .arg(scaleCount(events))
                 .arg(m_parameters.catchUpSeedBatch));
    ScratchStore scratch(m_settings, scratchName(Case::CatchUp), m_directory);
    if (auto opened = scratch.open(); !opened)
        return opened.error();
    SqlEventStore& store = scratch.store();
    ScratchStore::describeEnvironment(store, report);
    QElapsedTimer timer;
    timer.start();
    if (auto seeded = seedStreams(store, QStringLiteral("benchE-"), events, m_parameters.catchUpSeedBatch, 100);
        !seeded)
        return seeded.error();
    report.notes << tr("e: seeding %1 events took %2 s (%3 events/s).")
                        .arg(scaleCount(events))
                        .arg(double(timer.nsecsElapsed()) / 1e9, 0, 'f', 1)
                        .arg(perSecond(events, timer.nsecsElapsed()), 0, 'f', 0);

    bool peakReset = true;
    qint64 checksum = 0;

    // readAll in batches
    progress(tr("e: catching up over $all with readAll in batches of %1").arg(batch));
    qint64 readAllCount = 0;
    qint64 readAllNs = 0;
    double readAllMiB = 0;
    {
        const PeakMemoryProbe memory;
        peakReset = peakReset && memory.peakWasReset();
        timer.restart();
        GlobalPosition after = 0;
        while (true) {
            const auto result = store.readAll(after, batch);
            if (!result)
                return result.error();
            for (const RecordedEvent& event : result.value())
                checksum += touchEvent(event);
            readAllCount += result->size();
            if (result->size() < batch)
                break;
            after = result->last().position;
        }
        readAllNs = timer.nsecsElapsed();
        readAllMiB = memory.growthMiB();
    }

    // AllSubscription until it has delivered everything
    progress(tr("e: catching up over $all with an AllSubscription"));
    qint64 subscriptionNs = 0;
    double subscriptionMiB = 0;
    std::atomic<qint64> delivered { 0 };
    {
        const PeakMemoryProbe memory;
        peakReset = peakReset && memory.peakWasReset();
        QSemaphore done;
        std::mutex failureMutex;
        QString failure;
        AllSubscription::Options options;
        options.batchSize = batch;
        AllSubscription subscription(scratch.shared(), options, [&](const QList<RecordedEvent>& list) {
            qint64 sum = 0;
            for (const RecordedEvent& event : list)
                sum += touchEvent(event);
            Q_UNUSED(sum);
            if (delivered.fetch_add(list.size()) + list.size() >= events)
                done.release();
        });
        // Direct connections: the signals come from the subscription's thread and this thread runs no event loop.
        QObject::connect(&subscription, &AllSubscription::failed, [&](const QString& message) {
            {
                const std::lock_guard lock(failureMutex);
                failure = message;
            }
            done.release();
        });
        timer.restart();
        subscription.start();
        // Generous: at full scale the slowest backends still deliver well over 10,000 events/s.
        const int timeoutMs = int(std::min<qint64>(60 * 60 * 1000, 60 * 1000 + events / 5));
        const bool finished = done.tryAcquire(1, timeoutMs);
        subscriptionNs = timer.nsecsElapsed();
        subscriptionMiB = memory.growthMiB();
        subscription.stop();
        {
            const std::lock_guard lock(failureMutex);
            if (!failure.isEmpty())
                return StoreError(StoreError::Code::QueryFailed, tr("The subscription failed: %1").arg(failure));
        }
        if (!finished)
            return StoreError(StoreError::Code::QueryFailed,
                tr("The subscription delivered %1 of %2 events within %3 s.")
                    .arg(delivered.load())
                    .arg(events)
                    .arg(timeoutMs / 1000));
    }

    // plain forward-only scan
    progress(tr("e: scanning $all with plain SQL"));
    qint64 rawCount = 0;
    qint64 rawNs = 0;
    double rawMiB = 0;
    {
        auto connection = connectionOf(store);
        if (!connection)
            return connection.error();
        const PeakMemoryProbe memory;
        peakReset = peakReset && memory.peakWasReset();
        QSqlQuery scan(connection.value());
        scan.setForwardOnly(true);
        timer.restart();
        if (!scan.prepare(QStringLiteral("SELECT ") + EventColumns
                + QStringLiteral(" FROM es_events WHERE global_position > ? ORDER BY global_position")))
            return sqlError(scan, tr("prepare the raw $all scan"));
        scan.bindValue(0, 0);
        if (!scan.exec())
            return sqlError(scan, tr("scan $all"));
        while (scan.next()) {
            checksum += touchRow(scan);
            ++rawCount;
        }
        scan.finish();
        rawNs = timer.nsecsElapsed();
        rawMiB = memory.growthMiB();
    }
    qCDebug(lcStoreBench) << "case e checksum" << checksum;

    if (readAllCount != events || delivered.load() != events || rawCount != events)
        return StoreError(StoreError::Code::QueryFailed,
            tr("Case e expected %1 events and got %2 from readAll, %3 from the subscription, %4 from plain SQL.")
                .arg(events)
                .arg(readAllCount)
                .arg(delivered.load())
                .arg(rawCount));

    const double rawRate = perSecond(rawCount, rawNs);
    report.figures << BenchFigure::compared(QStringLiteral("e.catchup.readAll%1").arg(batch),
        perSecond(readAllCount, readAllNs), QStringLiteral("events/s"), rawRate);
    report.figures << BenchFigure::compared(QStringLiteral("e.catchup.subscription"),
        perSecond(delivered.load(), subscriptionNs), QStringLiteral("events/s"), rawRate);
    report.figures << BenchFigure::compared(
        QStringLiteral("e.catchup.readAll%1.memory").arg(batch), readAllMiB, QStringLiteral("MiB"), rawMiB);
    report.figures << BenchFigure::compared(
        QStringLiteral("e.catchup.subscription.memory"), subscriptionMiB, QStringLiteral("MiB"), rawMiB);
    report.notes << tr("e: memory figures are the peak growth of resident memory during each catch-up; their "
                       "baseline is that of the plain forward-only scan (%1 MiB).")
                        .arg(rawMiB, 0, 'f', 1);
    if (!peakReset)
        report.notes << tr("e: the peak resident size could not be reset (/proc/self/clear_refs); the memory "
                           "figures may hide a peak that happened before the phase.");
    return Done {};
}

} // namespace EventScope
