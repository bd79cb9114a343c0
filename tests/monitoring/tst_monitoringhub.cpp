// SPDX-License-Identifier: Apache-2.0
// MonitoringHub: the metrics an Engine records through Options::metrics and the samplers attach() adds
// (commands, events, breaker state, projections) reach the registry; the health checks are those of `/health`;
// another engine attached keeps the counters monotonic; detach() lets the engine go.
#include "monitoring/monitoringhub.h"

#include "engine/engine.h"
#include "monitoring/healthregistry.h"
#include "resilience/faultinjectingeventstore.h"
#include "resilience/resiliencepipeline.h"
#include "teststores.h"

#include <QTest>

using namespace EventScope;
using namespace EventScope::Test;

namespace {

CommandContext developer()
{
    CommandContext context;
    context.actor = QStringLiteral("dev@example.com");
    context.role = Role::Developer;
    return context;
}

DispatchResult openAccount(Engine& engine, const QString& id)
{
    return engine.dispatch(Command { QUuid::createUuid(), QStringLiteral("OpenAccount"), id,
                               { { QStringLiteral("owner"), QStringLiteral("Ada") },
                                   { QStringLiteral("currency"), QStringLiteral("EUR") } } },
        developer());
}

double valueOf(const MetricsRegistry& registry, const QString& name, const QStringList& labels = {})
{
    const auto metric = registry.snapshot(name);
    if (!metric)
        return -1;
    const MetricSeriesSnapshot* series = metric->find(labels);
    if (!series)
        return -1;
    return metric->type == MetricType::Histogram ? double(series->count) : series->value;
}

} // namespace

class TestMonitoringHub : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TestStore> m_test;

    std::shared_ptr<Engine> makeEngine(MonitoringHub& hub, std::optional<FaultInjection> chaos = {})
    {
        auto store = m_test->open();
        if (!store)
            return nullptr;
        Engine::Options options;
        options.store = store.value();
        options.metrics = hub.metrics();
        options.chaos = chaos;
        AppConfig config;
        config.resilience.circuitBreaker.requestVolume = 4;
        config.resilience.retry.maxAttempts = 1;
        auto created = Engine::create(config, std::move(options));
        if (!created)
            return nullptr;
        return std::move(created).value();
    }

private Q_SLOTS:
    void init() { m_test = std::make_unique<TestStore>(TestStore::Backend::Sqlite); }
    void cleanup() { m_test.reset(); }

    void withoutAnEngineNothingIsSampledAndHealthSaysSo()
    {
        MonitoringHub hub;
        QVERIFY(!hub.isAttached());
        hub.sample();
        QVERIFY(hub.breakers().isEmpty());
        QVERIFY(hub.healthCheckNames().isEmpty());
        QVERIFY(!hub.healthRegistry());
        const HealthReport report = hub.runHealthChecks();
        QCOMPARE(report.status, HealthStatus::Down);
        QCOMPARE(report.checks.size(), std::size_t(1));
        QVERIFY(report.checks.at(QStringLiteral("engine")).detail.contains(QStringLiteral("Connect")));
        QVERIFY(!hub.runHealthCheck(QStringLiteral("eventstore")));
        // The standard families exist from the start, so charts and /metrics can name them.
        QVERIFY(hub.registry().names().contains(QStringLiteral("commands_executed_total")));
        QVERIFY(hub.renderPrometheus().contains("# TYPE circuit_breaker_state gauge"));
    }

    void anAttachedEngineFeedsTheStandardMetrics()
    {
        MonitoringHub hub;
        const std::shared_ptr<Engine> engine = makeEngine(hub);
        QVERIFY(engine);
        hub.attach(engine);
        QVERIFY(hub.isAttached());

        QVERIFY(openAccount(*engine, QStringLiteral("a1")).ok());
        QVERIFY(openAccount(*engine, QStringLiteral("a2")).ok());
        QVERIFY(!openAccount(*engine, QStringLiteral("a1")).ok()); // opened already: a domain error
        hub.sample();

        const MetricsRegistry& registry = hub.registry();
        QCOMPARE(valueOf(registry, QStringLiteral("commands_executed_total"),
                     { QStringLiteral("OpenAccount"), QStringLiteral("ok") }),
            2.0);
        const auto commands = registry.snapshot(QStringLiteral("commands_executed_total"));
        double failed = 0;
        for (const MetricSeriesSnapshot& series : commands->series)
            failed += series.labelValues.value(1) == QLatin1String("ok") ? 0.0 : series.value;
        QCOMPARE(failed, 1.0);
        QCOMPARE(valueOf(registry, QStringLiteral("events_appended_total")), 2.0);
        QCOMPARE(valueOf(registry, QStringLiteral("events_handled_total")), 2.0);
        QVERIFY(valueOf(registry, QStringLiteral("eventstore_append_duration_seconds")) >= 2.0);
        const QString breaker = engine->resilience()->breaker().name();
        QCOMPARE(valueOf(registry, QStringLiteral("circuit_breaker_state"), { breaker }),
            double(StandardMetrics::BreakerClosed));
        QCOMPARE(hub.breakers().size(), 1);
        QCOMPARE(hub.breakers().constFirst().state, CircuitBreakerReading::State::Closed);
        // Projections are not started: their lag is the whole store.
        QVERIFY(
            valueOf(registry, QStringLiteral("projection_lag_events"), { QStringLiteral("event_type_stats") }) >= 0.0);

        const QByteArray text = hub.renderPrometheus();
        QVERIFY(text.contains("commands_executed_total{type=\"OpenAccount\",outcome=\"ok\"} 2"));
    }

    void healthChecksAreThoseOfTheServer()
    {
        MonitoringHub hub;
        const std::shared_ptr<Engine> engine = makeEngine(hub);
        QVERIFY(engine);
        hub.attach(engine);
        QStringList names = hub.healthCheckNames();
        names.sort();
        QCOMPARE(names,
            (QStringList { QStringLiteral("eventstore"), QStringLiteral("projections"), QStringLiteral("resilience"),
                QStringLiteral("storeaccess") }));
        const HealthReport report = hub.runHealthChecks();
        QCOMPARE(report.checks.size(), std::size_t(4));
        QCOMPARE(report.checks.at(QStringLiteral("eventstore")).status, HealthStatus::Up);
        QCOMPARE(report.checks.at(QStringLiteral("storeaccess")).status, HealthStatus::Up);
        QCOMPARE(report.checks.at(QStringLiteral("resilience")).status, HealthStatus::Up);
        QVERIFY(hub.runHealthCheck(QStringLiteral("resilience")));
        QVERIFY(!hub.runHealthCheck(QStringLiteral("nosuchcheck")));
    }

    void anOpenBreakerShowsInTheGaugeAndInHealth()
    {
        MonitoringHub hub;
        const std::shared_ptr<Engine> engine = makeEngine(hub, FaultInjection {});
        QVERIFY(engine);
        QVERIFY(engine->chaos());
        hub.attach(engine);
        FaultInjection faults;
        faults.failureRate = 1.0;
        engine->chaos()->setFaults(faults);
        for (int i = 0; i < 8; ++i)
            QVERIFY(!openAccount(*engine, QStringLiteral("c%1").arg(i)).ok());
        QCOMPARE(engine->resilience()->breaker().state(), CircuitBreaker::State::Open);
        hub.sample();
        QCOMPARE(valueOf(hub.registry(), QStringLiteral("circuit_breaker_state"),
                     { engine->resilience()->breaker().name() }),
            double(StandardMetrics::BreakerOpen));
        QVERIFY(valueOf(hub.registry(), QStringLiteral("circuit_breaker_opened_total"),
                    { engine->resilience()->breaker().name() })
            >= 1.0);
        const HealthReport report = hub.runHealthChecks();
        QCOMPARE(report.status, HealthStatus::Down);
        QCOMPARE(report.checks.at(QStringLiteral("resilience")).status, HealthStatus::Down);
        QCOMPARE(report.checks.at(QStringLiteral("storeaccess")).status, HealthStatus::Down);
        QCOMPARE(report.checks.at(QStringLiteral("eventstore")).status, HealthStatus::Up); // the database is fine
    }

    void anotherEngineKeepsTheCountersGoingAndDetachLetsTheEngineGo()
    {
        MonitoringHub hub;
        std::shared_ptr<Engine> first = makeEngine(hub);
        QVERIFY(first);
        hub.attach(first);
        QVERIFY(openAccount(*first, QStringLiteral("x1")).ok());
        const std::weak_ptr<Engine> firstGone = first;
        first.reset();
        QVERIFY(!firstGone.expired()); // the hub holds it while attached

        std::shared_ptr<Engine> second = makeEngine(hub);
        QVERIFY(second);
        hub.attach(second); // replaces the first, counting what it did last
        QVERIFY(firstGone.expired());
        QVERIFY(openAccount(*second, QStringLiteral("x2")).ok());
        hub.sample();
        QCOMPARE(valueOf(hub.registry(), QStringLiteral("commands_executed_total"),
                     { QStringLiteral("OpenAccount"), QStringLiteral("ok") }),
            2.0);

        // A health registry taken by a worker keeps working after detach().
        const std::shared_ptr<HealthRegistry> health = hub.healthRegistry();
        QVERIFY(health);
        const std::weak_ptr<Engine> secondGone = second;
        hub.detach();
        QVERIFY(!hub.isAttached());
        QCOMPARE(health->runAll().checks.size(), std::size_t(4));
        second.reset();
        QVERIFY(secondGone.expired());
    }
};

QTEST_GUILESS_MAIN(TestMonitoringHub)
#include "tst_monitoringhub.moc"
