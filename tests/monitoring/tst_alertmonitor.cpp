// SPDX-License-Identifier: Apache-2.0
// AlertMonitor over fake sources and a fake clock: each threshold raises at its value and clears only below the
// hysteresis level, windows compare with the sample a window old, the history is bounded, and the "alerts"
// health check lists what is active.
#include "monitoring/alertmonitor.h"
#include "monitoring/healthregistry.h"
#include "monitoring/metricsregistry.h"
#include "monitoring/standardmetrics.h"

#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>

using namespace EventScope;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

/// Every alert off: each test turns on what it checks.
AppConfig::Alerts quietSettings()
{
    AppConfig::Alerts settings;
    settings.hysteresis = 0.2;
    settings.projectionLag = { 0, 0ms };
    settings.circuitBreaker.open = false;
    settings.commandErrors.ratio = 0;
    settings.storeLatency.p95 = 0ms;
    settings.storeLatency.p99 = 0ms;
    return settings;
}

struct Fake {
    QDateTime now = QDateTime(QDate(2026, 11, 26), QTime(12, 0), Qt::UTC);
    QList<ProjectionStatus> projections;
    QList<CircuitBreakerReading> breakers;
    MetricsRegistry registry;
    StandardMetrics metrics { registry };

    AlertMonitor::Sources sources()
    {
        AlertMonitor::Sources sources;
        sources.metrics = &registry;
        sources.projections = [this] { return projections; };
        sources.breakers = [this] { return breakers; };
        sources.clock = [this] { return now; };
        return sources;
    }

    void setLag(const QString& name, qint64 events, std::chrono::milliseconds time = 0ms)
    {
        for (ProjectionStatus& status : projections) {
            if (status.name == name) {
                status.lagEvents = events;
                status.lagTime = time;
                return;
            }
        }
        ProjectionStatus status;
        status.name = name;
        status.state = ProjectionState::CatchingUp;
        status.lagEvents = events;
        status.lagTime = time;
        projections << status;
    }

    void commands(const QString& outcome, int count)
    {
        metrics.commandsExecuted.labels({ u"Deposit"_s, outcome }).increment(count);
    }
};

QStringList ids(const QList<AlertMonitor::Alert>& alerts)
{
    QStringList result;
    for (const auto& alert : alerts)
        result << alert.id;
    return result;
}

} // namespace

class TestAlertMonitor : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QLoggingCategory::setFilterRules(u"eventscope.core.alerts.warning=false"_s); }
    void projectionLagRaisesAtThresholdAndClearsWithHysteresis();
    void projectionLagByTime();
    void breakerOpenForAWhile();
    void commandErrorRateOverWindow();
    void commandErrorsNeedEnoughCommands();
    void storeLatencyPercentile();
    void historyIsBounded();
    void vanishedSubjectClears();
    void disabledDoesNothing();
    void healthCheckListsActiveAlerts();
    void evaluateIsThreadSafe();
};

void TestAlertMonitor::projectionLagRaisesAtThresholdAndClearsWithHysteresis()
{
    Fake fake;
    auto settings = quietSettings();
    settings.projectionLag.events = 1000;
    AlertMonitor monitor(settings, fake.sources());
    QSignalSpy raised(&monitor, &AlertMonitor::alertRaised);
    QSignalSpy cleared(&monitor, &AlertMonitor::alertCleared);

    fake.setLag(u"accounts"_s, 999);
    monitor.evaluate();
    QCOMPARE(raised.size(), 0);
    QVERIFY(monitor.activeAlerts().isEmpty());

    fake.now = fake.now.addSecs(10);
    fake.setLag(u"accounts"_s, 1000); // at the threshold
    monitor.evaluate();
    QCOMPARE(raised.size(), 1);
    const auto alert = raised.at(0).at(0).value<AlertMonitor::Alert>();
    QCOMPARE(alert.id, u"projection-lag:accounts"_s);
    QCOMPARE(alert.kind, AlertMonitor::Kind::ProjectionLag);
    QCOMPARE(alert.severity, AlertMonitor::Severity::Warning);
    QCOMPARE(alert.value, 1000.0);
    QCOMPARE(alert.threshold, 1000.0);
    QCOMPARE(alert.raisedAt, fake.now);
    QVERIFY2(alert.message.contains(u"accounts"_s) && alert.message.contains(u"behind"_s), qPrintable(alert.message));
    QVERIFY2(alert.message.contains(u"check"_s), qPrintable(alert.message)); // says what to do
    QVERIFY2(
        alert.message.contains(u"(alert at 1000 events)"_s) || alert.message.contains(u"(alert at 1,000 events)"_s),
        qPrintable(alert.message));
    QCOMPARE(ids(monitor.activeAlerts()), QStringList { u"projection-lag:accounts"_s });

    // Still raised: no second signal. Between threshold × 0.8 and the threshold: stays active (hysteresis).
    QSignalSpy updated(&monitor, &AlertMonitor::alertUpdated);
    fake.setLag(u"accounts"_s, 5000);
    monitor.evaluate();
    fake.setLag(u"accounts"_s, 800);
    monitor.evaluate();
    QCOMPARE(raised.size(), 1);
    QCOMPARE(cleared.size(), 0);
    QCOMPARE(updated.size(), 2);
    QCOMPARE(monitor.activeAlerts().constFirst().value, 800.0);
    QCOMPARE(monitor.activeAlerts().constFirst().raisedAt, alert.raisedAt);

    fake.now = fake.now.addSecs(10);
    fake.setLag(u"accounts"_s, 799);
    monitor.evaluate();
    QCOMPARE(cleared.size(), 1);
    const auto gone = cleared.at(0).at(0).value<AlertMonitor::Alert>();
    QCOMPARE(gone.id, u"projection-lag:accounts"_s);
    QCOMPARE(gone.clearedAt, fake.now);
    QVERIFY(!gone.isActive());
    QVERIFY(monitor.activeAlerts().isEmpty());

    const auto history = monitor.history();
    QCOMPARE(history.size(), 2);
    QCOMPARE(history.at(0).change, AlertMonitor::Transition::Change::Raised);
    QCOMPARE(history.at(1).change, AlertMonitor::Transition::Change::Cleared);
    QCOMPARE(history.at(1).at, fake.now);
}

void TestAlertMonitor::projectionLagByTime()
{
    Fake fake;
    auto settings = quietSettings();
    settings.projectionLag.time = 60s;
    AlertMonitor monitor(settings, fake.sources());
    fake.setLag(u"users"_s, 5, 59s);
    monitor.evaluate();
    QVERIFY(monitor.activeAlerts().isEmpty());
    fake.setLag(u"users"_s, 5, 61s);
    monitor.evaluate();
    QCOMPARE(monitor.activeAlerts().size(), 1);
    QCOMPARE(monitor.activeAlerts().constFirst().threshold, 60000.0);
    fake.setLag(u"users"_s, 5, 49s); // above 48 s (80 %): stays
    monitor.evaluate();
    QCOMPARE(monitor.activeAlerts().size(), 1);
    fake.setLag(u"users"_s, 5, 0s);
    monitor.evaluate();
    QVERIFY(monitor.activeAlerts().isEmpty());
}

void TestAlertMonitor::breakerOpenForAWhile()
{
    Fake fake;
    auto settings = quietSettings();
    settings.circuitBreaker.open = true;
    settings.circuitBreaker.openFor = 30s;
    AlertMonitor monitor(settings, fake.sources());

    fake.breakers = { { u"default"_s, CircuitBreakerReading::State::Open, fake.now } };
    monitor.evaluate();
    QVERIFY(monitor.activeAlerts().isEmpty()); // open, but not for 30 s yet

    fake.now = fake.now.addSecs(30);
    monitor.evaluate();
    QCOMPARE(ids(monitor.activeAlerts()), QStringList { u"circuit-breaker:default"_s });
    const auto alert = monitor.activeAlerts().constFirst();
    QCOMPARE(alert.severity, AlertMonitor::Severity::Critical);
    QVERIFY2(alert.message.contains(u"database"_s), qPrintable(alert.message));

    // Half-open is still trying: the alert stays, with a message that says so.
    fake.breakers[0].state = CircuitBreakerReading::State::HalfOpen;
    monitor.evaluate();
    QCOMPARE(monitor.activeAlerts().size(), 1);
    QVERIFY2(monitor.activeAlerts().constFirst().message.contains(u"half-open"_s),
        qPrintable(monitor.activeAlerts().constFirst().message));

    fake.breakers[0].state = CircuitBreakerReading::State::Closed;
    monitor.evaluate();
    QVERIFY(monitor.activeAlerts().isEmpty());
}

void TestAlertMonitor::commandErrorRateOverWindow()
{
    Fake fake;
    auto settings = quietSettings();
    settings.commandErrors.ratio = 0.1;
    settings.commandErrors.window = 60s;
    settings.commandErrors.minCommands = 10;
    AlertMonitor monitor(settings, fake.sources());

    // Before the monitor started: not in any window.
    fake.commands(u"store-unavailable"_s, 500);
    monitor.evaluate(); // baseline
    QVERIFY(monitor.activeAlerts().isEmpty());

    // 9 errors of 100 (validation failures do not count as errors by default).
    fake.now = fake.now.addSecs(30);
    fake.commands(u"ok"_s, 80);
    fake.commands(u"validation"_s, 11);
    fake.commands(u"store-unavailable"_s, 9);
    monitor.evaluate();
    QVERIFY2(monitor.activeAlerts().isEmpty(), qPrintable(ids(monitor.activeAlerts()).join(u',')));

    // 10 of 102 in the window is 9.8 %: still below. One more error: 11 of 103 ≥ 10 %.
    fake.now = fake.now.addSecs(10);
    fake.commands(u"handler-failed"_s, 1);
    fake.commands(u"ok"_s, 1);
    monitor.evaluate();
    QVERIFY(monitor.activeAlerts().isEmpty());
    fake.commands(u"handler-failed"_s, 1);
    fake.now = fake.now.addSecs(10);
    monitor.evaluate();
    QCOMPARE(ids(monitor.activeAlerts()), QStringList { u"command-errors"_s });
    const auto alert = monitor.activeAlerts().constFirst();
    QCOMPARE(alert.severity, AlertMonitor::Severity::Critical);
    QCOMPARE(alert.value, 11.0 / 103.0);
    QVERIFY2(alert.message.contains(u"11 of the last 103"_s), qPrintable(alert.message));

    // A window later only successes are inside: the share drops to 0 and the alert clears.
    fake.now = fake.now.addSecs(61);
    fake.commands(u"ok"_s, 50);
    monitor.evaluate();
    QVERIFY2(monitor.activeAlerts().isEmpty(), qPrintable(ids(monitor.activeAlerts()).join(u',')));
}

void TestAlertMonitor::commandErrorsNeedEnoughCommands()
{
    Fake fake;
    auto settings = quietSettings();
    settings.commandErrors.ratio = 0.1;
    settings.commandErrors.minCommands = 20;
    AlertMonitor monitor(settings, fake.sources());
    monitor.evaluate();
    fake.now = fake.now.addSecs(10);
    fake.commands(u"store-unavailable"_s, 19); // 100 % of 19 commands
    monitor.evaluate();
    QVERIFY(monitor.activeAlerts().isEmpty());
    fake.now = fake.now.addSecs(10);
    fake.commands(u"store-unavailable"_s, 1);
    monitor.evaluate();
    QCOMPARE(monitor.activeAlerts().size(), 1);
}

void TestAlertMonitor::storeLatencyPercentile()
{
    Fake fake;
    auto settings = quietSettings();
    settings.storeLatency.p95 = 100ms;
    settings.storeLatency.window = 60s;
    settings.storeLatency.minCalls = 20;
    AlertMonitor monitor(settings, fake.sources());
    monitor.evaluate();

    // 100 fast appends: p95 well below 100 ms.
    fake.now = fake.now.addSecs(10);
    for (int i = 0; i < 100; ++i)
        fake.metrics.eventStoreAppendDuration.observe(0.002);
    monitor.evaluate();
    QVERIFY(monitor.activeAlerts().isEmpty());

    // 10 slow ones of 110: 9 % above 250 ms puts the 95th percentile above 100 ms.
    fake.now = fake.now.addSecs(10);
    for (int i = 0; i < 10; ++i)
        fake.metrics.eventStoreAppendDuration.observe(0.4);
    monitor.evaluate();
    QCOMPARE(ids(monitor.activeAlerts()), QStringList { u"store-latency:append"_s });
    const auto alert = monitor.activeAlerts().constFirst();
    QVERIFY2(alert.value >= 100.0, qPrintable(QString::number(alert.value)));
    QCOMPARE(alert.threshold, 100.0);
    QVERIFY2(alert.message.contains(u"p95"_s) && alert.message.contains(u"append"_s), qPrintable(alert.message));

    // Reads are fine and raise nothing.
    for (int i = 0; i < 50; ++i)
        fake.metrics.eventStoreReadDuration.observe(0.001);
    fake.now = fake.now.addSecs(10);
    monitor.evaluate();
    QCOMPARE(ids(monitor.activeAlerts()), QStringList { u"store-latency:append"_s });

    // A window later, only fast appends: cleared.
    fake.now = fake.now.addSecs(61);
    for (int i = 0; i < 100; ++i)
        fake.metrics.eventStoreAppendDuration.observe(0.002);
    monitor.evaluate();
    QVERIFY2(monitor.activeAlerts().isEmpty(), qPrintable(ids(monitor.activeAlerts()).join(u',')));
}

void TestAlertMonitor::historyIsBounded()
{
    Fake fake;
    auto settings = quietSettings();
    settings.projectionLag.events = 10;
    settings.historySize = 5;
    AlertMonitor monitor(settings, fake.sources());
    for (int i = 0; i < 6; ++i) {
        fake.now = fake.now.addSecs(1);
        fake.setLag(u"accounts"_s, 100);
        monitor.evaluate();
        fake.now = fake.now.addSecs(1);
        fake.setLag(u"accounts"_s, 0);
        monitor.evaluate();
    }
    const auto history = monitor.history();
    QCOMPARE(history.size(), 5);
    // The newest are kept: the last transition is the last clear.
    QCOMPARE(history.constLast().change, AlertMonitor::Transition::Change::Cleared);
    QCOMPARE(history.constLast().at, fake.now);
    for (qsizetype i = 1; i < history.size(); ++i)
        QVERIFY(history.at(i - 1).at <= history.at(i).at);
}

void TestAlertMonitor::vanishedSubjectClears()
{
    Fake fake;
    auto settings = quietSettings();
    settings.projectionLag.events = 10;
    AlertMonitor monitor(settings, fake.sources());
    fake.setLag(u"accounts"_s, 100);
    monitor.evaluate();
    QCOMPARE(monitor.activeAlerts().size(), 1);
    QSignalSpy cleared(&monitor, &AlertMonitor::alertCleared);
    fake.projections.clear();
    monitor.evaluate();
    QCOMPARE(cleared.size(), 1);
    QVERIFY(monitor.activeAlerts().isEmpty());
}

void TestAlertMonitor::disabledDoesNothing()
{
    Fake fake;
    auto settings = quietSettings();
    settings.enabled = false;
    settings.projectionLag.events = 10;
    AlertMonitor monitor(settings, fake.sources());
    fake.setLag(u"accounts"_s, 100);
    monitor.evaluate();
    monitor.start();
    QVERIFY(!monitor.isRunning());
    QVERIFY(monitor.activeAlerts().isEmpty());
}

void TestAlertMonitor::healthCheckListsActiveAlerts()
{
    Fake fake;
    auto settings = quietSettings();
    settings.projectionLag.events = 10;
    settings.circuitBreaker.open = true;
    std::shared_ptr<HealthCheck> check;
    {
        AlertMonitor monitor(settings, fake.sources());
        check = monitor.healthCheck();
        QCOMPARE(check->name(), u"alerts"_s);
        QCOMPARE(check->check(QDeadlineTimer(1s)).status, HealthStatus::Up);

        fake.setLag(u"accounts"_s, 100);
        fake.breakers = { { u"store"_s, CircuitBreakerReading::State::Open, fake.now } };
        monitor.evaluate();

        HealthRegistry registry(2s);
        QVERIFY(registry.add(check));
        const HealthReport report = registry.runAll();
        QCOMPARE(report.status, HealthStatus::Degraded);
        const QString detail = check->check(QDeadlineTimer(1s)).detail;
        QVERIFY2(
            detail.startsWith(u"2 alert(s) active"_s) || detail.startsWith(u"2 alerts active"_s), qPrintable(detail));
        // Critical first.
        QVERIFY2(detail.indexOf(u"store"_s) < detail.indexOf(u"accounts"_s), qPrintable(detail));
        QVERIFY2(detail.contains(u"[critical since "_s) && detail.contains(u"[warning since "_s), qPrintable(detail));
    }
    // The check outlives the monitor and reports the last state.
    QCOMPARE(check->check(QDeadlineTimer(1s)).status, HealthStatus::Degraded);
}

void TestAlertMonitor::evaluateIsThreadSafe()
{
    Fake fake;
    auto settings = quietSettings();
    settings.projectionLag.events = 10;
    settings.commandErrors.ratio = 0.5;
    std::atomic<qint64> lag { 0 };
    auto sources = fake.sources();
    sources.clock = [] { return QDateTime::currentDateTimeUtc(); };
    sources.projections = [&lag] {
        ProjectionStatus status;
        status.name = u"accounts"_s;
        status.lagEvents = lag.load();
        return QList<ProjectionStatus> { status };
    };
    AlertMonitor monitor(settings, sources);
    QList<QThread*> threads;
    for (int t = 0; t < 4; ++t) {
        threads << QThread::create([&] {
            for (int i = 0; i < 200; ++i) {
                lag = (i % 2) * 100;
                fake.commands(u"ok"_s, 1);
                monitor.evaluate();
                (void)monitor.activeAlerts();
                (void)monitor.history();
            }
        });
        threads.constLast()->start();
    }
    for (QThread* thread : std::as_const(threads)) {
        QVERIFY(thread->wait(30000));
        delete thread;
    }
    // Raised and cleared alternate in the history: never two raises of one alert in a row.
    const auto history = monitor.history();
    QVERIFY(!history.isEmpty());
    for (qsizetype i = 1; i < history.size(); ++i)
        QVERIFY(history.at(i).change != history.at(i - 1).change);
}

QTEST_GUILESS_MAIN(TestAlertMonitor)
#include "tst_alertmonitor.moc"
