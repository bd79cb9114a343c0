// SPDX-License-Identifier: Apache-2.0
// Opening stores: creation, migrations, durability settings, and every way opening must fail without
// changing anything.
#include "eventstore/postgresdialect.h"
#include "eventstore/sqleventstore.h"
#include "eventstore/storediagnosis.h"
#include "teststores.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace EventScope;
using EventScope::Test::TestStore;

namespace {

QByteArray fileHash(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

StoreSettings sqliteAt(const QString& path)
{
    StoreSettings settings;
    settings.backend = StoreSettings::Backend::Sqlite;
    settings.connection = path;
    return settings;
}

/// Runs \a sql on a plain connection to the SQLite file at \a path.
bool execRaw(const QString& path, const QStringList& statements)
{
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        db.setDatabaseName(path);
        ok = db.open();
        for (const QString& sql : statements) {
            QSqlQuery query(db);
            ok = ok && query.exec(sql);
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    return ok;
}

/// Positions of $all from the start, in the order readAll() delivers them (waiting up to 10 s for \a expected
/// events: $all holds back while another test's transaction is open on the shared server).
QList<GlobalPosition> allPositions(SqlEventStore& store, qsizetype expected, GlobalPosition after = 0)
{
    QList<GlobalPosition> positions;
    QDeadlineTimer deadline(10000);
    do {
        positions.clear();
        const auto events = store.readAll(after, 1000);
        if (!events)
            return { -1 };
        for (const RecordedEvent& event : events.value())
            positions << event.position;
        if (positions.size() >= expected)
            break;
        QThread::msleep(50);
    } while (!deadline.hasExpired());
    return positions;
}

/// Opens the store of \a settings from \a openers threads at once, as that many processes starting together would;
/// how many of them opened it (the others' errors are logged).
int openConcurrently(const StoreSettings& settings, int openers)
{
    std::atomic<int> opened { 0 };
    QList<QThread*> threads;
    for (int i = 0; i < openers; ++i)
        threads << QThread::create([&] {
            auto store = SqlEventStore::open(settings);
            if (store)
                ++opened;
            else
                qWarning() << store.error().message();
        });
    for (QThread* t : threads)
        t->start();
    for (QThread* t : threads) {
        t->wait();
        delete t;
    }
    return opened.load();
}

/**
 * What pg_dump/pg_restore into another cluster leaves behind: the rows keep the transaction ids of the
 * server that wrote them, here a million ahead of this one. \a ranks gives each event (by position, from 1)
 * its old transaction relative to the others; rows with rank < 0 keep their own (this server's) id.
 */
bool simulateRestore(const StoreSettings& settings, const QList<int>& ranks)
{
    bool ok = true;
    {
        QSqlDatabase db = TestStore::openRawPostgres(QStringLiteral("pg-restore"), settings);
        // One transaction, so that pg_current_xact_id() is the same base for every row.
        ok = db.transaction();
        QSqlQuery q(db);
        for (qsizetype i = 0; i < ranks.size() && ok; ++i) {
            if (ranks.at(i) < 0)
                continue;
            q.prepare(QStringLiteral("UPDATE es_events SET transaction_id = "
                                     "CAST(CAST(CAST(CAST(pg_current_xact_id() AS text) AS bigint) + 1000000 + ? "
                                     "AS text) AS xid8) WHERE global_position = ?"));
            q.addBindValue(ranks.at(i));
            q.addBindValue(i + 1);
            ok = q.exec() && q.numRowsAffected() == 1;
            if (!ok)
                qWarning() << q.lastError().text();
        }
        q.finish();
        ok = ok && db.commit();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("pg-restore"));
    return ok;
}

bool appendEvents(SqlEventStore& store, int count)
{
    for (int i = 0; i < count; ++i) {
        const auto result = store.append(QStringLiteral("order-%1").arg(i % 2), ExpectedVersion::any(),
            { EventData::create(QStringLiteral("OrderNoted"), { { QStringLiteral("n"), i } }) });
        if (!result)
            return false;
    }
    return true;
}

} // namespace

class TestStoreOpen : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void createsAndReopensSqliteStore()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("new.db"));
        {
            auto store = SqlEventStore::open(sqliteAt(path));
            QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message()));
            QVERIFY(store.value()
                        ->append(QStringLiteral("a-1"), ExpectedVersion::noStream(),
                            { EventData::create(QStringLiteral("T"), {}) })
                        .ok());
            auto db = store.value()->threadConnection();
            QSqlQuery q(db.value());
            QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
            QVERIFY(q.exec(QStringLiteral("PRAGMA synchronous")) && q.next());
            QCOMPARE(q.value(0).toInt(), 2); // FULL by default: an acknowledged append survives power loss
            QVERIFY(q.exec(QStringLiteral("PRAGMA application_id")) && q.next());
            QCOMPARE(q.value(0).toInt(), 0x45565343);
            QVERIFY(q.exec(QStringLiteral("SELECT MAX(version) FROM es_schema_migrations")) && q.next());
            QCOMPARE(q.value(0).toInt(), SqlEventStore::currentSchemaVersion());
        }
        auto again = SqlEventStore::open(sqliteAt(path));
        QVERIFY(again.ok());
        QCOMPARE(again.value()->eventCount().value(), 1);
    }

    void synchronousNormalIsOptIn()
    {
        QTemporaryDir dir;
        StoreSettings settings = sqliteAt(dir.filePath(QStringLiteral("n.db")));
        settings.sqliteSynchronous = StoreSettings::SqliteSync::Normal;
        auto store = SqlEventStore::open(settings);
        QVERIFY(store.ok());
        QSqlQuery q(store.value()->threadConnection().value());
        QVERIFY(q.exec(QStringLiteral("PRAGMA synchronous")) && q.next());
        QCOMPARE(q.value(0).toInt(), 1);
    }

    void inMemoryStoreWorks()
    {
        auto store = SqlEventStore::open(sqliteAt(QStringLiteral(":memory:")));
        QVERIFY(store.ok());
        QVERIFY(
            store.value()
                ->append(QStringLiteral("m-1"), ExpectedVersion::any(), { EventData::create(QStringLiteral("T"), {}) })
                .ok());
        QCOMPARE(store.value()->readAll(0, 10)->size(), 1);
        // Every thread has its own connection; all of them see the same in-memory store.
        qsizetype seenElsewhere = -1;
        QThread* reader = QThread::create([&] { seenElsewhere = store.value()->readAll(0, 10)->size(); });
        reader->start();
        reader->wait();
        delete reader;
        QCOMPARE(seenElsewhere, 1);
        const QString file = store.value()->settings().connection;
        QVERIFY(QFile::exists(file));
        store = StoreError(); // drop the store: its temporary file goes with it
        QVERIFY(!QFile::exists(file));
    }

    void refusesFileThatIsNotSqlite()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("notes.txt"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("These are my notes, not a database.\n").repeated(200));
        file.close();
        const QByteArray before = fileHash(path);
        auto store = SqlEventStore::open(sqliteAt(path));
        QVERIFY(!store.ok());
        QCOMPARE(store.error().code(), StoreError::Code::NotAnEventStore);
        QVERIFY2(store.error().message().contains(QStringLiteral("not an SQLite database")),
            qPrintable(store.error().message()));
        QCOMPARE(fileHash(path), before);
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
    }

    void refusesSqliteDatabaseOfAnotherApplication()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("other.db"));
        QVERIFY(execRaw(path,
            { QStringLiteral("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)"),
                QStringLiteral("INSERT INTO invoices (total) VALUES (12.5)") }));
        const QByteArray before = fileHash(path);
        auto store = SqlEventStore::open(sqliteAt(path));
        QVERIFY(!store.ok());
        QCOMPARE(store.error().code(), StoreError::Code::NotAnEventStore);
        QVERIFY2(store.error().message().contains(QStringLiteral("invoices")), qPrintable(store.error().message()));
        QCOMPARE(fileHash(path), before);
    }

    void refusesStoreFromNewerEventScope()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("future.db"));
        QVERIFY(SqlEventStore::open(sqliteAt(path)).ok());
        QVERIFY(execRaw(path,
            { QStringLiteral("INSERT INTO es_schema_migrations VALUES (99, 'future', 'x', 'EventScope 9')"),
                QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)") }));
        const QByteArray before = fileHash(path);
        auto store = SqlEventStore::open(sqliteAt(path));
        QVERIFY(!store.ok());
        QCOMPARE(store.error().code(), StoreError::Code::SchemaTooNew);
        QVERIFY(store.error().message().contains(QStringLiteral("99")));
        QCOMPARE(fileHash(path), before);
    }

    void explainsBadPaths()
    {
        QTemporaryDir dir;
        auto missingFolder = SqlEventStore::open(sqliteAt(dir.filePath(QStringLiteral("no/such/folder/x.db"))));
        QCOMPARE(missingFolder.error().code(), StoreError::Code::ConnectionFailed);
        QVERIFY(missingFolder.error().message().contains(QStringLiteral("does not exist")));
        auto folder = SqlEventStore::open(sqliteAt(dir.path()));
        QCOMPARE(folder.error().code(), StoreError::Code::InvalidArgument);
        StoreSettings mustExist = sqliteAt(dir.filePath(QStringLiteral("absent.db")));
        mustExist.createIfMissing = false;
        QCOMPARE(SqlEventStore::open(mustExist).error().code(), StoreError::Code::ConnectionFailed);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("absent.db"))));
    }

    void readOnlyStoreRefusesAppends()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("ro.db"));
        QVERIFY(
            SqlEventStore::open(sqliteAt(path))
                .value()
                ->append(QStringLiteral("a-1"), ExpectedVersion::any(), { EventData::create(QStringLiteral("T"), {}) })
                .ok());
        StoreSettings settings = sqliteAt(path);
        settings.readOnly = true;
        auto store = SqlEventStore::open(settings);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message()));
        QCOMPARE(store.value()->readAll(0, 10)->size(), 1);
        auto append = store.value()->append(
            QStringLiteral("a-1"), ExpectedVersion::any(), { EventData::create(QStringLiteral("T"), {}) });
        QCOMPARE(append.error().code(), StoreError::Code::InvalidArgument);
        QVERIFY(append.error().message().contains(QStringLiteral("read-only")));
    }

    void parsesPostgresConnectionStrings_data()
    {
        QTest::addColumn<QString>("dsn");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::newRow("url") << QStringLiteral("postgres://me:s%40cret@db.example:6543/events?sslmode=disable") << true
                             << QStringLiteral("db.example") << 6543 << QStringLiteral("events") << QStringLiteral("me")
                             << QStringLiteral("s@cret");
        QTest::newRow("postgresql scheme")
            << QStringLiteral("postgresql://localhost/ev") << true << QStringLiteral("localhost") << -1
            << QStringLiteral("ev") << QString() << QString();
        QTest::newRow("key value") << QStringLiteral("host=/tmp/pg port=5433 dbname=events user=postgres") << true
                                   << QStringLiteral("/tmp/pg") << 5433 << QStringLiteral("events")
                                   << QStringLiteral("postgres") << QString();
        QTest::newRow("empty") << QString() << false << QString() << 0 << QString() << QString() << QString();
        QTest::newRow("no database") << QStringLiteral("postgres://localhost:5432/") << false << QString() << 0
                                     << QString() << QString() << QString();
        QTest::newRow("bad port") << QStringLiteral("host=x port=99999 dbname=e") << false << QString() << 0
                                  << QString() << QString() << QString();
        QTest::newRow("garbage") << QStringLiteral("just some words") << false << QString() << 0 << QString()
                                 << QString() << QString();
        QTest::newRow("mysql url") << QStringLiteral("mysql://localhost/e") << false << QString() << 0 << QString()
                                   << QString() << QString();
    }

    void parsesPostgresConnectionStrings()
    {
        QFETCH(QString, dsn);
        QFETCH(bool, valid);
        auto parsed = PostgresDialect::parseConnectionString(dsn);
        QCOMPARE(parsed.ok(), valid);
        if (!valid) {
            QCOMPARE(parsed.error().code(), StoreError::Code::InvalidArgument);
            QVERIFY(parsed.error().message().contains(QStringLiteral("postgres://")));
            return;
        }
        QTEST(parsed->host, "host");
        QTEST(parsed->port, "port");
        QTEST(parsed->database, "database");
        QTEST(parsed->user, "user");
        QTEST(parsed->password, "password");
    }

    void badDsnFailsBeforeConnecting()
    {
        StoreSettings settings;
        settings.backend = StoreSettings::Backend::Postgres;
        settings.connection = QStringLiteral("not a dsn");
        auto store = SqlEventStore::open(settings);
        QCOMPARE(store.error().code(), StoreError::Code::InvalidArgument);
    }

    void unreachablePostgresIsAClearError()
    {
        StoreSettings settings;
        settings.backend = StoreSettings::Backend::Postgres;
        settings.connection = QStringLiteral("postgres://nobody@127.0.0.1:1/events?connect_timeout=2");
        auto store = SqlEventStore::open(settings);
        QVERIFY(!store.ok());
        QCOMPARE(store.error().code(), StoreError::Code::ConnectionFailed);
        QVERIFY(store.error().message().contains(QStringLiteral("server is running")));
    }

    void postgresSchemaOfAnotherApplicationIsRefused()
    {
        EVENTSCOPE_REQUIRE_BACKEND(TestStore::Backend::Postgres);
        TestStore test(TestStore::Backend::Postgres);
        const StoreSettings settings = test.settings();
        {
            QSqlDatabase db = TestStore::openRawPostgres(QStringLiteral("pg-raw"), settings, false);
            QVERIFY(db.isOpen());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("CREATE SCHEMA \"%1\"").arg(settings.postgresSchema)));
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE \"%1\".invoices (id int)").arg(settings.postgresSchema)));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("pg-raw"));
        auto store = SqlEventStore::open(settings);
        QVERIFY(!store.ok());
        QCOMPARE(store.error().code(), StoreError::Code::NotAnEventStore);
        QVERIFY(store.error().message().contains(settings.postgresSchema));
    }

    void postgresConcurrentFirstOpenMigratesOnce()
    {
        EVENTSCOPE_REQUIRE_BACKEND(TestStore::Backend::Postgres);
        TestStore test(TestStore::Backend::Postgres);
        QCOMPARE(openConcurrently(test.settings(), 3), 3);
    }

    // A store moved with pg_dump/pg_restore to a server whose transaction counter is lower: its rows' transaction
    // ids lie ahead of this server, and $all (which only delivers rows below the oldest running transaction)
    // would not show them until this server's counter passed the old one's.
    void postgresStoreRestoredFromAnotherServerIsRepaired()
    {
        EVENTSCOPE_REQUIRE_BACKEND(TestStore::Backend::Postgres);
        TestStore test(TestStore::Backend::Postgres);
        {
            auto store = test.open();
            QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message()));
            QVERIFY(appendEvents(*store.value(), 6));
        }
        // The old server's commit order differed from position order once: 4 committed before 3, and 3 and 5
        // were one transaction. So $all was 1 2 4 3 5 6, and a projection checkpointed at 4 still expects 3.
        QVERIFY(simulateRestore(test.settings(), { 0, 1, 3, 2, 3, 4 }));
        const QList<GlobalPosition> oldOrder { 1, 2, 4, 3, 5, 6 };

        StoreSettings readOnly = test.settings();
        readOnly.readOnly = true;
        readOnly.createIfMissing = false;
        {
            auto store = test.open(readOnly);
            QVERIFY(!store.ok());
            QCOMPARE(store.error().code(), StoreError::Code::SchemaTooNew);
            const QString message = store.error().message();
            QVERIFY2(message.contains(QStringLiteral("restored from another PostgreSQL server")), qPrintable(message));
            QVERIFY2(message.contains(QStringLiteral("6 events")), qPrintable(message));
            QVERIFY2(message.contains(QStringLiteral("without read-only")), qPrintable(message));
            const StoreDiagnosis diagnosis = StoreDiagnosis::diagnose(readOnly, store.error());
            QCOMPARE(diagnosis.problem, StoreDiagnosis::Problem::ReadOnlyNeedsMigration);
            QVERIFY2(diagnosis.explanation.contains(QStringLiteral("another PostgreSQL server")),
                qPrintable(diagnosis.toText()));
            QVERIFY2(!diagnosis.toText().contains(QStringLiteral("newer EventScope")), qPrintable(diagnosis.toText()));
        }

        auto store = test.open();
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message()));
        QCOMPARE(allPositions(*store.value(), 6), oldOrder);
        // Checkpoints taken on the old server stay valid: after 4 come 3, 5 and 6.
        QCOMPARE(allPositions(*store.value(), 3, 4), (QList<GlobalPosition> { 3, 5, 6 }));
        auto safe = store.value()->commitSafeHead();
        QVERIFY(safe.ok());
        QCOMPARE(safe.value(), GlobalPosition(6));

        QVERIFY(appendEvents(*store.value(), 1));
        QCOMPARE(allPositions(*store.value(), 7), oldOrder + QList<GlobalPosition> { 7 });
        QCOMPARE(allPositions(*store.value(), 1, 6), QList<GlobalPosition> { 7 });
        QTRY_COMPARE_WITH_TIMEOUT(store.value()->commitSafeHead().value(), GlobalPosition(7), 10000);

        // Repaired for good: a read-only session opens it now, and reads the same order.
        auto again = test.open(readOnly);
        QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().message()));
        QCOMPARE(allPositions(*again.value(), 7), oldOrder + QList<GlobalPosition> { 7 });
    }

    // Only some rows restored ahead of this server (the rest happen to lie below it), and several processes opening
    // the store at once: one repairs, the others wait and find nothing left to do; the order stays the old one.
    void postgresConcurrentOpenersRepairRestoredStoreOnce()
    {
        EVENTSCOPE_REQUIRE_BACKEND(TestStore::Backend::Postgres);
        TestStore test(TestStore::Backend::Postgres);
        {
            auto store = test.open();
            QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message()));
            QVERIFY(appendEvents(*store.value(), 8));
        }
        QVERIFY(simulateRestore(test.settings(), { -1, -1, 0, 2, 1, 2, 3, 3 }));
        const QList<GlobalPosition> oldOrder { 1, 2, 3, 5, 4, 6, 7, 8 };

        QCOMPARE(openConcurrently(test.settings(), 3), 3);
        auto store = test.open();
        QVERIFY(store.ok());
        QCOMPARE(allPositions(*store.value(), 8), oldOrder);
        QVERIFY(appendEvents(*store.value(), 1));
        QCOMPARE(allPositions(*store.value(), 9), oldOrder + QList<GlobalPosition> { 9 });
    }
};

QTEST_GUILESS_MAIN(TestStoreOpen)
#include "tst_storeopen.moc"
