// SPDX-License-Identifier: Apache-2.0
// ResiliencePipeline: built from the YAML `resilience:` section; which store errors are transient; retries of
// transient errors only (no real sleeping); an open breaker stops calls and retries; a timeout is an error,
// a breaker failure and not retried; the command-bus gate.
#include "config/configloader.h"
#include "cqrs/commanderror.h"
#include "resilience/failureclassifier.h"
#include "resilience/resiliencepipeline.h"

#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <chrono>
#include <memory>
#include <semaphore>

using namespace EventScope;
using namespace std::chrono_literals;

namespace {

const QByteArray Yaml = R"(
resilience:
  circuit_breaker:
    name: "store"
    failure_ratio: 0.5
    request_volume: 4
    sleep_window: "10s"
    success_threshold: 2
  retry:
    max_attempts: 3
    initial_delay: "20ms"
    max_delay: "1s"
    backoff_factor: 3.0
    jitter: false
  bulkhead:
    name: "store"
    max_requests: 4
    queue_size: 8
    timeout: "5s"
  timeout:
    duration: "2s"
)";

AppConfig::Resilience fromYaml()
{
    const ConfigLoadResult loaded = ConfigLoader::parse(Yaml, QStringLiteral("test.yaml"));
    if (!loaded.ok())
        qFatal("%s", qPrintable(loaded.error));
    return loaded.config->resilience;
}

struct Fixture {
    std::chrono::steady_clock::time_point now = std::chrono::steady_clock::time_point(1h);
    QList<qint64> slept;
    std::shared_ptr<ResiliencePipeline> pipeline;

    explicit Fixture(AppConfig::Resilience settings = fromYaml())
    {
        ResiliencePipeline::Hooks hooks;
        hooks.clock = [this] { return now; };
        hooks.sleeper = [this](std::chrono::milliseconds d) { slept.append(d.count()); };
        hooks.random = [] { return 0.5; };
        pipeline = ResiliencePipeline::fromConfig(settings, hooks);
    }
};

StoreError transient()
{
    return StoreError(
        StoreError::Code::QueryFailed, QStringLiteral("The store failed while appending: database is locked"));
}

} // namespace

class TestResiliencePipeline : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void builtFromYaml()
    {
        Fixture f;
        const auto& s = f.pipeline->settings();
        QCOMPARE(f.pipeline->breaker().name(), QStringLiteral("store"));
        QCOMPARE(f.pipeline->breaker().settings().requestVolume, 4);
        QCOMPARE(f.pipeline->breaker().settings().sleepWindow, 10s);
        QCOMPARE(f.pipeline->retry().maxAttempts(), 3);
        QCOMPARE(f.pipeline->retry().nominalDelay(2), 60ms);
        QCOMPARE(f.pipeline->bulkhead().settings().maxRequests, 4);
        QCOMPARE(f.pipeline->bulkhead().settings().queueSize, 8);
        QCOMPARE(f.pipeline->timeout().duration(), 2s);
        QCOMPARE(s.retry.jitter, false);
    }

    void classification_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("kind");
        const auto row = [](const char* name, StoreError::Code code, const char* message, FailureKind kind) {
            QTest::newRow(name) << int(code) << QString::fromUtf8(message) << int(kind);
        };
        row("connection failed", StoreError::Code::ConnectionFailed, "could not connect", FailureKind::Transient);
        row("sqlite busy", StoreError::Code::QueryFailed, "The store failed while appending: database is locked",
            FailureKind::Transient);
        row("sqlite locked table", StoreError::Code::QueryFailed, "database table is locked", FailureKind::Transient);
        row("pg serialization", StoreError::Code::QueryFailed,
            "ERROR:  could not serialize access due to concurrent update (40001)", FailureKind::Transient);
        row("pg deadlock", StoreError::Code::QueryFailed, "ERROR: deadlock detected 40P01", FailureKind::Transient);
        row("pg connection dropped", StoreError::Code::QueryFailed, "server closed the connection unexpectedly",
            FailureKind::Transient);
        row("syntax error", StoreError::Code::QueryFailed, "near \"SELEC\": syntax error", FailureKind::Persistent);
        row("conflict", StoreError::Code::WrongExpectedVersion, "stream moved on", FailureKind::CallerError);
        row("invalid", StoreError::Code::InvalidArgument, "bad stream id", FailureKind::CallerError);
        row("duplicate", StoreError::Code::DuplicateEventId, "id used", FailureKind::CallerError);
        row("schema too new", StoreError::Code::SchemaTooNew, "newer", FailureKind::Persistent);
        row("not an event store", StoreError::Code::NotAnEventStore, "other tables", FailureKind::Persistent);
    }
    void classification()
    {
        QFETCH(int, code);
        QFETCH(QString, message);
        QFETCH(int, kind);
        const StoreError error(StoreError::Code(code), message);
        QCOMPARE(int(FailureClassifier::classify(error)), kind);
        QCOMPARE(int(FailureClassifier::classify(StoreResult<int>(error))), kind);
    }

    void commandErrorClassification()
    {
        QCOMPARE(FailureClassifier::classify(CommandError::storeUnavailable(QStringLiteral("down"))),
            FailureKind::Transient);
        QCOMPARE(
            FailureClassifier::classify(CommandError::conflict(QStringLiteral("moved"), 3)), FailureKind::CallerError);
        QCOMPARE(FailureClassifier::classify(CommandError::domainRuleViolated(QStringLiteral("no"))),
            FailureKind::CallerError);
    }

    void retriesTransientErrors()
    {
        Fixture f;
        QSignalSpy retrying(f.pipeline.get(), &ResiliencePipeline::retrying);
        int calls = 0;
        const auto result = f.pipeline->run<int>(QStringLiteral("append"), [&calls]() -> StoreResult<int> {
            return ++calls < 3 ? StoreResult<int>(transient()) : StoreResult<int>(42);
        });
        QVERIFY(result.ok());
        QCOMPARE(result.value(), 42);
        QCOMPARE(calls, 3);
        QCOMPARE(f.slept, (QList<qint64> { 20, 60 }));
        QCOMPARE(retrying.size(), 2);
        QCOMPARE(retrying.at(1).at(1).toInt(), 2);
        QCOMPARE(f.pipeline->statistics().retries, 2);
    }

    void givesUpAfterMaxAttempts()
    {
        Fixture f;
        int calls = 0;
        const auto result = f.pipeline->run<int>(QStringLiteral("append"), [&calls]() -> StoreResult<int> {
            ++calls;
            return transient();
        });
        QVERIFY(!result.ok());
        QVERIFY(result.error().message().contains(QStringLiteral("database is locked")));
        QCOMPARE(calls, 3);
        QCOMPARE(f.pipeline->statistics().retriesExhausted, 1);
    }

    void neverRetriesNonTransientErrors_data()
    {
        QTest::addColumn<int>("code");
        QTest::newRow("conflict") << int(StoreError::Code::WrongExpectedVersion);
        QTest::newRow("validation") << int(StoreError::Code::InvalidArgument);
        QTest::newRow("duplicate id") << int(StoreError::Code::DuplicateEventId);
        QTest::newRow("persistent query failure") << int(StoreError::Code::QueryFailed);
    }
    void neverRetriesNonTransientErrors()
    {
        QFETCH(int, code);
        Fixture f;
        int calls = 0;
        const auto result = f.pipeline->run<int>(QStringLiteral("append"), [&calls, code]() -> StoreResult<int> {
            ++calls;
            return StoreError(StoreError::Code(code), QStringLiteral("no such column: x"));
        });
        QVERIFY(!result.ok());
        QCOMPARE(int(result.error().code()), code);
        QCOMPARE(calls, 1);
        QVERIFY(f.slept.isEmpty());
    }

    void callerErrorsKeepTheBreakerClosed()
    {
        Fixture f;
        for (int i = 0; i < 10; ++i) {
            f.pipeline->run<int>(QStringLiteral("append"), []() -> StoreResult<int> {
                return StoreError::wrongExpectedVersion(QStringLiteral("s"), ExpectedVersion::noStream(), 3);
            });
        }
        QCOMPARE(f.pipeline->breaker().state(), CircuitBreaker::State::Closed);
    }

    void openBreakerStopsCallsAndRetries()
    {
        Fixture f;
        int calls = 0;
        const auto failing = [&calls]() -> StoreResult<int> {
            ++calls;
            return transient();
        };
        // Attempts 1–3 of the first call and 1 of the second fill the window of 4 with failures: open.
        f.pipeline->run<int>(QStringLiteral("readStream"), failing);
        QCOMPARE(f.pipeline->breaker().state(), CircuitBreaker::State::Closed);
        const auto second = f.pipeline->run<int>(QStringLiteral("readStream"), failing);
        QCOMPARE(f.pipeline->breaker().state(), CircuitBreaker::State::Open);
        QCOMPARE(calls, 4); // the retry after the breaker opened was refused without calling
        QVERIFY(!second.ok());
        QCOMPARE(second.error().code(), StoreError::Code::ConnectionFailed);
        QVERIFY2(
            second.error().message().contains(QStringLiteral("circuit breaker")), qPrintable(second.error().message()));

        QSignalSpy rejected(f.pipeline.get(), &ResiliencePipeline::rejected);
        const auto third = f.pipeline->run<int>(QStringLiteral("readStream"), failing);
        QVERIFY(!third.ok());
        QCOMPARE(calls, 4);
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(rejected.at(0).at(1).toString(), QStringLiteral("circuit-breaker"));

        // Recovery: after the sleep window two successful trials close it.
        f.now += 10s;
        const auto ok = []() -> StoreResult<int> { return 1; };
        QVERIFY(f.pipeline->run<int>(QStringLiteral("readStream"), ok).ok());
        QCOMPARE(f.pipeline->breaker().state(), CircuitBreaker::State::HalfOpen);
        QVERIFY(f.pipeline->run<int>(QStringLiteral("readStream"), ok).ok());
        QCOMPARE(f.pipeline->breaker().state(), CircuitBreaker::State::Closed);
    }

    void timeoutIsAnErrorAndNotRetried()
    {
        AppConfig::Resilience settings = fromYaml();
        settings.timeout.duration = 50ms;
        Fixture f(settings);
        QSignalSpy timedOut(f.pipeline.get(), &ResiliencePipeline::timedOut);
        auto gate = std::make_shared<std::binary_semaphore>(0);
        auto calls = std::make_shared<std::atomic<int>>(0);
        const auto result = f.pipeline->run<int>(QStringLiteral("append"), [gate, calls]() -> StoreResult<int> {
            ++*calls;
            gate->acquire();
            return 1;
        });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code(), StoreError::Code::ConnectionFailed);
        QVERIFY2(
            result.error().message().contains(QStringLiteral("did not answer")), qPrintable(result.error().message()));
        QCOMPARE(calls->load(), 1);
        QCOMPARE(timedOut.size(), 1);
        QCOMPARE(f.pipeline->statistics().timeouts, 1);
        QCOMPARE(f.pipeline->breaker().window(), std::make_pair(1, 1)); // counted as a failure
        // The abandoned call still holds its bulkhead slot until it ends.
        QCOMPARE(f.pipeline->bulkhead().counters().inUse, 1);
        gate->release();
        QTRY_COMPARE_WITH_TIMEOUT(f.pipeline->bulkhead().counters().inUse, 0, 30000);
    }

    void commandGate()
    {
        Fixture f;
        int calls = 0;
        const auto unavailable = [&calls] {
            ++calls;
            return DispatchResult::failure(CommandError::storeUnavailable(QStringLiteral("down")));
        };
        // Closed: the handler runs once, its result passes unchanged, and nothing is retried.
        const DispatchResult first = f.pipeline->execute(unavailable);
        QCOMPARE(calls, 1);
        QCOMPARE(first.error->message(), QStringLiteral("down"));

        // Open the breaker through store calls; then commands are answered without running the handler.
        for (int i = 0; i < 2; ++i)
            f.pipeline->run<int>(QStringLiteral("append"), []() -> StoreResult<int> { return transient(); });
        QCOMPARE(f.pipeline->breaker().state(), CircuitBreaker::State::Open);
        const DispatchResult gated = f.pipeline->execute(unavailable);
        QCOMPARE(calls, 1);
        QVERIFY(!gated.ok());
        QCOMPARE(gated.error->code(), CommandError::Code::StoreUnavailable);
        QVERIFY(gated.error->message().contains(QStringLiteral("circuit breaker")));
        QCOMPARE(f.pipeline->statistics().gatedCommands, 1);
    }
};

QTEST_GUILESS_MAIN(TestResiliencePipeline)
#include "tst_resiliencepipeline.moc"
