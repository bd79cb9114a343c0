// SPDX-License-Identifier: Apache-2.0
// MetricsRegistry: exact totals under concurrent updates from several threads, histogram buckets, snapshots,
// name validation at registration, and the adapters that feed the standard metrics.
#include "monitoring/commandmetricsexporter.h"
#include "monitoring/countermirror.h"
#include "monitoring/eventbusmetricsrecorder.h"
#include "monitoring/metricsregistry.h"
#include "monitoring/projectionmetricssampler.h"
#include "monitoring/standardmetrics.h"

#include "cqrs/commandmetrics.h"
#include "cqrs/eventbus.h"

#include <QTest>

#include <thread>
#include <vector>

using namespace EventScope;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

constexpr int Threads = 8;
constexpr int PerThread = 50000;

template <typename Work>
void runConcurrently(Work work)
{
    std::vector<std::thread> threads;
    for (int t = 0; t < Threads; ++t)
        threads.emplace_back([t, &work] { work(t); });
    for (auto& thread : threads)
        thread.join();
}

} // namespace

class TestMetricsRegistry : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void countersAreExactUnderConcurrentIncrements()
    {
        MetricsRegistry registry;
        auto& family = registry.counter(QStringLiteral("commands_executed_total"), QStringLiteral("help"),
            { QStringLiteral("type"), QStringLiteral("outcome") });
        Counter& shared = family.labels({ QStringLiteral("Deposit"), QStringLiteral("ok") });
        runConcurrently([&](int t) {
            // Each thread also obtains its own series, and one it shares with every other thread through labels().
            Counter& own = family.labels({ QStringLiteral("Withdraw"), QString::number(t) });
            Counter& again = family.labels({ QStringLiteral("Deposit"), QStringLiteral("ok") });
            QVERIFY(&again == &shared);
            for (int i = 0; i < PerThread; ++i) {
                shared.increment();
                own.increment(2);
            }
        });
        QCOMPARE(shared.value(), double(Threads) * PerThread);
        const auto snapshot = registry.snapshot(QStringLiteral("commands_executed_total"));
        QVERIFY(snapshot);
        QCOMPARE(snapshot->type, MetricType::Counter);
        QCOMPARE(snapshot->series.size(), Threads + 1);
        for (int t = 0; t < Threads; ++t) {
            const auto* series = snapshot->find({ QStringLiteral("Withdraw"), QString::number(t) });
            QVERIFY(series);
            QCOMPARE(series->value, 2.0 * PerThread);
        }
        // A counter never goes down.
        shared.increment(-5);
        QCOMPARE(shared.value(), double(Threads) * PerThread);
    }

    void gaugesAreExactUnderConcurrentUpdates()
    {
        MetricsRegistry registry;
        Gauge& inUse
            = registry.gauge(QStringLiteral("bulkhead_in_use"), QStringLiteral("help"), { QStringLiteral("name") })
                  .labels({ QStringLiteral("store") });
        runConcurrently([&](int t) {
            for (int i = 0; i < PerThread; ++i) {
                inUse.increment(3);
                inUse.decrement(t % 2 == 0 ? 1 : 2);
            }
        });
        // Even threads add 2 per round, odd ones 1.
        QCOMPARE(inUse.value(), double(Threads / 2) * PerThread * 2 + double(Threads / 2) * PerThread);
        inUse.set(-4.5);
        QCOMPARE(inUse.value(), -4.5);
    }

    void histogramsCountEveryObservationInTheRightBucket()
    {
        MetricsRegistry registry;
        auto& family = registry.histogram(
            QStringLiteral("eventstore_append_duration_seconds"), QStringLiteral("help"), {}, { 0.01, 0.1, 1.0 });
        Histogram& histogram = family.labels();
        // Per thread and round: one value on a bound (inclusive), one in between, one above all bounds.
        runConcurrently([&](int) {
            for (int i = 0; i < PerThread; ++i) {
                histogram.observe(0.01);
                histogram.observe(0.5);
                histogram.observe(std::chrono::milliseconds(2500));
            }
        });
        const quint64 rounds = quint64(Threads) * PerThread;
        QCOMPARE(histogram.count(), rounds * 3);
        QCOMPARE(histogram.cumulativeCounts(), (QList<quint64> { rounds, rounds, rounds * 2, rounds * 3 }));
        QVERIFY(qAbs(histogram.sum() - double(rounds) * (0.01 + 0.5 + 2.5)) < 1e-6 * double(rounds));

        const auto snapshot = registry.snapshot(QStringLiteral("eventstore_append_duration_seconds"));
        QVERIFY(snapshot);
        QCOMPARE(snapshot->bounds, (QList<double> { 0.01, 0.1, 1.0 }));
        QCOMPARE(snapshot->series.size(), 1);
        QCOMPARE(snapshot->series.first().count, rounds * 3);
        QCOMPARE(snapshot->series.first().bucketCounts.last(), rounds * 3);
    }

    void histogramDefaultsAreLatencyBucketsInSeconds()
    {
        MetricsRegistry registry;
        auto& family = registry.histogram(QStringLiteral("eventstore_read_duration_seconds"), QStringLiteral("help"));
        QCOMPARE(family.bounds(), Histogram::defaultLatencyBounds());
        QVERIFY(family.bounds().first() <= 0.001);
        QVERIFY(family.bounds().last() >= 5.0);
        QVERIFY(std::is_sorted(family.bounds().cbegin(), family.bounds().cend()));
    }

    void registeringAgainReturnsTheSameFamily()
    {
        MetricsRegistry registry;
        auto& a = registry.counter(QStringLiteral("retries_total"), QStringLiteral("help"), { QStringLiteral("name") });
        auto& b = registry.counter(QStringLiteral("retries_total"), QStringLiteral("help"), { QStringLiteral("name") });
        QCOMPARE(&a, &b);
        a.labels({ QStringLiteral("store") }).increment();
        QCOMPARE(b.labels({ QStringLiteral("store") }).value(), 1.0);
        QCOMPARE(registry.names(), QStringList { QStringLiteral("retries_total") });
    }

    void invalidRegistrationsAreRejected_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("labels");
        QTest::addColumn<QString>("messagePart");

        QTest::newRow("empty name") << u"counter"_s << u""_s << QStringList() << u"empty"_s;
        QTest::newRow("digit first") << u"counter"_s << u"1_total"_s << QStringList() << u"must start"_s;
        QTest::newRow("dash") << u"gauge"_s << u"bulkhead-in-use"_s << QStringList() << u"contains '-'"_s;
        QTest::newRow("space") << u"counter"_s << u"events total"_s << QStringList() << u"contains ' '"_s;
        QTest::newRow("non-ascii") << u"counter"_s << QStringLiteral("ereignisse_\u00fc") << QStringList()
                                   << u"contains"_s;
        QTest::newRow("label with colon")
            << u"counter"_s << u"ok_total"_s << QStringList { u"a:b"_s } << u"label name"_s;
        QTest::newRow("reserved label") << u"counter"_s << u"ok_total"_s << QStringList { u"__name"_s }
                                        << u"reserves"_s;
        QTest::newRow("label twice") << u"counter"_s << u"ok_total"_s << QStringList { u"a"_s, u"a"_s } << u"twice"_s;
        QTest::newRow("le on histogram") << u"histogram"_s << u"latency_seconds"_s << QStringList { u"le"_s }
                                         << u"le"_s;
        QTest::newRow("other type") << u"gauge"_s << u"taken_total"_s << QStringList() << u"another type"_s;
        QTest::newRow("other labels") << u"counter"_s << u"taken_total"_s << QStringList { u"x"_s }
                                      << u"registered already"_s;
    }

    void invalidRegistrationsAreRejected()
    {
        QFETCH(QString, kind);
        QFETCH(QString, name);
        QFETCH(QStringList, labels);
        QFETCH(QString, messagePart);

        MetricsRegistry registry;
        registry.counter(QStringLiteral("taken_total"), QStringLiteral("help"));
        QString message;
        try {
            if (kind == QLatin1String("counter"))
                registry.counter(name, QStringLiteral("help"), labels);
            else if (kind == QLatin1String("gauge"))
                registry.gauge(name, QStringLiteral("help"), labels);
            else
                registry.histogram(name, QStringLiteral("help"), labels);
        } catch (const std::invalid_argument& error) {
            message = QString::fromStdString(error.what());
        }
        QVERIFY2(message.contains(messagePart), qPrintable(message));
        // Nothing half-registered is left behind.
        QCOMPARE(registry.names(), QStringList { QStringLiteral("taken_total") });
    }

    void colonsAreFineInMetricNamesOnly()
    {
        QVERIFY(MetricsRegistry::metricNameError(QStringLiteral("job:requests:rate5m")).isEmpty());
        QVERIFY(!MetricsRegistry::labelNameError(QStringLiteral("job:x")).isEmpty());
        QVERIFY(MetricsRegistry::labelNameError(QStringLiteral("_outcome2")).isEmpty());
    }

    void badHistogramBoundsAreRejected()
    {
        MetricsRegistry registry;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
            registry.histogram(QStringLiteral("a_seconds"), QStringLiteral("help"), {}, { 0.1, 0.1 }));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
            registry.histogram(QStringLiteral("a_seconds"), QStringLiteral("help"), {}, { 1.0, 0.5 }));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
            registry.histogram(QStringLiteral("a_seconds"), QStringLiteral("help"), {}, { 0.5, qInf() }));
        registry.histogram(QStringLiteral("a_seconds"), QStringLiteral("help"), {}, { 0.5 });
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
            registry.histogram(QStringLiteral("a_seconds"), QStringLiteral("help"), {}, { 0.25 }));
    }

    void wrongNumberOfLabelValuesIsRejected()
    {
        MetricsRegistry registry;
        auto& family = registry.counter(QStringLiteral("commands_executed_total"), QStringLiteral("help"),
            { QStringLiteral("type"), QStringLiteral("outcome") });
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, family.labels({ QStringLiteral("Deposit") }));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, family.labels());
        QCOMPARE(registry.snapshot(QStringLiteral("commands_executed_total"))->series.size(), 0);
    }

    void counterMirrorFollowsATotalWithoutGoingDown()
    {
        MetricsRegistry registry;
        Counter& counter = registry.counter(QStringLiteral("mirrored_total"), QStringLiteral("h")).labels();
        CounterMirror mirror(counter);
        mirror.follow(5);
        mirror.follow(5);
        QCOMPARE(counter.value(), 5.0);
        mirror.follow(8);
        QCOMPARE(counter.value(), 8.0);
        mirror.follow(2); // the source was reset: the counter does not go down …
        QCOMPARE(counter.value(), 8.0);
        mirror.follow(9); // … and counts on from the highest total seen
        QCOMPARE(counter.value(), 9.0);
    }

    void standardMetricsRegisterTheSeedNames()
    {
        MetricsRegistry registry;
        StandardMetrics metrics(registry);
        StandardMetrics again(registry);
        QCOMPARE(&metrics.eventsHandled, &again.eventsHandled);
        const QStringList expected { QStringLiteral("bulkhead_in_use"), QStringLiteral("bulkhead_queued"),
            QStringLiteral("bulkhead_rejected_total"), QStringLiteral("circuit_breaker_opened_total"),
            QStringLiteral("circuit_breaker_rejected_total"), QStringLiteral("circuit_breaker_state"),
            QStringLiteral("commands_executed_total"), QStringLiteral("events_appended_total"),
            QStringLiteral("events_handled_total"), QStringLiteral("eventstore_append_duration_seconds"),
            QStringLiteral("eventstore_errors_total"), QStringLiteral("eventstore_read_duration_seconds"),
            QStringLiteral("projection_events_processed_total"), QStringLiteral("projection_lag_events"),
            QStringLiteral("retries_total"), QStringLiteral("timeouts_total") };
        QCOMPARE(registry.names(), expected);
        QCOMPARE(registry.snapshot(QStringLiteral("commands_executed_total"))->labelNames,
            (QStringList { QStringLiteral("type"), QStringLiteral("outcome") }));
        QCOMPARE(registry.snapshot(QStringLiteral("circuit_breaker_state"))->type, MetricType::Gauge);
        QCOMPARE(registry.snapshot(QStringLiteral("eventstore_read_duration_seconds"))->type, MetricType::Histogram);
        // Label-less series exist from the start, so /metrics shows 0 rather than nothing.
        QCOMPARE(registry.snapshot(QStringLiteral("events_appended_total"))->series.size(), 1);
    }

    void commandMetricsExporterAddsWhatWasRecordedSince()
    {
        MetricsRegistry registry;
        StandardMetrics metrics(registry);
        auto source = std::make_shared<CommandMetrics>();
        CommandMetricsExporter exporter(source, metrics);
        const QString deposit = QStringLiteral("Deposit");
        const QString ok = QStringLiteral("ok");
        const QString conflict = QStringLiteral("conflict");

        for (int i = 0; i < 3; ++i)
            source->record(deposit, ok, 1ms);
        source->record(deposit, conflict, 1ms);
        exporter.sample();
        QCOMPARE(metrics.commandsExecuted.labels({ deposit, ok }).value(), 3.0);
        QCOMPARE(metrics.commandsExecuted.labels({ deposit, conflict }).value(), 1.0);

        exporter.sample(); // nothing new
        QCOMPARE(metrics.commandsExecuted.labels({ deposit, ok }).value(), 3.0);

        source->record(deposit, ok, 1ms);
        exporter.sample();
        QCOMPARE(metrics.commandsExecuted.labels({ deposit, ok }).value(), 4.0);

        // A reset of the source does not make the counter go down; what comes after it is added.
        source->reset();
        source->record(deposit, ok, 1ms);
        source->record(deposit, ok, 1ms);
        exporter.sample();
        QCOMPARE(metrics.commandsExecuted.labels({ deposit, ok }).value(), 6.0);
        QCOMPARE(metrics.commandsExecuted.labels({ deposit, conflict }).value(), 1.0);
        source->record(deposit, conflict, 1ms);
        exporter.sample();
        QCOMPARE(metrics.commandsExecuted.labels({ deposit, conflict }).value(), 2.0);
    }

    void projectionSamplerSetsLagAndAdvancesProcessed()
    {
        MetricsRegistry registry;
        StandardMetrics metrics(registry);
        QList<ProjectionStatus> statuses(2);
        statuses[0].name = QStringLiteral("users");
        statuses[1].name = QStringLiteral("balances");
        ProjectionMetricsSampler sampler([&statuses] { return statuses; }, metrics);

        statuses[0].lagEvents = 40;
        statuses[0].eventsProcessed = 100;
        statuses[1].lagEvents = 0;
        statuses[1].eventsProcessed = 7;
        sampler.sample();
        QCOMPARE(metrics.projectionLag.labels({ QStringLiteral("users") }).value(), 40.0);
        QCOMPARE(metrics.projectionEventsProcessed.labels({ QStringLiteral("users") }).value(), 100.0);
        QCOMPARE(metrics.projectionEventsProcessed.labels({ QStringLiteral("balances") }).value(), 7.0);

        statuses[0].lagEvents = 0;
        statuses[0].eventsProcessed = 140;
        sampler.sample();
        QCOMPARE(metrics.projectionLag.labels({ QStringLiteral("users") }).value(), 0.0);
        QCOMPARE(metrics.projectionEventsProcessed.labels({ QStringLiteral("users") }).value(), 140.0);

        // The manager restarted: its per-run count starts again at 0.
        statuses[0].eventsProcessed = 5;
        sampler.sample();
        QCOMPARE(metrics.projectionEventsProcessed.labels({ QStringLiteral("users") }).value(), 145.0);
    }

    void eventBusRecorderCountsPublishedEvents()
    {
        MetricsRegistry registry;
        StandardMetrics metrics(registry);
        EventBus bus;
        RecordedEvent event;
        event.eventType = QStringLiteral("Deposited");
        {
            EventBusMetricsRecorder recorder(bus, metrics);
            QCOMPARE(bus.subscriberCount(), 1);
            bus.publish(QList<RecordedEvent> { event, event, event });
            bus.publish(event);
            QCOMPARE(metrics.eventsHandled.value(), 4.0);
        }
        QCOMPARE(bus.subscriberCount(), 0);
        bus.publish(event);
        QCOMPARE(metrics.eventsHandled.value(), 4.0);
        QCOMPARE(bus.failureCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestMetricsRegistry)
#include "tst_metricsregistry.moc"
