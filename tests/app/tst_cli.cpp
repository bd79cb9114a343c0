// SPDX-License-Identifier: Apache-2.0
// Runs the built eventscope-cli as a user would and checks its output, its exit status and what it wrote.
#include "demostorecheck.h"
#include "eventstore/allsubscription.h"

#include "eventstore/postgresdialect.h"
#include "eventstore/sqleventstore.h"
#include "explorer/eventexporter.h"
#include "explorer/eventsearch.h"
#include "teststores.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cmath>

using namespace EventScope;

namespace {

struct CliRun {
    bool finished = false;
    int exitCode = -1;
    QString out;
    QString err;
    qint64 pid = 0;
};

const QString DsnVariable = QStringLiteral("EVENTSCOPE_TEST_PG_DSN");

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private:
    QByteArray m_stdin; ///< written to the next runs' standard input when not null

    /// Writes \a contents to \a name in the test's directory; returns the path, or empty when it failed.
    QString writeFile(const QString& name, const QByteArray& contents) const
    {
        QFile file(m_dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly) || file.write(contents) != contents.size())
            return {};
        return file.fileName();
    }

    CliRun run(const QStringList& arguments, int timeoutMs = 60000,
        const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment())
    {
        QProcess process;
        process.setProgram(QStringLiteral(EVENTSCOPE_CLI_PATH));
        process.setArguments(arguments);
        process.setProcessEnvironment(environment);
        process.start();
        if (!m_stdin.isNull()) {
            process.write(m_stdin);
            process.closeWriteChannel();
        }
        CliRun result;
        if (!process.waitForStarted()) {
            result.err = process.errorString();
            return result;
        }
        result.pid = process.processId();
        result.finished = process.waitForFinished(timeoutMs) && process.exitStatus() == QProcess::NormalExit;
        if (!result.finished) {
            process.kill();
            process.waitForFinished();
        }
        result.exitCode = process.exitCode();
        result.out = QString::fromUtf8(process.readAllStandardOutput());
        result.err = QString::fromUtf8(process.readAllStandardError());
        return result;
    }

    static QString describe(const CliRun& run)
    {
        return QStringLiteral("exit %1, finished %2\n--- stdout\n%3\n--- stderr\n%4")
            .arg(run.exitCode)
            .arg(run.finished)
            .arg(run.out.left(4000), run.err.right(4000));
    }

    /// Checks the JSON report of `bench store --json` for \a backend and returns its figure names.
    static QStringList checkBenchReport(const CliRun& run, const QString& backend)
    {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(run.out.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !document.isObject()) {
            qWarning().noquote() << "stdout is not one JSON object:" << error.errorString() << run.out.left(2000);
            return {};
        }
        const QJsonObject report = document.object();
        [&] {
            QCOMPARE(report.value(QStringLiteral("suite")).toString(), QStringLiteral("store"));
            QCOMPARE(report.value(QStringLiteral("backend")).toString(), backend);
            QCOMPARE(report.value(QStringLiteral("scale")).toString(), QStringLiteral("tiny"));
            const QJsonObject machine = report.value(QStringLiteral("machine")).toObject();
            QVERIFY(machine.value(QStringLiteral("cores")).toInt() > 0);
            QVERIFY(machine.value(QStringLiteral("memoryMiB")).toInteger() > 0);
            QVERIFY(!machine.value(QStringLiteral("os")).toString().isEmpty());
            QVERIFY(!machine.value(QStringLiteral("qt")).toString().isEmpty());
        }();
        if (QTest::currentTestFailed())
            return {};

        QStringList names;
        const QJsonArray figures = report.value(QStringLiteral("figures")).toArray();
        for (const QJsonValue& entry : figures) {
            const QJsonObject figure = entry.toObject();
            const QString name = figure.value(QStringLiteral("name")).toString();
            const QString unit = figure.value(QStringLiteral("unit")).toString();
            const QJsonValue value = figure.value(QStringLiteral("value"));
            const QJsonValue baseline = figure.value(QStringLiteral("baseline"));
            const QJsonValue ratio = figure.value(QStringLiteral("ratio"));
            const QByteArray what = (name + QStringLiteral(": ")
                + QString::fromUtf8(QJsonDocument(figure).toJson(QJsonDocument::Compact)))
                                        .toUtf8();
            names << name;
            [&] {
                QVERIFY2(!name.isEmpty() && !unit.isEmpty(), what.constData());
                QVERIFY2(value.isDouble() && std::isfinite(value.toDouble()), what.constData());
                // Memory growth may honestly be zero; rates and durations must be positive.
                if (unit == QStringLiteral("MiB")) {
                    QVERIFY2(value.toDouble() >= 0, what.constData());
                    QVERIFY2(baseline.isNull() || baseline.toDouble() >= 0, what.constData());
                } else {
                    QVERIFY2(value.toDouble() > 0, what.constData());
                    QVERIFY2(baseline.isNull() || (std::isfinite(baseline.toDouble()) && baseline.toDouble() > 0),
                        what.constData());
                }
                QVERIFY2(baseline.isNull() || baseline.isDouble(), what.constData());
                if (baseline.isDouble() && baseline.toDouble() > 0) {
                    QVERIFY2(
                        ratio.isDouble() && std::isfinite(ratio.toDouble()) && ratio.toDouble() >= 0, what.constData());
                    QVERIFY2(std::abs(ratio.toDouble() - value.toDouble() / baseline.toDouble())
                            <= 1e-9 * std::max(1.0, std::abs(ratio.toDouble())),
                        what.constData());
                } else {
                    QVERIFY2(ratio.isNull(), what.constData());
                }
            }();
            if (QTest::currentTestFailed())
                return {};
        }
        return names;
    }

    static void expectEveryCase(const QStringList& names)
    {
        // Every case reports: a and b with baselines, c without, d and e with baselines and e with memory.
        for (const char* expected :
            { "a.append.single", "a.append.single.p99", "b.append.batch100", "c.concurrent4.own_streams",
                "c.concurrent4.one_stream", "d.read.stream.page500", "e.catchup.readAll1000", "e.catchup.subscription",
                "e.catchup.readAll1000.memory", "e.catchup.subscription.memory" })
            QVERIFY2(names.contains(QLatin1String(expected)),
                qPrintable(QStringLiteral("missing %1 in %2").arg(QLatin1String(expected), names.join(u' '))));
    }

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFile::exists(QStringLiteral(EVENTSCOPE_CLI_PATH)), EVENTSCOPE_CLI_PATH);
    }

    void helpDescribesTheToolAndEachCommand_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("tool") << QStringList { QStringLiteral("--help") }
                              << QStringList { QStringLiteral("Usage: eventscope-cli"), QStringLiteral("bench store"),
                                     QStringLiteral("seed-demo"), QStringLiteral("--config"),
                                     QStringLiteral("--log-level"), QStringLiteral("Exit status") };
        QTest::newRow("help command") << QStringList { QStringLiteral("help") }
                                      << QStringList { QStringLiteral("bench store"), QStringLiteral("seed-demo") };
        QTest::newRow("bench") << QStringList { QStringLiteral("bench"), QStringLiteral("--help") }
                               << QStringList { QStringLiteral("store") };
        QTest::newRow("bench store") << QStringList { QStringLiteral("bench"), QStringLiteral("store"),
            QStringLiteral("--help") }
                                     << QStringList { QStringLiteral("Usage: eventscope-cli bench store"),
                                            QStringLiteral("--backend"), QStringLiteral("--dsn"),
                                            QStringLiteral("--scale"), QStringLiteral("--cases"),
                                            QStringLiteral("--json"), QStringLiteral("EVENTSCOPE_TEST_PG_DSN"),
                                            QStringLiteral("--config") };
        QTest::newRow("seed-demo") << QStringList { QStringLiteral("seed-demo"), QStringLiteral("-h") }
                                   << QStringList { QStringLiteral("Usage: eventscope-cli seed-demo"),
                                          QStringLiteral("--store"), QStringLiteral("--events"),
                                          QStringLiteral("--seed"), QStringLiteral("--force") };
        QTest::newRow("help seed-demo") << QStringList { QStringLiteral("help"), QStringLiteral("seed-demo") }
                                        << QStringList { QStringLiteral("--store") };
        QTest::newRow("--help before command") << QStringList { QStringLiteral("--help"), QStringLiteral("bench"),
            QStringLiteral("store") } << QStringList { QStringLiteral("--backend") };
    }

    void helpDescribesTheToolAndEachCommand()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QStringList, expected);
        const CliRun result = run(arguments);
        QVERIFY2(result.finished && result.exitCode == 0, qPrintable(describe(result)));
        for (const QString& text : expected)
            QVERIFY2(result.out.contains(text), qPrintable(text + QStringLiteral(" not in:\n") + result.out));
    }

    void versionPrintsTheVersion()
    {
        const CliRun result = run({ QStringLiteral("--version") });
        QVERIFY2(result.finished && result.exitCode == 0, qPrintable(describe(result)));
        QVERIFY(result.out.startsWith(QStringLiteral("eventscope-cli ")));
    }

    void badUsageExitsWithOne_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QString store = m_dir.filePath(QStringLiteral("never-created.sqlite"));
        QTest::newRow("no command") << QStringList {} << QStringLiteral("no command");
        QTest::newRow("unknown command") << QStringList { QStringLiteral("frobnicate") }
                                         << QStringLiteral("unknown command 'frobnicate'");
        QTest::newRow("unknown tool option")
            << QStringList { QStringLiteral("--bogus"), QStringLiteral("seed-demo") } << QStringLiteral("bogus");
        QTest::newRow("bench without suite") << QStringList { QStringLiteral("bench") } << QStringLiteral("suite");
        QTest::newRow("unknown suite") << QStringList { QStringLiteral("bench"), QStringLiteral("disk") }
                                       << QStringLiteral("unknown command 'bench disk'");
        QTest::newRow("unknown backend") << QStringList { QStringLiteral("bench"), QStringLiteral("store"),
            QStringLiteral("--backend"), QStringLiteral("oracle") }
                                         << QStringLiteral("oracle");
        QTest::newRow("unknown scale") << QStringList { QStringLiteral("bench"), QStringLiteral("store"),
            QStringLiteral("--scale"), QStringLiteral("huge") }
                                       << QStringLiteral("huge");
        QTest::newRow("unknown case") << QStringList { QStringLiteral("bench"), QStringLiteral("store"),
            QStringLiteral("--cases"), QStringLiteral("a,z") }
                                      << QStringLiteral("'z'");
        QTest::newRow("dsn with sqlite") << QStringList { QStringLiteral("bench"), QStringLiteral("store"),
            QStringLiteral("--backend"), QStringLiteral("sqlite"), QStringLiteral("--dsn"), QStringLiteral("x") }
                                         << QStringLiteral("--dsn");
        QTest::newRow("postgres without dsn") << QStringList { QStringLiteral("bench"), QStringLiteral("store"),
            QStringLiteral("--backend"), QStringLiteral("postgres") }
                                              << DsnVariable;
        QTest::newRow("unknown command option") << QStringList { QStringLiteral("bench"), QStringLiteral("store"),
            QStringLiteral("--fast") } << QStringLiteral("fast");
        QTest::newRow("seed-demo without store")
            << QStringList { QStringLiteral("seed-demo") } << QStringLiteral("--store");
        QTest::newRow("negative events") << QStringList { QStringLiteral("seed-demo"), QStringLiteral("--store"), store,
            QStringLiteral("--events"), QStringLiteral("-5") }
                                         << QStringLiteral("--events");
        QTest::newRow("events not a number") << QStringList { QStringLiteral("seed-demo"), QStringLiteral("--store"),
            store, QStringLiteral("--events"), QStringLiteral("many") }
                                             << QStringLiteral("'many'");
        QTest::newRow("seed too large") << QStringList { QStringLiteral("seed-demo"), QStringLiteral("--store"), store,
            QStringLiteral("--seed"), QStringLiteral("99999999999") }
                                        << QStringLiteral("--seed");
        QTest::newRow("stray argument") << QStringList { QStringLiteral("seed-demo"), QStringLiteral("--store"), store,
            QStringLiteral("extra") } << QStringLiteral("'extra'");
        QTest::newRow("bad log level") << QStringList { QStringLiteral("--log-level"), QStringLiteral("loud"),
            QStringLiteral("seed-demo"), QStringLiteral("--store"), store }
                                       << QStringLiteral("loud");
    }

    void badUsageExitsWithOne()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(DsnVariable);
        const CliRun result = run(arguments, 60000, environment);
        QVERIFY2(result.finished && result.exitCode == 1, qPrintable(describe(result)));
        QVERIFY2(result.err.startsWith(QStringLiteral("eventscope-cli: ")), qPrintable(result.err));
        QVERIFY2(result.err.contains(message), qPrintable(result.err));
        QVERIFY2(result.err.contains(QStringLiteral("--help")), qPrintable(result.err)); // says where to look
        QVERIFY2(result.out.isEmpty(), qPrintable(result.out));
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("never-created.sqlite"))));
    }

    void benchStoreSqliteTinyJson()
    {
        const CliRun result = run(
            { QStringLiteral("bench"), QStringLiteral("store"), QStringLiteral("--backend"), QStringLiteral("sqlite"),
                QStringLiteral("--scale"), QStringLiteral("tiny"), QStringLiteral("--json") },
            300000);
        QVERIFY2(result.finished && result.exitCode == 0, qPrintable(describe(result)));
        const QStringList names = checkBenchReport(result, QStringLiteral("sqlite"));
        if (QTest::currentTestFailed())
            return;
        expectEveryCase(names);
        // Progress goes to stderr so that stdout stays one JSON document.
        QVERIFY(result.err.contains(QStringLiteral("[bench]")));
    }

    void benchStoreTablePrintsChosenCases()
    {
        const CliRun result = run({ QStringLiteral("bench"), QStringLiteral("store"), QStringLiteral("--scale"),
                                      QStringLiteral("tiny"), QStringLiteral("--cases"), QStringLiteral("a,d") },
            120000);
        QVERIFY2(result.finished && result.exitCode == 0, qPrintable(describe(result)));
        QVERIFY2(result.out.contains(QStringLiteral("a.append.single")), qPrintable(result.out));
        QVERIFY2(result.out.contains(QStringLiteral("d.read.stream.page500")), qPrintable(result.out));
        QVERIFY(!result.out.contains(QStringLiteral("b.append")));
        QVERIFY(!result.out.contains(QStringLiteral("e.catchup")));
        QVERIFY(result.out.contains(QStringLiteral("events/s")));
        // The header row and the figure rows are aligned: every value column starts at the same offset.
        const QStringList lines = result.out.split(u'\n');
        const auto header = std::find_if(lines.cbegin(), lines.cend(),
            [](const QString& line) { return line.startsWith(QStringLiteral("figure ")); });
        QVERIFY(header != lines.cend());
        const auto single = std::find_if(lines.cbegin(), lines.cend(),
            [](const QString& line) { return line.startsWith(QStringLiteral("a.append.single ")); });
        QVERIFY(single != lines.cend());
        QCOMPARE(single->size(), header->size());
    }

    void benchStorePostgresTinyJson()
    {
        const QString dsn = qEnvironmentVariable(qPrintable(DsnVariable));
        if (dsn.isEmpty()) {
            if (qEnvironmentVariable("CI") == QStringLiteral("true"))
                QFAIL("EVENTSCOPE_TEST_PG_DSN is not set, but CI must run the PostgreSQL benchmark: start a server "
                      "in .ci/run and export EVENTSCOPE_TEST_PG_DSN=postgres://user@127.0.0.1:port/db.");
            QSKIP("Set EVENTSCOPE_TEST_PG_DSN=postgres://user:password@host:port/db to run the PostgreSQL benchmark.");
        }
        const CliRun result = run(
            { QStringLiteral("bench"), QStringLiteral("store"), QStringLiteral("--backend"), QStringLiteral("postgres"),
                QStringLiteral("--scale"), QStringLiteral("tiny"), QStringLiteral("--json") },
            300000);
        QVERIFY2(result.finished && result.exitCode == 0, qPrintable(describe(result)));
        const QStringList names = checkBenchReport(result, QStringLiteral("postgres"));
        if (QTest::currentTestFailed())
            return;
        expectEveryCase(names);

        // The benchmark dropped the schemas it created (named es_bench_<pid>_…).
        StoreSettings settings;
        settings.backend = StoreSettings::Backend::Postgres;
        settings.connection = dsn;
        {
            QSqlDatabase db = Test::TestStore::openRawPostgres(QStringLiteral("tst_cli_check"), settings, false);
            QVERIFY(db.isOpen());
            QSqlQuery query(db);
            QVERIFY(query.prepare(QStringLiteral("SELECT count(*) FROM pg_namespace WHERE nspname LIKE ?")));
            query.addBindValue(QStringLiteral("es_bench_%1_%").arg(result.pid));
            QVERIFY2(query.exec() && query.next(), qPrintable(query.lastError().text()));
            QCOMPARE(query.value(0).toInt(), 0);
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tst_cli_check"));
    }

    void seedDemoWritesAConsistentStore()
    {
        const QString path = m_dir.filePath(QStringLiteral("demo.sqlite"));
        const QStringList arguments { QStringLiteral("seed-demo"), QStringLiteral("--store"), path,
            QStringLiteral("--events"), QStringLiteral("700"), QStringLiteral("--seed"), QStringLiteral("5") };
        const CliRun result = run(arguments);
        QVERIFY2(result.finished && result.exitCode == 0, qPrintable(describe(result)));
        QVERIFY2(result.out.contains(QStringLiteral("Wrote 700 events")), qPrintable(result.out));

        {
            StoreSettings settings;
            settings.connection = path;
            settings.readOnly = true;
            auto store = SqlEventStore::open(settings);
            QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message()));
            QCOMPARE(store.value()->eventCount().value(), 700);
            const auto streams = store.value()->listStreams({}, {}, 10);
            QVERIFY(streams.ok());
            QVERIFY(!streams->streams.isEmpty());

            const DemoStoreCheck::Result check = DemoStoreCheck::check(*store.value());
            QVERIFY2(check.problems.isEmpty(), qPrintable(check.problems.mid(0, 10).join(u'\n')));
            QCOMPARE(check.events, 700);
            QVERIFY(check.userStreams > 0);
            QVERIFY(check.accountStreams > 0);
            QVERIFY(check.lowestBalance >= 0);
            for (auto it = check.finalBalances.cbegin(); it != check.finalBalances.cend(); ++it)
                QVERIFY2(it.value() >= 0, qPrintable(it.key()));
        }

        // A store that holds events is not written to without --force …
        const CliRun refused = run(arguments);
        QVERIFY2(refused.finished && refused.exitCode == 2, qPrintable(describe(refused)));
        QVERIFY2(refused.err.contains(QStringLiteral("--force")), qPrintable(refused.err));

        // … and with it, the same seed finds its history already there and writes nothing.
        const CliRun forced = run(arguments + QStringList { QStringLiteral("--force") });
        QVERIFY2(forced.finished && forced.exitCode == 0, qPrintable(describe(forced)));
        QVERIFY2(forced.out.contains(QStringLiteral("Wrote 0 events")), qPrintable(forced.out));
        QVERIFY2(
            forced.out.contains(QStringLiteral("700 events of this history were already")), qPrintable(forced.out));
    }

    void subscriptionSeesAnotherProcessAppend()
    {
        // A live subscription here; appends from another process (eventscope-cli). On SQLite nothing signals
        // across processes: the subscription must notice the commits through PRAGMA data_version.
        const QString path = m_dir.filePath(QStringLiteral("shared.sqlite"));
        StoreSettings settings;
        settings.connection = path;
        settings.pollInterval = std::chrono::milliseconds(50);
        auto store = SqlEventStore::open(settings);
        QVERIFY(store.ok());
        QVERIFY(store.value()
                    ->append(QStringLiteral("here-1"), ExpectedVersion::noStream(),
                        { EventData::create(QStringLiteral("Started"), {}) })
                    .ok());
        QAtomicInt seen = 0;
        AllSubscription subscription(
            store.value(), {}, [&](const QList<RecordedEvent>& batch) { seen += int(batch.size()); });
        QSignalSpy caughtUp(&subscription, &AllSubscription::caughtUp);
        subscription.start();
        QVERIFY(caughtUp.wait(10000));
        QCOMPARE(seen.loadRelaxed(), 1);

        const CliRun result = run({ QStringLiteral("seed-demo"), QStringLiteral("--store"), path,
            QStringLiteral("--events"), QStringLiteral("300"), QStringLiteral("--force") });
        QVERIFY2(result.finished && result.exitCode == 0, qPrintable(describe(result)));
        QTRY_COMPARE_WITH_TIMEOUT(seen.loadRelaxed(), 301, 20000);
    }

    void seedDemoReadsTheConfiguration()
    {
        const QString configPath = writeFile(QStringLiteral("cli.yaml"),
            "eventstore:\n  type: sqlite\n  options:\n    synchronous: normal\nlogging:\n  level: error\n  "
            "file: false\n");
        QVERIFY(!configPath.isEmpty());
        const QString path = m_dir.filePath(QStringLiteral("configured.sqlite"));
        const CliRun result = run({ QStringLiteral("--config"), configPath, QStringLiteral("seed-demo"),
            QStringLiteral("--store"), path, QStringLiteral("--events"), QStringLiteral("50") });
        QVERIFY2(result.finished && result.exitCode == 0, qPrintable(describe(result)));
        QVERIFY(result.out.contains(QStringLiteral("Wrote 50 events")));

        // An unknown key is a warning, said once (it used to be printed twice: logged by the loader, then again).
        const QString typoPath
            = writeFile(QStringLiteral("typo.yaml"), "eventstore:\n  type: sqlite\n  colour: blue\n");
        QVERIFY(!typoPath.isEmpty());
        const CliRun warned = run({ QStringLiteral("read"), QStringLiteral("--all"), QStringLiteral("--limit"),
            QStringLiteral("1"), QStringLiteral("--store"), path, QStringLiteral("--config"), typoPath });
        QVERIFY2(warned.finished && warned.exitCode == 0, qPrintable(describe(warned)));
        QCOMPARE(warned.err.count(QStringLiteral("unknown key eventstore.colour is ignored")), 1);

        // A configuration that cannot be read is a usage error (1): nothing is done; the loader's reason is reported.
        QFile broken(m_dir.filePath(QStringLiteral("broken.yaml")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("snapshots:\n  frequency: often\n");
        broken.close();
        const CliRun failed = run({ QStringLiteral("seed-demo"), QStringLiteral("--store"),
            m_dir.filePath(QStringLiteral("unused.sqlite")), QStringLiteral("--config"), broken.fileName() });
        QVERIFY2(failed.finished && failed.exitCode == 1, qPrintable(describe(failed)));
        QVERIFY2(failed.err.contains(QStringLiteral("frequency")), qPrintable(failed.err));
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("unused.sqlite"))));
    }

private:
    /// Checks the JSON report of `bench aggregate --json --scale tiny` for \a backend: every size in both modes,
    /// the flatness figure, all finite and positive, baselines and ratios consistent.
    static void checkAggregateReport(const CliRun& run, const QString& backend)
    {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(run.out.toUtf8(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError && document.isObject(),
            qPrintable(error.errorString() + u'\n' + run.out.left(2000)));
        const QJsonObject report = document.object();
        QCOMPARE(report.value(QStringLiteral("suite")).toString(), QStringLiteral("aggregate"));
        QCOMPARE(report.value(QStringLiteral("backend")).toString(), backend);
        QCOMPARE(report.value(QStringLiteral("scale")).toString(), QStringLiteral("tiny"));
        QVERIFY(report.value(QStringLiteral("machine")).toObject().value(QStringLiteral("cores")).toInt() > 0);
        QVERIFY(!report.value(QStringLiteral("notes")).toArray().isEmpty());

        QHash<QString, QJsonObject> figures;
        const QJsonArray list = report.value(QStringLiteral("figures")).toArray();
        for (const QJsonValue& entry : list) {
            const QJsonObject figure = entry.toObject();
            const QString name = figure.value(QStringLiteral("name")).toString();
            const QByteArray what = QJsonDocument(figure).toJson(QJsonDocument::Compact);
            const QJsonValue value = figure.value(QStringLiteral("value"));
            const QJsonValue baseline = figure.value(QStringLiteral("baseline"));
            const QJsonValue ratio = figure.value(QStringLiteral("ratio"));
            QVERIFY2(!name.isEmpty() && !figures.contains(name), what.constData());
            QCOMPARE(figure.value(QStringLiteral("unit")).toString(), QStringLiteral("ms"));
            QVERIFY2(value.isDouble() && std::isfinite(value.toDouble()) && value.toDouble() > 0, what.constData());
            if (baseline.isNull()) {
                QVERIFY2(ratio.isNull(), what.constData());
            } else {
                QVERIFY2(baseline.isDouble() && std::isfinite(baseline.toDouble()) && baseline.toDouble() > 0,
                    what.constData());
                QVERIFY2(ratio.isDouble() && std::isfinite(ratio.toDouble()) && ratio.toDouble() > 0, what.constData());
                QVERIFY2(std::abs(ratio.toDouble() - value.toDouble() / baseline.toDouble()) <= 1e-9 * ratio.toDouble(),
                    what.constData());
            }
            figures.insert(name, figure);
        }
        QCOMPARE(figures.size(), 7);
        for (const int size : { 10, 100, 1000 }) {
            const QString without = QStringLiteral("load.%1.without_snapshots").arg(size);
            const QString with = QStringLiteral("load.%1.with_snapshots").arg(size);
            QVERIFY2(figures.contains(without) && figures.contains(with), qPrintable(figures.keys().join(u' ')));
            QVERIFY(figures.value(without).value(QStringLiteral("baseline")).isNull());
            // The baseline of a with-snapshots load is the load without snapshots of the same size.
            QCOMPARE(figures.value(with).value(QStringLiteral("baseline")).toDouble(),
                figures.value(without).value(QStringLiteral("value")).toDouble());
        }
        const QString flatness = QStringLiteral("flatness.with_snapshots.1000_vs_100");
        QVERIFY2(figures.contains(flatness), qPrintable(figures.keys().join(u' ')));
        QCOMPARE(figures.value(flatness).value(QStringLiteral("value")).toDouble(),
            figures.value(QStringLiteral("load.1000.with_snapshots")).value(QStringLiteral("value")).toDouble());
        QCOMPARE(figures.value(flatness).value(QStringLiteral("baseline")).toDouble(),
            figures.value(QStringLiteral("load.100.with_snapshots")).value(QStringLiteral("value")).toDouble());
        QVERIFY(run.err.contains(QStringLiteral("[bench]")));
    }

private Q_SLOTS:
    void benchAggregateHelpAndBadUsage()
    {
        const CliRun help = run({ QStringLiteral("bench"), QStringLiteral("aggregate"), QStringLiteral("--help") });
        QVERIFY2(help.finished && help.exitCode == 0, qPrintable(describe(help)));
        for (const char* expected : { "Usage: eventscope-cli bench aggregate", "--backend", "--dsn", "--scale",
                 "--json", "EVENTSCOPE_TEST_PG_DSN", "snapshot" })
            QVERIFY2(help.out.contains(QLatin1String(expected)), qPrintable(help.out));
        const CliRun suites = run({ QStringLiteral("bench"), QStringLiteral("--help") });
        QVERIFY2(suites.finished && suites.exitCode == 0, qPrintable(describe(suites)));
        QVERIFY2(suites.out.contains(QStringLiteral("aggregate")), qPrintable(suites.out));

        const CliRun badScale = run({ QStringLiteral("bench"), QStringLiteral("aggregate"), QStringLiteral("--scale"),
            QStringLiteral("huge") });
        QVERIFY2(badScale.finished && badScale.exitCode == 1, qPrintable(describe(badScale)));
        QVERIFY2(badScale.err.contains(QStringLiteral("tiny")), qPrintable(badScale.err));
        const CliRun badBackend = run({ QStringLiteral("bench"), QStringLiteral("aggregate"),
            QStringLiteral("--backend"), QStringLiteral("oracle") });
        QVERIFY2(badBackend.finished && badBackend.exitCode == 1, qPrintable(describe(badBackend)));
        QVERIFY(badBackend.out.isEmpty());
    }

    void benchAggregateSqliteTinyJson()
    {
        const CliRun result = run(
            { QStringLiteral("bench"), QStringLiteral("aggregate"), QStringLiteral("--backend"),
                QStringLiteral("sqlite"), QStringLiteral("--scale"), QStringLiteral("tiny"), QStringLiteral("--json") },
            300000);
        QVERIFY2(result.finished && result.exitCode == 0, qPrintable(describe(result)));
        checkAggregateReport(result, QStringLiteral("sqlite"));
    }

    void benchAggregatePostgresTinyJson()
    {
        const QString dsn = qEnvironmentVariable(qPrintable(DsnVariable));
        if (dsn.isEmpty()) {
            if (qEnvironmentVariable("CI") == QStringLiteral("true"))
                QFAIL("EVENTSCOPE_TEST_PG_DSN is not set, but CI must run the PostgreSQL benchmark: start a server "
                      "in .ci/run and export EVENTSCOPE_TEST_PG_DSN=postgres://user@127.0.0.1:port/db.");
            QSKIP("Set EVENTSCOPE_TEST_PG_DSN=postgres://user:password@host:port/db to run the PostgreSQL benchmark.");
        }
        const CliRun result = run({ QStringLiteral("bench"), QStringLiteral("aggregate"), QStringLiteral("--backend"),
                                      QStringLiteral("postgres"), QStringLiteral("--scale"), QStringLiteral("tiny"),
                                      QStringLiteral("--json") },
            300000);
        QVERIFY2(result.finished && result.exitCode == 0, qPrintable(describe(result)));
        checkAggregateReport(result, QStringLiteral("postgres"));
        if (QTest::currentTestFailed())
            return;

        // The benchmark dropped the schemas it created (named es_bench_<pid>_…).
        StoreSettings settings;
        settings.backend = StoreSettings::Backend::Postgres;
        settings.connection = dsn;
        {
            QSqlDatabase db
                = Test::TestStore::openRawPostgres(QStringLiteral("tst_cli_aggregate_check"), settings, false);
            QVERIFY(db.isOpen());
            QSqlQuery query(db);
            QVERIFY(query.prepare(QStringLiteral("SELECT count(*) FROM pg_namespace WHERE nspname LIKE ?")));
            query.addBindValue(QStringLiteral("es_bench_%1_%").arg(result.pid));
            QVERIFY2(query.exec() && query.next(), qPrintable(query.lastError().text()));
            QCOMPARE(query.value(0).toInt(), 0);
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tst_cli_aggregate_check"));
    }

    void benchProjectionsHelpAndBadUsage()
    {
        const CliRun suites = run({ QStringLiteral("bench"), QStringLiteral("--help") });
        QVERIFY2(suites.finished && suites.exitCode == 0, qPrintable(describe(suites)));
        QVERIFY2(suites.out.contains(QStringLiteral("projections")), qPrintable(suites.out));
        const CliRun help = run({ QStringLiteral("bench"), QStringLiteral("projections"), QStringLiteral("--help") });
        QVERIFY2(help.finished && help.exitCode == 0, qPrintable(describe(help)));
        for (const char* expected : { "Usage: eventscope-cli bench projections", "--backend", "--dsn", "--events",
                 "--append-batch", "--json", "baseline" })
            QVERIFY2(help.out.contains(QLatin1String(expected)), qPrintable(help.out));
        for (const char* events : { "0", "many" }) {
            const CliRun bad = run({ QStringLiteral("bench"), QStringLiteral("projections"), QStringLiteral("--events"),
                QLatin1String(events) });
            QVERIFY2(bad.finished && bad.exitCode == 1, qPrintable(describe(bad)));
            QVERIFY2(bad.err.contains(QStringLiteral("--events")), qPrintable(bad.err));
            QVERIFY(bad.out.isEmpty());
        }
        // Appends of 0 events, more than 1,000 or no number are usage errors, before anything is seeded.
        for (const char* appendBatch : { "0", "1001", "ten" }) {
            const CliRun bad = run({ QStringLiteral("bench"), QStringLiteral("projections"), QStringLiteral("--events"),
                QStringLiteral("100"), QStringLiteral("--append-batch"), QLatin1String(appendBatch) });
            QVERIFY2(bad.finished && bad.exitCode == 1, qPrintable(describe(bad)));
            QVERIFY2(bad.err.contains(QStringLiteral("--append-batch takes a whole number from 1 to 1000")),
                qPrintable(bad.err));
            QVERIFY2(!bad.err.contains(QStringLiteral("[bench]")), qPrintable(bad.err));
            QVERIFY(bad.out.isEmpty());
        }
        // --store names a PostgreSQL database; an SQLite path is refused (benchmarks make their own files).
        const CliRun sqliteStore
            = run({ QStringLiteral("bench"), QStringLiteral("projections"), QStringLiteral("--store"),
                m_dir.filePath(QStringLiteral("bench.sqlite")), QStringLiteral("--events"), QStringLiteral("100") });
        QVERIFY2(sqliteStore.finished && sqliteStore.exitCode == 1, qPrintable(describe(sqliteStore)));
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("bench.sqlite"))));
    }

    void benchProjectionsSqliteJson()
    {
        const CliRun result = run({ QStringLiteral("bench"), QStringLiteral("projections"), QStringLiteral("--backend"),
                                      QStringLiteral("sqlite"), QStringLiteral("--events"), QStringLiteral("20000"),
                                      QStringLiteral("--json") },
            300000);
        QVERIFY2(result.finished && result.exitCode == 0, qPrintable(describe(result)));
        QVERIFY(result.err.contains(QStringLiteral("[bench]")));
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(result.out.toUtf8(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError && document.isObject(),
            qPrintable(error.errorString() + u'\n' + result.out.left(2000)));
        const QJsonObject report = document.object();
        QCOMPARE(report.value(QStringLiteral("suite")).toString(), QStringLiteral("projections"));
        QCOMPARE(report.value(QStringLiteral("backend")).toString(), QStringLiteral("sqlite"));
        const QJsonObject parameters = report.value(QStringLiteral("parameters")).toObject();
        QCOMPARE(parameters.value(QStringLiteral("events")).toInteger(), 20000);
        QCOMPARE(parameters.value(QStringLiteral("accounts")).toInt(), 200);
        // Appends of 10 events by default, so that a batch of the projection interleaves many accounts.
        QCOMPARE(parameters.value(QStringLiteral("appendBatch")).toInt(), 10);
        QVERIFY(report.value(QStringLiteral("machine")).toObject().value(QStringLiteral("cores")).toInt() > 0);

        // Every balance of the 200 accounts was checked and right; the SQLite targets were judged.
        const QJsonObject check = report.value(QStringLiteral("check")).toObject();
        QVERIFY2(check.value(QStringLiteral("correct")).isBool() && check.value(QStringLiteral("correct")).toBool(),
            qPrintable(result.out));
        QCOMPARE(check.value(QStringLiteral("accountsChecked")).toInt(), 200);
        QVERIFY(check.value(QStringLiteral("mismatches")).toArray().isEmpty());
        const QJsonArray targets = check.value(QStringLiteral("targets")).toArray();
        QCOMPARE(targets.size(), 2);
        for (const QJsonValue& target : targets)
            QVERIFY(target.toObject().value(QStringLiteral("met")).isBool());

        QHash<QString, QJsonObject> figures;
        const QJsonArray list = report.value(QStringLiteral("figures")).toArray();
        for (const QJsonValue& entry : list) {
            const QJsonObject figure = entry.toObject();
            const QByteArray what = QJsonDocument(figure).toJson(QJsonDocument::Compact);
            const double value = figure.value(QStringLiteral("value")).toDouble();
            QVERIFY2(std::isfinite(value) && value > 0, what.constData());
            figures.insert(figure.value(QStringLiteral("name")).toString(), figure);
        }
        for (const char* rate : { "rebuild.account_balances", "catchup.account_balances" }) {
            const QJsonObject figure = figures.value(QLatin1String(rate));
            const QByteArray what = QJsonDocument(figure).toJson(QJsonDocument::Compact);
            QCOMPARE(figure.value(QStringLiteral("unit")).toString(), QStringLiteral("events/s"));
            const double value = figure.value(QStringLiteral("value")).toDouble();
            const double baseline = figure.value(QStringLiteral("baseline")).toDouble();
            const double ratio = figure.value(QStringLiteral("ratio")).toDouble();
            QVERIFY2(baseline > 0 && std::isfinite(baseline), what.constData());
            QVERIFY2(std::abs(ratio - value / baseline) <= 1e-9 * ratio, what.constData());
        }
        // The rates are the 20,000 events over the measured durations.
        const double rebuildSeconds = figures.value(QStringLiteral("rebuild.account_balances.duration"))
                                          .value(QStringLiteral("value"))
                                          .toDouble();
        const double rebuildRate
            = figures.value(QStringLiteral("rebuild.account_balances")).value(QStringLiteral("value")).toDouble();
        QVERIFY2(std::abs(rebuildRate * rebuildSeconds - 20000) < 1, qPrintable(result.out));
        const double baselineSeconds = figures.value(QStringLiteral("baseline.upsert_per_event.duration"))
                                           .value(QStringLiteral("value"))
                                           .toDouble();
        const double baselineRate
            = figures.value(QStringLiteral("rebuild.account_balances")).value(QStringLiteral("baseline")).toDouble();
        QVERIFY2(std::abs(baselineRate * baselineSeconds - 20000) < 1, qPrintable(result.out));
    }

    void readAndAppendEventsAsJsonLines()
    {
        const QString store = m_dir.filePath(QStringLiteral("rw.sqlite"));
        const QStringList storeArg { QStringLiteral("--store"), store };
        // Reading never creates a store.
        const CliRun missing = run(QStringList { QStringLiteral("read"), QStringLiteral("--all") } + storeArg);
        QVERIFY2(missing.finished && missing.exitCode == 3, qPrintable(describe(missing)));
        QVERIFY(!QFile::exists(store));

        m_stdin = "{\"n\": 1, \"text\": \"a \\\"quoted\\\" word\"}";
        const CliRun first = run(QStringList { QStringLiteral("append"), QStringLiteral("--stream"),
                                     QStringLiteral("tick-1"), QStringLiteral("--type"), QStringLiteral("Tick"),
                                     QStringLiteral("--expected-version"), QStringLiteral("no-stream") }
            + storeArg);
        QVERIFY2(first.finished && first.exitCode == 0, qPrintable(describe(first)));
        QCOMPARE(QJsonDocument::fromJson(first.out.toUtf8()).object().value(QLatin1String("version")).toInt(), 0);
        m_stdin = "{\"type\": \"Tock\", \"payload\": {\"n\": 2}, \"metadata\": {\"actor\": \"cli-test\"}}";
        const CliRun second
            = run(QStringList { QStringLiteral("append"), QStringLiteral("--stream"), QStringLiteral("tick-1"),
                      QStringLiteral("--expected-version"), QStringLiteral("0") }
                + storeArg);
        QVERIFY2(second.finished && second.exitCode == 0, qPrintable(describe(second)));
        // The stream moved on: a conflict (2), nothing written.
        const CliRun conflict
            = run(QStringList { QStringLiteral("append"), QStringLiteral("--stream"), QStringLiteral("tick-1"),
                      QStringLiteral("--expected-version"), QStringLiteral("0") }
                + storeArg);
        QVERIFY2(conflict.finished && conflict.exitCode == 2, qPrintable(describe(conflict)));
        QVERIFY2(conflict.err.contains(QStringLiteral("moved on")), qPrintable(conflict.err));
        m_stdin = "{\"n\": ";
        const CliRun invalid = run(QStringList { QStringLiteral("append"), QStringLiteral("--stream"),
                                       QStringLiteral("tick-1"), QStringLiteral("--type"), QStringLiteral("Tick") }
            + storeArg);
        QVERIFY2(invalid.finished && invalid.exitCode == 2, qPrintable(describe(invalid)));
        QVERIFY2(invalid.err.contains(QStringLiteral("not valid JSON")), qPrintable(invalid.err));
        m_stdin.clear();

        const CliRun read = run(
            QStringList { QStringLiteral("read"), QStringLiteral("--stream"), QStringLiteral("tick-1") } + storeArg);
        QVERIFY2(read.finished && read.exitCode == 0, qPrintable(describe(read)));
        const QStringList lines = read.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        const QJsonObject e0 = QJsonDocument::fromJson(lines.at(0).toUtf8()).object();
        const QJsonObject e1 = QJsonDocument::fromJson(lines.at(1).toUtf8()).object();
        QCOMPARE(e0.value(QLatin1String("type")).toString(), QStringLiteral("Tick"));
        QCOMPARE(e0.value(QLatin1String("payload")).toObject().value(QLatin1String("text")).toString(),
            QStringLiteral("a \"quoted\" word"));
        QCOMPARE(e1.value(QLatin1String("version")).toInt(), 1);
        QCOMPARE(e1.value(QLatin1String("metadata")).toObject().value(QLatin1String("actor")).toString(),
            QStringLiteral("cli-test"));
        const CliRun backward
            = run(QStringList { QStringLiteral("read"), QStringLiteral("--stream"), QStringLiteral("tick-1"),
                      QStringLiteral("--backward"), QStringLiteral("--limit"), QStringLiteral("1") }
                + storeArg);
        QVERIFY2(backward.finished && backward.exitCode == 0, qPrintable(describe(backward)));
        QCOMPARE(
            QJsonDocument::fromJson(backward.out.trimmed().toUtf8()).object().value(QLatin1String("type")).toString(),
            QStringLiteral("Tock"));
        const CliRun both = run(QStringList { QStringLiteral("read"), QStringLiteral("--all"),
                                    QStringLiteral("--stream"), QStringLiteral("x") }
            + storeArg);
        QVERIFY2(both.finished && both.exitCode == 1, qPrintable(describe(both)));
    }

    void projectionsListAndActions()
    {
        const QString store = m_dir.filePath(QStringLiteral("projections.sqlite"));
        const QStringList storeArg { QStringLiteral("--store"), store };
        const CliRun seeded = run(
            QStringList { QStringLiteral("seed-demo"), QStringLiteral("--events"), QStringLiteral("200") } + storeArg);
        QVERIFY2(seeded.finished && seeded.exitCode == 0, qPrintable(describe(seeded)));

        const CliRun auditor
            = run(QStringList { QStringLiteral("projections"), QStringLiteral("pause"), QStringLiteral("users"),
                      QStringLiteral("--actor"), QStringLiteral("ann"), QStringLiteral("--role"),
                      QStringLiteral("auditor"), QStringLiteral("--reason"), QStringLiteral("look") }
                + storeArg);
        QVERIFY2(auditor.finished && auditor.exitCode == 2, qPrintable(describe(auditor)));
        const CliRun noReason = run(
            QStringList { QStringLiteral("projections"), QStringLiteral("pause"), QStringLiteral("users"),
                QStringLiteral("--actor"), QStringLiteral("sam"), QStringLiteral("--role"), QStringLiteral("support") }
            + storeArg);
        QVERIFY2(noReason.finished && noReason.exitCode == 1, qPrintable(describe(noReason)));
        const CliRun paused
            = run(QStringList { QStringLiteral("projections"), QStringLiteral("pause"), QStringLiteral("users"),
                      QStringLiteral("--actor"), QStringLiteral("sam"), QStringLiteral("--role"),
                      QStringLiteral("support"), QStringLiteral("--reason"), QStringLiteral("import tonight") }
                + storeArg);
        QVERIFY2(paused.finished && paused.exitCode == 0, qPrintable(describe(paused)));

        const CliRun list = run(
            QStringList { QStringLiteral("projections"), QStringLiteral("list"), QStringLiteral("--json") } + storeArg);
        QVERIFY2(list.finished && list.exitCode == 0, qPrintable(describe(list)));
        QMap<QString, QJsonObject> byName;
        for (const QJsonValue& value : QJsonDocument::fromJson(list.out.toUtf8()).array())
            byName.insert(value[QLatin1String("name")].toString(), value.toObject());
        QCOMPARE(byName.size(), 4);
        QCOMPARE(byName.value(QStringLiteral("users"))[QLatin1String("state")].toString(), QStringLiteral("paused"));
        QCOMPARE(byName.value(QStringLiteral("users"))[QLatin1String("head")].toInteger(), 200);
        QCOMPARE(byName.value(QStringLiteral("users"))[QLatin1String("lagEvents")].toInteger(), 200);

        const CliRun unknown
            = run(QStringList { QStringLiteral("projections"), QStringLiteral("reset"), QStringLiteral("nope"),
                      QStringLiteral("--actor"), QStringLiteral("dev"), QStringLiteral("--role"),
                      QStringLiteral("developer"), QStringLiteral("--reason"), QStringLiteral("x") }
                + storeArg);
        QVERIFY2(unknown.finished && unknown.exitCode == 1, qPrintable(describe(unknown)));
        QVERIFY2(unknown.err.contains(QStringLiteral("account_balances")), qPrintable(unknown.err));
    }

    void dispatchIssuesCommandsWithAuditMetadata()
    {
        const QString store = m_dir.filePath(QStringLiteral("dispatch.sqlite"));
        const QStringList common { QStringLiteral("--store"), store, QStringLiteral("--actor"), QStringLiteral("sam"),
            QStringLiteral("--role"), QStringLiteral("developer") };
        const CliRun opened = run(
            QStringList { QStringLiteral("dispatch"), QStringLiteral("OpenAccount"), QStringLiteral("--aggregate"),
                QStringLiteral("a1"), QStringLiteral("--field"), QStringLiteral("owner=Ada"), QStringLiteral("--field"),
                QStringLiteral("currency=EUR"), QStringLiteral("--role"), QStringLiteral("developer") }
            + common.mid(0, 4));
        QVERIFY2(opened.finished && opened.exitCode == 0, qPrintable(describe(opened)));
        const CliRun deposit
            = run(QStringList { QStringLiteral("dispatch"), QStringLiteral("Deposit"), QStringLiteral("--aggregate"),
                      QStringLiteral("a1"), QStringLiteral("--field"), QStringLiteral("amount=12.34"),
                      QStringLiteral("--ticket"), QStringLiteral("INC-7") }
                + common);
        QVERIFY2(deposit.finished && deposit.exitCode == 0, qPrintable(describe(deposit)));
        const QJsonObject result = QJsonDocument::fromJson(deposit.out.toUtf8()).object();
        QCOMPARE(result.value(QLatin1String("newVersion")).toInt(), 1);
        const QJsonObject event = result.value(QLatin1String("events")).toArray().at(0).toObject();
        QCOMPARE(event.value(QLatin1String("payload")).toObject().value(QLatin1String("amount")).toInteger(), 1234);
        QCOMPARE(event.value(QLatin1String("metadata")).toObject().value(QLatin1String("ticket")).toString(),
            QStringLiteral("INC-7"));
        QCOMPARE(event.value(QLatin1String("metadata")).toObject().value(QLatin1String("role")).toString(),
            QStringLiteral("developer"));

        const CliRun invalid
            = run(QStringList { QStringLiteral("dispatch"), QStringLiteral("Deposit"), QStringLiteral("--aggregate"),
                      QStringLiteral("a1"), QStringLiteral("--field"), QStringLiteral("amount=lots") }
                + common);
        QVERIFY2(invalid.finished && invalid.exitCode == 2, qPrintable(describe(invalid)));
        const QJsonObject error
            = QJsonDocument::fromJson(invalid.out.toUtf8()).object().value(QLatin1String("error")).toObject();
        QCOMPARE(error.value(QLatin1String("code")).toString(), QStringLiteral("validation"));
        QVERIFY(error.value(QLatin1String("fieldErrors")).toObject().contains(QLatin1String("amount")));

        const CliRun auditor = run(QStringList { QStringLiteral("dispatch"), QStringLiteral("Deposit"),
            QStringLiteral("--aggregate"), QStringLiteral("a1"), QStringLiteral("--field"), QStringLiteral("amount=1"),
            QStringLiteral("--store"), store, QStringLiteral("--actor"), QStringLiteral("ann"),
            QStringLiteral("--role"), QStringLiteral("auditor") });
        QVERIFY2(auditor.finished && auditor.exitCode == 2, qPrintable(describe(auditor)));
        const CliRun unknown = run(QStringList { QStringLiteral("dispatch"), QStringLiteral("Teleport"),
                                       QStringLiteral("--aggregate"), QStringLiteral("a1") }
            + common);
        QVERIFY2(unknown.finished && unknown.exitCode == 1, qPrintable(describe(unknown)));
        QVERIFY2(unknown.err.contains(QStringLiteral("Deposit")), qPrintable(unknown.err));
    }

private:
    struct HttpAnswer {
        int status = 0; ///< 0 when no answer came
        QByteArray body;
        QByteArray contentType;
        QString error;
    };

    /// A running `serve` and the base URL it printed on its first stdout line.
    struct Server {
        std::unique_ptr<QProcess> process;
        QString url;
    };

    static Server startServe(const QStringList& arguments)
    {
        Server server;
        server.process = std::make_unique<QProcess>();
        server.process->setProgram(QStringLiteral(EVENTSCOPE_CLI_PATH));
        server.process->setArguments(QStringList { QStringLiteral("serve") } + arguments);
        server.process->start();
        if (!server.process->waitForStarted())
            return server;
        QDeadlineTimer deadline(30000);
        while (!server.process->canReadLine() && !deadline.hasExpired() && server.process->state() == QProcess::Running)
            server.process->waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())));
        const QString line = QString::fromUtf8(server.process->readLine()).trimmed();
        static const QRegularExpression listening(QStringLiteral("^listening on (http://127\\.0\\.0\\.1:[0-9]+)$"));
        const QRegularExpressionMatch match = listening.match(line);
        if (match.hasMatch() && !match.captured(1).endsWith(QLatin1String(":0")))
            server.url = match.captured(1);
        else
            qWarning().noquote() << "serve did not announce its address; first line:" << line
                                 << "stderr:" << server.process->readAllStandardError();
        return server;
    }

    /// Stops \a server with SIGTERM; true when it exited normally with 0 within a few seconds.
    static bool stopServe(Server& server)
    {
        server.process->terminate();
        const bool finished = server.process->waitForFinished(15000);
        if (!finished) {
            server.process->kill();
            server.process->waitForFinished();
            return false;
        }
        if (server.process->exitStatus() != QProcess::NormalExit || server.process->exitCode() != 0) {
            qWarning().noquote() << "serve exited with" << server.process->exitCode()
                                 << server.process->readAllStandardError();
            return false;
        }
        return true;
    }

    static HttpAnswer http(const QString& url, const QByteArray& method = QByteArrayLiteral("GET"))
    {
        QNetworkAccessManager manager;
        QNetworkRequest request { QUrl(url) };
        request.setTransferTimeout(20000);
        QNetworkReply* reply = manager.sendCustomRequest(request, method);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        HttpAnswer answer;
        if (!reply->isFinished() && !finished.wait(25000)) {
            answer.error = QStringLiteral("no answer from %1").arg(url);
            delete reply;
            return answer;
        }
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.body = reply->readAll();
        answer.contentType = reply->rawHeader("Content-Type");
        answer.error = reply->errorString();
        delete reply;
        return answer;
    }

    static QString describe(const HttpAnswer& answer)
    {
        return QStringLiteral("HTTP %1 (%2): %3")
            .arg(answer.status)
            .arg(answer.error, QString::fromUtf8(answer.body.left(2000)));
    }

    /// The value of the Prometheus sample line "<series> <value>", or NaN when there is none.
    static double sampleValue(const QByteArray& text, const QString& series)
    {
        for (const QByteArray& raw : text.split('\n')) {
            const QString line = QString::fromUtf8(raw);
            if (line.startsWith(series + u' '))
                return line.mid(series.size() + 1).toDouble();
        }
        return std::nan("");
    }

private Q_SLOTS:
    void serveAnswersHealthAndMetrics()
    {
        const QString store = m_dir.filePath(QStringLiteral("serve.sqlite"));
        const CliRun seeded = run({ QStringLiteral("seed-demo"), QStringLiteral("--store"), store,
            QStringLiteral("--events"), QStringLiteral("50") });
        QVERIFY2(seeded.finished && seeded.exitCode == 0, qPrintable(describe(seeded)));

        Server server = startServe(
            { QStringLiteral("--store"), store, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0") });
        QVERIFY(!server.url.isEmpty());

        const HttpAnswer overall = http(server.url + QStringLiteral("/health"));
        QVERIFY2(overall.status == 200, qPrintable(describe(overall)));
        QCOMPARE(overall.contentType, QByteArrayLiteral("application/json"));
        const QJsonObject report = QJsonDocument::fromJson(overall.body).object();
        QVERIFY2(QStringList({ QStringLiteral("up"), QStringLiteral("degraded") })
                     .contains(report.value(QLatin1String("status")).toString()),
            overall.body.constData());
        const QJsonObject checks = report.value(QLatin1String("checks")).toObject();
        QCOMPARE(checks.keys(),
            QStringList({ QStringLiteral("alerts"), QStringLiteral("eventstore"), QStringLiteral("projections"),
                QStringLiteral("resilience"), QStringLiteral("storeaccess") }));
        // A healthy demo store raises no alert (the "alerts" check is degraded while one is active).
        QCOMPARE(checks.value(QLatin1String("alerts")).toObject().value(QLatin1String("status")).toString(),
            QStringLiteral("up"));
        QVERIFY(!report.value(QLatin1String("time")).toString().isEmpty());

        const HttpAnswer eventStore = http(server.url + QStringLiteral("/health/eventstore"));
        QVERIFY2(eventStore.status == 200, qPrintable(describe(eventStore)));
        const QJsonObject storeReport = QJsonDocument::fromJson(eventStore.body).object();
        QCOMPARE(storeReport.value(QLatin1String("status")).toString(), QStringLiteral("up"));
        const QJsonObject storeChecks = storeReport.value(QLatin1String("checks")).toObject();
        QCOMPARE(storeChecks.keys(), QStringList { QStringLiteral("eventstore") });
        QVERIFY(!storeChecks.value(QLatin1String("eventstore"))
                     .toObject()
                     .value(QLatin1String("detail"))
                     .toString()
                     .isEmpty());

        // The seeded events reach the read models: the projections catch up while the server runs.
        QByteArray text;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const HttpAnswer metrics = http(server.url + QStringLiteral("/metrics"));
                if (metrics.status != 200)
                    return false;
                text = metrics.body;
                return sampleValue(text, QStringLiteral("projection_lag_events{projection=\"users\"}")) == 0.0
                    && sampleValue(text, QStringLiteral("projection_events_processed_total{projection=\"users\"}"))
                    > 0.0;
            }(),
            20000);
        const HttpAnswer metrics = http(server.url + QStringLiteral("/metrics"));
        QCOMPARE(metrics.contentType, QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"));
        for (const char* type : { "# TYPE commands_executed_total counter", "# TYPE events_handled_total counter",
                 "# TYPE projection_lag_events gauge", "# TYPE projection_events_processed_total counter",
                 "# TYPE circuit_breaker_state gauge", "# TYPE bulkhead_in_use gauge", "# TYPE retries_total counter",
                 "# HELP commands_executed_total " })
            QVERIFY2(metrics.body.contains(type), type);
        QCOMPARE(sampleValue(metrics.body, QStringLiteral("circuit_breaker_state{name=\"default\"}")), 0.0);
        QCOMPARE(sampleValue(metrics.body, QStringLiteral("retries_total{name=\"eventstore\"}")), 0.0);

        const HttpAnswer missing = http(server.url + QStringLiteral("/nope"));
        QVERIFY2(missing.status == 404, qPrintable(describe(missing)));
        QVERIFY(QJsonDocument::fromJson(missing.body).object().contains(QLatin1String("error")));
        const HttpAnswer posted = http(server.url + QStringLiteral("/health"), QByteArrayLiteral("POST"));
        QVERIFY2(posted.status == 405, qPrintable(describe(posted)));

        QVERIFY(stopServe(server));
    }

    void serveChaosOpensTheBreaker()
    {
        // Two failed calls in a window of two open the breaker; no retries, so each probe is one call.
        const QString configPath = writeFile(QStringLiteral("chaos.yaml"),
            "resilience:\n  circuit_breaker:\n    request_volume: 2\n    failure_ratio: 0.5\n"
            "    sleep_window: \"600s\"\n  retry:\n    max_attempts: 1\nlogging:\n  level: warn\n"
            "  file: false\n");
        QVERIFY(!configPath.isEmpty());
        Server server = startServe({ QStringLiteral("--config"), configPath, QStringLiteral("--store"),
            m_dir.filePath(QStringLiteral("chaos.sqlite")), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
            QStringLiteral("--chaos-failure-rate"), QStringLiteral("1") });
        QVERIFY(!server.url.isEmpty());

        const HttpAnswer before = http(server.url + QStringLiteral("/health/resilience"));
        QVERIFY2(before.status == 200, qPrintable(describe(before)));
        for (int probe = 0; probe < 2; ++probe) {
            const HttpAnswer access = http(server.url + QStringLiteral("/health/storeaccess"));
            QVERIFY2(access.status == 503, qPrintable(describe(access)));
        }
        const HttpAnswer after = http(server.url + QStringLiteral("/health/resilience"));
        QVERIFY2(after.status == 503, qPrintable(describe(after)));
        QCOMPARE(QJsonDocument::fromJson(after.body).object().value(QLatin1String("status")).toString(),
            QStringLiteral("down"));
        const HttpAnswer overall = http(server.url + QStringLiteral("/health"));
        QVERIFY2(overall.status == 503, qPrintable(describe(overall)));
        // The database itself is fine: only the domain's path to it fails.
        const HttpAnswer database = http(server.url + QStringLiteral("/health/eventstore"));
        QVERIFY2(database.status == 200, qPrintable(describe(database)));
        const HttpAnswer metrics = http(server.url + QStringLiteral("/metrics"));
        QCOMPARE(sampleValue(metrics.body, QStringLiteral("circuit_breaker_state{name=\"default\"}")), 2.0);
        QCOMPARE(sampleValue(metrics.body, QStringLiteral("circuit_breaker_opened_total{name=\"default\"}")), 1.0);
        // The probe after opening was refused by the breaker, and counted.
        QVERIFY(http(server.url + QStringLiteral("/health/storeaccess")).status == 503);
        QVERIFY(sampleValue(http(server.url + QStringLiteral("/metrics")).body,
                    QStringLiteral("circuit_breaker_rejected_total{name=\"default\"}"))
            >= 1.0);

        QVERIFY(stopServe(server));
        QVERIFY(server.process->readAllStandardError().contains("CHAOS DRILL"));
    }

    void serveRecoversAfterAnOutage()
    {
        // The store is "down" for the first 4 s: the breaker opens, then after the outage a trial call succeeds
        // and closes it again (one success is enough here).
        const QString configPath = writeFile(QStringLiteral("outage.yaml"),
            "resilience:\n  circuit_breaker:\n    request_volume: 2\n    failure_ratio: 0.5\n"
            "    sleep_window: \"1s\"\n    success_threshold: 1\n  retry:\n    max_attempts: 1\n"
            "logging:\n  level: warn\n  file: false\n");
        QVERIFY(!configPath.isEmpty());
        Server server = startServe({ QStringLiteral("--config"), configPath, QStringLiteral("--store"),
            m_dir.filePath(QStringLiteral("outage.sqlite")), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
            QStringLiteral("--chaos-outage"), QStringLiteral("4") });
        QVERIFY(!server.url.isEmpty());
        for (int probe = 0; probe < 2; ++probe) {
            const HttpAnswer access = http(server.url + QStringLiteral("/health/storeaccess"));
            QVERIFY2(access.status == 503, qPrintable(describe(access)));
        }
        const HttpAnswer down = http(server.url + QStringLiteral("/health"));
        QVERIFY2(down.status == 503, qPrintable(describe(down)));
        // Once the sleep window has passed the breaker lets a trial call through: reported half-open (degraded,
        // 200) without anything calling the store to move it there.
        bool trialAllowed = false;
        for (int attempt = 0; attempt < 50 && !trialAllowed; ++attempt) {
            QTest::qWait(200);
            trialAllowed = http(server.url + QStringLiteral("/health/resilience")).status == 200;
        }
        QVERIFY2(trialAllowed, "an open breaker must show half-open once its sleep window has passed");
        // Recovery: keep probing (each probe is a trial call once the window has passed) until all is well.
        bool recovered = false;
        for (int attempt = 0; attempt < 100 && !recovered; ++attempt) {
            QTest::qWait(200);
            recovered = http(server.url + QStringLiteral("/health/storeaccess")).status == 200
                && http(server.url + QStringLiteral("/health")).status == 200;
        }
        QVERIFY2(recovered, "the server did not recover within 20 s of a 4 s outage");
        const HttpAnswer metrics = http(server.url + QStringLiteral("/metrics"));
        QCOMPARE(sampleValue(metrics.body, QStringLiteral("circuit_breaker_state{name=\"default\"}")), 0.0);
        QVERIFY(stopServe(server));
    }

    void serveIsDescribedInHelp()
    {
        const CliRun tool = run({ QStringLiteral("--help") });
        QVERIFY2(tool.finished && tool.exitCode == 0, qPrintable(describe(tool)));
        QVERIFY2(tool.out.contains(QStringLiteral("  serve ")), qPrintable(tool.out));
        const CliRun serve = run({ QStringLiteral("serve"), QStringLiteral("--help") });
        QVERIFY2(serve.finished && serve.exitCode == 0, qPrintable(describe(serve)));
        for (const char* expected : { "Usage: eventscope-cli serve", "--listen", "--chaos-failure-rate", "--store",
                 "/health/eventstore", "/metrics", "127.0.0.1" })
            QVERIFY2(serve.out.contains(QLatin1String(expected)), expected);
    }

    void serveRefusesBadAddressBusyPortAndMissingStore()
    {
        const QString store = m_dir.filePath(QStringLiteral("serve-errors.sqlite"));
        const CliRun badListen = run({ QStringLiteral("serve"), QStringLiteral("--store"), store,
            QStringLiteral("--listen"), QStringLiteral("somewhere:http") });
        QVERIFY2(badListen.finished && badListen.exitCode == 1, qPrintable(describe(badListen)));
        QVERIFY2(badListen.err.contains(QStringLiteral("--listen")), qPrintable(badListen.err));

        const CliRun badRate = run({ QStringLiteral("serve"), QStringLiteral("--store"), store,
            QStringLiteral("--chaos-failure-rate"), QStringLiteral("2") });
        QVERIFY2(badRate.finished && badRate.exitCode == 1, qPrintable(describe(badRate)));
        const CliRun badLatency = run({ QStringLiteral("serve"), QStringLiteral("--store"), store,
            QStringLiteral("--chaos-latency"), QStringLiteral("-5") });
        QVERIFY2(badLatency.finished && badLatency.exitCode == 1, qPrintable(describe(badLatency)));
        QVERIFY2(badLatency.err.contains(QStringLiteral("--chaos-latency")), qPrintable(badLatency.err));

        QTcpServer busy;
        QVERIFY(busy.listen(QHostAddress::LocalHost, 0));
        const QString port = QString::number(busy.serverPort());
        const CliRun inUse = run({ QStringLiteral("serve"), QStringLiteral("--store"), store,
            QStringLiteral("--listen"), QStringLiteral("127.0.0.1:") + port });
        QVERIFY2(inUse.finished && inUse.exitCode == 4, qPrintable(describe(inUse)));
        QVERIFY2(inUse.err.contains(port) && inUse.err.contains(QStringLiteral("--listen")), qPrintable(inUse.err));

        const QString notAStore = m_dir.filePath(QStringLiteral("not-a-store.sqlite"));
        QFile file(notAStore);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is not a database, and much too long to be mistaken for an empty one\n");
        file.close();
        const CliRun unavailable = run({ QStringLiteral("serve"), QStringLiteral("--store"), notAStore,
            QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0") });
        QVERIFY2(unavailable.finished && unavailable.exitCode == 3, qPrintable(describe(unavailable)));
    }

    void exportImportRoundTripsAcrossBackends()
    {
        EVENTSCOPE_REQUIRE_BACKEND(Test::TestStore::Backend::Postgres);
        const QString a = m_dir.filePath(QStringLiteral("roundtrip-a.sqlite"));
        const CliRun seeded = run({ QStringLiteral("seed-demo"), QStringLiteral("--store"), a,
            QStringLiteral("--events"), QStringLiteral("300") });
        QVERIFY2(seeded.finished && seeded.exitCode == 0, qPrintable(describe(seeded)));
        const QString exportA = m_dir.filePath(QStringLiteral("roundtrip-a.jsonl"));
        const CliRun exportedA
            = run({ QStringLiteral("export"), QStringLiteral("--store"), a, QStringLiteral("--output"), exportA });
        QVERIFY2(exportedA.finished && exportedA.exitCode == 0, qPrintable(describe(exportedA)));

        // Into a fresh PostgreSQL schema (named by a configuration file), and out again.
        Test::TestStore postgres(Test::TestStore::Backend::Postgres);
        const StoreSettings pg = postgres.settings();
        QFile config(m_dir.filePath(QStringLiteral("roundtrip-pg.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral("eventstore:\n  type: postgres\n  connection: \"%1\"\n  options:\n    schema: %2\n")
                         .arg(pg.connection, pg.postgresSchema)
                         .toUtf8());
        config.close();
        const QStringList pgStore { QStringLiteral("--config"), config.fileName() };
        const CliRun imported
            = run(QStringList { QStringLiteral("import"), QStringLiteral("--input"), exportA } + pgStore);
        QVERIFY2(imported.finished && imported.exitCode == 0, qPrintable(describe(imported)));
        const QString exportB = m_dir.filePath(QStringLiteral("roundtrip-b.jsonl"));
        const CliRun exportedB
            = run(QStringList { QStringLiteral("export"), QStringLiteral("--output"), exportB } + pgStore);
        QVERIFY2(exportedB.finished && exportedB.exitCode == 0, qPrintable(describe(exportedB)));

        // And back into SQLite.
        const QString c = m_dir.filePath(QStringLiteral("roundtrip-c.sqlite"));
        const CliRun importedC
            = run({ QStringLiteral("import"), QStringLiteral("--store"), c, QStringLiteral("--input"), exportB });
        QVERIFY2(importedC.finished && importedC.exitCode == 0, qPrintable(describe(importedC)));
        const QString exportC = m_dir.filePath(QStringLiteral("roundtrip-c.jsonl"));
        const CliRun exportedC
            = run({ QStringLiteral("export"), QStringLiteral("--store"), c, QStringLiteral("--output"), exportC });
        QVERIFY2(exportedC.finished && exportedC.exitCode == 0, qPrintable(describe(exportedC)));

        const auto contents = [](const QString& path) {
            QFile file(path);
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        };
        const QByteArray original = contents(exportA);
        QCOMPARE(original.count('\n'), 300);
        QVERIFY(contents(exportB) == original);
        QVERIFY(contents(exportC) == original);

        // Importing the same events again is refused as a whole (2), nothing written.
        const CliRun again
            = run(QStringList { QStringLiteral("import"), QStringLiteral("--input"), exportA } + pgStore);
        QVERIFY2(again.finished && again.exitCode == 2, qPrintable(describe(again)));
        const CliRun count
            = run(QStringList { QStringLiteral("export"), QStringLiteral("--output"), exportB } + pgStore);
        QVERIFY2(count.finished && count.exitCode == 0, qPrintable(describe(count)));
        QVERIFY(contents(exportB) == original);

        // A file that is not an export: exit 2, the line named, nothing written.
        QFile broken(m_dir.filePath(QStringLiteral("roundtrip-broken.jsonl")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write(original.left(original.indexOf('\n') + 1) + "{\"streamId\": \"x-1\"}\n");
        broken.close();
        const QString d = m_dir.filePath(QStringLiteral("roundtrip-d.sqlite"));
        const CliRun bad = run(
            { QStringLiteral("import"), QStringLiteral("--store"), d, QStringLiteral("--input"), broken.fileName() });
        QVERIFY2(bad.finished && bad.exitCode == 2, qPrintable(describe(bad)));
        QVERIFY2(bad.err.contains(QStringLiteral(":2 ")), qPrintable(bad.err));
        QVERIFY(!QFile::exists(d));
    }
    void importSkipsTheHeaderOfAnExplorerExport()
    {
        // A GUI export (EventExporter, with its header line) of one correlation set, imported by the CLI.
        // Correlation c-1 is all of stream order-1.
        StoreSettings source;
        source.connection = m_dir.filePath(QStringLiteral("gui-export-source.sqlite"));
        auto opened = SqlEventStore::open(source);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message()));
        const std::shared_ptr<SqlEventStore> store = *opened;
        for (int i = 0; i < 12; ++i) {
            const QJsonObject metadata { { QStringLiteral("correlationId"),
                                             QStringLiteral("c-%1").arg(i % 3 == 1 ? 1 : 0) },
                { QStringLiteral("actor"), QStringLiteral("alice") } };
            QVERIFY(store->append(QStringLiteral("order-%1").arg(i % 3), ExpectedVersion::any(),
                { EventData::create(QStringLiteral("OrderNoted"),
                    { { QStringLiteral("note"), QStringLiteral("a \"quoted\", note %1").arg(i) } }, metadata) }));
        }
        EventQuery query;
        query.correlationId = QStringLiteral("c-1");
        const QString exported = m_dir.filePath(QStringLiteral("gui-export.jsonl"));
        const EventSearch search(store);
        const auto written = EventExporter(search).exportTo(exported, EventExporter::Format::JsonLines, query,
            { QStringLiteral("gui-export-source.sqlite"), QStringLiteral("alice"), QStringLiteral("auditor"), {} });
        QVERIFY2(written, qPrintable(written ? QString() : written.error().message()));
        QCOMPARE(written.value(), 4); // all of order-1: an import must continue each stream where it is

        const QString target = m_dir.filePath(QStringLiteral("gui-export-target.sqlite"));
        const CliRun imported
            = run({ QStringLiteral("import"), QStringLiteral("--store"), target, QStringLiteral("--input"), exported });
        QVERIFY2(imported.finished && imported.exitCode == 0, qPrintable(describe(imported)));
        QVERIFY2(imported.err.contains(QStringLiteral("imported 4 events")), qPrintable(imported.err));

        StoreSettings targetSettings;
        targetSettings.connection = target;
        auto reopened = SqlEventStore::open(targetSettings);
        QVERIFY(reopened);
        const auto copied = (*reopened)->readAll(0, 100);
        const auto original = store->readAll(0, 100);
        QVERIFY(copied && original);
        QList<RecordedEvent> wanted;
        for (const RecordedEvent& event : *original) {
            if (query.matches(event))
                wanted.append(event);
        }
        QCOMPARE(copied->size(), wanted.size());
        for (qsizetype i = 0; i < wanted.size(); ++i) {
            QCOMPARE(copied->at(i).eventId, wanted.at(i).eventId);
            QCOMPARE(copied->at(i).streamId, wanted.at(i).streamId);
            QCOMPARE(copied->at(i).payload, wanted.at(i).payload);
            QCOMPARE(copied->at(i).metadata, wanted.at(i).metadata);
        }
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
