// SPDX-License-Identifier: Apache-2.0
#include "projectionbenchmark.h"

#include "scratchstore.h"

#include "domain/eventtyperegistry.h"
#include "eventstore/sqldialect.h"
#include "eventstore/sqleventstore.h"
#include "projections/projectionmanager.h"
#include "samples/account/accountbalanceprojection.h"
#include "samples/account/accountmodule.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QLoggingCategory>
#include <QMutex>
#include <QRandomGenerator>
#include <QSemaphore>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QUuid>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

Q_LOGGING_CATEGORY(lcProjectionBench, "eventscope.core.bench.projection")

namespace EventScope {

namespace {

const QString RawTable = QStringLiteral("bench_raw_account_balances");
const QString RawCheckpoint = QStringLiteral("bench_raw_checkpoint");
const QString AccountOpened = QStringLiteral("AccountOpened");
const QString MoneyDeposited = QStringLiteral("MoneyDeposited");
const QString MoneyWithdrawn = QStringLiteral("MoneyWithdrawn");
constexpr double SqliteTargetRate = 200000;
constexpr double SqliteTargetRatio = 0.6;
constexpr double PostgresTargetRate = 100000;
constexpr int MaxMismatchesReported = 10;

/// What the seeder wrote to one account, and so what its read model row must say.
struct ExpectedAccount {
    qint64 events = 0; ///< planned events of the stream
    qint64 written = 0;
    qint64 balance = 0;
    qint64 transactions = 0; ///< deposits and withdrawals
};

struct Seeded {
    std::vector<ExpectedAccount> accounts;
    /// The account of each append, in append order: $all order, for counting the rows a batch touches.
    std::vector<std::pair<int, int>> appends; ///< (account, events)
};

double perSecond(qint64 count, qint64 nsecs)
{
    return double(count) * 1e9 / double(std::max<qint64>(nsecs, 1));
}

QString count(qint64 n)
{
    return QLocale::c().toString(n);
}

QString seconds(qint64 nsecs)
{
    return QLocale::c().toString(double(nsecs) / 1e9, 'f', 2);
}

StoreError failure(const QString& message)
{
    return StoreError(StoreError::Code::QueryFailed, message);
}

StoreError sqlError(const QSqlQuery& query, const QString& what)
{
    qCWarning(lcProjectionBench).noquote() << what << "failed:" << query.lastQuery() << "–" << query.lastError().text();
    return failure(ProjectionBenchmark::tr("The projection benchmark could not %1: %2")
                       .arg(what, query.lastError().text().trimmed()));
}

StoreError fromDomain(const DomainError& error)
{
    if (error.storeError())
        return *error.storeError();
    return failure(ProjectionBenchmark::tr("The projection benchmark could not register the account events: %1")
                       .arg(error.message()));
}

/**
 * Runs \a work, and again (3 attempts in all) when it failed because the connection was lost: test suites that
 * share a PostgreSQL server terminate its connections now and then. Counts the repeats into \a retries.
 */
template <typename T>
StoreResult<T> retryOnLostConnection(SqlEventStore& store, int* retries, const std::function<StoreResult<T>()>& work)
{
    for (int attempt = 1;; ++attempt) {
        auto result = work();
        if (result || attempt == 3)
            return result;
        const bool dropped = store.dropDeadThreadConnection();
        if (!dropped && result.error().code() != StoreError::Code::ConnectionFailed)
            return result;
        qCWarning(lcProjectionBench).noquote()
            << "lost the database connection; trying again:" << result.error().message();
        ++*retries;
    }
}

/// Amount of event \a k (1-based after AccountOpened) of account \a account, in cents.
qint64 amountOf(int account, qint64 k)
{
    return 100 + (qint64(account) * 7919 + k * 104729) % 49900;
}

/**
 * Appends the account events, round-robin over the accounts in appends of \a appendBatch: every third money
 * event a withdrawal when the balance allows it, otherwise a deposit, each with its running balance.
 */
StoreResult<Seeded> seed(SqlEventStore& store, const ProjectionBenchmark::Parameters& p, int* retries)
{
    static const QString Currencies[]
        = { QStringLiteral("EUR"), QStringLiteral("USD"), QStringLiteral("GBP"), QStringLiteral("CHF") };
    const QString amountKey = QStringLiteral("amount");
    const QString balanceKey = QStringLiteral("balanceAfter");
    const QString transactionKey = QStringLiteral("transactionId");
    const QString prefix = QLatin1String(AccountModule::StreamPrefix);

    Seeded seeded;
    seeded.accounts.resize(size_t(p.accounts));
    const qint64 base = p.events / p.accounts;
    const qint64 extra = p.events % p.accounts;
    for (int a = 0; a < p.accounts; ++a)
        seeded.accounts[size_t(a)].events = base + (a < extra ? 1 : 0);
    seeded.appends.reserve(size_t((p.events + p.appendBatch - 1) / p.appendBatch + p.accounts));

    qint64 remaining = p.events;
    while (remaining > 0) {
        for (int a = 0; a < p.accounts && remaining > 0; ++a) {
            ExpectedAccount& account = seeded.accounts[size_t(a)];
            const int n = int(std::min<qint64>(p.appendBatch, account.events - account.written));
            if (n <= 0)
                continue;
            const QJsonObject metadata { { QStringLiteral("actor"), QStringLiteral("service:projection-bench") },
                { QStringLiteral("role"), QStringLiteral("developer") },
                { QStringLiteral("correlationId"), EventData::newEventId().toString(QUuid::WithoutBraces) } };
            QList<EventData> events;
            events.reserve(n);
            for (int i = 0; i < n; ++i) {
                const qint64 k = account.written + i;
                if (k == 0) {
                    events.append(EventData::create(AccountOpened,
                        { { QStringLiteral("owner"), QStringLiteral("Owner %1").arg(a) },
                            { QStringLiteral("currency"), Currencies[a % 4] } },
                        metadata));
                    continue;
                }
                qint64 amount = amountOf(a, k);
                const bool withdraw = k % 3 == 0 && account.balance > 0;
                if (withdraw)
                    amount = std::min(amount, account.balance);
                account.balance += withdraw ? -amount : amount;
                ++account.transactions;
                events.append(EventData::create(withdraw ? MoneyWithdrawn : MoneyDeposited,
                    { { amountKey, amount }, { balanceKey, account.balance },
                        { transactionKey, QUuid::createUuid().toString(QUuid::WithoutBraces) } },
                    metadata));
            }
            const auto expected = account.written == 0 ? ExpectedVersion::noStream()
                                                       : ExpectedVersion::exact(StreamVersion(account.written - 1));
            const QString streamId = prefix + QString::number(a);
            bool tried = false;
            const auto appended = retryOnLostConnection<Done>(store, retries, [&]() -> StoreResult<Done> {
                if (tried) {
                    // The lost append may have committed before the connection went.
                    const auto info = store.streamInfo(streamId);
                    if (!info)
                        return info.error();
                    if (info.value() && info.value()->eventCount == account.written + n)
                        return Done {};
                }
                tried = true;
                const auto result = store.append(streamId, expected, events);
                if (!result)
                    return result.error();
                return Done {};
            });
            if (!appended)
                return appended.error();
            account.written += n;
            remaining -= n;
            seeded.appends.emplace_back(a, n);
        }
    }
    return seeded;
}

/// Rows the projection writes: one per account and batch of \a batchSize events in $all order.
qint64 coalescedRows(const Seeded& seeded, int batchSize)
{
    qint64 rows = 0;
    qint64 inBatch = 0;
    QSet<int> touched;
    for (const auto& [account, events] : seeded.appends) {
        qint64 left = events;
        while (left > 0) {
            const qint64 take = std::min<qint64>(left, batchSize - inBatch);
            touched.insert(account);
            inBatch += take;
            left -= take;
            if (inBatch == batchSize) {
                rows += touched.size();
                touched.clear();
                inBatch = 0;
            }
        }
    }
    return rows + touched.size();
}

/**
 * Compares every row of \a table with \a expected; appends what differs to \a mismatches (at most a few) and
 * returns whether all matched. The read model and the baseline both key accounts by the stream id without
 * its prefix.
 */
StoreResult<bool> verifyOnce(SqlEventStore& store, const QString& table, const std::vector<ExpectedAccount>& expected,
    const QString& phase, QStringList& mismatches)
{
    auto db = store.threadConnection();
    if (!db)
        return db.error();
    QSqlQuery query(*db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT account_id, balance, transactions FROM %1").arg(table)))
        return sqlError(query, ProjectionBenchmark::tr("read %1 to check it").arg(table));
    std::vector<bool> seen(expected.size(), false);
    bool correct = true;
    const auto mismatch = [&](const QString& text) {
        correct = false;
        if (mismatches.size() < MaxMismatchesReported)
            mismatches << phase + QStringLiteral(": ") + text;
    };
    while (query.next()) {
        const QString id = query.value(0).toString();
        bool isNumber = false;
        const int n = id.toInt(&isNumber);
        if (!isNumber || n < 0 || size_t(n) >= expected.size() || seen[size_t(n)]) {
            mismatch(ProjectionBenchmark::tr("%1 has an unexpected row for account '%2'").arg(table, id));
            continue;
        }
        seen[size_t(n)] = true;
        const ExpectedAccount& account = expected[size_t(n)];
        const qint64 balance = query.value(1).toLongLong();
        const qint64 transactions = query.value(2).toLongLong();
        if (balance != account.balance || transactions != account.transactions)
            mismatch(ProjectionBenchmark::tr(
                "account %1 has balance %2 and %3 transactions in %4; the seeder wrote balance %5 and %6")
                         .arg(id)
                         .arg(balance)
                         .arg(transactions)
                         .arg(table)
                         .arg(account.balance)
                         .arg(account.transactions));
    }
    for (size_t n = 0; n < seen.size(); ++n) {
        if (!seen[n])
            mismatch(ProjectionBenchmark::tr("account %1 is missing from %2").arg(n).arg(table));
    }
    return correct;
}

StoreResult<bool> verify(SqlEventStore& store, const QString& table, const std::vector<ExpectedAccount>& expected,
    const QString& phase, QStringList& mismatches, int* retries)
{
    QStringList found;
    const auto result = retryOnLostConnection<bool>(store, retries, [&]() -> StoreResult<bool> {
        found.clear();
        return verifyOnce(store, table, expected, phase, found);
    });
    for (const QString& mismatch : std::as_const(found)) {
        if (mismatches.size() < MaxMismatchesReported)
            mismatches << mismatch;
    }
    return result;
}

/// The (DROP and) CREATE statements of a plain table shaped like the projection's table (columns, key, indexes).
QStringList rawTableDdl(const ReadModelTable& shape)
{
    QStringList definition = shape.columns;
    if (!shape.primaryKey.isEmpty())
        definition << QStringLiteral("PRIMARY KEY (%1)").arg(shape.primaryKey.join(QStringLiteral(", ")));
    QStringList ddl { QStringLiteral("DROP TABLE IF EXISTS %1").arg(RawTable),
        QStringLiteral("DROP TABLE IF EXISTS %1").arg(RawCheckpoint),
        QStringLiteral("CREATE TABLE %1 (%2)").arg(RawTable, definition.join(QStringLiteral(", "))) };
    for (qsizetype i = 0; i < shape.indexes.size(); ++i)
        ddl << QStringLiteral("CREATE INDEX %1_ix%2 ON %1 (%3)")
                   .arg(RawTable)
                   .arg(i)
                   .arg(shape.indexes.at(i).join(QStringLiteral(", ")));
    ddl << QStringLiteral("CREATE TABLE %1 (name TEXT NOT NULL PRIMARY KEY, position BIGINT NOT NULL)")
               .arg(RawCheckpoint)
        << QStringLiteral("INSERT INTO %1 (name, position) VALUES ('account_balances', 0)").arg(RawCheckpoint);
    return ddl;
}

/**
 * The raw baseline: what a hand-written projector would do. Reads $all in batches of \a batchSize, parses each
 * payload, runs one prepared upsert per event and commits once per batch with its checkpoint. Returns the
 * nanoseconds it took and counts the events it applied into \a applied.
 */
StoreResult<qint64> runBaseline(SqlEventStore& store, int batchSize, qint64* applied)
{
    auto connection = store.threadConnection();
    if (!connection)
        return connection.error();
    QSqlDatabase db = connection.value();
    {
        QSqlQuery ddl(db);
        const auto tables = AccountBalanceProjection().tables();
        for (const QString& sql : rawTableDdl(tables.constFirst())) {
            if (!ddl.exec(sql))
                return sqlError(ddl, ProjectionBenchmark::tr("create the baseline table"));
        }
    }

    const QString columns = QStringLiteral("account_id, owner, currency, balance, status, transactions, opened_at, "
                                           "updated_at, version, position");
    QSqlQuery open(db);
    open.setForwardOnly(true);
    if (!open.prepare(QStringLiteral("INSERT INTO %1 (%2) VALUES (?, ?, ?, 0, 'open', 0, ?, ?, ?, ?) "
                                     "ON CONFLICT (account_id) DO UPDATE SET owner = excluded.owner, currency = "
                                     "excluded.currency, balance = excluded.balance, status = excluded.status, "
                                     "transactions = excluded.transactions, opened_at = excluded.opened_at, "
                                     "updated_at = excluded.updated_at, version = excluded.version, "
                                     "position = excluded.position")
                          .arg(RawTable, columns)))
        return sqlError(open, ProjectionBenchmark::tr("prepare the baseline's AccountOpened upsert"));
    QSqlQuery money(db);
    money.setForwardOnly(true);
    if (!money.prepare(QStringLiteral("INSERT INTO %1 (%2) VALUES (?, '', '', ?, 'open', 1, ?, ?, ?, ?) "
                                      "ON CONFLICT (account_id) DO UPDATE SET balance = excluded.balance, "
                                      "transactions = %1.transactions + 1, updated_at = excluded.updated_at, "
                                      "version = excluded.version, position = excluded.position")
                           .arg(RawTable, columns)))
        return sqlError(money, ProjectionBenchmark::tr("prepare the baseline's money upsert"));
    QSqlQuery checkpoint(db);
    if (!checkpoint.prepare(
            QStringLiteral("UPDATE %1 SET position = ? WHERE name = 'account_balances'").arg(RawCheckpoint)))
        return sqlError(checkpoint, ProjectionBenchmark::tr("prepare the baseline's checkpoint update"));

    const QString owner = QStringLiteral("owner");
    const QString currency = QStringLiteral("currency");
    const QString balanceAfter = QStringLiteral("balanceAfter");
    QMutex* writeMutex = store.writeMutex();
    QElapsedTimer timer;
    timer.start();
    GlobalPosition after = 0;
    while (true) {
        const auto events = store.readAll(after, batchSize);
        if (!events)
            return events.error();
        if (events->isEmpty())
            break;
        std::unique_lock<QMutex> lock;
        if (writeMutex)
            lock = std::unique_lock<QMutex>(*writeMutex);
        if (!store.dialect().beginWrite(db))
            return failure(
                ProjectionBenchmark::tr("The baseline could not begin a transaction: %1").arg(db.lastError().text()));
        for (const RecordedEvent& event : events.value()) {
            const QJsonObject payload = QJsonDocument::fromJson(event.payload).object();
            const QString id = AccountBalanceProjection::accountId(event.streamId);
            const qint64 at = event.recordedAt.toMSecsSinceEpoch();
            // Both upserts end in updated_at, version, position; AccountOpened binds one more column before.
            QSqlQuery* query = nullptr;
            int next = 0;
            if (event.eventType == AccountOpened) {
                query = &open;
                open.bindValue(next++, id);
                open.bindValue(next++, payload.value(owner).toString());
                open.bindValue(next++, payload.value(currency).toString());
            } else if (event.eventType == MoneyDeposited || event.eventType == MoneyWithdrawn) {
                query = &money;
                money.bindValue(next++, id);
                money.bindValue(next++, payload.value(balanceAfter).toInteger());
            } else {
                continue;
            }
            query->bindValue(next++, at); // opened_at
            query->bindValue(next++, at); // updated_at
            query->bindValue(next++, event.streamVersion);
            query->bindValue(next++, event.position);
            if (!query->exec()) {
                const StoreError error = sqlError(*query, ProjectionBenchmark::tr("apply an event in the baseline"));
                db.rollback();
                return error;
            }
            ++*applied;
        }
        after = events->last().position;
        checkpoint.bindValue(0, after);
        if (!checkpoint.exec()) {
            const StoreError error = sqlError(checkpoint, ProjectionBenchmark::tr("write the baseline's checkpoint"));
            db.rollback();
            return error;
        }
        if (!db.commit())
            return failure(
                ProjectionBenchmark::tr("The baseline could not commit a batch: %1").arg(db.lastError().text()));
        if (events->size() < batchSize)
            break;
    }
    return timer.nsecsElapsed();
}

QString stateError(const ProjectionManager& manager, const QString& name, const QString& what)
{
    const auto status = manager.status(name);
    if (status && status->fault)
        return ProjectionBenchmark::tr("The account balances projection faulted during the %1 on event %2 (%3): %4")
            .arg(what)
            .arg(status->fault->position)
            .arg(status->fault->eventType, status->fault->error);
    return ProjectionBenchmark::tr(
        "The account balances projection did not finish the %1 in time (state %2, checkpoint %3 of %4%5).")
        .arg(what)
        .arg(status ? projectionStateName(status->state) : QStringLiteral("unknown"))
        .arg(status ? status->checkpoint : 0)
        .arg(status ? status->head : 0)
        .arg(status && !status->lastError.isEmpty() ? ProjectionBenchmark::tr("; last error: %1").arg(status->lastError)
                                                    : QString());
}

/**
 * waitForCheckpoint() until it says caught up. It also returns (false) while the projection's thread has not yet
 * left the Stopped state right after start(); then it is asked again.
 */
bool waitForCatchUp(const ProjectionManager& manager, const QString& name, GlobalPosition head, int timeoutMs)
{
    QElapsedTimer waited;
    waited.start();
    while (true) {
        const qint64 left = timeoutMs - waited.elapsed();
        if (left <= 0)
            return false;
        if (manager.waitForCheckpoint(name, head, std::chrono::milliseconds(left)))
            return true;
        const auto status = manager.status(name);
        if (!status || status->state != ProjectionState::Stopped)
            return false;
        QThread::msleep(1);
    }
}

} // namespace

ProjectionBenchmark::Parameters ProjectionBenchmark::Parameters::forEvents(qint64 events)
{
    Parameters p;
    p.events = events;
    p.accounts = int(std::clamp<qint64>(events / 100, 1, 10000));
    p.readBatch = ProjectionManager::Options().batchSize;
    return p;
}

ProjectionBenchmark::ProjectionBenchmark(StoreSettings settings, Parameters parameters)
    : m_settings(std::move(settings))
    , m_parameters(parameters)
{
}

void ProjectionBenchmark::progress(const QString& text) const
{
    qCInfo(lcProjectionBench).noquote() << text;
    if (m_progress)
        m_progress(text);
}

StoreResult<ProjectionBenchmark::Outcome> ProjectionBenchmark::run()
{
    Parameters p = m_parameters;
    if (p.events < 1 || p.accounts < 1 || p.appendBatch < 1 || p.readBatch < 0)
        return StoreError(StoreError::Code::InvalidArgument,
            tr("The projection benchmark needs at least 1 event, 1 account and an append batch of at least 1."));
    p.accounts = int(std::min<qint64>(p.accounts, p.events));
    ProjectionManager::Options options;
    if (p.readBatch == 0)
        p.readBatch = options.batchSize;
    options.batchSize = p.readBatch;

    QTemporaryDir directory(QDir::temp().filePath(QStringLiteral("eventscope-bench-XXXXXX")));
    if (auto unusable = ScratchStore::checkDirectory(directory, m_settings))
        return *unusable;
    const QString runId = ScratchStore::newRunId();
    const QString scratchName = QStringLiteral("es_bench_%1_proj").arg(runId);
    const QString name = QLatin1String(AccountBalanceProjection::Name);
    const QString liveTable = ReadModelTable::liveName(QLatin1String(AccountBalanceProjection::Table));
    const bool sqlite = m_settings.backend == StoreSettings::Backend::Sqlite;

    Outcome outcome;
    BenchReport& report = outcome.report;
    report.backend = StoreSettings::backendName(m_settings.backend);
    report.notes << (sqlite ? tr("SQLite in a temporary file, WAL; the baseline uses the store's connection.")
                            : tr("PostgreSQL in a new schema %1, dropped afterwards; the baseline uses the store's "
                                 "connection.")
                                  .arg(scratchName));

    ScratchStore scratch(m_settings, scratchName, directory.path());
    if (auto opened = scratch.open(); !opened)
        return opened.error();
    SqlEventStore& store = scratch.store();
    ScratchStore::describeEnvironment(store, report);
    report.environment.insert(QStringLiteral("projection.batchSize"), QString::number(options.batchSize));

    // --- seed ---------------------------------------------------------------------------------------------
    progress(tr("seeding %1 events over %2 accounts in appends of %3 (not measured)")
                 .arg(count(p.events), count(p.accounts))
                 .arg(p.appendBatch));
    QElapsedTimer timer;
    timer.start();
    int retries = 0;
    auto seeded = seed(store, p, &retries);
    if (!seeded)
        return seeded.error();
    const qint64 seedNs = timer.nsecsElapsed();
    const auto head = store.headPosition();
    if (!head)
        return head.error();
    report.notes << tr("Seeding %1 events took %2 s (%3 events/s).")
                        .arg(count(p.events), seconds(seedNs))
                        .arg(perSecond(p.events, seedNs), 0, 'f', 0);

    auto registry = std::make_shared<EventTypeRegistry>();
    if (auto registered = AccountModule().registerEvents(*registry); !registered)
        return fromDomain(registered.error());
    if (auto valid = registry->validate(); !valid)
        return fromDomain(valid.error());

    const int timeoutMs = int(std::min<qint64>(60 * 60 * 1000, 60 * 1000 + p.events / 5));
    qint64 catchUpNs = 0;
    qint64 rebuildNs = 0;
    {
        // Declared before the manager: its thread may signal them until the manager is gone.
        QSemaphore finished;
        std::atomic<bool> faulted { false };
        auto manager = std::make_unique<ProjectionManager>(
            scratch.shared(), std::const_pointer_cast<const EventTypeRegistry>(registry), options);
        if (auto refused = manager->add(std::make_shared<AccountBalanceProjection>()))
            return failure(tr("The account balances projection was refused: %1").arg(refused->message()));

        // --- catch-up from 0 ----------------------------------------------------------------------------
        progress(tr("catch-up: the projection applies $all from the start"));
        timer.restart();
        manager->start();
        const bool caughtUp = waitForCatchUp(*manager, name, head.value(), timeoutMs);
        catchUpNs = timer.nsecsElapsed();
        if (!caughtUp)
            return failure(stateError(*manager, name, tr("catch-up")));
        const QString catchUpError = manager->status(name) ? manager->status(name)->lastError : QString();
        if (!catchUpError.isEmpty())
            report.notes << tr("catch-up: the projection met a failure and tried again (%1); its figure includes the "
                               "retry.")
                                .arg(catchUpError);
        auto checked = verify(store, liveTable, seeded->accounts, tr("after catch-up"), outcome.mismatches, &retries);
        if (!checked)
            return checked.error();
        bool correct = checked.value();

        // --- shadow rebuild -----------------------------------------------------------------------------
        progress(tr("rebuild: the projection builds its read model again into shadow tables"));
        // Direct connections: the signals come from the projection's thread and this thread runs no event loop.
        QObject::connect(manager.get(), &ProjectionManager::rebuildFinished, [&](const QString& projection, int) {
            if (projection == name)
                finished.release();
        });
        QObject::connect(manager.get(), &ProjectionManager::faulted, [&](const QString& projection) {
            if (projection == name) {
                faulted = true;
                finished.release();
            }
        });
        timer.restart();
        if (auto refused = manager->rebuild(
                name, OperatorAction { QStringLiteral("bench"), Role::Developer, QStringLiteral("bench") }))
            return failure(tr("The rebuild was refused: %1").arg(refused->message()));
        const bool rebuilt = finished.tryAcquire(1, timeoutMs);
        rebuildNs = timer.nsecsElapsed();
        const auto status = manager->status(name);
        if (!rebuilt || faulted || !status || status->rebuild || status->checkpoint < head.value())
            return failure(stateError(*manager, name, tr("rebuild")));
        if (!status->lastError.isEmpty() && status->lastError != catchUpError)
            report.notes << tr("rebuild: the projection met a failure and tried again (%1); its figure includes the "
                               "retry.")
                                .arg(status->lastError);
        manager->stop();
        manager.reset();

        checked = verify(store, liveTable, seeded->accounts, tr("after rebuild"), outcome.mismatches, &retries);
        if (!checked)
            return checked.error();
        correct = correct && checked.value();
        outcome.correct = correct;
    }

    // --- raw baseline -------------------------------------------------------------------------------------
    progress(tr("baseline: readAll, QJsonDocument and one plain upsert per event"));
    qint64 rawApplied = 0;
    const auto rawNs = retryOnLostConnection<qint64>(store, &retries, [&] {
        rawApplied = 0;
        return runBaseline(store, p.readBatch, &rawApplied);
    });
    if (!rawNs)
        return rawNs.error();
    if (rawApplied != p.events)
        return failure(tr("The baseline applied %1 events instead of %2.").arg(rawApplied).arg(p.events));
    auto checked = verify(store, RawTable, seeded->accounts, tr("baseline"), outcome.mismatches, &retries);
    if (!checked)
        return checked.error();
    outcome.correct = outcome.correct && checked.value();
    outcome.accountsChecked = p.accounts;

    // --- figures ------------------------------------------------------------------------------------------
    if (retries > 0)
        report.notes << tr("The benchmark lost its own database connection %1 times (seeding, checks or baseline) and "
                           "repeated the step; a repeated baseline is timed from its last start.")
                            .arg(retries);
    const double rawRate = perSecond(p.events, rawNs.value());
    const BenchFigure rebuild = BenchFigure::compared(QStringLiteral("rebuild.account_balances"),
        perSecond(p.events, rebuildNs), QStringLiteral("events/s"), rawRate);
    report.figures << rebuild;
    report.figures << BenchFigure::compared(QStringLiteral("catchup.account_balances"), perSecond(p.events, catchUpNs),
        QStringLiteral("events/s"), rawRate);
    report.figures << BenchFigure::single(
        QStringLiteral("rebuild.account_balances.duration"), double(rebuildNs) / 1e9, QStringLiteral("s"));
    report.figures << BenchFigure::single(
        QStringLiteral("catchup.account_balances.duration"), double(catchUpNs) / 1e9, QStringLiteral("s"));
    report.figures << BenchFigure::single(
        QStringLiteral("baseline.upsert_per_event.duration"), double(rawNs.value()) / 1e9, QStringLiteral("s"));

    const qint64 rows = coalescedRows(seeded.value(), p.readBatch);
    const qint64 batches = (p.events + p.readBatch - 1) / p.readBatch;
    report.notes << tr("%1 events over %2 accounts, seeded in appends of %3 events round-robin over the accounts; "
                       "projection batches of %4 events touch %5 distinct accounts on average. The projection "
                       "coalesces: it wrote %6 rows (one per account and batch), the baseline one upsert per event.")
                        .arg(count(p.events), count(p.accounts))
                        .arg(p.appendBatch)
                        .arg(p.readBatch)
                        .arg(double(rows) / double(std::max<qint64>(batches, 1)), 0, 'f', 1)
                        .arg(count(rows));
    report.notes << tr("catch-up: from ProjectionManager::start() until waitForCheckpoint(head); rebuild: from "
                       "rebuild() until rebuildFinished (shadow tables filled and swapped in).");

    if (sqlite) {
        outcome.targets << Target { tr("SQLite rebuild ≥ %1 events/s").arg(count(qint64(SqliteTargetRate))),
            rebuild.value >= SqliteTargetRate };
        outcome.targets << Target { tr("SQLite rebuild ≥ %1 % of the baseline").arg(int(SqliteTargetRatio * 100)),
            rebuild.ratio >= SqliteTargetRatio };
    } else {
        outcome.targets << Target { tr("PostgreSQL rebuild ≥ %1 events/s").arg(count(qint64(PostgresTargetRate))),
            rebuild.value >= PostgresTargetRate };
    }
    for (const Target& target : std::as_const(outcome.targets))
        report.notes << tr("target: %1 – %2").arg(target.description, target.met ? tr("met") : tr("NOT met"));
    report.notes << (outcome.correct
            ? tr("check: every one of the %1 accounts has the seeder's balance and transaction count in %2 (after "
                 "catch-up and after rebuild) and in the baseline table.")
                  .arg(count(p.accounts), liveTable)
            : tr("check FAILED: %1").arg(outcome.mismatches.join(QStringLiteral("; "))));
    return outcome;
}

} // namespace EventScope
