// SPDX-License-Identifier: Apache-2.0
// StoreDiagnosis against real failures of SqlEventStore::open (files, folders, foreign databases, schemas from
// other versions, a PostgreSQL server on a closed port, a missing database, an unknown user, SSL the server
// does not offer), plus PostgresConnection (form ↔ connection string) and storeSettingsFromLocation.
#include "eventstore/postgresconnection.h"
#include "eventstore/postgresdialect.h"
#include "eventstore/sqleventstore.h"
#include "eventstore/storediagnosis.h"
#include "eventstore/storelocation.h"
#include "teststores.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace EventScope;
using EventScope::Test::TestStore;
using Problem = StoreDiagnosis::Problem;

namespace {

StoreSettings sqliteAt(const QString& path, bool readOnly = false)
{
    StoreSettings settings;
    settings.backend = StoreSettings::Backend::Sqlite;
    settings.connection = path;
    settings.readOnly = readOnly;
    settings.createIfMissing = !readOnly;
    return settings;
}

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

/// Opens \a settings, which must fail, and diagnoses the failure.
StoreDiagnosis diagnoseOpen(const StoreSettings& settings)
{
    auto store = SqlEventStore::open(settings);
    if (store.ok())
        return {};
    return StoreDiagnosis::diagnose(settings, store.error());
}

/// The test cluster's connection, parsed (the tests then change one part of it).
PostgresConnection testCluster()
{
    auto parsed = PostgresConnection::parse(TestStore::postgresDsn());
    return parsed ? parsed.value() : PostgresConnection();
}

StoreSettings postgresAt(const PostgresConnection& connection)
{
    StoreSettings settings;
    settings.backend = StoreSettings::Backend::Postgres;
    settings.connection = connection.toConnectionString();
    settings.connectTimeout = std::chrono::seconds(3);
    settings.readOnly = true;
    settings.createIfMissing = false;
    return settings;
}

QByteArray describe(const StoreDiagnosis& d)
{
    return (QStringLiteral("problem %1: ").arg(int(d.problem)) + d.toText() + QStringLiteral("\n[") + d.detail + u']')
        .toUtf8();
}

#define VERIFY_DIAGNOSIS(diagnosis, expected)                                                                          \
    do {                                                                                                               \
        QVERIFY2((diagnosis).problem == (expected), describe(diagnosis).constData());                                  \
        QVERIFY(!(diagnosis).title.isEmpty());                                                                         \
        QVERIFY(!(diagnosis).explanation.isEmpty());                                                                   \
        QVERIFY(!(diagnosis).nextStep.isEmpty());                                                                      \
    } while (false)

} // namespace

class TestStoreDiagnosis : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void textFileIsNotAStore()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("notes.txt"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("Shopping list: eggs, milk, bread.\n").repeated(100));
        file.close();
        const StoreDiagnosis d = diagnoseOpen(sqliteAt(path, true));
        VERIFY_DIAGNOSIS(d, Problem::NotAnEventStore);
        QVERIFY(d.explanation.contains(QStringLiteral("not an SQLite database")));
        QVERIFY(d.nextStep.contains(QStringLiteral("New")));
    }

    void foreignSqliteDatabaseIsNotAStore()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("shop.db"));
        QVERIFY(execRaw(path, { QStringLiteral("CREATE TABLE invoices (id INTEGER PRIMARY KEY)") }));
        const StoreDiagnosis d = diagnoseOpen(sqliteAt(path));
        VERIFY_DIAGNOSIS(d, Problem::NotAnEventStore);
        QVERIFY2(d.explanation.contains(QStringLiteral("invoices")), qPrintable(d.explanation));
    }

    // It used to read "… of another application: it holds tables () …": an empty list, and the wrong story.
    void damagedSchemaTableIsNotAForeignDatabase()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("damaged.db"));
        QVERIFY(execRaw(path, { QStringLiteral("CREATE TABLE es_schema_migrations (garbage TEXT)") }));
        const StoreDiagnosis d = diagnoseOpen(sqliteAt(path));
        VERIFY_DIAGNOSIS(d, Problem::NotAnEventStore);
        QCOMPARE(d.title, QStringLiteral("Damaged store"));
        QVERIFY2(d.explanation.contains(QStringLiteral("schema table")), qPrintable(d.explanation));
        QVERIFY2(!d.explanation.contains(QStringLiteral("()")), qPrintable(d.explanation));
        QVERIFY(d.nextStep.contains(QStringLiteral("backup")));
    }

    void storeFromNewerVersion()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("future.db"));
        QVERIFY(SqlEventStore::open(sqliteAt(path)).ok());
        QVERIFY(execRaw(path, { QStringLiteral("INSERT INTO es_schema_migrations VALUES (99, 'f', 'x', 'v9')") }));
        for (const bool readOnly : { false, true }) {
            const StoreDiagnosis d = diagnoseOpen(sqliteAt(path, readOnly));
            VERIFY_DIAGNOSIS(d, Problem::SchemaTooNew);
            QVERIFY2(d.explanation.contains(QStringLiteral("99")), qPrintable(d.explanation));
            QVERIFY(d.explanation.contains(QString::number(SqlEventStore::currentSchemaVersion())));
            QVERIFY(d.nextStep.contains(QStringLiteral("Update EventScope")));
        }
    }

    void olderStoreOpenedReadOnlyNeedsUpgrade()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.db"));
        QVERIFY(SqlEventStore::open(sqliteAt(path)).ok());
        const int older = SqlEventStore::currentSchemaVersion() - 1;
        QVERIFY(older >= 1);
        QVERIFY(execRaw(path, { QStringLiteral("DELETE FROM es_schema_migrations WHERE version > %1").arg(older) }));
        const StoreDiagnosis d = diagnoseOpen(sqliteAt(path, true));
        VERIFY_DIAGNOSIS(d, Problem::ReadOnlyNeedsMigration);
        QVERIFY(d.explanation.contains(QString::number(older)));
        QVERIFY(d.nextStep.contains(QStringLiteral("without read-only")));
    }

    void missingFilesAndFolders()
    {
        QTemporaryDir dir;
        const StoreDiagnosis missing = diagnoseOpen(sqliteAt(dir.filePath(QStringLiteral("absent.db")), true));
        VERIFY_DIAGNOSIS(missing, Problem::FileMissing);
        QVERIFY(missing.explanation.contains(QStringLiteral("absent.db")));
        const StoreDiagnosis folder = diagnoseOpen(sqliteAt(dir.filePath(QStringLiteral("no/such/x.db"))));
        VERIFY_DIAGNOSIS(folder, Problem::FileMissing);
        QVERIFY(folder.nextStep.contains(QStringLiteral("folder")));
        const StoreDiagnosis directory = diagnoseOpen(sqliteAt(dir.path()));
        VERIFY_DIAGNOSIS(directory, Problem::NotAFile);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("absent.db"))));
    }

    void emptyDatabaseOpenedReadOnly()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("empty.db"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly)); // zero bytes: a valid, empty SQLite database
        file.close();
        const StoreDiagnosis d = diagnoseOpen(sqliteAt(path, true));
        VERIFY_DIAGNOSIS(d, Problem::EmptyDatabase);
    }

    void closedPortIsUnreachable()
    {
        PostgresConnection connection;
        connection.host = QStringLiteral("127.0.0.1");
        connection.port = 1; // nothing listens on tcpmux
        connection.database = QStringLiteral("events");
        connection.user = QStringLiteral("nobody");
        const StoreDiagnosis d = diagnoseOpen(postgresAt(connection));
        VERIFY_DIAGNOSIS(d, Problem::HostUnreachable);
        QVERIFY(d.explanation.contains(QStringLiteral("127.0.0.1:1")));
        QVERIFY(d.nextStep.contains(QStringLiteral("port")));
    }

    void unknownHost()
    {
        PostgresConnection connection;
        connection.host = QStringLiteral("no-such-host.invalid"); // .invalid never resolves (RFC 2606)
        connection.database = QStringLiteral("events");
        const StoreDiagnosis d = diagnoseOpen(postgresAt(connection));
        VERIFY_DIAGNOSIS(d, Problem::HostUnknown);
    }

    void missingDatabase()
    {
        EVENTSCOPE_REQUIRE_BACKEND(TestStore::Backend::Postgres);
        PostgresConnection connection = testCluster();
        connection.database = QStringLiteral("no_such_database_here");
        const StoreDiagnosis d = diagnoseOpen(postgresAt(connection));
        VERIFY_DIAGNOSIS(d, Problem::DatabaseMissing);
        QVERIFY(d.explanation.contains(QStringLiteral("no_such_database_here")));
        QVERIFY(d.nextStep.contains(QStringLiteral("createdb no_such_database_here")));
    }

    void unknownUser()
    {
        EVENTSCOPE_REQUIRE_BACKEND(TestStore::Backend::Postgres);
        PostgresConnection connection = testCluster();
        connection.user = QStringLiteral("no_such_user_here");
        const StoreDiagnosis d = diagnoseOpen(postgresAt(connection));
        VERIFY_DIAGNOSIS(d, Problem::AuthenticationFailed);
        QVERIFY(d.explanation.contains(QStringLiteral("no_such_user_here")));
    }

    void sslTheServerDoesNotOffer()
    {
        EVENTSCOPE_REQUIRE_BACKEND(TestStore::Backend::Postgres);
        PostgresConnection connection = testCluster();
        connection.sslMode = QStringLiteral("require");
        auto store = SqlEventStore::open(postgresAt(connection));
        if (store.ok())
            QSKIP("the test cluster offers SSL; this test needs one that does not");
        const StoreDiagnosis d = StoreDiagnosis::diagnose(postgresAt(connection), store.error());
        VERIFY_DIAGNOSIS(d, Problem::SslFailed);
        QVERIFY(d.explanation.contains(QStringLiteral("require")));
    }

    void emptyAndForeignPostgresSchemas()
    {
        EVENTSCOPE_REQUIRE_BACKEND(TestStore::Backend::Postgres);
        TestStore test(TestStore::Backend::Postgres);
        StoreSettings settings = test.settings();
        settings.readOnly = true;
        settings.createIfMissing = false;
        const StoreDiagnosis empty = diagnoseOpen(settings);
        VERIFY_DIAGNOSIS(empty, Problem::EmptyDatabase);
        QVERIFY(empty.explanation.contains(settings.postgresSchema));
        {
            QSqlDatabase db = TestStore::openRawPostgres(QStringLiteral("diag-raw"), settings, false);
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("CREATE SCHEMA \"%1\"").arg(settings.postgresSchema)));
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE \"%1\".invoices (id int)").arg(settings.postgresSchema)));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("diag-raw"));
        const StoreDiagnosis foreign = diagnoseOpen(settings);
        VERIFY_DIAGNOSIS(foreign, Problem::NotAnEventStore);
        QVERIFY(foreign.explanation.contains(settings.postgresSchema));
    }

    // The test cluster trusts every local connection, so a wrong password cannot be provoked there. These
    // are the messages SqlEventStore::open returned against a password-protected PostgreSQL 15 (libpq 15).
    void recordedAuthenticationFailures_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("title");
        QTest::newRow("wrong password") << QStringLiteral(
            "Could not connect to the PostgreSQL server: connection to server at \"127.0.0.1\", "
            "port 5432 failed: FATAL:  password authentication failed for user \"auditor\" "
            "QPSQL: Unable to connect. Check the connection settings and that the server is "
            "running.") << QStringLiteral("Wrong user name or password");
        QTest::newRow("no password") << QStringLiteral(
            "Could not connect to the PostgreSQL server: connection to server at \"127.0.0.1\", "
            "port 5432 failed: fe_sendauth: no password supplied QPSQL: Unable to connect. Check "
            "the connection settings and that the server is running.")
                                     << QStringLiteral("Password needed");
        QTest::newRow("pg_hba") << QStringLiteral(
            "Could not connect to the PostgreSQL server: connection to server at \"10.0.0.5\", "
            "port 5432 failed: FATAL:  no pg_hba.conf entry for host \"10.0.0.9\", user "
            "\"auditor\", database \"events\", no encryption QPSQL: Unable to connect. Check the "
            "connection settings and that the server is running.")
                                << QStringLiteral("The server does not let this user in");
    }

    void recordedAuthenticationFailures()
    {
        QFETCH(QString, message);
        QFETCH(QString, title);
        StoreSettings settings;
        settings.backend = StoreSettings::Backend::Postgres;
        settings.connection = QStringLiteral("host=db.example port=5432 dbname=events user=auditor password=x");
        const StoreDiagnosis d
            = StoreDiagnosis::diagnose(settings, StoreError(StoreError::Code::ConnectionFailed, message));
        VERIFY_DIAGNOSIS(d, Problem::AuthenticationFailed);
        QCOMPARE(d.title, title);
        QVERIFY(d.explanation.contains(QStringLiteral("auditor")));
        QVERIFY2(!d.toText().contains(QStringLiteral("password=x")), "the password must not appear");
        QCOMPARE(d.detail, message);
    }

    void unknownErrorsStillSaySomething()
    {
        const StoreDiagnosis d = StoreDiagnosis::diagnose(
            sqliteAt(QStringLiteral("x.db")), StoreError(StoreError::Code::QueryFailed, QStringLiteral("boom")));
        VERIFY_DIAGNOSIS(d, Problem::Other);
        QCOMPARE(d.explanation, QStringLiteral("boom"));
    }

    void quotesValuesAsLibpqDoes_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("quoted");
        QTest::newRow("plain") << QStringLiteral("events") << QStringLiteral("events");
        QTest::newRow("empty") << QString() << QStringLiteral("''");
        QTest::newRow("space") << QStringLiteral("my db") << QStringLiteral("'my db'");
        QTest::newRow("quote") << QStringLiteral("it's") << QStringLiteral("'it\\'s'");
        QTest::newRow("backslash") << QStringLiteral("a\\b") << QStringLiteral("'a\\\\b'");
        QTest::newRow("equals") << QStringLiteral("a=b") << QStringLiteral("a=b");
    }

    void quotesValuesAsLibpqDoes()
    {
        QFETCH(QString, value);
        QTEST(PostgresConnection::quoteValue(value), "quoted");
    }

    void formRoundTrips_data()
    {
        QTest::addColumn<QString>("password");
        QTest::newRow("plain") << QStringLiteral("secret");
        QTest::newRow("space and quotes") << QStringLiteral("it's a \"pass word\"");
        QTest::newRow("backslashes") << QStringLiteral("C:\\path\\");
        QTest::newRow("equals and at") << QStringLiteral("a=b@c:d/e");
    }

    void formRoundTrips()
    {
        QFETCH(QString, password);
        PostgresConnection form;
        form.host = QStringLiteral("db.example");
        form.port = 6543;
        form.database = QStringLiteral("my events");
        form.user = QStringLiteral("o'brien");
        form.password = password;
        form.sslMode = QStringLiteral("verify-full");
        form.otherOptions = { { QStringLiteral("application_name"), QStringLiteral("x y") } };
        const QString text = form.toConnectionString();
        auto parsed = PostgresConnection::parse(text);
        QVERIFY2(parsed.ok(), qPrintable(text));
        QCOMPARE(parsed.value(), form);
        const QString stripped = PostgresConnection::withoutPassword(text);
        QVERIFY(!stripped.contains(QStringLiteral("password")));
        auto reparsed = PostgresConnection::parse(stripped);
        QVERIFY(reparsed.ok());
        QVERIFY(reparsed->password.isEmpty());
        QCOMPARE(reparsed->user, form.user);
        QCOMPARE(reparsed->database, form.database);
    }

    void parsesUrlsAndKeyValues()
    {
        auto url
            = PostgresConnection::parse(QStringLiteral("postgres://me:s%40cret@db.example:6543/events?sslmode=disable"
                                                       "&connect_timeout=5"));
        QVERIFY(url.ok());
        QCOMPARE(url->host, QStringLiteral("db.example"));
        QCOMPARE(url->port, 6543);
        QCOMPARE(url->password, QStringLiteral("s@cret"));
        QCOMPARE(url->sslMode, QStringLiteral("disable"));
        QCOMPARE(url->otherOptions.size(), 1);
        QCOMPARE(PostgresConnection::withoutPassword(url->toConnectionString()),
            QStringLiteral("host=db.example port=6543 dbname=events user=me sslmode=disable connect_timeout=5"));
        auto spaced = PostgresConnection::parse(QStringLiteral("  host = localhost   dbname='a b'  "));
        QVERIFY(spaced.ok());
        QCOMPARE(spaced->host, QStringLiteral("localhost"));
        QCOMPARE(spaced->database, QStringLiteral("a b"));
        QCOMPARE(spaced->port, PostgresConnection::DefaultPort);
        for (const QString& bad : { QStringLiteral("dbname='open"), QStringLiteral("port=x dbname=e"),
                 QStringLiteral("just words"), QStringLiteral("=x"), QString() }) {
            auto parsed = PostgresConnection::parse(bad);
            QVERIFY2(!parsed.ok(), qPrintable(bad));
            QCOMPARE(parsed.error().code(), StoreError::Code::InvalidArgument);
        }
        QVERIFY(PostgresConnection::withoutPassword(QStringLiteral("password='never closed")).isEmpty());
    }

    void storeReadsWhatTheFormWrites()
    {
        PostgresConnection form;
        form.host = QStringLiteral("db.example");
        form.database = QStringLiteral("events");
        form.user = QStringLiteral("me");
        form.password = QStringLiteral("plain");
        auto simple = PostgresDialect::parseConnectionString(form.toConnectionString());
        QVERIFY(simple.ok());
        QCOMPARE(simple->password, form.password);
        QCOMPARE(simple->port, form.port);

        // Quoted by the form, read back by the store (it used to split on every space and not unescape).
        form.password = QStringLiteral("two words and a ' quote \\ backslash");
        auto quoted = PostgresDialect::parseConnectionString(form.toConnectionString());
        QVERIFY2(quoted.ok(), qPrintable(quoted.ok() ? QString() : quoted.error().message()));
        QCOMPARE(quoted->password, form.password);
        form.sslMode = QStringLiteral("require");
        auto withSsl = PostgresDialect::parseConnectionString(form.toConnectionString());
        QVERIFY(withSsl.ok());
        QVERIFY(withSsl->options.contains(QStringLiteral("sslmode=require")));
    }

    void storeLocations_data()
    {
        QTest::addColumn<QString>("location");
        QTest::addColumn<bool>("postgres");
        QTest::newRow("file") << QStringLiteral("/var/lib/events.db") << false;
        QTest::newRow("relative") << QStringLiteral("events.db") << false;
        QTest::newRow("file with =") << QStringLiteral("backup=old.db") << false;
        QTest::newRow("memory") << QStringLiteral(":memory:") << false;
        QTest::newRow("url") << QStringLiteral("postgres://me@db/events") << true;
        QTest::newRow("postgresql url") << QStringLiteral("postgresql://db/events") << true;
        QTest::newRow("key value") << QStringLiteral("host=db dbname=events") << true;
        QTest::newRow("dbname first") << QStringLiteral("dbname=events") << true;
        QTest::newRow("service") << QStringLiteral("service=prod") << true;
    }

    void storeLocations()
    {
        QFETCH(QString, location);
        QFETCH(bool, postgres);
        StoreSettings base;
        base.postgresSchema = QStringLiteral("audit");
        base.readOnly = true;
        const StoreSettings settings = storeSettingsFromLocation(location, base);
        QCOMPARE(isPostgresLocation(location), postgres);
        QCOMPARE(settings.backend, postgres ? StoreSettings::Backend::Postgres : StoreSettings::Backend::Sqlite);
        QCOMPARE(settings.connection, location);
        QCOMPARE(settings.postgresSchema, QStringLiteral("audit"));
        QVERIFY(settings.readOnly);
    }
};

QTEST_GUILESS_MAIN(TestStoreDiagnosis)
#include "tst_storediagnosis.moc"
