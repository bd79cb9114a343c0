// SPDX-License-Identifier: Apache-2.0
// Opening stores: creation, migrations, durability settings, and every way opening must fail without
// changing anything.
#include "eventstore/postgresdialect.h"
#include "eventstore/sqleventstore.h"
#include "teststores.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

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
        std::atomic<int> ok { 0 };
        QList<QThread*> threads;
        for (int i = 0; i < 3; ++i)
            threads << QThread::create([&] {
                auto store = SqlEventStore::open(test.settings());
                if (store)
                    ++ok;
                else
                    qWarning() << store.error().message();
            });
        for (QThread* t : threads)
            t->start();
        for (QThread* t : threads) {
            t->wait();
            delete t;
        }
        QCOMPARE(ok.load(), 3);
    }
};

QTEST_GUILESS_MAIN(TestStoreOpen)
#include "tst_storeopen.moc"
