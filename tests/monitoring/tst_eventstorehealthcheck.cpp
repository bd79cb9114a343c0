// SPDX-License-Identifier: Apache-2.0
// The event store health check on SQLite and (with EVENTSCOPE_TEST_PG_DSN) PostgreSQL: up on a working store,
// read-only stores only read, down when the store is closed or its schema table is locked past the timeout, and
// up again afterwards. And the projection check over a real ProjectionManager whose projection faults.
#include "monitoring/eventstorehealthcheck.h"
#include "monitoring/healthregistry.h"
#include "monitoring/projectionhealthcheck.h"

#include "eventstore/sqleventstore.h"
#include "projections/projectionmanager.h"
#include "teststores.h"

#include <QElapsedTimer>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QUrl>

using namespace EventScope;
using namespace EventScope::Test;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(EventScope::Test::TestStore::Backend)

namespace {

const QString Poison = u"Poison"_s;

/// Applies nothing, and cannot apply Poison.
class PickyProjection final : public Projection {
public:
    QString name() const override { return u"picky"_s; }
    int version() const override { return 1; }
    QString description() const override { return u"refuses poison"_s; }
    QStringList eventTypes() const override { return {}; }
    QList<ReadModelTable> tables() const override
    {
        return { { u"picky"_s, { u"id TEXT NOT NULL"_s }, { u"id"_s }, {} } };
    }
    QString apply(const RecordedEvent& event, ProjectionBatch&) override
    {
        return event.eventType == Poison ? u"cannot digest poison"_s : QString();
    }
};

/**
 * A TCP relay to the PostgreSQL server that can be cut off, to make the server unreachable without stopping it.
 * Lives on its own thread, because the test thread blocks in the health checks.
 */
class TcpRelay final : public QObject {
public:
    explicit TcpRelay(quint16 target)
        : m_target(target)
    {
    }

    quint16 listen()
    {
        m_server = new QTcpServer(this);
        connect(m_server, &QTcpServer::newConnection, this, &TcpRelay::accept);
        return m_server->listen(QHostAddress::LocalHost, 0) ? m_server->serverPort() : 0;
    }

    /// Down: drops every relayed connection and refuses new ones at once.
    void setReachable(bool reachable)
    {
        m_reachable = reachable;
        if (reachable)
            return;
        const auto sockets = findChildren<QTcpSocket*>(Qt::FindDirectChildrenOnly);
        for (QTcpSocket* socket : sockets) {
            socket->abort();
            socket->deleteLater();
        }
    }

    void shutdown()
    {
        setReachable(false);
        delete m_server;
        m_server = nullptr;
    }

private:
    void accept()
    {
        while (QTcpSocket* client = m_server->nextPendingConnection()) {
            client->setParent(this);
            if (!m_reachable) {
                client->abort();
                client->deleteLater();
                continue;
            }
            auto* upstream = new QTcpSocket(this);
            connect(
                client, &QTcpSocket::readyRead, upstream, [client, upstream] { upstream->write(client->readAll()); });
            connect(
                upstream, &QTcpSocket::readyRead, client, [client, upstream] { client->write(upstream->readAll()); });
            connect(client, &QTcpSocket::disconnected, upstream, &QTcpSocket::disconnectFromHost);
            connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
            upstream->connectToHost(QHostAddress::LocalHost, m_target);
        }
    }

    quint16 m_target;
    QTcpServer* m_server = nullptr;
    bool m_reachable = true;
};

QString healthText(const HealthReport& report)
{
    return QString::fromUtf8(report.toJsonBytes());
}

} // namespace

class TestEventStoreHealthCheck : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<TestStore::Backend>("backend");
        QTest::newRow("sqlite") << TestStore::Backend::Sqlite;
        QTest::newRow("postgres") << TestStore::Backend::Postgres;
    }

    void upOnAWorkingStore()
    {
        QFETCH_GLOBAL(TestStore::Backend, backend);
        EVENTSCOPE_REQUIRE_BACKEND(backend);
        TestStore testStore(backend);
        auto store = testStore.open();
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message()));
        {
            HealthRegistry registry(5s);
            registry.add(std::make_shared<EventStoreHealthCheck>(store.value()));
            for (int i = 0; i < 3; ++i) {
                const HealthReport report = registry.runAll();
                QVERIFY2(report.status == HealthStatus::Up, qPrintable(healthText(report)));
                const QString detail = report.checks.at(u"eventstore"_s).detail;
                QVERIFY2(
                    detail.contains(u"Read and wrote schema version %1"_s.arg(SqlEventStore::currentSchemaVersion())),
                    qPrintable(detail));
            }
        }
        // The write was a no-op: the store is as it was, and appends still work.
        QVERIFY(
            store.value()->append(u"s-1"_s, ExpectedVersion::noStream(), { EventData::create(u"Tick"_s, {}) }).ok());
        QCOMPARE(store.value()->eventCount().value(), 1);
    }

    void readOnlyStoreIsOnlyRead()
    {
        QFETCH_GLOBAL(TestStore::Backend, backend);
        EVENTSCOPE_REQUIRE_BACKEND(backend);
        TestStore testStore(backend);
        {
            auto created = testStore.open();
            QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().message()));
        }
        StoreSettings settings = testStore.settings();
        settings.readOnly = true;
        auto store = testStore.open(settings);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message()));
        EventStoreHealthCheck check(store.value());
        const HealthCheckResult result = check.check(QDeadlineTimer(5s));
        QCOMPARE(result.status, HealthStatus::Up);
        QVERIFY2(result.detail.contains(u"read-only"_s), qPrintable(result.detail));
    }

    void closedStoreIsDown()
    {
        QFETCH_GLOBAL(TestStore::Backend, backend);
        EVENTSCOPE_REQUIRE_BACKEND(backend);
        TestStore testStore(backend);
        auto store = testStore.open();
        QVERIFY(store.ok());
        std::shared_ptr<SqlEventStore> held = store.value();
        store = StoreError(StoreError::Code::Cancelled, {});
        EventStoreHealthCheck check(held);
        QCOMPARE(check.check(QDeadlineTimer(5s)).status, HealthStatus::Up);
        held.reset();
        const HealthCheckResult result = check.check(QDeadlineTimer(5s));
        QCOMPARE(result.status, HealthStatus::Down);
        QVERIFY2(result.detail.contains(u"closed"_s), qPrintable(result.detail));
    }

    void lockedStoreIsDownWithinTheTimeoutThenRecovers()
    {
        QFETCH_GLOBAL(TestStore::Backend, backend);
        EVENTSCOPE_REQUIRE_BACKEND(backend);
        TestStore testStore(backend);
        auto store = testStore.open();
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message()));

        const QString connectionName = u"health-locker"_s;
        {
            // Another client takes the lock the check needs: PostgreSQL locks the schema table against readers
            // too; SQLite holds the database's write lock (readers go on under WAL, the write must wait).
            QSqlDatabase locker;
            if (backend == TestStore::Backend::Postgres) {
                locker = TestStore::openRawPostgres(connectionName, testStore.settings());
            } else {
                locker = QSqlDatabase::addDatabase(u"QSQLITE"_s, connectionName);
                locker.setDatabaseName(testStore.settings().connection);
                QVERIFY(locker.open());
            }
            QSqlQuery lock(locker);
            if (backend == TestStore::Backend::Postgres) {
                QVERIFY2(locker.transaction(), qPrintable(locker.lastError().text()));
                QVERIFY2(lock.exec(u"LOCK TABLE es_schema_migrations IN ACCESS EXCLUSIVE MODE"_s),
                    qPrintable(lock.lastError().text()));
            } else {
                QVERIFY2(lock.exec(u"BEGIN IMMEDIATE"_s), qPrintable(lock.lastError().text()));
            }

            HealthRegistry registry(800ms);
            registry.add(std::make_shared<EventStoreHealthCheck>(store.value()));
            QElapsedTimer timer;
            timer.start();
            HealthReport report = registry.runAll();
            const qint64 elapsed = timer.elapsed();
            QVERIFY2(report.status == HealthStatus::Down, qPrintable(healthText(report)));
            QVERIFY2(elapsed >= 700 && elapsed < 3000, qPrintable(QString::number(elapsed)));
            QCOMPARE(report.httpStatusCode(), 503);
            // The check gave up by itself at the deadline and says why, rather than being abandoned.
            const QString detail = report.checks.at(u"eventstore"_s).detail;
            QVERIFY2(detail.contains(u"within the health check's timeout"_s), qPrintable(detail));

            // Released: up again, on the same worker threads and connections.
            if (backend == TestStore::Backend::Postgres)
                QVERIFY(locker.rollback());
            else
                QVERIFY(lock.exec(u"ROLLBACK"_s));
            lock.finish();
            report = registry.runAll();
            QVERIFY2(report.status == HealthStatus::Up, qPrintable(healthText(report)));

            // The store's own connection kept its busy timeout and works for appends.
            QVERIFY(store.value()->append(u"s-1"_s, ExpectedVersion::any(), { EventData::create(u"Tick"_s, {}) }).ok());
            locker.close();
        }
        QSqlDatabase::removeDatabase(connectionName);
    }

    void unreachableServerIsDownThenRecovers()
    {
        QFETCH_GLOBAL(TestStore::Backend, backend);
        if (backend != TestStore::Backend::Postgres)
            QSKIP("An SQLite store is a local file: it cannot become unreachable.");
        EVENTSCOPE_REQUIRE_BACKEND(backend);
        TestStore testStore(backend);
        QUrl dsn(testStore.settings().connection);
        if (!dsn.isValid() || dsn.host().isEmpty() || dsn.port() <= 0)
            QSKIP("The relay needs EVENTSCOPE_TEST_PG_DSN as a postgres:// URL with host and port.");

        QThread relayThread;
        TcpRelay relay(quint16(dsn.port()));
        relay.moveToThread(&relayThread);
        relayThread.start();
        auto onRelay
            = [&relay](auto function) { QMetaObject::invokeMethod(&relay, function, Qt::BlockingQueuedConnection); };
        quint16 port = 0;
        QMetaObject::invokeMethod(
            &relay, [&] { port = relay.listen(); }, Qt::BlockingQueuedConnection);
        QVERIFY(port != 0);

        StoreSettings settings = testStore.settings();
        dsn.setHost(u"127.0.0.1"_s);
        dsn.setPort(port);
        settings.connection = dsn.toString();
        settings.connectTimeout = 2s;
        {
            auto store = testStore.open(settings);
            QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message()));
            HealthRegistry registry(3s);
            registry.add(std::make_shared<EventStoreHealthCheck>(store.value()));
            HealthReport report = registry.runAll();
            QVERIFY2(report.status == HealthStatus::Up, qPrintable(healthText(report)));

            onRelay([&relay] { relay.setReachable(false); });
            // The open connection is cut: down. Then reconnecting is refused: still down, with the reason.
            for (int i = 0; i < 2; ++i) {
                QElapsedTimer timer;
                timer.start();
                report = registry.runAll();
                QVERIFY2(report.status == HealthStatus::Down, qPrintable(healthText(report)));
                QVERIFY(timer.elapsed() < 5000);
            }
            QVERIFY2(report.checks.at(u"eventstore"_s).detail.contains(u"reach"_s, Qt::CaseInsensitive)
                    || report.checks.at(u"eventstore"_s).detail.contains(u"cannot"_s, Qt::CaseInsensitive),
                qPrintable(healthText(report)));

            onRelay([&relay] { relay.setReachable(true); });
            QTRY_VERIFY_WITH_TIMEOUT(registry.runAll().status == HealthStatus::Up, 15000);
        }
        onRelay([&relay] { relay.shutdown(); });
        relayThread.quit();
        relayThread.wait();
    }

    void faultedProjectionIsDown()
    {
        QFETCH_GLOBAL(TestStore::Backend, backend);
        if (backend != TestStore::Backend::Sqlite)
            QSKIP("The projection check reads statuses only; one backend is enough.");
        TestStore testStore(backend);
        auto store = testStore.open();
        QVERIFY(store.ok());
        QVERIFY(store.value()->append(u"s-1"_s, ExpectedVersion::any(), { EventData::create(u"Tick"_s, {}) }).ok());

        ProjectionManager::Options options;
        options.pollInterval = 50ms;
        options.idleRefresh = 100ms;
        options.retryDelay = 50ms;
        options.statusInterval = 20ms;
        ProjectionManager manager(store.value(), nullptr, options);
        QVERIFY(!manager.add(std::make_shared<PickyProjection>()));
        HealthRegistry registry(5s);
        registry.add(ProjectionHealthCheck::forManager(manager, { 1000, 100000 }));
        manager.start();
        QTRY_VERIFY_WITH_TIMEOUT(manager.status(u"picky"_s)->state == ProjectionState::Live, 15000);
        QCOMPARE(registry.runAll().status, HealthStatus::Up);

        QVERIFY(store.value()->append(u"s-2"_s, ExpectedVersion::any(), { EventData::create(Poison, {}) }).ok());
        QTRY_VERIFY_WITH_TIMEOUT(manager.status(u"picky"_s)->state == ProjectionState::Faulted, 15000);
        const HealthReport report = registry.runAll();
        QCOMPARE(report.status, HealthStatus::Down);
        const QString detail = report.checks.at(u"projections"_s).detail;
        QVERIFY2(
            detail.contains(u"'picky' is faulted"_s) && detail.contains(u"cannot digest poison"_s), qPrintable(detail));
        manager.stop();
    }
};

QTEST_GUILESS_MAIN(TestEventStoreHealthCheck)
#include "tst_eventstorehealthcheck.moc"
