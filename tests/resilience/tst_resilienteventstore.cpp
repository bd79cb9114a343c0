// SPDX-License-Identifier: Apache-2.0
// ResilientEventStore over a FaultInjectingEventStore over a real SQLite store: the fault store's failure
// rate, seed, latency and outage window; an outage opens the breaker (calls stop reaching the store),
// recovery closes it and appends land; transient failures are retried with the same event ids (one copy);
// and the Engine with chaos on: dispatch fails while the store is out, succeeds once it is back.
#include "engine/engine.h"
#include "eventstore/sqleventstore.h"
#include "resilience/faultinjectingeventstore.h"
#include "resilience/resiliencepipeline.h"
#include "resilience/resilienteventstore.h"
#include "teststores.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

#include <chrono>

using namespace EventScope;
using namespace EventScope::Test;
using namespace std::chrono_literals;

namespace {

QList<EventData> oneEvent()
{
    return { EventData { QUuid::createUuid(), QStringLiteral("Pinged"), 1, QJsonObject { { QStringLiteral("n"), 1 } },
        QJsonObject {} } };
}

AppConfig::Resilience resilience()
{
    AppConfig::Resilience r;
    r.circuitBreaker.name = QStringLiteral("store");
    r.circuitBreaker.failureRatio = 0.5;
    r.circuitBreaker.requestVolume = 4;
    r.circuitBreaker.sleepWindow = 30s;
    r.circuitBreaker.successThreshold = 2;
    r.retry.maxAttempts = 2;
    r.retry.initialDelay = 10ms;
    r.retry.jitter = false;
    r.timeout.duration = 60s;
    return r;
}

struct Clock {
    std::chrono::steady_clock::time_point now = std::chrono::steady_clock::time_point(1h);
    std::function<std::chrono::steady_clock::time_point()> get()
    {
        return [this] { return now; };
    }
};

} // namespace

class TestResilientEventStore : public QObject {
    Q_OBJECT
private:
    TestStore m_testStore { TestStore::Backend::Sqlite };
    std::shared_ptr<SqlEventStore> m_store;

private Q_SLOTS:
    void initTestCase()
    {
        auto opened = m_testStore.open();
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message()));
        m_store = opened.value();
    }

    void failureRateIsDeterministicPerSeed()
    {
        FaultInjection faults;
        faults.failureRate = 0.3;
        faults.seed = 7;
        const auto pattern = [&] {
            FaultInjectingEventStore chaos(m_store, faults, {}, [](std::chrono::milliseconds) {});
            QString bits;
            for (int i = 0; i < 200; ++i)
                bits.append(chaos.headPosition().ok() ? QLatin1Char('.') : QLatin1Char('x'));
            return bits;
        };
        const QString first = pattern();
        QCOMPARE(pattern(), first);
        const auto failures = first.count(QLatin1Char('x'));
        QVERIFY2(failures > 20 && failures < 120, qPrintable(first)); // about 30% of 200
        faults.seed = 8;
        QVERIFY(pattern() != first);

        faults.failureRate = 1.0;
        FaultInjectingEventStore always(m_store, faults, {}, [](std::chrono::milliseconds) {});
        const auto failed = always.append(QStringLiteral("never-written"), ExpectedVersion::any(), oneEvent());
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().code(), StoreError::Code::ConnectionFailed);
        QVERIFY(failed.error().message().contains(QStringLiteral("Injected fault")));
        QVERIFY(!m_store->streamInfo(QStringLiteral("never-written")).value().has_value());
        QCOMPARE(always.injectedFailures(), 1);
    }

    void latencyAndOutageWindow()
    {
        Clock clock;
        QList<qint64> slept;
        FaultInjection faults;
        faults.latency = 25ms;
        faults.outageStart = 10s;
        faults.outageEnd = 20s;
        FaultInjectingEventStore chaos(
            m_store, faults, clock.get(), [&slept](std::chrono::milliseconds d) { slept.append(d.count()); });
        QVERIFY(chaos.eventCount().ok());
        QCOMPARE(slept, QList<qint64> { 25 });
        clock.now += 10s;
        QVERIFY(chaos.inOutage());
        QVERIFY(!chaos.eventCount().ok());
        clock.now += 10s;
        QVERIFY(!chaos.inOutage());
        QVERIFY(chaos.eventCount().ok());
        chaos.setOutage(true);
        QVERIFY(!chaos.eventCount().ok());
        chaos.setOutage(false);
        QVERIFY(chaos.eventCount().ok());
        QCOMPARE(slept.size(), 5);
    }

    void outageOpensBreakerAndRecoveryClosesIt()
    {
        Clock clock;
        auto chaos = std::make_shared<FaultInjectingEventStore>(
            m_store, FaultInjection {}, clock.get(), [](std::chrono::milliseconds) {});
        ResiliencePipeline::Hooks hooks;
        hooks.clock = clock.get();
        hooks.sleeper = [](std::chrono::milliseconds) {};
        auto pipeline = ResiliencePipeline::fromConfig(resilience(), hooks);
        ResilientEventStore store(chaos, pipeline);
        QSignalSpy breakerChanges(&pipeline->breaker(), &CircuitBreaker::stateChanged);
        QSignalSpy appended(&store, &EventStore::eventsAppended);

        const QString stream = QStringLiteral("resilient-1");
        QVERIFY(store.append(stream, ExpectedVersion::noStream(), oneEvent()).ok());
        QCOMPARE(appended.size(), 1);

        chaos->setOutage(true);
        // Two appends, two attempts each: four failures in the window of four open the breaker.
        QVERIFY(!store.append(stream, ExpectedVersion::exact(0), oneEvent()).ok());
        QVERIFY(!store.append(stream, ExpectedVersion::exact(0), oneEvent()).ok());
        QCOMPARE(pipeline->breaker().state(), CircuitBreaker::State::Open);
        const qint64 callsWhenOpened = chaos->calls();
        const auto refused = store.readStream(stream, 0, 10);
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message().contains(QStringLiteral("circuit breaker")));
        QCOMPARE(chaos->calls(), callsWhenOpened); // the store was not called

        // The store comes back; after the sleep window trial calls go through and close the breaker.
        chaos->setOutage(false);
        clock.now += 30s;
        QVERIFY(store.append(stream, ExpectedVersion::exact(0), oneEvent()).ok());
        QCOMPARE(pipeline->breaker().state(), CircuitBreaker::State::HalfOpen);
        const auto read = store.readStream(stream, 0, 10);
        QVERIFY(read.ok());
        QCOMPARE(read->size(), 2);
        QCOMPARE(pipeline->breaker().state(), CircuitBreaker::State::Closed);
        QCOMPARE(breakerChanges.size(), 3);
        QCOMPARE(appended.size(), 2);
    }

    void retriedAppendIsStoredOnce()
    {
        // Half the calls fail at random: each append is retried until it lands, and lands once.
        FaultInjection faults;
        faults.failureRate = 0.5;
        faults.seed = 3;
        auto chaos = std::make_shared<FaultInjectingEventStore>(
            m_store, faults, FaultInjectingEventStore::Clock {}, [](std::chrono::milliseconds) {});
        AppConfig::Resilience settings = resilience();
        settings.retry.maxAttempts = 10;
        settings.circuitBreaker.requestVolume = 1000;
        ResiliencePipeline::Hooks hooks;
        hooks.sleeper = [](std::chrono::milliseconds) {};
        ResilientEventStore store(chaos, ResiliencePipeline::fromConfig(settings, hooks));
        const QString stream = QStringLiteral("resilient-2");
        for (int i = 0; i < 20; ++i) {
            const auto result = store.append(
                stream, i == 0 ? ExpectedVersion::noStream() : ExpectedVersion::exact(i - 1), oneEvent());
            QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message()));
        }
        QVERIFY(chaos->injectedFailures() > 0);
        QCOMPARE(m_store->readStream(stream, 0, 100)->size(), 20);
        QCOMPARE(store.pipeline()->statistics().retries, chaos->injectedFailures());
    }

    void engineWithChaos()
    {
        AppConfig config;
        config.eventStore = m_testStore.settings();
        config.resilience = resilience();
        config.resilience.circuitBreaker.requestVolume = 100; // this test is about errors, not the breaker
        config.resilience.retry.initialDelay = 1ms;
        Engine::Options options;
        options.store = m_store;
        options.chaos = FaultInjection {};
        auto created = Engine::create(config, options);
        QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().message()));
        Engine& engine = *created.value();
        QVERIFY(engine.chaos());
        QVERIFY(engine.resilience());

        CommandContext context;
        context.actor = QStringLiteral("dev@example.com");
        context.role = Role::Developer;
        const QJsonObject fields { { QStringLiteral("owner"), QStringLiteral("Ada") },
            { QStringLiteral("currency"), QStringLiteral("EUR") } };
        const auto open = [&] {
            return engine.dispatch(
                Command { QUuid::createUuid(), QStringLiteral("OpenAccount"), QStringLiteral("chaos-1"), fields },
                context);
        };
        engine.chaos()->setOutage(true);
        const DispatchResult failed = open();
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error->code(), CommandError::Code::StoreUnavailable);
        QVERIFY2(
            failed.error->message().contains(QStringLiteral("Injected fault")), qPrintable(failed.error->message()));
        QVERIFY(engine.resilience()->statistics().retries > 0);

        engine.chaos()->setOutage(false);
        const DispatchResult opened = open();
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error->message()));
        QCOMPARE(m_store->readStream(QStringLiteral("account-chaos-1"), 0, 10)->size(), 1);
    }

    void engineWithoutChaos()
    {
        AppConfig config;
        config.eventStore = m_testStore.settings();
        auto created = Engine::create(config, m_store);
        QVERIFY(created.ok());
        QVERIFY(!created.value()->chaos());
        QVERIFY(created.value()->eventStore());
        QCOMPARE(created.value()->repositories().eventStore(), created.value()->eventStore());
    }
};

QTEST_GUILESS_MAIN(TestResilientEventStore)
#include "tst_resilienteventstore.moc"
