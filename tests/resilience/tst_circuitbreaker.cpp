// SPDX-License-Identifier: Apache-2.0
// CircuitBreaker under scripted outcomes with a manual clock: closed → open at the failure ratio once the
// window holds request_volume calls, open refuses without calling, half-open after the sleep window lets
// trial calls through, success_threshold successes close it, a failed trial reopens it; history and signal.
#include "resilience/circuitbreaker.h"

#include <QSignalSpy>
#include <QTest>

#include <chrono>

using namespace EventScope;
using namespace std::chrono_literals;

namespace {

struct ManualClock {
    std::chrono::steady_clock::time_point now = std::chrono::steady_clock::time_point(1h);
    CircuitBreaker::Clock clock()
    {
        return [this] { return now; };
    }
};

AppConfig::CircuitBreaker settings(double ratio = 0.5, int volume = 4, int successThreshold = 2)
{
    AppConfig::CircuitBreaker s;
    s.name = QStringLiteral("test");
    s.failureRatio = ratio;
    s.requestVolume = volume;
    s.sleepWindow = 10s;
    s.successThreshold = successThreshold;
    return s;
}

/// One call through the breaker; false when it was refused (and the call not made).
bool call(CircuitBreaker& breaker, bool succeeds, int* calls = nullptr)
{
    const auto permit = breaker.tryAcquire();
    if (!permit)
        return false;
    if (calls)
        ++*calls;
    breaker.record(*permit, succeeds);
    return true;
}

} // namespace

class TestCircuitBreaker : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opensAtRatioOnceVolumeReached_data()
    {
        QTest::addColumn<QString>("script"); // F = failure, S = success
        QTest::addColumn<int>("openAfter"); // calls after which it is open; -1 = stays closed
        QTest::newRow("3 failures, volume 4 not reached") << QStringLiteral("FFF") << -1;
        QTest::newRow("half of 4 failed") << QStringLiteral("FSFS") << 4;
        QTest::newRow("1 of 4 failed") << QStringLiteral("SSSF") << -1;
        QTest::newRow("rolling: old failures leave the window") << QStringLiteral("FSSSSSSF") << -1;
        QTest::newRow("rolling: 2 of the last 4") << QStringLiteral("SSSSSSFF") << 8;
        QTest::newRow("all failed") << QStringLiteral("FFFF") << 4;
    }
    void opensAtRatioOnceVolumeReached()
    {
        QFETCH(QString, script);
        QFETCH(int, openAfter);
        ManualClock clock;
        CircuitBreaker breaker(settings(), clock.clock());
        for (int i = 0; i < script.size(); ++i) {
            QVERIFY(call(breaker, script.at(i) == QLatin1Char('S')));
            const bool open = breaker.state() == CircuitBreaker::State::Open;
            QCOMPARE(open, openAfter != -1 && i + 1 >= openAfter);
            if (open)
                break;
        }
        if (openAfter == -1)
            QCOMPARE(breaker.state(), CircuitBreaker::State::Closed);
    }

    void openRefusesWithoutCallingThenRecovers()
    {
        ManualClock clock;
        CircuitBreaker breaker(settings(0.5, 4, 2), clock.clock());
        QSignalSpy changes(&breaker, &CircuitBreaker::stateChanged);
        for (int i = 0; i < 4; ++i)
            QVERIFY(call(breaker, false));
        QCOMPARE(breaker.state(), CircuitBreaker::State::Open);
        QVERIFY(breaker.retryAt().isValid());

        int calls = 0;
        QVERIFY(!call(breaker, true, &calls));
        clock.now += 9s;
        QVERIFY(!call(breaker, true, &calls));
        QCOMPARE(calls, 0);
        QCOMPARE(breaker.counters().rejected, 2);

        // After the sleep window: half-open, at most success_threshold trials at a time.
        clock.now += 1s;
        const auto first = breaker.tryAcquire();
        QVERIFY(first);
        QCOMPARE(breaker.state(), CircuitBreaker::State::HalfOpen);
        const auto second = breaker.tryAcquire();
        QVERIFY(second);
        QVERIFY(!breaker.tryAcquire()); // both trial slots taken
        breaker.record(*first, true);
        QCOMPARE(breaker.state(), CircuitBreaker::State::HalfOpen);
        breaker.record(*second, true);
        QCOMPARE(breaker.state(), CircuitBreaker::State::Closed);
        QCOMPARE(breaker.window(), std::make_pair(0, 0));

        QCOMPARE(changes.size(), 3);
        const auto to = [&changes](int i) { return changes.at(i).at(1).value<CircuitBreaker::State>(); };
        QCOMPARE(to(0), CircuitBreaker::State::Open);
        QCOMPARE(to(1), CircuitBreaker::State::HalfOpen);
        QCOMPARE(to(2), CircuitBreaker::State::Closed);
        const auto history = breaker.history();
        QCOMPARE(history.size(), 3);
        QCOMPARE(history.at(0).from, CircuitBreaker::State::Closed);
        QCOMPARE(history.at(2).to, CircuitBreaker::State::Closed);
        QVERIFY(history.at(0).at <= history.at(2).at);
        QVERIFY(!history.at(0).reason.isEmpty());
        QCOMPARE(changes.at(0).at(2).toDateTime(), history.at(0).at);
        QCOMPARE(breaker.counters().opened, 1);
    }

    void failedTrialReopens()
    {
        ManualClock clock;
        CircuitBreaker breaker(settings(0.5, 2, 3), clock.clock());
        QVERIFY(call(breaker, false));
        QVERIFY(call(breaker, false));
        QCOMPARE(breaker.state(), CircuitBreaker::State::Open);
        clock.now += 10s;
        QVERIFY(call(breaker, true));
        QCOMPARE(breaker.state(), CircuitBreaker::State::HalfOpen);
        QVERIFY(call(breaker, false));
        QCOMPARE(breaker.state(), CircuitBreaker::State::Open);
        // A new sleep window starts at the reopening.
        clock.now += 5s;
        QVERIFY(!call(breaker, true));
        clock.now += 5s;
        QVERIFY(call(breaker, true));
        QVERIFY(call(breaker, true));
        QVERIFY(call(breaker, true));
        QCOMPARE(breaker.state(), CircuitBreaker::State::Closed);
        QCOMPARE(breaker.counters().opened, 2);
    }

    void staleOutcomesAreIgnored()
    {
        ManualClock clock;
        CircuitBreaker breaker(settings(0.5, 2, 1), clock.clock());
        const auto slow = breaker.tryAcquire(); // a call that started while closed …
        QVERIFY(slow);
        QVERIFY(call(breaker, false));
        QVERIFY(call(breaker, false));
        QCOMPARE(breaker.state(), CircuitBreaker::State::Open);
        clock.now += 10s;
        const auto trial = breaker.tryAcquire();
        QVERIFY(trial);
        breaker.record(*slow, true); // … and ends now: it must not close the half-open breaker
        QCOMPARE(breaker.state(), CircuitBreaker::State::HalfOpen);
        breaker.record(*trial, true);
        QCOMPARE(breaker.state(), CircuitBreaker::State::Closed);
    }

    void resetCloses()
    {
        ManualClock clock;
        CircuitBreaker breaker(settings(0.5, 2, 1), clock.clock());
        QVERIFY(call(breaker, false));
        QVERIFY(call(breaker, false));
        QCOMPARE(breaker.state(), CircuitBreaker::State::Open);
        breaker.reset();
        QCOMPARE(breaker.state(), CircuitBreaker::State::Closed);
        QVERIFY(call(breaker, true));
    }
};

QTEST_GUILESS_MAIN(TestCircuitBreaker)
#include "tst_circuitbreaker.moc"
