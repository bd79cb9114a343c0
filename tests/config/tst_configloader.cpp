// SPDX-License-Identifier: Apache-2.0
#include "config/configloader.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <optional>

using namespace EventScope;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QString source = QStringLiteral("test.yaml");

QByteArray yaml(const char* text)
{
    return QByteArray(text);
}

// The loader logs every warning in eventscope.core.config; tests that expect one say so.
void expectWarningLogged(const QString& fragment)
{
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QRegularExpression::escape(fragment)));
}

} // namespace

class TestConfigLoader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaultsMatchTheSeedSchema();
    void exampleFileParsesToDefaults();
    void emptyDocumentsGiveDefaults_data();
    void emptyDocumentsGiveDefaults();
    void parseDuration_data();
    void parseDuration();
    void parseByteSize_data();
    void parseByteSize();
    void durationsInYaml_data();
    void durationsInYaml();
    void wrongValueNamesKeyAndLine_data();
    void wrongValueNamesKeyAndLine();
    void allProblemsAreReportedTogether();
    void maxDelayBelowInitialDelay();
    void unknownKeyWarns_data();
    void unknownKeyWarns();
    void warningsAreLoggedInConfigCategory();
    void duplicateKeyIsAnError();
    void malformedYaml_data();
    void malformedYaml();
    void rootMustBeAMapping();
    void missingFile();
    void directoryIsNotAFile();
    void loadFileNamesTheFile();
    void postgresSectionMapsToStoreSettings_data();
    void postgresSectionMapsToStoreSettings();
    void postgresNeedsAConnection();
    void synchronous_data();
    void synchronous();
    void sqliteOptions();
    void fullConfiguration();
    void loggingLevel_data();
    void loggingLevel();
    void alertsSection();
    void alertWindowShorterThanInterval();
    void alertOutcomesMustBeKnown();
    void guiRole();
};

void TestConfigLoader::defaultsMatchTheSeedSchema()
{
    const AppConfig config = ConfigLoader::defaults();

    QCOMPARE(config.eventStore.backend, StoreSettings::Backend::Sqlite);
    QCOMPARE(config.eventStore.connection, QStringLiteral("eventscope.db"));
    QCOMPARE(config.eventStore.maxConnections, 20);
    QCOMPARE(config.eventStore.connectTimeout, 30s);

    QCOMPARE(config.snapshots.enabled, true);
    QCOMPARE(config.snapshots.frequency, 10);
    QCOMPARE(config.snapshots.cleanupInterval, 24h);
    QCOMPARE(config.snapshots.retain, 3);

    QCOMPARE(config.projections.batchSize, 2000);
    QCOMPARE(config.projections.pollInterval, 250ms);

    const auto& resilience = config.resilience;
    QCOMPARE(resilience.circuitBreaker.name, QStringLiteral("default"));
    QCOMPARE(resilience.circuitBreaker.failureRatio, 0.5);
    QCOMPARE(resilience.circuitBreaker.requestVolume, 20);
    QCOMPARE(resilience.circuitBreaker.sleepWindow, 30s);
    QCOMPARE(resilience.circuitBreaker.successThreshold, 5);
    QCOMPARE(resilience.retry.maxAttempts, 3);
    QCOMPARE(resilience.retry.initialDelay, 100ms);
    QCOMPARE(resilience.retry.maxDelay, 5s);
    QCOMPARE(resilience.retry.backoffFactor, 2.0);
    QCOMPARE(resilience.retry.jitter, true);
    QCOMPARE(resilience.bulkhead.name, QStringLiteral("default"));
    QCOMPARE(resilience.bulkhead.maxRequests, 10);
    QCOMPARE(resilience.bulkhead.queueSize, 20);
    QCOMPARE(resilience.bulkhead.timeout, 30s);
    QCOMPARE(resilience.timeout.duration, 30s);

    QCOMPARE(config.monitoring.metrics.provider, AppConfig::Metrics::Provider::InMemory);
    QCOMPARE(config.monitoring.metrics.interval, 30s);
    QCOMPARE(config.monitoring.metrics.prometheusListenAddress, QStringLiteral(":9090"));
    QCOMPARE(config.monitoring.metrics.prometheusPath, QStringLiteral("/metrics"));
    QCOMPARE(config.monitoring.health.checkInterval, 15s);
    QCOMPARE(config.monitoring.health.timeout, 5s);

    const auto& alerts = config.alerts;
    QCOMPARE(alerts.enabled, true);
    QCOMPARE(alerts.evaluationInterval, 10s);
    QCOMPARE(alerts.hysteresis, 0.2);
    QCOMPARE(alerts.historySize, 500);
    QCOMPARE(alerts.projectionLag.events, 10000);
    QCOMPARE(alerts.projectionLag.time, 5min);
    QCOMPARE(alerts.circuitBreaker.open, true);
    QCOMPARE(alerts.circuitBreaker.openFor, 0ms);
    QCOMPARE(alerts.commandErrors.ratio, 0.1);
    QCOMPARE(alerts.commandErrors.window, 5min);
    QCOMPARE(alerts.commandErrors.minCommands, 20);
    QCOMPARE(alerts.commandErrors.outcomes, (QStringList { u"store-unavailable"_s, u"handler-failed"_s }));
    QCOMPARE(alerts.storeLatency.p95, 500ms);
    QCOMPARE(alerts.storeLatency.p99, 2s);
    QCOMPARE(alerts.storeLatency.window, 5min);
    QCOMPARE(alerts.storeLatency.minCalls, 20);

    QCOMPARE(config.logging.level, QStringLiteral("info"));
    QCOMPARE(config.logging.toFile, true);
    QCOMPARE(config.logging.maxFileSize, qint64(5 * 1024 * 1024));
    QCOMPARE(config.logging.maxFiles, 3);
}

void TestConfigLoader::exampleFileParsesToDefaults()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
    const ConfigLoadResult result = ConfigLoader::loadFile(QStringLiteral(EVENTSCOPE_CONFIG_EXAMPLE));
    QVERIFY2(result.ok(), qPrintable(result.error));
    QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join(u'\n')));
    QVERIFY(result.error.isEmpty());

    // The example documents the defaults: each value in it must be the default value.
    const AppConfig& config = *result.config;
    const AppConfig defaults = ConfigLoader::defaults();
    QCOMPARE(config.snapshots, defaults.snapshots);
    QCOMPARE(config.projections, defaults.projections);
    QCOMPARE(config.resilience, defaults.resilience);
    QCOMPARE(config.monitoring, defaults.monitoring);
    QCOMPARE(config.alerts, defaults.alerts);
    QCOMPARE(config.logging, defaults.logging);
    const StoreSettings& store = config.eventStore;
    const StoreSettings& defaultStore = defaults.eventStore;
    QCOMPARE(store.backend, defaultStore.backend);
    QCOMPARE(store.connection, defaultStore.connection);
    QCOMPARE(store.postgresSchema, defaultStore.postgresSchema);
    QCOMPARE(store.sqliteSynchronous, defaultStore.sqliteSynchronous);
    QCOMPARE(store.busyTimeout, defaultStore.busyTimeout);
    QCOMPARE(store.pollInterval, defaultStore.pollInterval);
    QCOMPARE(store.maxPayloadBytes, defaultStore.maxPayloadBytes);
    QCOMPARE(store.maxConnections, defaultStore.maxConnections);
    QCOMPARE(store.connectTimeout, defaultStore.connectTimeout);
}

void TestConfigLoader::emptyDocumentsGiveDefaults_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("blank lines") << yaml("\n\n  \n");
    QTest::newRow("comments only") << yaml("# nothing here\n# eventstore:\n#   type: postgres\n");
    QTest::newRow("document marker") << yaml("---\n");
    QTest::newRow("explicit null") << yaml("~\n");
    QTest::newRow("sections without keys") << yaml("eventstore:\nsnapshots:\nresilience:\n  retry:\nlogging:\n");
}

void TestConfigLoader::emptyDocumentsGiveDefaults()
{
    QFETCH(QByteArray, document);
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
    const ConfigLoadResult result = ConfigLoader::parse(document, source);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QVERIFY(result.warnings.isEmpty());
    const AppConfig defaults = ConfigLoader::defaults();
    QCOMPARE(result.config->eventStore.connection, defaults.eventStore.connection);
    QCOMPARE(result.config->snapshots, defaults.snapshots);
    QCOMPARE(result.config->resilience, defaults.resilience);
    QCOMPARE(result.config->monitoring, defaults.monitoring);
    QCOMPARE(result.config->alerts, defaults.alerts);
    QCOMPARE(result.config->logging, defaults.logging);
}

void TestConfigLoader::parseDuration_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("milliseconds");

    QTest::newRow("seconds") << u"30s"_s << true << qint64(30000);
    QTest::newRow("milliseconds") << u"100ms"_s << true << qint64(100);
    QTest::newRow("minutes") << u"5m"_s << true << qint64(300000);
    QTest::newRow("hours") << u"24h"_s << true << qint64(86400000);
    QTest::newRow("hours and minutes") << u"1h30m"_s << true << qint64(5400000);
    QTest::newRow("three units") << u"1h2m3s"_s << true << qint64(3723000);
    QTest::newRow("minutes and milliseconds") << u"1m500ms"_s << true << qint64(60500);
    QTest::newRow("fraction") << u"1.5s"_s << true << qint64(1500);
    QTest::newRow("leading point") << u".5s"_s << true << qint64(500);
    QTest::newRow("trailing point") << u"2.s"_s << true << qint64(2000);
    QTest::newRow("zero") << u"0"_s << true << qint64(0);
    QTest::newRow("zero with unit") << u"0s"_s << true << qint64(0);
    QTest::newRow("plus sign") << u"+3s"_s << true << qint64(3000);
    QTest::newRow("surrounding spaces") << u" 30s "_s << true << qint64(30000);
    QTest::newRow("microseconds round up") << u"1500us"_s << true << qint64(2);
    QTest::newRow("micro sign") << u"2000\u00b5s"_s << true << qint64(2);
    QTest::newRow("greek mu") << u"3000\u03bcs"_s << true << qint64(3);
    QTest::newRow("nanoseconds") << u"2000000ns"_s << true << qint64(2);
    QTest::newRow("a year in hours") << u"8760h"_s << true << qint64(31536000000);

    QTest::newRow("empty") << QString() << false << qint64(0);
    QTest::newRow("number without unit") << u"30"_s << false << qint64(0);
    QTest::newRow("unit only") << u"s"_s << false << qint64(0);
    QTest::newRow("space before unit") << u"30 s"_s << false << qint64(0);
    QTest::newRow("space between parts") << u"1h 30m"_s << false << qint64(0);
    QTest::newRow("negative") << u"-5s"_s << false << qint64(0);
    QTest::newRow("days are not a unit") << u"5d"_s << false << qint64(0);
    QTest::newRow("upper case unit") << u"30S"_s << false << qint64(0);
    QTest::newRow("last part without unit") << u"1h30"_s << false << qint64(0);
    QTest::newRow("two points") << u"1..5s"_s << false << qint64(0);
    QTest::newRow("exponent") << u"1e3s"_s << false << qint64(0);
    QTest::newRow("words") << u"soon"_s << false << qint64(0);
    QTest::newRow("below a millisecond") << u"250us"_s << false << qint64(0);
    QTest::newRow("overflow") << u"9999999999h"_s << false << qint64(0);
}

void TestConfigLoader::parseDuration()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(qint64, milliseconds);

    const auto parsed = ConfigLoader::parseDuration(text);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(parsed->count(), milliseconds);
}

void TestConfigLoader::parseByteSize_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("bytes");

    QTest::newRow("plain bytes") << u"1048576"_s << true << qint64(1048576);
    QTest::newRow("B") << u"512B"_s << true << qint64(512);
    QTest::newRow("KiB") << u"4KiB"_s << true << qint64(4096);
    QTest::newRow("MiB") << u"1MiB"_s << true << qint64(1048576);
    QTest::newRow("GiB") << u"2GiB"_s << true << qint64(2147483648);
    QTest::newRow("KB is decimal") << u"4KB"_s << true << qint64(4000);
    QTest::newRow("MB is decimal") << u"5MB"_s << true << qint64(5000000);
    QTest::newRow("GB is decimal") << u"1GB"_s << true << qint64(1000000000);
    QTest::newRow("space before unit") << u"512 KiB"_s << true << qint64(524288);
    QTest::newRow("lower case unit") << u"1mib"_s << true << qint64(1048576);
    QTest::newRow("fraction of a unit") << u"1.5MiB"_s << true << qint64(1572864);
    QTest::newRow("zero") << u"0"_s << true << qint64(0);

    QTest::newRow("empty") << QString() << false << qint64(0);
    QTest::newRow("unit only") << u"MiB"_s << false << qint64(0);
    QTest::newRow("negative") << u"-1"_s << false << qint64(0);
    QTest::newRow("fraction of a byte") << u"1.5"_s << false << qint64(0);
    QTest::newRow("unknown unit") << u"1TB"_s << false << qint64(0);
    QTest::newRow("two numbers") << u"12 34"_s << false << qint64(0);
    QTest::newRow("words") << u"lots"_s << false << qint64(0);
    QTest::newRow("overflow") << u"99999999999999GiB"_s << false << qint64(0);
}

void TestConfigLoader::parseByteSize()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(qint64, bytes);

    const auto parsed = ConfigLoader::parseByteSize(text);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(*parsed, bytes);
}

void TestConfigLoader::durationsInYaml_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("milliseconds");

    QTest::newRow("quoted") << yaml("\"45s\"") << true << qint64(45000);
    QTest::newRow("plain") << yaml("2m") << true << qint64(120000);
    QTest::newRow("combined") << yaml("1h30m") << true << qint64(5400000);
    QTest::newRow("bare number") << yaml("30") << false << qint64(0);
    QTest::newRow("zero is too short") << yaml("0s") << false << qint64(0);
    QTest::newRow("text") << yaml("forever") << false << qint64(0);
}

void TestConfigLoader::durationsInYaml()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, valid);
    QFETCH(qint64, milliseconds);

    const ConfigLoadResult result
        = ConfigLoader::parse("resilience:\n  timeout:\n    duration: " + value + '\n', source);
    QCOMPARE(result.ok(), valid);
    if (valid) {
        QCOMPARE(result.config->resilience.timeout.duration.count(), milliseconds);
        return;
    }
    QVERIFY2(result.error.startsWith(u"test.yaml:3:15: resilience.timeout.duration is "), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"expected a duration such as 30s or 100ms"), qPrintable(result.error));
}

void TestConfigLoader::wrongValueNamesKeyAndLine_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QString>("location"); // "line:column"
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("found");
    QTest::addColumn<QString>("expected");

    QTest::newRow("word for a count") << yaml("resilience:\n  retry:\n    max_attempts: three\n") << u"3:19"_s
                                      << u"resilience.retry.max_attempts"_s << u"\"three\""_s
                                      << u"a whole number of at least 1"_s;
    QTest::newRow("batch size too big") << yaml("projections:\n  batch_size: 500000\n") << u"2:15"_s
                                        << u"projections.batch_size"_s << u"\"500000\""_s
                                        << u"a whole number from 1 to 100000"_s;
    QTest::newRow("zero attempts") << yaml("resilience:\n  retry:\n    max_attempts: 0\n") << u"3:19"_s
                                   << u"resilience.retry.max_attempts"_s << u"\"0\""_s
                                   << u"a whole number of at least 1"_s;
    QTest::newRow("fraction for a count")
        << yaml("resilience:\n  circuit_breaker:\n    request_volume: 1.5\n") << u"3:21"_s
        << u"resilience.circuit_breaker.request_volume"_s << u"\"1.5\""_s << u"a whole number of at least 1"_s;
    QTest::newRow("ratio above one") << yaml("resilience:\n  circuit_breaker:\n    failure_ratio: 1.5\n") << u"3:20"_s
                                     << u"resilience.circuit_breaker.failure_ratio"_s << u"\"1.5\""_s
                                     << u"a number from 0 to 1"_s;
    QTest::newRow("negative ratio") << yaml("resilience:\n  circuit_breaker:\n    failure_ratio: -0.1\n") << u"3:20"_s
                                    << u"resilience.circuit_breaker.failure_ratio"_s << u"\"-0.1\""_s
                                    << u"a number from 0 to 1"_s;
    QTest::newRow("backoff below one") << yaml("resilience:\n  retry:\n    backoff_factor: 0.5\n") << u"3:21"_s
                                       << u"resilience.retry.backoff_factor"_s << u"\"0.5\""_s
                                       << u"a number of at least 1"_s;
    QTest::newRow("infinite backoff") << yaml("resilience:\n  retry:\n    backoff_factor: .inf\n") << u"3:21"_s
                                      << u"resilience.retry.backoff_factor"_s << u"\".inf\""_s
                                      << u"a number of at least 1"_s;
    QTest::newRow("bool") << yaml("resilience:\n  retry:\n    jitter: maybe\n") << u"3:13"_s
                          << u"resilience.retry.jitter"_s << u"\"maybe\""_s << u"true or false"_s;
    QTest::newRow("duration without unit")
        << yaml("resilience:\n  circuit_breaker:\n    sleep_window: 30\n") << u"3:19"_s
        << u"resilience.circuit_breaker.sleep_window"_s << u"\"30\""_s << u"a duration such as 30s or 100ms"_s;
    QTest::newRow("duration word") << yaml("eventstore:\n  options:\n    timeout: soon\n") << u"3:14"_s
                                   << u"eventstore.options.timeout"_s << u"\"soon\""_s
                                   << u"a duration such as 30s or 100ms"_s;
    QTest::newRow("negative duration") << yaml("snapshots:\n  cleanup_interval: -1h\n") << u"2:21"_s
                                       << u"snapshots.cleanup_interval"_s << u"\"-1h\""_s
                                       << u"a duration such as 30s or 100ms"_s;
    QTest::newRow("unsupported backend") << yaml("eventstore:\n  type: mysql\n") << u"2:9"_s << u"eventstore.type"_s
                                         << u"\"mysql\""_s << u"sqlite or postgres"_s;
    QTest::newRow("synchronous") << yaml("eventstore:\n  options:\n    synchronous: extra\n") << u"3:18"_s
                                 << u"eventstore.options.synchronous"_s << u"\"extra\""_s << u"full or normal"_s;
    QTest::newRow("size") << yaml("eventstore:\n  options:\n    max_payload_bytes: lots\n") << u"3:24"_s
                          << u"eventstore.options.max_payload_bytes"_s << u"\"lots\""_s
                          << u"a size above zero, such as 1048576, 512KiB or 1MiB"_s;
    QTest::newRow("zero connections") << yaml("eventstore:\n  options:\n    max_connections: 0\n") << u"3:22"_s
                                      << u"eventstore.options.max_connections"_s << u"\"0\""_s
                                      << u"a whole number of at least 1"_s;
    QTest::newRow("schema name") << yaml("eventstore:\n  options:\n    schema: \"drop table\"\n") << u"3:13"_s
                                 << u"eventstore.options.schema"_s << u"\"drop table\""_s
                                 << u"a PostgreSQL schema name"_s;
    QTest::newRow("empty connection") << yaml("eventstore:\n  connection: \"\"\n") << u"2:15"_s
                                      << u"eventstore.connection"_s << u"\"\""_s << u"a SQLite database file path"_s;
    QTest::newRow("provider") << yaml("monitoring:\n  metrics:\n    provider: statsd\n") << u"3:15"_s
                              << u"monitoring.metrics.provider"_s << u"\"statsd\""_s << u"inmemory or prometheus"_s;
    QTest::newRow("listen address") << yaml("monitoring:\n  metrics:\n    prometheus:\n      listen_addr: localhost\n")
                                    << u"4:20"_s << u"monitoring.metrics.prometheus.listen_addr"_s << u"\"localhost\""_s
                                    << u"an address such as :9090"_s;
    QTest::newRow("port out of range") << yaml(
        "monitoring:\n  metrics:\n    prometheus:\n      listen_addr: \":70000\"\n")
                                       << u"4:20"_s << u"monitoring.metrics.prometheus.listen_addr"_s << u"\":70000\""_s
                                       << u"an address such as :9090"_s;
    QTest::newRow("metrics path") << yaml("monitoring:\n  metrics:\n    prometheus:\n      path: metrics\n")
                                  << u"4:13"_s << u"monitoring.metrics.prometheus.path"_s << u"\"metrics\""_s
                                  << u"an HTTP path starting with /"_s;
    QTest::newRow("health interval") << yaml("monitoring:\n  health:\n    check_interval: 0\n") << u"3:21"_s
                                     << u"monitoring.health.check_interval"_s << u"\"0\""_s << u"of at least 1ms"_s;
    QTest::newRow("alert ratio") << yaml("alerts:\n  command_errors:\n    ratio: 5\n") << u"3:12"_s
                                 << u"alerts.command_errors.ratio"_s << u"\"5\""_s << u"a number from 0 to 1"_s;
    QTest::newRow("hysteresis of one") << yaml("alerts:\n  hysteresis: 1\n") << u"2:15"_s << u"alerts.hysteresis"_s
                                       << u"\"1\""_s << u"a number from 0 to 0.99"_s;
    QTest::newRow("evaluation interval") << yaml("alerts:\n  evaluation_interval: 10\n") << u"2:24"_s
                                         << u"alerts.evaluation_interval"_s << u"\"10\""_s
                                         << u"a number needs a unit"_s;
    QTest::newRow("negative lag") << yaml("alerts:\n  projection_lag:\n    events: -1\n") << u"3:13"_s
                                  << u"alerts.projection_lag.events"_s << u"\"-1\""_s
                                  << u"a whole number of at least 0"_s;
    QTest::newRow("latency word") << yaml("alerts:\n  store_latency:\n    p99: slow\n") << u"3:10"_s
                                  << u"alerts.store_latency.p99"_s << u"\"slow\""_s
                                  << u"a duration such as 30s or 100ms"_s;
    QTest::newRow("breaker flag") << yaml("alerts:\n  circuit_breaker:\n    open: sometimes\n") << u"3:11"_s
                                  << u"alerts.circuit_breaker.open"_s << u"\"sometimes\""_s << u"true or false"_s;
    QTest::newRow("outcomes text") << yaml("alerts:\n  command_errors:\n    outcomes: conflict\n") << u"3:15"_s
                                   << u"alerts.command_errors.outcomes"_s << u"\"conflict\""_s
                                   << u"a list of command outcomes from validation"_s;
    QTest::newRow("empty history") << yaml("alerts:\n  history_size: 0\n") << u"2:17"_s << u"alerts.history_size"_s
                                   << u"\"0\""_s << u"a whole number from 1 to 100000"_s;
    QTest::newRow("log level") << yaml("logging:\n  level: verbose\n") << u"2:10"_s << u"logging.level"_s
                               << u"\"verbose\""_s << u"one of trace, debug, info, warn, error, critical, off"_s;
    QTest::newRow("negative file count") << yaml("logging:\n  max_files: -1\n") << u"2:14"_s << u"logging.max_files"_s
                                         << u"\"-1\""_s << u"a whole number from 0 to 1000"_s;
    QTest::newRow("zero file size") << yaml("logging:\n  max_file_size: 0\n") << u"2:18"_s << u"logging.max_file_size"_s
                                    << u"\"0\""_s << u"a size above zero"_s;
    QTest::newRow("frequency") << yaml("snapshots:\n  frequency: 0\n") << u"2:14"_s << u"snapshots.frequency"_s
                               << u"\"0\""_s << u"a whole number of at least 1"_s;
    QTest::newRow("empty name") << yaml("resilience:\n  bulkhead:\n    name: \"\"\n") << u"3:11"_s
                                << u"resilience.bulkhead.name"_s << u"\"\""_s << u"non-empty text"_s;
    QTest::newRow("negative queue") << yaml("resilience:\n  bulkhead:\n    queue_size: -5\n") << u"3:17"_s
                                    << u"resilience.bulkhead.queue_size"_s << u"\"-5\""_s
                                    << u"a whole number of at least 0"_s;
    QTest::newRow("list for a count") << yaml("resilience:\n  retry:\n    max_attempts: [1, 2]\n") << u"3:19"_s
                                      << u"resilience.retry.max_attempts"_s << u"a list"_s
                                      << u"a whole number of at least 1"_s;
    QTest::newRow("mapping for a count") << yaml("snapshots:\n  retain:\n    last: 3\n") << u"3:5"_s
                                         << u"snapshots.retain"_s << u"a mapping"_s
                                         << u"a whole number of at least 1"_s;
    QTest::newRow("text for a section") << yaml("snapshots: yes\n") << u"1:12"_s << u"snapshots"_s << u"\"yes\""_s
                                        << u"a mapping of keys"_s;
    QTest::newRow("list for a section") << yaml("resilience:\n  retry:\n    - max_attempts: 3\n") << u"3:5"_s
                                        << u"resilience.retry"_s << u"a list"_s << u"a mapping of keys"_s;
    QTest::newRow("no value") << yaml("resilience:\n  retry:\n    max_attempts:\n    jitter: true\n") << u"3:5"_s
                              << u"resilience.retry.max_attempts"_s << QString()
                              << u"has no value; expected a whole number of at least 1"_s;
}

void TestConfigLoader::wrongValueNamesKeyAndLine()
{
    QFETCH(QByteArray, document);
    QFETCH(QString, location);
    QFETCH(QString, key);
    QFETCH(QString, found);
    QFETCH(QString, expected);

    const ConfigLoadResult result = ConfigLoader::parse(document, source);
    QVERIFY(!result.ok());
    QVERIFY2(!result.error.contains(u'\n'), qPrintable(result.error)); // exactly one problem in each row
    const QString prefix = source + u':' + location + u": " + key + u' ';
    QVERIFY2(
        result.error.startsWith(prefix), qPrintable(u"error: "_s + result.error + u"\nwanted prefix: "_s + prefix));
    if (!found.isEmpty())
        QVERIFY2(result.error.contains(u" is " + found + u"; expected "), qPrintable(result.error));
    QVERIFY2(result.error.contains(expected), qPrintable(result.error));
}

void TestConfigLoader::allProblemsAreReportedTogether()
{
    const ConfigLoadResult result = ConfigLoader::parse(yaml("snapshots:\n"
                                                             "  frequency: often\n"
                                                             "logging:\n"
                                                             "  level: loud\n"),
        source);
    QVERIFY(!result.ok());
    const QStringList lines = result.error.split(u'\n');
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines.at(0).startsWith(u"test.yaml:2:14: snapshots.frequency is \"often\""), qPrintable(lines.at(0)));
    QVERIFY2(lines.at(1).startsWith(u"test.yaml:4:10: logging.level is \"loud\""), qPrintable(lines.at(1)));
}

void TestConfigLoader::maxDelayBelowInitialDelay()
{
    const ConfigLoadResult result = ConfigLoader::parse(yaml("resilience:\n"
                                                             "  retry:\n"
                                                             "    initial_delay: 2s\n"
                                                             "    max_delay: 500ms\n"),
        source);
    QVERIFY(!result.ok());
    QVERIFY2(result.error.startsWith(u"test.yaml:4:16: resilience.retry.max_delay (500ms) is shorter than "
                                     "resilience.retry.initial_delay (2s)"),
        qPrintable(result.error));

    // Equal delays are fine: every retry waits the same time.
    const ConfigLoadResult equal
        = ConfigLoader::parse(yaml("resilience:\n  retry:\n    initial_delay: 1s\n    max_delay: 1000ms\n"), source);
    QVERIFY2(equal.ok(), qPrintable(equal.error));
}

void TestConfigLoader::unknownKeyWarns_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QString>("warning");

    QTest::newRow("typo") << yaml("snapshots:\n  frequncy: 5\n")
                          << u"test.yaml:2:3: unknown key snapshots.frequncy is ignored; did you mean "
                             "snapshots.frequency?"_s;
    QTest::newRow("two edits") << yaml("resilience:\n  retry:\n    max_atempt: 5\n")
                               << u"test.yaml:3:5: unknown key resilience.retry.max_atempt is ignored; did you mean "
                                  "resilience.retry.max_attempts?"_s;
    QTest::newRow("dash for underscore") << yaml("eventstore:\n  options:\n    busy-timeout: 1s\n")
                                         << u"test.yaml:3:5: unknown key eventstore.options.busy-timeout is ignored; "
                                            "did you mean eventstore.options.busy_timeout?"_s;
    QTest::newRow("capitalised section") << yaml("Logging:\n  level: debug\n")
                                         << u"test.yaml:1:1: unknown key Logging is ignored; did you mean logging?"_s;
    QTest::newRow("wrong level") << yaml("eventstore:\n  max_connections: 5\n")
                                 << u"test.yaml:2:3: unknown key eventstore.max_connections is ignored; did you mean "
                                    "eventstore.options.max_connections?"_s;
    QTest::newRow("no close key") << yaml("colour: blue\n") << u"test.yaml:1:1: unknown key colour is ignored."_s;
}

void TestConfigLoader::unknownKeyWarns()
{
    QFETCH(QByteArray, document);
    QFETCH(QString, warning);

    expectWarningLogged(warning);
    const ConfigLoadResult result = ConfigLoader::parse(document, source);
    QVERIFY2(result.ok(), qPrintable(result.error)); // unknown keys never fail the load
    QCOMPARE(result.warnings, QStringList { warning });
}

namespace {
QStringList s_loggedCategories;
void recordCategory(QtMsgType, const QMessageLogContext& context, const QString&)
{
    s_loggedCategories.append(QString::fromUtf8(context.category));
}
} // namespace

void TestConfigLoader::warningsAreLoggedInConfigCategory()
{
    s_loggedCategories.clear();
    const QtMessageHandler previous = qInstallMessageHandler(recordCategory);
    const ConfigLoadResult result = ConfigLoader::parse(yaml("snapshots:\n  frequncy: 5\n  retian: 2\n"), source);
    qInstallMessageHandler(previous);
    QCOMPARE(result.warnings.size(), 2);
    QCOMPARE(s_loggedCategories, (QStringList { u"eventscope.core.config"_s, u"eventscope.core.config"_s }));
}

void TestConfigLoader::duplicateKeyIsAnError()
{
    const ConfigLoadResult result
        = ConfigLoader::parse(yaml("snapshots:\n  frequency: 5\n  retain: 2\n  frequency: 50\n"), source);
    QVERIFY(!result.ok());
    QVERIFY2(result.error.startsWith(u"test.yaml:4:3: snapshots.frequency is set twice (also on line 2)"),
        qPrintable(result.error));
}

void TestConfigLoader::malformedYaml_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<int>("line");

    QTest::newRow("unclosed flow sequence") << yaml("eventstore:\n  type: sqlite\nlogging: [info\n") << 4;
    QTest::newRow("unclosed flow mapping") << yaml("logging: {level: info\n") << 2;
    QTest::newRow("list item among keys") << yaml("snapshots:\n  - enabled\n  frequency: 3\n") << 3;
    QTest::newRow("undefined alias") << yaml("snapshots: *defaults\n") << 1;
    QTest::newRow("bad indentation") << yaml("snapshots:\n    enabled: true\n  frequency: 3\n") << 3;
    QTest::newRow("tab indentation") << yaml("snapshots:\n\tenabled: true\n") << 2;
    QTest::newRow("mapping inside a value") << yaml("logging:\n  level: info: debug\n") << 2;
}

void TestConfigLoader::malformedYaml()
{
    QFETCH(QByteArray, document);
    QFETCH(int, line);

    const ConfigLoadResult result = ConfigLoader::parse(document, source);
    QVERIFY(!result.ok());
    QVERIFY2(result.error.startsWith(source + u':' + QString::number(line) + u':'), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"not valid YAML"), qPrintable(result.error));
}

void TestConfigLoader::rootMustBeAMapping()
{
    const ConfigLoadResult list = ConfigLoader::parse(yaml("- eventstore\n- snapshots\n"), source);
    QVERIFY(!list.ok());
    QVERIFY2(list.error.startsWith(u"test.yaml:1:1: the configuration is a list; expected a mapping"),
        qPrintable(list.error));

    const ConfigLoadResult text = ConfigLoader::parse(yaml("just some words\n"), source);
    QVERIFY(!text.ok());
    QVERIFY2(text.error.contains(u"the configuration is \"just some words\""), qPrintable(text.error));
}

void TestConfigLoader::missingFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("nothing-here.yaml"));
    const ConfigLoadResult result = ConfigLoader::loadFile(path);
    QVERIFY(!result.ok());
    QVERIFY2(result.error.contains(path), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"does not exist"), qPrintable(result.error));
}

void TestConfigLoader::directoryIsNotAFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const ConfigLoadResult result = ConfigLoader::loadFile(dir.path());
    QVERIFY(!result.ok());
    QVERIFY2(result.error.contains(u"is a directory"), qPrintable(result.error));
}

void TestConfigLoader::loadFileNamesTheFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("config.yaml"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("snapshots:\n  frequency: 25\n");
    file.close();

    const ConfigLoadResult good = ConfigLoader::loadFile(path);
    QVERIFY2(good.ok(), qPrintable(good.error));
    QCOMPARE(good.config->snapshots.frequency, 25);

    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("snapshots:\n  frequency: -25\n");
    file.close();
    const ConfigLoadResult bad = ConfigLoader::loadFile(path);
    QVERIFY(!bad.ok());
    QVERIFY2(bad.error.startsWith(path + u":2:14: snapshots.frequency"), qPrintable(bad.error));
}

void TestConfigLoader::postgresSectionMapsToStoreSettings_data()
{
    QTest::addColumn<QByteArray>("type");
    QTest::newRow("postgres") << yaml("postgres");
    QTest::newRow("postgresql") << yaml("postgresql");
    QTest::newRow("mixed case") << yaml("PostgreSQL");
}

void TestConfigLoader::postgresSectionMapsToStoreSettings()
{
    QFETCH(QByteArray, type);
    const QByteArray document = "eventstore:\n"
                                "  type: "
        + type
        + "\n"
          "  connection: \"postgres://user:pass@localhost/events?sslmode=disable\"\n"
          "  options:\n"
          "    max_connections: 50\n"
          "    timeout: 10s\n"
          "    poll_interval: 250ms\n"
          "    max_payload_bytes: 2MiB\n"
          "    schema: audit_events\n";
    const ConfigLoadResult result = ConfigLoader::parse(document, source);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QVERIFY(result.warnings.isEmpty());
    const StoreSettings& store = result.config->eventStore;
    QCOMPARE(store.backend, StoreSettings::Backend::Postgres);
    QCOMPARE(store.connection, QStringLiteral("postgres://user:pass@localhost/events?sslmode=disable"));
    QCOMPARE(store.maxConnections, 50);
    QCOMPARE(store.connectTimeout, 10s);
    QCOMPARE(store.pollInterval, 250ms);
    QCOMPARE(store.maxPayloadBytes, qint64(2 * 1024 * 1024));
    QCOMPARE(store.postgresSchema, QStringLiteral("audit_events"));
    // Untouched options keep their defaults.
    QCOMPARE(store.busyTimeout, StoreSettings {}.busyTimeout);
}

void TestConfigLoader::postgresNeedsAConnection()
{
    const ConfigLoadResult result = ConfigLoader::parse(yaml("eventstore:\n  type: postgres\n"), source);
    QVERIFY(!result.ok());
    QVERIFY2(result.error.startsWith(u"test.yaml:2:3: eventstore.connection is missing"), qPrintable(result.error));

    const ConfigLoadResult dsn = ConfigLoader::parse(
        yaml("eventstore:\n  type: postgres\n  connection: \"host=db port=5433 dbname=events\"\n"), source);
    QVERIFY2(dsn.ok(), qPrintable(dsn.error));
    QCOMPARE(dsn.config->eventStore.connection, QStringLiteral("host=db port=5433 dbname=events"));
}

void TestConfigLoader::synchronous_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<StoreSettings::SqliteSync>("expected");
    QTest::newRow("full") << yaml("full") << StoreSettings::SqliteSync::Full;
    QTest::newRow("normal") << yaml("normal") << StoreSettings::SqliteSync::Normal;
    QTest::newRow("upper case") << yaml("NORMAL") << StoreSettings::SqliteSync::Normal;
}

void TestConfigLoader::synchronous()
{
    QFETCH(QByteArray, value);
    QFETCH(StoreSettings::SqliteSync, expected);
    const QByteArray document = "eventstore:\n  options:\n    synchronous: " + value + '\n';
    const ConfigLoadResult result = ConfigLoader::parse(document, source);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.config->eventStore.sqliteSynchronous, expected);
}

void TestConfigLoader::sqliteOptions()
{
    const ConfigLoadResult result = ConfigLoader::parse(yaml("eventstore:\n"
                                                             "  type: sqlite\n"
                                                             "  connection: \":memory:\"\n"
                                                             "  options:\n"
                                                             "    busy_timeout: 0\n"
                                                             "    max_payload_bytes: 4096\n"),
        source);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.config->eventStore.backend, StoreSettings::Backend::Sqlite);
    QCOMPARE(result.config->eventStore.connection, QStringLiteral(":memory:"));
    QCOMPARE(result.config->eventStore.busyTimeout, 0ms);
    QCOMPARE(result.config->eventStore.maxPayloadBytes, qint64(4096));
}

void TestConfigLoader::fullConfiguration()
{
    // Every value differs from its default, so a key that is read into the wrong member shows up.
    const ConfigLoadResult result = ConfigLoader::parse(yaml("snapshots:\n"
                                                             "  enabled: false\n"
                                                             "  frequency: 7\n"
                                                             "  cleanup_interval: 1h30m\n"
                                                             "  retain: 9\n"
                                                             "resilience:\n"
                                                             "  circuit_breaker:\n"
                                                             "    name: store\n"
                                                             "    failure_ratio: 0.25\n"
                                                             "    request_volume: 40\n"
                                                             "    sleep_window: 1m\n"
                                                             "    success_threshold: 2\n"
                                                             "  retry:\n"
                                                             "    max_attempts: 6\n"
                                                             "    initial_delay: 50ms\n"
                                                             "    max_delay: 10s\n"
                                                             "    backoff_factor: 1.5\n"
                                                             "    jitter: no\n"
                                                             "  bulkhead:\n"
                                                             "    name: commands\n"
                                                             "    max_requests: 4\n"
                                                             "    queue_size: 0\n"
                                                             "    timeout: 2s\n"
                                                             "  timeout:\n"
                                                             "    duration: 12s\n"
                                                             "monitoring:\n"
                                                             "  metrics:\n"
                                                             "    provider: prometheus\n"
                                                             "    interval: 10s\n"
                                                             "    prometheus:\n"
                                                             "      listen_addr: \"127.0.0.1:9191\"\n"
                                                             "      path: /prom\n"
                                                             "  health:\n"
                                                             "    check_interval: 1m\n"
                                                             "    timeout: 20s\n"
                                                             "logging:\n"
                                                             "  level: debug\n"
                                                             "  file: false\n"
                                                             "  max_file_size: 10MiB\n"
                                                             "  max_files: 0\n"),
        source);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QVERIFY(result.warnings.isEmpty());
    const AppConfig& config = *result.config;

    QCOMPARE(config.snapshots, (AppConfig::Snapshots { false, 7, 90min, 9 }));
    QCOMPARE(config.resilience.circuitBreaker, (AppConfig::CircuitBreaker { u"store"_s, 0.25, 40, 1min, 2 }));
    QCOMPARE(config.resilience.retry, (AppConfig::Retry { 6, 50ms, 10s, 1.5, false }));
    QCOMPARE(config.resilience.bulkhead, (AppConfig::Bulkhead { u"commands"_s, 4, 0, 2s }));
    QCOMPARE(config.resilience.timeout.duration, 12s);
    QCOMPARE(config.monitoring.metrics,
        (AppConfig::Metrics { AppConfig::Metrics::Provider::Prometheus, 10s, u"127.0.0.1:9191"_s, u"/prom"_s }));
    QCOMPARE(config.monitoring.health, (AppConfig::Health { 1min, 20s }));
    QCOMPARE(config.logging, (AppConfig::Logging { u"debug"_s, false, 10 * 1024 * 1024, 0 }));
}

void TestConfigLoader::loggingLevel_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("level");
    QTest::newRow("trace") << yaml("trace") << u"trace"_s;
    QTest::newRow("warn") << yaml("warn") << u"warn"_s;
    QTest::newRow("warning is warn") << yaml("warning") << u"warn"_s;
    QTest::newRow("upper case") << yaml("ERROR") << u"error"_s;
    QTest::newRow("off is not false") << yaml("off") << u"off"_s;
}

void TestConfigLoader::loggingLevel()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, level);
    const ConfigLoadResult result = ConfigLoader::parse("logging:\n  level: " + value + '\n', source);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.config->logging.level, level);
}

void TestConfigLoader::alertsSection()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
    const ConfigLoadResult result = ConfigLoader::parse(yaml("alerts:\n"
                                                             "  enabled: yes\n"
                                                             "  evaluation_interval: 2s\n"
                                                             "  hysteresis: 0\n"
                                                             "  history_size: 50\n"
                                                             "  projection_lag:\n"
                                                             "    events: 0\n"
                                                             "    time: 90s\n"
                                                             "  circuit_breaker:\n"
                                                             "    open: true\n"
                                                             "    open_for: 1m\n"
                                                             "  command_errors:\n"
                                                             "    ratio: 0.25\n"
                                                             "    window: 30s\n"
                                                             "    min_commands: 5\n"
                                                             "    outcomes: [store-unavailable, Conflict, conflict]\n"
                                                             "  store_latency:\n"
                                                             "    p95: 0\n"
                                                             "    p99: 750ms\n"
                                                             "    window: 1m\n"
                                                             "    min_calls: 100\n"),
        source);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QVERIFY(result.warnings.isEmpty());
    const AppConfig::Alerts& alerts = result.config->alerts;
    QCOMPARE(alerts.enabled, true);
    QCOMPARE(alerts.evaluationInterval, 2s);
    QCOMPARE(alerts.hysteresis, 0.0);
    QCOMPARE(alerts.historySize, 50);
    QCOMPARE(alerts.projectionLag, (AppConfig::ProjectionLagAlert { 0, 90s }));
    QCOMPARE(alerts.circuitBreaker, (AppConfig::CircuitBreakerAlert { true, 1min }));
    // Outcomes ignore case and repeats.
    QCOMPARE(alerts.commandErrors,
        (AppConfig::CommandErrorAlert { 0.25, 30s, 5, { u"store-unavailable"_s, u"conflict"_s } }));
    QCOMPARE(alerts.storeLatency, (AppConfig::StoreLatencyAlert { 0ms, 750ms, 1min, 100 }));
}

void TestConfigLoader::alertWindowShorterThanInterval()
{
    const ConfigLoadResult result = ConfigLoader::parse(yaml("alerts:\n"
                                                             "  evaluation_interval: 1m\n"
                                                             "  command_errors:\n"
                                                             "    window: 30s\n"),
        source);
    QVERIFY(!result.ok());
    QVERIFY2(result.error.startsWith(u"test.yaml:4:13: alerts.command_errors.window (30s) is shorter than "
                                     "alerts.evaluation_interval (60s)"),
        qPrintable(result.error));
    // Turned off, the windows do not matter.
    const ConfigLoadResult off = ConfigLoader::parse(
        yaml("alerts:\n  enabled: false\n  evaluation_interval: 1m\n  store_latency:\n    window: 5s\n"), source);
    QVERIFY2(off.ok(), qPrintable(off.error));
}

void TestConfigLoader::alertOutcomesMustBeKnown()
{
    const ConfigLoadResult result = ConfigLoader::parse(
        yaml("alerts:\n  command_errors:\n    outcomes:\n      - store-unavailable\n      - timeout\n"), source);
    QVERIFY(!result.ok());
    QVERIFY2(result.error.startsWith(u"test.yaml:5:9: alerts.command_errors.outcomes lists \"timeout\", which is not "
                                     "a command outcome; expected one of validation, "),
        qPrintable(result.error));
}

void TestConfigLoader::guiRole()
{
    QVERIFY(!ConfigLoader::defaults().gui.role.has_value()); // chosen when connecting
    const ConfigLoadResult fixed = ConfigLoader::parse(yaml("gui:\n  role: Support\n"), source);
    QVERIFY2(fixed.ok(), qPrintable(fixed.error));
    QCOMPARE(fixed.config->gui.role, std::optional<Role>(Role::Support));
    const ConfigLoadResult bad = ConfigLoader::parse(yaml("gui:\n  role: admin\n"), source);
    QVERIFY(!bad.ok());
    QVERIFY2(
        bad.error.contains(u"gui.role") && bad.error.contains(u"auditor, support or developer"), qPrintable(bad.error));
}

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "tst_configloader.moc"
