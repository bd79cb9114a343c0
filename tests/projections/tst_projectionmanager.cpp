// SPDX-License-Identifier: Apache-2.0
// The ProjectionManager on SQLite and (with EVENTSCOPE_TEST_PG_DSN) PostgreSQL: catch-up then live, exact
// read models after SIGKILL at random moments, shadow rebuilds that serve reads throughout, cancel, faults with
// retry and skip, version bumps, roles and the audit log, and the PostgreSQL lock that lets one instance run.
#include "projections/projectionbatch.h"
#include "projections/projectionmanager.h"

#include "domain/eventtyperegistry.h"
#include "eventstore/sqleventstore.h"
#include "teststores.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <atomic>
#include <map>
#include <stdexcept>

using namespace EventScope;
using namespace EventScope::Test;
using namespace std::chrono_literals;

/// An operation that must succeed; shows the refusal when it does not.
#define QVERIFY_DONE(expression)                                                                                       \
    do {                                                                                                               \
        const auto refusal_ = (expression);                                                                            \
        QVERIFY2(!refusal_, qPrintable(refusal_ ? refusal_->message() : QString()));                                   \
    } while (false)

namespace {

const QString Tick = QStringLiteral("Tick");
const QString Poison = QStringLiteral("Poison");
const QString Boom = QStringLiteral("Boom");

/// Per stream: how many events and the sum of their "n" (times the version's factor). Increments, so an event
/// applied twice or skipped shows in the table.
class TallyProjection final : public Projection {
public:
    explicit TallyProjection(QString name = QStringLiteral("tally"), int version = 1)
        : m_name(std::move(name))
        , m_version(version)
    {
    }

    std::atomic<bool> poisonIsFine { false };
    std::atomic<int> flushDelayMs { 0 };
    std::atomic<int> flushes { 0 };

    QString name() const override { return m_name; }
    int version() const override { return m_version; }
    QString description() const override { return QStringLiteral("events and sums per stream"); }
    QStringList eventTypes() const override { return { Tick, Poison, Boom }; }
    QList<ReadModelTable> tables() const override
    {
        return { { m_name,
            { QStringLiteral("stream_id TEXT NOT NULL"), QStringLiteral("events BIGINT NOT NULL"),
                QStringLiteral("total BIGINT NOT NULL") },
            { QStringLiteral("stream_id") }, { { QStringLiteral("total") } } } };
    }
    QString apply(const RecordedEvent& event, ProjectionBatch& batch) override
    {
        if (event.eventType == Boom)
            throw std::runtime_error("boom");
        if (event.eventType == Poison && !poisonIsFine)
            return QStringLiteral("poisoned event");
        const auto payload = batch.payload(event);
        if (!payload)
            return {};
        auto& [count, total] = m_pending[event.streamId];
        count += 1;
        total += payload->value(QLatin1String("n")).toInteger() * m_version;
        return {};
    }
    std::atomic<bool> multiRow { false };

    QString flush(ProjectionBatch& batch) override
    {
        ++flushes;
        if (flushDelayMs > 0)
            QThread::msleep(flushDelayMs);
        if (multiRow) {
            QVariantList rows;
            for (const auto& [stream, sums] : m_pending)
                rows << stream << sums.first << sums.second;
            m_pending.clear();
            batch.execRows(QStringLiteral("INSERT INTO {%1} (stream_id, events, total) VALUES ").arg(m_name),
                QStringLiteral("(?, ?, ?)"),
                QStringLiteral(" ON CONFLICT (stream_id) DO UPDATE SET events = {%1}.events + excluded.events, total = "
                               "{%1}.total + excluded.total")
                    .arg(m_name),
                rows);
            return {};
        }
        for (const auto& [stream, sums] : m_pending) {
            if (!batch.exec(QStringLiteral("INSERT INTO {%1} (stream_id, events, total) VALUES (?, ?, ?) ON CONFLICT "
                                           "(stream_id) DO UPDATE SET events = {%1}.events + excluded.events, total "
                                           "= {%1}.total + excluded.total")
                                .arg(m_name),
                    { stream, sums.first, sums.second }))
                return {};
        }
        m_pending.clear();
        return {};
    }
    void discard() override { m_pending.clear(); }

private:
    QString m_name;
    int m_version;
    std::map<QString, std::pair<qint64, qint64>> m_pending;
};

using Tally = std::map<QString, std::pair<qint64, qint64>>;

EventData tick(qint64 n)
{
    return EventData::create(Tick, { { QStringLiteral("n"), n } });
}

/// Appends \a count ticks over \a streams streams, several events per append.
void appendTicks(SqlEventStore& store, int count, int streams = 20, int offset = 0)
{
    int written = 0;
    while (written < count) {
        const int stream = (written / 5 + offset) % streams;
        QList<EventData> events;
        for (int i = 0; i < 5 && written < count; ++i, ++written)
            events << tick(written + offset);
        auto result = store.append(QStringLiteral("tick-%1").arg(stream), ExpectedVersion::any(), events);
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message()));
    }
}

/// What the tally must hold: folded from $all in memory, skipping \a skipped positions.
Tally expectedTally(SqlEventStore& store, int version = 1, QList<GlobalPosition> skipped = {})
{
    Tally tally;
    GlobalPosition after = 0;
    while (true) {
        auto events = store.readAll(after, 1000);
        if (!events || events->isEmpty())
            return tally;
        for (const RecordedEvent& e : events.value()) {
            after = e.position;
            if ((e.eventType != Tick && e.eventType != Poison) || skipped.contains(e.position))
                continue;
            auto& [count, total] = tally[e.streamId];
            count += 1;
            total += e.payloadObject().value(QLatin1String("n")).toInteger() * version;
        }
    }
}

/// What the table holds, read on the calling thread's connection.
Tally tableTally(SqlEventStore& store, const QString& table = QStringLiteral("rm_tally"), QString* error = nullptr)
{
    Tally tally;
    auto db = store.threadConnection();
    if (!db)
        return tally;
    QSqlQuery query(db.value());
    if (!query.exec(QStringLiteral("SELECT stream_id, events, total FROM %1").arg(table))) {
        if (error)
            *error = query.lastError().text();
        return tally;
    }
    while (query.next())
        tally[query.value(0).toString()] = { query.value(1).toLongLong(), query.value(2).toLongLong() };
    return tally;
}

bool tableExists(SqlEventStore& store, const QString& table)
{
    auto db = store.threadConnection();
    QSqlQuery query(db.value());
    return query.exec(QStringLiteral("SELECT 1 FROM %1 LIMIT 1").arg(table));
}

QString describe(const Tally& tally)
{
    QStringList parts;
    for (const auto& [stream, sums] : tally)
        parts << QStringLiteral("%1:%2/%3").arg(stream).arg(sums.first).arg(sums.second);
    return parts.join(u' ');
}

OperatorAction developer(const QString& reason = QStringLiteral("test"))
{
    return { QStringLiteral("dev"), Role::Developer, reason };
}

bool waitForState(const ProjectionManager& manager, const QString& name, ProjectionState state, int ms = 15000)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < ms) {
        if (manager.status(name)->state == state)
            return true;
        QTest::qWait(20);
    }
    return false;
}

ProjectionManager::Options fastOptions(int batchSize = 100)
{
    ProjectionManager::Options options;
    options.batchSize = batchSize;
    options.pollInterval = 50ms;
    options.idleRefresh = 100ms;
    options.retryDelay = 50ms;
    options.statusInterval = 20ms;
    return options;
}

// The child process of killAndRestart: runs the tally projection until it is killed.
int runChild()
{
    StoreSettings settings;
    settings.backend = qEnvironmentVariable("ES_CHILD_BACKEND") == QLatin1String("postgres")
        ? StoreSettings::Backend::Postgres
        : StoreSettings::Backend::Sqlite;
    settings.connection = qEnvironmentVariable("ES_CHILD_CONNECTION");
    settings.postgresSchema = qEnvironmentVariable("ES_CHILD_SCHEMA");
    auto store = SqlEventStore::open(settings);
    if (!store) {
        qCritical("child: %s", qPrintable(store.error().message()));
        return 2;
    }
    ProjectionManager manager(store.value(), nullptr, fastOptions(qEnvironmentVariableIntValue("ES_CHILD_BATCH")));
    manager.add(std::make_shared<TallyProjection>());
    manager.start();
    QThread::sleep(60); // killed long before
    return 0;
}

} // namespace

class TestProjectionManager : public QObject {
    Q_OBJECT

    std::unique_ptr<TestStore> m_testStore;
    std::shared_ptr<SqlEventStore> m_store;

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
        QTest::newRow("postgres") << QStringLiteral("postgres");
    }

    void init()
    {
        QFETCH_GLOBAL(QString, backend);
        const auto which
            = backend == QLatin1String("postgres") ? TestStore::Backend::Postgres : TestStore::Backend::Sqlite;
        EVENTSCOPE_REQUIRE_BACKEND(which);
        m_testStore = std::make_unique<TestStore>(which);
        auto store = m_testStore->open();
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message()));
        m_store = store.value();
    }

    void cleanup()
    {
        m_store.reset();
        m_testStore.reset();
    }

    void registrationIsChecked()
    {
        ProjectionManager manager(m_store, nullptr);
        QVERIFY(!manager.add(std::make_shared<TallyProjection>()));
        auto duplicate = manager.add(std::make_shared<TallyProjection>());
        QVERIFY(duplicate);
        QCOMPARE(duplicate->code(), ProjectionError::Code::InvalidProjection);
        auto badName = manager.add(std::make_shared<TallyProjection>(QStringLiteral("Bad Name")));
        QVERIFY(badName);
        QVERIFY2(badName->message().contains(QStringLiteral("lower-case")), qPrintable(badName->message()));
        auto unknown = manager.pause(QStringLiteral("nope"), developer());
        QVERIFY(unknown);
        QCOMPARE(unknown->code(), ProjectionError::Code::UnknownProjection);
    }

    void catchUpThenLive()
    {
        appendTicks(*m_store, 1234);
        ProjectionManager manager(m_store, nullptr, fastOptions(100));
        auto projection = std::make_shared<TallyProjection>();
        QVERIFY(!manager.add(projection));
        QSignalSpy statuses(&manager, &ProjectionManager::statusChanged);
        manager.start();
        const GlobalPosition head = m_store->headPosition().value();
        QVERIFY(manager.waitForCheckpoint(QStringLiteral("tally"), head, 20s));
        QVERIFY(waitForState(manager, QStringLiteral("tally"), ProjectionState::Live));
        QCOMPARE(describe(tableTally(*m_store)), describe(expectedTally(*m_store)));
        QVERIFY(projection->flushes >= 12); // batches of 100: a checkpoint per batch

        auto status = manager.status(QStringLiteral("tally")).value();
        QCOMPARE(status.checkpoint, head);
        QCOMPARE(status.lagEvents, 0);
        QCOMPARE(status.lagTime, 0ms);
        QCOMPARE(status.storedVersion, 1);
        QVERIFY(!status.eta);

        // Live: appends of this process and of another connection (a second store object: its appends are
        // not signalled here, so the poll must find them).
        appendTicks(*m_store, 17, 3, 5000);
        auto other = m_testStore->open();
        QVERIFY(other.ok());
        appendTicks(*other.value(), 9, 2, 9000);
        QVERIFY(manager.waitForCheckpoint(QStringLiteral("tally"), m_store->headPosition().value(), 10s));
        QCOMPARE(describe(tableTally(*m_store)), describe(expectedTally(*m_store)));
        QVERIFY(statuses.count() > 0);
        bool sawCatchingUp = false;
        for (const auto& args : statuses)
            sawCatchingUp |= args.at(0).value<ProjectionStatus>().state == ProjectionState::CatchingUp;
        QVERIFY(sawCatchingUp);
    }

    void multiRowWritesCoverEveryRow()
    {
        // 341 streams in one batch: chunks of 256, 64, 16, 4 and 1 rows.
        appendTicks(*m_store, 1705, 341);
        ProjectionManager manager(m_store, nullptr, fastOptions(5000));
        auto tally = std::make_shared<TallyProjection>();
        tally->multiRow = true;
        QVERIFY(!manager.add(tally));
        manager.start();
        QVERIFY(manager.waitForCheckpoint(QStringLiteral("tally"), m_store->headPosition().value(), 20s));
        QCOMPARE(tally->flushes.load(), 1);
        const Tally table = tableTally(*m_store);
        QCOMPARE(int(table.size()), 341);
        QCOMPARE(describe(table), describe(expectedTally(*m_store)));
        // And again on top: the upserts add up.
        appendTicks(*m_store, 1705, 341, 5);
        QVERIFY(manager.waitForCheckpoint(QStringLiteral("tally"), m_store->headPosition().value(), 20s));
        QCOMPARE(describe(tableTally(*m_store)), describe(expectedTally(*m_store)));
    }

    void killAndRestartGivesTheSameReadModel()
    {
        appendTicks(*m_store, 15000, 30);
        const StoreSettings settings = m_testStore->settings();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ES_PROJECTION_CHILD"), QStringLiteral("1"));
        env.insert(QStringLiteral("ES_CHILD_BACKEND"),
            settings.backend == StoreSettings::Backend::Postgres ? QStringLiteral("postgres")
                                                                 : QStringLiteral("sqlite"));
        env.insert(QStringLiteral("ES_CHILD_CONNECTION"), settings.connection);
        env.insert(QStringLiteral("ES_CHILD_SCHEMA"), settings.postgresSchema);
        env.insert(QStringLiteral("ES_CHILD_BATCH"), QStringLiteral("5"));
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("eventscope.*=false"));
        const GlobalPosition head = m_store->headPosition().value();
        int kills = 0;
        GlobalPosition previous = 0;
        QList<GlobalPosition> killedAt;
        for (int round = 0; round < 10; ++round) {
            QProcess child;
            child.setProcessEnvironment(env);
            child.start(QCoreApplication::applicationFilePath(), {});
            QVERIFY(child.waitForStarted());
            QTest::qWait(150 + QRandomGenerator::global()->bounded(350));
            child.kill(); // SIGKILL: no chance to finish a batch
            QVERIFY(child.waitForFinished());
            ++kills;
            // Every kill leaves a checkpoint that belongs to a committed batch and the table that goes with it.
            QSqlQuery query(m_store->threadConnection().value());
            QVERIFY(query.exec(QStringLiteral("SELECT position FROM es_projections WHERE name = 'tally'")));
            if (query.next()) {
                const GlobalPosition checkpoint = query.value(0).toLongLong();
                QVERIFY(checkpoint >= previous);
                previous = checkpoint;
                killedAt << checkpoint;
            }
            if (previous >= head)
                break;
        }
        QStringList positions;
        for (GlobalPosition p : killedAt)
            positions << QString::number(p);
        qInfo("killed the child %d times, at checkpoints %s of %lld", kills, qPrintable(positions.join(u' ')), head);
        QVERIFY2(!killedAt.isEmpty() && killedAt.first() < head, "the kills must interrupt the catch-up");
        ProjectionManager manager(m_store, nullptr, fastOptions(50));
        QVERIFY(!manager.add(std::make_shared<TallyProjection>()));
        manager.start();
        QVERIFY(manager.waitForCheckpoint(QStringLiteral("tally"), head, 30s));
        QCOMPARE(describe(tableTally(*m_store)), describe(expectedTally(*m_store)));
    }

    void twoRunnersOnOneStoreNeverDoubleApply()
    {
        // On PostgreSQL the lock lets one run; on SQLite both run and the checkpoint compare-and-set keeps them
        // from applying a batch twice.
        appendTicks(*m_store, 2000, 10);
        auto second = m_testStore->open();
        QVERIFY(second.ok());
        ProjectionManager a(m_store, nullptr, fastOptions(13));
        ProjectionManager b(second.value(), nullptr, fastOptions(17));
        QVERIFY(!a.add(std::make_shared<TallyProjection>()));
        QVERIFY(!b.add(std::make_shared<TallyProjection>()));
        a.start();
        b.start();
        appendTicks(*second.value(), 300, 4, 7000);
        const GlobalPosition head = m_store->headPosition().value();
        QTRY_VERIFY_WITH_TIMEOUT(a.status(QStringLiteral("tally"))->checkpoint >= head
                || b.status(QStringLiteral("tally"))->checkpoint >= head,
            30000);
        a.stop();
        b.stop();
        QCOMPARE(describe(tableTally(*m_store)), describe(expectedTally(*m_store)));
    }

    void postgresLockLetsOneInstanceRun()
    {
        if (m_testStore->backend() != TestStore::Backend::Postgres)
            QSKIP("the advisory lock is PostgreSQL's; SQLite relies on the checkpoint compare-and-set");
        appendTicks(*m_store, 500, 5);
        auto second = m_testStore->open();
        QVERIFY(second.ok());
        auto first = std::make_unique<ProjectionManager>(m_store, nullptr, fastOptions(50));
        ProjectionManager standby(second.value(), nullptr, fastOptions(50));
        QVERIFY(!first->add(std::make_shared<TallyProjection>()));
        QVERIFY(!standby.add(std::make_shared<TallyProjection>()));
        first->start();
        QVERIFY(first->waitForCheckpoint(QStringLiteral("tally"), m_store->headPosition().value(), 20s));
        standby.start();
        QVERIFY(waitForState(standby, QStringLiteral("tally"), ProjectionState::RunningElsewhere));
        QVERIFY(!standby.status(QStringLiteral("tally"))->owner.isEmpty());
        // The standby refuses what only the runner can do, and says where it runs.
        auto refused = standby.rebuild(QStringLiteral("tally"), developer());
        QVERIFY(refused);
        QCOMPARE(refused->code(), ProjectionError::Code::RunningElsewhere);
        QCOMPARE(first->status(QStringLiteral("tally"))->state, ProjectionState::Live);

        // The runner stops: the standby takes over and applies what comes next.
        first.reset();
        QVERIFY(waitForState(standby, QStringLiteral("tally"), ProjectionState::Live, 20000));
        appendTicks(*m_store, 50, 5, 800);
        QVERIFY(standby.waitForCheckpoint(QStringLiteral("tally"), m_store->headPosition().value(), 10s));
        QCOMPARE(describe(tableTally(*m_store)), describe(expectedTally(*m_store)));
    }

    void statusReportsProgressWhileCatchingUp()
    {
        appendTicks(*m_store, 2000, 10);
        QTest::qWait(1100); // the oldest unapplied event is now more than a second old
        ProjectionManager manager(m_store, nullptr, fastOptions(50));
        auto tally = std::make_shared<TallyProjection>();
        tally->flushDelayMs = 25; // 40 batches: about a second of catch-up
        QVERIFY(!manager.add(tally));
        QSignalSpy statuses(&manager, &ProjectionManager::statusChanged);
        manager.start();
        QVERIFY(manager.waitForCheckpoint(QStringLiteral("tally"), m_store->headPosition().value(), 20s));
        bool sawProgress = false;
        for (const auto& args : statuses) {
            const auto status = args.at(0).value<ProjectionStatus>();
            if (status.state != ProjectionState::CatchingUp || status.eventsPerSecond <= 0 || status.lagEvents == 0)
                continue;
            QCOMPARE(status.head, 2000);
            QCOMPARE(status.lagEvents, status.head - status.checkpoint);
            QVERIFY2(status.lagTime >= 1s,
                qPrintable(QStringLiteral("lag %1 ms at checkpoint %2, lag %3 events, %4 events/s")
                               .arg(status.lagTime.count())
                               .arg(status.checkpoint)
                               .arg(status.lagEvents)
                               .arg(status.eventsPerSecond)));
            QVERIFY(status.eta.has_value());
            // eta = lag / rate, within rounding
            QVERIFY(qAbs(status.eta->count() - 1000.0 * double(status.lagEvents) / status.eventsPerSecond) < 2);
            sawProgress = true;
        }
        QVERIFY(sawProgress);
        QVERIFY(waitForState(manager, QStringLiteral("tally"), ProjectionState::Live));
        const auto live = manager.status(QStringLiteral("tally")).value();
        QCOMPARE(live.lagEvents, 0);
        QCOMPARE(live.lagTime, 0ms);
        QCOMPARE(live.eventsProcessed, 2000);
        // Live with nothing to do: the catch-up's rate does not linger (it used to stay at its last value).
        QTRY_COMPARE_WITH_TIMEOUT(manager.status(QStringLiteral("tally"))->eventsPerSecond, 0.0, 10000);
        QCOMPARE(manager.statuses().constFirst().eventsPerSecond, 0.0);
    }

    void survivesALostConnection()
    {
        if (m_testStore->backend() != TestStore::Backend::Postgres)
            QSKIP("cutting the connection is tested on PostgreSQL");
        appendTicks(*m_store, 3000, 10);
        ProjectionManager manager(m_store, nullptr, fastOptions(20));
        auto tally = std::make_shared<TallyProjection>();
        tally->flushDelayMs = 5;
        QVERIFY(!manager.add(tally));
        QSignalSpy statuses(&manager, &ProjectionManager::statusChanged);
        manager.start();
        QTRY_VERIFY_WITH_TIMEOUT(manager.status(QStringLiteral("tally"))->checkpoint > 200, 10000);
        // Cut every other connection to the database (the runner's among them) mid-catch-up.
        QSqlQuery cut(m_store->threadConnection().value());
        QVERIFY2(cut.exec(QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                                         "current_database() AND pid <> pg_backend_pid() AND backend_type = 'client "
                                         "backend'")),
            qPrintable(cut.lastError().text()));
        QVERIFY(manager.waitForCheckpoint(QStringLiteral("tally"), m_store->headPosition().value(), 30s));
        QVERIFY(waitForState(manager, QStringLiteral("tally"), ProjectionState::Live));
        QCOMPARE(describe(tableTally(*m_store)), describe(expectedTally(*m_store)));
        bool reported = false;
        for (const auto& args : statuses)
            reported |= !args.at(0).value<ProjectionStatus>().lastError.isEmpty();
        QVERIFY2(reported, "the lost connection must show in the status while it lasts");
        // It holds its lock again: a second instance stands by.
        auto second = m_testStore->open();
        QVERIFY(second.ok());
        ProjectionManager standby(second.value(), nullptr, fastOptions(20));
        QVERIFY(!standby.add(std::make_shared<TallyProjection>()));
        standby.start();
        QVERIFY(waitForState(standby, QStringLiteral("tally"), ProjectionState::RunningElsewhere));
    }

    void faultStopsOnlyThatProjectionThenRetryAndSkip()
    {
        appendTicks(*m_store, 50, 5);
        auto poisoned = m_store->append(QStringLiteral("tick-poison"), ExpectedVersion::any(),
            { EventData::create(Poison, { { QStringLiteral("n"), 1000 } }) });
        QVERIFY(poisoned.ok());
        const GlobalPosition poisonPosition = poisoned->lastPosition;
        appendTicks(*m_store, 50, 5, 100);

        ProjectionManager manager(m_store, nullptr, fastOptions(30));
        auto tally = std::make_shared<TallyProjection>();
        auto other = std::make_shared<TallyProjection>(QStringLiteral("other"));
        other->poisonIsFine = true;
        QVERIFY(!manager.add(tally));
        QVERIFY(!manager.add(other));
        QSignalSpy faults(&manager, &ProjectionManager::faulted);
        manager.start();
        QVERIFY(waitForState(manager, QStringLiteral("tally"), ProjectionState::Faulted));
        QVERIFY(manager.waitForCheckpoint(QStringLiteral("other"), m_store->headPosition().value(), 10s));

        auto status = manager.status(QStringLiteral("tally")).value();
        QVERIFY(status.fault);
        QCOMPARE(status.fault->position, poisonPosition);
        QCOMPARE(status.fault->eventType, Poison);
        QCOMPARE(status.fault->streamId, QStringLiteral("tick-poison"));
        QCOMPARE(status.fault->error, QStringLiteral("poisoned event"));
        // Everything before the poisoned event is applied, nothing after it.
        QCOMPARE(status.checkpoint, poisonPosition - 1);
        QCOMPARE(faults.count(), 1);

        // Retry: still poisoned, faults again on the same event.
        QVERIFY_DONE(manager.retry(QStringLiteral("tally"), { QStringLiteral("sam"), Role::Support, {} }));
        QTRY_VERIFY_WITH_TIMEOUT(faults.count() == 2, 10000);
        QCOMPARE(manager.status(QStringLiteral("tally"))->fault->position, poisonPosition);

        // Skip needs a developer and a reason.
        auto bySupport
            = manager.skip(QStringLiteral("tally"), { QStringLiteral("sam"), Role::Support, QStringLiteral("x") });
        QVERIFY(bySupport);
        QCOMPARE(bySupport->code(), ProjectionError::Code::NotPermitted);
        auto noReason = manager.skip(QStringLiteral("tally"), developer(QString()));
        QVERIFY(noReason);
        QCOMPARE(noReason->code(), ProjectionError::Code::ReasonRequired);
        QVERIFY_DONE(manager.skip(QStringLiteral("tally"), developer(QStringLiteral("bad data from the import"))));
        QVERIFY(manager.waitForCheckpoint(QStringLiteral("tally"), m_store->headPosition().value(), 10s));
        QCOMPARE(describe(tableTally(*m_store)), describe(expectedTally(*m_store, 1, { poisonPosition })));
        QCOMPARE(describe(tableTally(*m_store, QStringLiteral("rm_other"))), describe(expectedTally(*m_store)));

        auto log = manager.auditLog();
        QVERIFY(log.ok());
        QCOMPARE(log->size(), 2);
        const OperatorAuditEntry& skip = log->at(0);
        QCOMPARE(skip.action, QStringLiteral("skip"));
        QCOMPARE(skip.actor, QStringLiteral("dev"));
        QCOMPARE(skip.role, QStringLiteral("developer"));
        QCOMPARE(skip.reason, QStringLiteral("bad data from the import"));
        const QJsonObject detail = QJsonDocument::fromJson(skip.detail.toUtf8()).object();
        QCOMPARE(detail.value(QLatin1String("position")).toInteger(), poisonPosition);
        QCOMPARE(detail.value(QLatin1String("eventType")).toString(), Poison);
        QCOMPARE(log->at(1).action, QStringLiteral("retry"));
    }

    void throwingProjectionFaultsAndRetrySucceedsOnceFixed()
    {
        appendTicks(*m_store, 20, 2);
        QVERIFY(m_store
                    ->append(QStringLiteral("tick-p"), ExpectedVersion::any(),
                        { EventData::create(Poison, { { QStringLiteral("n"), 7 } }) })
                    .ok());
        QVERIFY(
            m_store->append(QStringLiteral("tick-b"), ExpectedVersion::any(), { EventData::create(Boom, {}) }).ok());
        ProjectionManager manager(m_store, nullptr, fastOptions(100));
        auto tally = std::make_shared<TallyProjection>();
        QVERIFY(!manager.add(tally));
        manager.start();
        QVERIFY(waitForState(manager, QStringLiteral("tally"), ProjectionState::Faulted));
        QCOMPARE(manager.status(QStringLiteral("tally"))->fault->eventType, Poison);
        tally->poisonIsFine = true; // "deployed a fix"
        QVERIFY_DONE(manager.retry(QStringLiteral("tally"), developer()));
        QTRY_COMPARE_WITH_TIMEOUT(
            manager.status(QStringLiteral("tally"))->fault.value_or(ProjectionFault {}).eventType, Boom, 10000);
        QVERIFY2(manager.status(QStringLiteral("tally"))->fault->error.contains(QStringLiteral("boom")),
            qPrintable(manager.status(QStringLiteral("tally"))->fault->error));
        // The fault survives a restart.
        manager.stop();
        ProjectionManager again(m_store, nullptr, fastOptions(100));
        QVERIFY(!again.add(std::make_shared<TallyProjection>()));
        again.start();
        QVERIFY(waitForState(again, QStringLiteral("tally"), ProjectionState::Faulted));
        QCOMPARE(again.status(QStringLiteral("tally"))->fault->eventType, Boom);
    }

    void pauseResumeAndRoles()
    {
        appendTicks(*m_store, 100, 5);
        ProjectionManager manager(m_store, nullptr, fastOptions(50));
        QVERIFY(!manager.add(std::make_shared<TallyProjection>()));
        manager.start();
        QVERIFY(manager.waitForCheckpoint(QStringLiteral("tally"), m_store->headPosition().value(), 10s));

        auto auditor
            = manager.pause(QStringLiteral("tally"), { QStringLiteral("ann"), Role::Auditor, QStringLiteral("x") });
        QVERIFY(auditor);
        QCOMPARE(auditor->code(), ProjectionError::Code::NotPermitted);
        auto resetBySupport
            = manager.reset(QStringLiteral("tally"), { QStringLiteral("sam"), Role::Support, QStringLiteral("x") });
        QVERIFY(resetBySupport);
        QCOMPARE(resetBySupport->code(), ProjectionError::Code::NotPermitted);
        QVERIFY_DONE(manager.pause(
            QStringLiteral("tally"), { QStringLiteral("sam"), Role::Support, QStringLiteral("maintenance") }));
        QCOMPARE(manager.status(QStringLiteral("tally"))->state, ProjectionState::Paused);
        const GlobalPosition pausedAt = manager.status(QStringLiteral("tally"))->checkpoint;
        appendTicks(*m_store, 40, 2, 500);
        QTest::qWait(300);
        QCOMPARE(manager.status(QStringLiteral("tally"))->checkpoint, pausedAt);
        QTRY_COMPARE_WITH_TIMEOUT(manager.status(QStringLiteral("tally"))->lagEvents, 40, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(manager.status(QStringLiteral("tally"))->lagTime >= 300ms, 5000);

        // Paused survives a restart.
        manager.stop();
        ProjectionManager again(m_store, nullptr, fastOptions(50));
        QVERIFY(!again.add(std::make_shared<TallyProjection>()));
        again.start();
        QVERIFY(waitForState(again, QStringLiteral("tally"), ProjectionState::Paused));
        QVERIFY_DONE(again.resume(QStringLiteral("tally"), { QStringLiteral("sam"), Role::Support, {} }));
        QVERIFY(again.waitForCheckpoint(QStringLiteral("tally"), m_store->headPosition().value(), 10s));
        QCOMPARE(describe(tableTally(*m_store)), describe(expectedTally(*m_store)));

        auto log = again.auditLog();
        QVERIFY(log.ok());
        QCOMPARE(log->size(), 2);
        QCOMPARE(log->at(0).action, QStringLiteral("resume"));
        QCOMPARE(log->at(1).action, QStringLiteral("pause"));
        QCOMPARE(log->at(1).role, QStringLiteral("support"));
        QCOMPARE(log->at(1).reason, QStringLiteral("maintenance"));
    }

    void resetRebuildsFromTheStart()
    {
        appendTicks(*m_store, 300, 6);
        ProjectionManager manager(m_store, nullptr, fastOptions(40));
        QVERIFY(!manager.add(std::make_shared<TallyProjection>()));
        manager.start();
        QVERIFY(manager.waitForCheckpoint(QStringLiteral("tally"), m_store->headPosition().value(), 10s));
        // Damage the read model behind the manager's back; a reset repairs it.
        QSqlQuery damage(m_store->threadConnection().value());
        QVERIFY(damage.exec(QStringLiteral("UPDATE rm_tally SET total = -1")));
        QVERIFY_DONE(manager.reset(QStringLiteral("tally"), developer(QStringLiteral("repair"))));
        QVERIFY(manager.waitForCheckpoint(QStringLiteral("tally"), m_store->headPosition().value(), 10s));
        QCOMPARE(describe(tableTally(*m_store)), describe(expectedTally(*m_store)));
        QCOMPARE(manager.auditLog()->first().action, QStringLiteral("reset"));
    }

    void shadowRebuildServesReadsThroughoutAndSwaps()
    {
        appendTicks(*m_store, 600, 6);
        {
            ProjectionManager v1(m_store, nullptr, fastOptions(50));
            QVERIFY(!v1.add(std::make_shared<TallyProjection>()));
            v1.start();
            QVERIFY(v1.waitForCheckpoint(QStringLiteral("tally"), m_store->headPosition().value(), 10s));
        }
        const QString v1Table = describe(expectedTally(*m_store, 1));
        const QString v2Table = describe(expectedTally(*m_store, 2));
        QCOMPARE(describe(tableTally(*m_store)), v1Table);

        // Version 2 computes differently: the manager rebuilds into shadow tables by itself.
        ProjectionManager manager(m_store, nullptr, fastOptions(50));
        auto v2 = std::make_shared<TallyProjection>(QStringLiteral("tally"), 2);
        v2->flushDelayMs = 15; // 12 batches: the rebuild takes a while
        QVERIFY(!manager.add(v2));
        QSignalSpy finished(&manager, &ProjectionManager::rebuildFinished);

        // A reader on its own thread and connection: every read sees a complete read model, old or new.
        std::atomic<bool> stopReading { false };
        std::atomic<int> reads { 0 };
        std::atomic<int> oldReads { 0 };
        QString readerError;
        QThread* reader = QThread::create([&] {
            while (!stopReading) {
                QString error;
                const QString seen = describe(tableTally(*m_store, QStringLiteral("rm_tally"), &error));
                if (!error.isEmpty() || (seen != v1Table && seen != v2Table)) {
                    readerError = error.isEmpty() ? QStringLiteral("inconsistent read: ") + seen : error;
                    return;
                }
                ++reads;
                if (seen == v1Table)
                    ++oldReads;
                QThread::msleep(5);
            }
        });
        reader->start();
        manager.start();
        QVERIFY(waitForState(manager, QStringLiteral("tally"), ProjectionState::Rebuilding, 5000));
        auto during = manager.status(QStringLiteral("tally")).value();
        QVERIFY(during.rebuild);
        QCOMPARE(during.rebuild->version, 2);
        QCOMPARE(during.storedVersion, 1);
        QVERIFY(during.rebuild->reason.contains(QStringLiteral("1 → 2")));
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 30000);
        QVERIFY(manager.waitForCheckpoint(QStringLiteral("tally"), m_store->headPosition().value(), 10s));
        QTest::qWait(50);
        stopReading = true;
        reader->wait();
        delete reader;
        QVERIFY2(readerError.isEmpty(), qPrintable(readerError));
        QVERIFY(oldReads > 0);
        QVERIFY(reads > oldReads);
        QCOMPARE(describe(tableTally(*m_store)), v2Table);
        QVERIFY(!tableExists(*m_store, QStringLiteral("rm_tally__shadow")));
        auto after = manager.status(QStringLiteral("tally")).value();
        QCOMPARE(after.storedVersion, 2);
        QVERIFY(!after.rebuild);
        const auto log = manager.auditLog().value();
        QCOMPARE(log.size(), 1);
        QCOMPARE(log.first().action, QStringLiteral("rebuild"));
        QCOMPARE(log.first().actor, QStringLiteral("eventscope"));

        // Live after the swap.
        appendTicks(*m_store, 10, 2, 900);
        QVERIFY(manager.waitForCheckpoint(QStringLiteral("tally"), m_store->headPosition().value(), 10s));
        QCOMPARE(describe(tableTally(*m_store)), describe(expectedTally(*m_store, 2)));
    }

    void cancelledUpgradeWaitsPausedUntilResumed()
    {
        appendTicks(*m_store, 400, 4);
        {
            ProjectionManager v1(m_store, nullptr, fastOptions(40));
            QVERIFY(!v1.add(std::make_shared<TallyProjection>()));
            v1.start();
            QVERIFY(v1.waitForCheckpoint(QStringLiteral("tally"), m_store->headPosition().value(), 10s));
        }
        const QString v1Table = describe(tableTally(*m_store));
        ProjectionManager manager(m_store, nullptr, fastOptions(40));
        auto v2 = std::make_shared<TallyProjection>(QStringLiteral("tally"), 2);
        v2->flushDelayMs = 30;
        QVERIFY(!manager.add(v2));
        manager.start();
        QVERIFY(waitForState(manager, QStringLiteral("tally"), ProjectionState::Rebuilding));
        QVERIFY_DONE(manager.cancelRebuild(QStringLiteral("tally"), developer(QStringLiteral("upgrade tonight"))));
        // The old read model stays, untouched and paused: version 2 cannot keep a version 1 model up to date.
        QCOMPARE(manager.status(QStringLiteral("tally"))->state, ProjectionState::Paused);
        QVERIFY(manager.status(QStringLiteral("tally"))->lastError.contains(QStringLiteral("version 1")));
        appendTicks(*m_store, 8, 2, 700);
        QTest::qWait(200);
        QCOMPARE(describe(tableTally(*m_store)), v1Table);
        // Resumed, it upgrades again and swaps.
        v2->flushDelayMs = 0;
        QSignalSpy finished(&manager, &ProjectionManager::rebuildFinished);
        QVERIFY_DONE(manager.resume(QStringLiteral("tally"), { QStringLiteral("dev"), Role::Developer, {} }));
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 20000);
        QVERIFY(manager.waitForCheckpoint(QStringLiteral("tally"), m_store->headPosition().value(), 10s));
        QCOMPARE(describe(tableTally(*m_store)), describe(expectedTally(*m_store, 2)));
    }

    void readOnlyStoreRunsNoProjection()
    {
        appendTicks(*m_store, 10, 2);
        StoreSettings settings = m_testStore->settings();
        settings.readOnly = true;
        auto readOnly = m_testStore->open(settings);
        QVERIFY2(readOnly.ok(), qPrintable(readOnly.ok() ? QString() : readOnly.error().message()));
        ProjectionManager manager(readOnly.value(), nullptr, fastOptions());
        QVERIFY(!manager.add(std::make_shared<TallyProjection>()));
        manager.start();
        QTRY_VERIFY_WITH_TIMEOUT(
            manager.status(QStringLiteral("tally"))->lastError.contains(QStringLiteral("read-only")), 5000);
        QCOMPARE(manager.status(QStringLiteral("tally"))->state, ProjectionState::Stopped);
        QVERIFY(!tableExists(*m_store, QStringLiteral("rm_tally")));
    }

    void cancelledRebuildLeavesTheReadModelUntouched()
    {
        appendTicks(*m_store, 800, 8);
        ProjectionManager manager(m_store, nullptr, fastOptions(40));
        auto tally = std::make_shared<TallyProjection>();
        QVERIFY(!manager.add(tally));
        manager.start();
        QVERIFY(manager.waitForCheckpoint(QStringLiteral("tally"), m_store->headPosition().value(), 10s));
        const QString before = describe(tableTally(*m_store));
        tally->flushDelayMs = 30;
        auto bySupport
            = manager.rebuild(QStringLiteral("tally"), { QStringLiteral("sam"), Role::Support, QStringLiteral("x") });
        QVERIFY(bySupport);
        QCOMPARE(bySupport->code(), ProjectionError::Code::NotPermitted);
        QVERIFY_DONE(manager.rebuild(QStringLiteral("tally"), developer(QStringLiteral("suspect totals"))));
        QCOMPARE(manager.status(QStringLiteral("tally"))->state, ProjectionState::Rebuilding);
        QTRY_VERIFY_WITH_TIMEOUT(manager.status(QStringLiteral("tally"))->rebuild->position > 0, 10000);
        QVERIFY(tableExists(*m_store, QStringLiteral("rm_tally__shadow")));
        QVERIFY_DONE(manager.cancelRebuild(QStringLiteral("tally"), developer(QStringLiteral("not now"))));
        QVERIFY(!tableExists(*m_store, QStringLiteral("rm_tally__shadow")));
        QCOMPARE(describe(tableTally(*m_store)), before);
        QVERIFY(!manager.status(QStringLiteral("tally"))->rebuild);
        auto again = manager.cancelRebuild(QStringLiteral("tally"), developer(QStringLiteral("twice")));
        QVERIFY(again);
        QCOMPARE(again->code(), ProjectionError::Code::InvalidState);
        tally->flushDelayMs = 0;
        QVERIFY(waitForState(manager, QStringLiteral("tally"), ProjectionState::Live));
        const auto log = manager.auditLog().value();
        QCOMPARE(log.size(), 2);
        QCOMPARE(log.at(0).action, QStringLiteral("cancel-rebuild"));
        QCOMPARE(log.at(1).action, QStringLiteral("rebuild"));
        QCOMPARE(log.at(1).reason, QStringLiteral("suspect totals"));
    }
};

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet("ES_PROJECTION_CHILD"))
        return runChild();
    TestProjectionManager test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_projectionmanager.moc"
